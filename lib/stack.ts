/**
 * Stacking a pair of frames into the five outputs of the original script.
 */
import { assertInteger, invalidParameter } from './errors.js';
import { assertImage, maxValue, type Image } from './image.js';
import { loadOpenCV } from './cv/runtime.js';
import { imageFromMat, matFromImage } from './cv/convert.js';
import { resize } from './cv/resize.js';
import { MatScope } from './cv/scope.js';
import { executorFor } from './parallel/index.js';
import { defaultThreads } from './parallel/threads.js';
import { Mode, runJobs, type Job } from './pipeline.js';
import { gradientStrategy } from './strategies/gradient.js';
import { medianStrategy } from './strategies/median.js';
import { resolveStrategyOptions, type StrategyOptions } from './strategies/options.js';

/** The outputs of one run (SPEC 1.6), by the original's short names. */
export const Output = {
  /** Pyramid + gradient blending, one mask for all channels. */
  ALL_CHANNELS: 'all_channels',
  /** Pyramid + gradient blending, each channel on its own (fix B5). */
  BY_CHANNEL: 'by_channel',
  /** Pyramid + median-mask blending (fix B1). */
  NEW_METHOD: 'new_method',
  /** The finest-level mask of the median method, 0 (front) or 255 (back). */
  BLENDING_MASK: 'blending_mask',
  /** Gradient blending once at full resolution, no pyramid. */
  DIRECT: 'direct',
} as const;
export type Output = (typeof Output)[keyof typeof Output];

/** Every output, in the order the original writes them. */
export const ALL_OUTPUTS: readonly Output[] = Object.freeze([
  Output.ALL_CHANNELS,
  Output.NEW_METHOD,
  Output.BLENDING_MASK,
  Output.DIRECT,
  Output.BY_CHANNEL,
]);

/** The original's file name of an output, without extension (`focus_stacked_direct`). */
export function outputName(output: Output): OutputName {
  return (output === Output.BLENDING_MASK ? output : `focus_stacked_${output}`) as OutputName;
}
/** File names of the outputs, without extension. */
export type OutputName = 'focus_stacked_all_channels' | 'focus_stacked_by_channel' | 'focus_stacked_new_method' | 'blending_mask' | 'focus_stacked_direct';

/** The images of one run, by the original's file names (without extension); only those asked for. */
export type StackResult = Partial<Record<OutputName, Image>>;

/** The number of pyramid levels when none is given (the original's). */
export const DEFAULT_LEVELS = 5;
/** The most pyramid levels allowed (a 16-level pyramid reduces 65536 pixels to one). */
export const MAX_LEVELS = 16;

/** Options of {@link stackPair}. */
export interface StackOptions extends StrategyOptions {
  /**
   * Number of pyramid levels, 1 to 16 (1 means no pyramid: the whole image is one band).
   * @default 5
   */
  levels?: number;
  /**
   * Which outputs to compute.
   * @default all five
   */
  outputs?: readonly Output[];
  /** Called before each step with a short description (`fusing pyramid level 2`). */
  onProgress?: (step: string) => void;
  /** Called with warnings (`front image resized from 640x480 to 320x240`). */
  onWarning?: (message: string) => void;
  /**
   * Called with each output as soon as it is ready, before the others are
   * computed (so that it can be written while they are).
   */
  onOutput?: (name: OutputName, image: Image) => void;
  /**
   * Threads to compute on, this one included, 1 to 64 (worker threads beyond the first).
   * @default the number of cores, at most 4
   */
  threads?: number;
  /**
   * Cancels the run: checked before each kernel call and between steps;
   * once aborted, the call rejects with the signal's reason (an `AbortError`
   * `DOMException` unless given another), having given every buffer back.
   */
  signal?: AbortSignal;
}

/**
 * Focus-stack a pair of frames, as `focus_stacking.py --back B --front F`
 * with the fixes of SPEC section 2.
 *
 * @param back - The frame focused far ("back"); 1 or 3 channels, 8 or 16 bits.
 * @param front - The frame focused near ("front"); resized to the back
 *   frame's size if it differs (bilinear, with a warning, as the original).
 * @param options - See {@link StackOptions}.
 * @returns The outputs asked for, by their file names without extension; the
 *   caller owns them (ordinary, unshared typed arrays).
 * @throws TypeError, RangeError for bad arguments (an image of the wrong shape,
 *   frames with different channel counts or depths, a bad option).
 * @throws The reason of `options.signal` once it is aborted (an `AbortError`
 *   `DOMException` by default).
 */
export async function stackPair(back: Image, front: Image, options: StackOptions = {}): Promise<StackResult> {
  assertImage('back', back);
  assertImage('front', front);
  const { levels = DEFAULT_LEVELS, outputs = ALL_OUTPUTS, onProgress, onWarning = () => {}, onOutput = () => {}, threads = defaultThreads(), signal } = options;
  assertInteger('levels', levels, 1, MAX_LEVELS);
  assertInteger('threads', threads, 1, 64);
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidParameter('signal', 'an AbortSignal', signal, 'type');
  const knobs = resolveStrategyOptions(options);
  const wanted = resolveOutputs(outputs);
  if (back.channels !== front.channels) {
    throw new TypeError(`Expected front to have ${back.channels} channel(s) like back but it has ${front.channels}`);
  }
  if (maxValue(back) !== maxValue(front)) {
    throw new TypeError(`Expected front to be ${bits(back)}-bit like back but it is ${bits(front)}-bit`);
  }
  let frontSized = front;
  if (front.width !== back.width || front.height !== back.height) {
    // OpenCV.js is loaded only when needed: the methods run on typed arrays.
    await loadOpenCV();
    onWarning(`front image resized from ${front.width}x${front.height} to ${back.width}x${back.height} to match the back image`);
    frontSized = resizeImage(front, back.width, back.height);
  }

  const gradient = gradientStrategy(knobs);
  const jobs: { output: Output; job: Job }[] = [];
  const add = (output: Output, job: Job) => jobs.push({ output, job });
  if (wanted.has(Output.ALL_CHANNELS)) add(Output.ALL_CHANNELS, { strategy: gradient, mode: Mode.PYRAMID });
  if (wanted.has(Output.BY_CHANNEL)) add(Output.BY_CHANNEL, { strategy: gradient, mode: Mode.BY_CHANNEL });
  if (wanted.has(Output.NEW_METHOD) || wanted.has(Output.BLENDING_MASK)) {
    add(Output.NEW_METHOD, { strategy: medianStrategy(knobs), mode: Mode.PYRAMID, keepMask: wanted.has(Output.BLENDING_MASK) });
  }
  if (wanted.has(Output.DIRECT)) add(Output.DIRECT, { strategy: gradient, mode: Mode.DIRECT });

  onProgress?.('converting to float');
  // One session of the shared executor: it checks the signal and takes back every buffer of the run.
  const exec = executorFor(threads).session(signal ? { signal } : {});
  const max = maxValue(back);
  const out: StackResult = {};
  const deliver = (name: OutputName, image: Image) => {
    out[name] = image;
    onOutput(name, image);
  };
  const sixteen = max !== 255;
  try {
    const floats = [await exec.toFloat(back, exec.pool.float32(back.data.length)), await exec.toFloat(frontSized, exec.pool.float32(back.data.length))] as const;
    await runJobs(floats[0], floats[1], jobs.map((j) => j.job), {
      levels,
      exec,
      sixteen,
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onProgress } : {}),
      onResult: (i, { image, mask }) => {
        const { output } = jobs[i];
        if (wanted.has(output)) deliver(outputName(output), image);
        if (mask) deliver(outputName(Output.BLENDING_MASK), mask);
      },
    });
  } finally {
    // Every buffer of the run goes back to the pool, whatever happened; the pool keeps its arenas for the next run.
    exec.end();
  }
  return out;
}

function bits(image: Image): number {
  return maxValue(image) === 255 ? 8 : 16;
}

function resolveOutputs(outputs: readonly Output[]): Set<Output> {
  const valid = Object.values(Output);
  if (!Array.isArray(outputs) || outputs.length === 0) throw invalidParameter('outputs', `a non-empty array of ${valid.join(', ')}`, outputs, 'type');
  for (const o of outputs) if (!valid.includes(o)) throw invalidParameter('outputs', `values among ${valid.join(', ')}`, o, 'type');
  return new Set(outputs);
}

/** Bilinear resize, as `cv2.resize(img, (w, h))` on the 8/16-bit image. */
function resizeImage(image: Image, width: number, height: number): Image {
  using scope = new MatScope();
  const src = scope.track(matFromImage(image));
  return imageFromMat(scope.track(resize(src, { dsize: [width, height] })));
}

