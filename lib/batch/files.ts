/**
 * One stack from files to files (Node only), as `focus-stacking stack` makes
 * it: the frames read by path, the result (and depth map) encoded in memory
 * first and then written atomically, so that a failed or interrupted stack
 * leaves no file and a stack run twice (by a second worker) writes the same
 * whole file. Shared by `batch` and the queue's workers.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CodecName } from '../codecs/index.js';
import { stack } from '../engine/node.js';
import type { StackMethod, StackProgress } from '../engine/options.js';
import { FrameSizeError, type StackReport } from '../engine/stack.js';
import { assertKnownKeys, isParameterError, optionKeys } from '../errors.js';
import { EXTENSION_LIST, formatOfPath, holdsSixteenBits } from '../formats.js';
import { encodeImage, ImageFileError, loadImage, saveFiles } from '../io.js';
import { StackInputError } from './stacks.js';

/**
 * The options of one stack that travel with it (plain data: a queue job
 * carries them as JSON). Each as in `stack`'s options, or its command line.
 */
export interface StackJobOptions {
  /**
   * The method.
   * @default 'dmap'
   */
  method?: StackMethod;
  /**
   * Align the frames.
   * @default true
   */
  align?: boolean;
  /**
   * Match each frame's brightness to the reference.
   * @default true
   */
  colourMatch?: boolean;
  /**
   * Index of the reference frame.
   * @default the middle frame
   */
  reference?: number;
  /**
   * Keep only the rectangle every aligned frame covers.
   * @default false
   */
  crop?: boolean;
  /**
   * Pyramid levels (pyramid, gradient), 1 to 16.
   * @default 5
   */
  levels?: number;
  /**
   * JPEG quality, 1 to 100.
   * @default 95
   */
  quality?: number;
  /**
   * The codec that reads and writes.
   * @default sharp when it loads, else jimp
   */
  codec?: CodecName;
  /**
   * Threads to compute on, 1 to 64.
   * @default the cores, at most 4
   */
  threads?: number;
  /**
   * Refuse a frame of more pixels (from its header).
   * @default 100000000
   */
  maxPixels?: number;
}

/** Every key of {@link StackJobOptions}, for refusing unknown ones. */
export const STACK_JOB_OPTION_NAMES: readonly string[] = optionKeys<StackJobOptions>({
  method: 1, align: 1, colourMatch: 1, reference: 1, crop: 1, levels: 1, quality: 1, codec: 1, threads: 1, maxPixels: 1,
});

/** Where one stack's results go. */
export interface StackTarget {
  /** The stacked image; its format from the extension. */
  output: string;
  /** The depth map (a `.png` is 16-bit when the frames are), if wanted. */
  depthmap?: string;
}

/** Options of {@link stackToFiles}: what travels with a stack, and the run's own hooks. */
export interface StackToFilesOptions extends StackJobOptions {
  /** Aborting stops the stack (nothing is written); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called before each frame is read and before the final step. */
  onProgress?: (progress: StackProgress) => void;
  /** Called with warnings (frames converted, a 16-bit result written as 8 bits). */
  onWarning?: (message: string) => void;
  /** Called once everything is encoded, just before the first file is written: throwing stops the write (a queue worker checks that its job is still its own). */
  beforeWrite?: () => Promise<void>;
}

/** What a stack run from files tells: the engine's report, and the files written. */
export type StackFilesReport = StackReport & StackTarget;

/**
 * Stack frames given as paths and write the result (and the depth map):
 * every file is encoded before the first is written, and each is written
 * atomically, so a failure leaves none of them.
 *
 * @param frames - Two or more image files, in focus order.
 * @param target - See {@link StackTarget}.
 * @param options - See {@link StackToFilesOptions}.
 * @returns The report (timings rounded to 0.1 ms) with the files written.
 * @throws StackInputError for fewer than two frames or a missing one; as `stack`
 *   (ImageFileError, FrameSizeError, TypeError/RangeError for a bad option); ImageFileError (EWRITE) when a file cannot be written.
 */
export async function stackToFiles(frames: readonly string[], target: StackTarget, options: StackToFilesOptions = {}): Promise<StackFilesReport> {
  assertKnownKeys('stackToFiles', options, [...STACK_JOB_OPTION_NAMES, 'signal', 'onProgress', 'onWarning', 'beforeWrite']);
  const { output, depthmap } = target;
  const format = formatOfPath(output);
  if (format === undefined) throw new StackInputError(`output ${JSON.stringify(output)}: expected a name ending in ${EXTENSION_LIST}`);
  const depthFormat = depthmap === undefined ? undefined : formatOfPath(depthmap);
  if (depthmap !== undefined && depthFormat === undefined) throw new StackInputError(`depth map ${JSON.stringify(depthmap)}: expected a name ending in ${EXTENSION_LIST}`);
  if (frames.length < 2) throw new StackInputError(`expected two or more frames but received ${frames.length}`);
  const { method, align, colourMatch, reference, crop, levels, quality, codec, threads, maxPixels, signal, onProgress, onWarning, beforeWrite } = options;
  const warn = onWarning ?? (() => {});
  const codecOption = codec === undefined ? {} : { codec };
  const result = await stack(frames, {
    ...(method === undefined ? {} : { method }),
    ...(levels === undefined ? {} : { levels }),
    ...(threads === undefined ? {} : { threads }),
    ...(align === undefined ? {} : { align }),
    ...(colourMatch === undefined ? {} : { colourMatch }),
    ...(crop === undefined ? {} : { crop }),
    ...(reference === undefined ? {} : { reference }),
    ...(signal === undefined ? {} : { signal }),
    ...(onProgress === undefined ? {} : { onProgress }),
    depthMap: depthFormat !== undefined,
    sixteen: depthFormat !== undefined && holdsSixteenBits(depthFormat) ? 'auto' : false,
    load: (path) => loadImage(path, { ...codecOption, ...(maxPixels === undefined ? {} : { maxPixels }), onWarning: warn }),
    onWarning: warn,
  });
  const { report } = result;
  if (report.result.bits === 16 && !holdsSixteenBits(format)) warn(`the frames are 16-bit but ${JSON.stringify(output)} holds 8 bits: written as 8-bit (.png or .tif keeps 16 bits)`);
  const encode = (image: typeof result.image, to: NonNullable<typeof format>, path: string) =>
    encodeImage(image, { format: to, ...codecOption, ...(quality === undefined ? {} : { quality }) }).catch((error: unknown) => {
      if (isParameterError(error)) throw error;
      throw new ImageFileError('write', path, error instanceof Error ? error.message : String(error), 'EWRITE', error);
    });
  const image = await encode(result.image, format, output);
  const depth = result.depth && depthmap !== undefined && depthFormat !== undefined ? await encode(result.depth, depthFormat, depthmap) : undefined;
  signal?.throwIfAborted();
  await beforeWrite?.();
  // All or nothing: a failure while writing leaves neither file.
  await saveFiles(depth && depthmap !== undefined ? [{ path: output, contents: image }, { path: depthmap, contents: depth }] : [{ path: output, contents: image }]);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    output,
    ...(depthmap === undefined ? {} : { depthmap }),
    ...report,
    frames: report.frames.map((f) => ({ ...f, ms: round(f.ms) })),
    timings: { totalMs: round(report.timings.totalMs), passMs: report.timings.passMs.map(round), finishMs: round(report.timings.finishMs) },
  };
}

/**
 * Whether an error means that the stack itself is bad (a missing or
 * unreadable frame, frames of different sizes, a bad option): running it
 * again cannot help. Other errors (a full disk, a lost connection) may pass.
 *
 * @param error - Anything thrown by {@link stackToFiles}.
 * @returns True for bad input.
 */
export function isBadInput(error: unknown): boolean {
  if (error instanceof StackInputError || error instanceof FrameSizeError || isParameterError(error)) return true;
  return error instanceof ImageFileError && error.code !== 'EWRITE' && error.code !== 'EREAD';
}

/**
 * Whether a stack's results are up to date: each exists and is newer than
 * every frame (so `batch` can skip it).
 *
 * @param frames - The frames.
 * @param results - The result files (image, and depth map when wanted).
 * @returns False when a result is missing or older than a frame (or a frame cannot be read).
 */
export async function isUpToDate(frames: readonly string[], results: readonly string[]): Promise<boolean> {
  const times = async (paths: readonly string[]) => Promise.all(paths.map((p) => stat(p).then((s) => s.mtimeMs, () => undefined)));
  const [made, inputs] = await Promise.all([times(results), times(frames)]);
  if (made.some((t) => t === undefined) || inputs.some((t) => t === undefined)) return false;
  const newest = Math.max(...(inputs as number[]));
  return (made as number[]).every((t) => t > newest);
}

/** The result files of stack `name` in `outDir`: `name.<format>` and, with a depth map, `name-depth.png`. */
export function resultPaths(outDir: string, name: string, format: string, depthmap: boolean): StackTarget {
  return { output: join(outDir, `${name}.${format}`), ...(depthmap ? { depthmap: join(outDir, `${name}-depth.png`) } : {}) };
}
