/**
 * The N-frame engine from Node.js: {@link stack} is {@link stackFrames} with
 * frames given as paths read by `loadImage`, and kernels on worker threads.
 */
import type { Image } from '../image.js';
import { loadImage } from '../io.js';
import { executorFor } from '../parallel/index.js';
import { defaultThreads } from '../parallel/threads.js';
import { STACK_OPTION_NAMES, type StackFramesOptions } from './options.js';
import { alignFrames, stackFrames, type AlignFramesResult, type StackFramesResult } from './stack.js';
import type { FrameSource } from './options.js';
import { assertInteger, assertKnownKeys } from '../errors.js';

/**
 * Focus-stack N frames: {@link stackFrames} with, by default, `load` =
 * `loadImage` (frames given as paths are read one at a time, when needed)
 * and the executor of `threads` threads.
 *
 * @example
 * ```ts
 * const { image, depth, report } = await stack(['a.jpg', 'b.jpg', 'c.jpg'], { depthMap: true });
 * await saveImage(image, 'stacked.png');
 * ```
 *
 * @param frames - Paths, images, or functions resolving to images; at least 2.
 * @param options - See {@link StackFramesOptions}.
 * @returns See {@link StackFramesResult}.
 * @throws As {@link stackFrames}; `ImageFileError` (naming the file) when a frame cannot be read.
 */
export async function stack(frames: readonly FrameSource[], options: StackFramesOptions = {}): Promise<StackFramesResult> {
  return stackFrames(frames, withNode(options, 'stack'));
}

/**
 * Align frames without fusing them ({@link alignFrames}), reading paths with
 * {@link loadImage}: the transforms `stack` would use.
 *
 * ```ts
 * const { transforms, reference, width, height } = await align(['a.jpg', 'b.jpg', 'c.jpg']);
 * ```
 *
 * @param frames - Paths, images, or functions resolving to images; at least 2.
 * @param options - As {@link stack}; `method`, `depthMap`, `crop` and `measure` do not apply.
 * @returns See {@link AlignFramesResult}.
 * @throws As {@link stack}.
 */
export async function align(frames: readonly FrameSource[], options: StackFramesOptions = {}): Promise<AlignFramesResult> {
  return alignFrames(frames, withNode(options, 'align'));
}

/** The options with Node's defaults: `load` = `loadImage`, the executor of `threads` threads. */
function withNode(options: StackFramesOptions, where: string): StackFramesOptions {
  assertKnownKeys(where, options, STACK_OPTION_NAMES);
  const { threads = defaultThreads(), onWarning } = options;
  assertInteger('threads', threads, 1, 64);
  const load = (path: string): Promise<Image> => loadImage(path, onWarning ? { onWarning } : {});
  return { ...options, load: options.load ?? load, executor: options.executor ?? executorFor(threads) };
}
