/**
 * Stacking a pair of frames into the five outputs of the original script.
 */
import { assertInteger, assertKnownKeys, assertOneOf, invalidParameter, optionKeys, ParameterTypeError } from './errors.js';
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

/** The outputs of one run (DIFFERENCES.md 1.6), by the original's short names. */
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

/** What {@link stackPair} does with a gray + colour or an 8-bit + 16-bit pair. */
export const MixedPair = {
  /** Convert the poorer frame to the richer one's kind (gray to RGB, 8-bit to 16-bit), with a warning. */
  CONVERT: 'convert',
  /** Throw a TypeError. */
  REFUSE: 'refuse',
} as const;
/** A value of {@link MixedPair}. */
export type MixedPair = (typeof MixedPair)[keyof typeof MixedPair];

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
  /** Called with warnings (`front image resized from 640x480 to 320x240 to match the back image`). */
  onWarning?: (message: string) => void;
  /**
   * A gray + colour or an 8-bit + 16-bit pair (which the Python original runs,
   * as it reads everything as 8-bit colour): `'convert'` the poorer frame to
   * the richer kind (gray replicated to three channels; 8-bit samples times
   * 257), with a warning naming the frame; `'refuse'` throws a TypeError.
   * @default 'convert'
   */
  mixed?: MixedPair;
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

const STACK_KEYS = optionKeys<StackOptions>({
  levels: 1, outputs: 1, beta: 1, smoothKernel: 1, medianSizes: 1, threads: 1, mixed: 1, signal: 1, onProgress: 1, onWarning: 1, onOutput: 1,
});

/**
 * Focus-stack a pair of frames, as `focus_stacking.py --back B --front F`
 * with the fixes listed in docs/DIFFERENCES.md.
 *
 * @param back - The frame focused far ("back"); 1 or 3 channels, 8 or 16 bits.
 * @param front - The frame focused near ("front"); resized to the back
 *   frame's size if it differs (bilinear, with a warning, as the original).
 *   A gray + colour or 8-bit + 16-bit pair is converted to the richer kind
 *   (see {@link StackOptions.mixed}).
 * @param options - See {@link StackOptions}.
 * @returns The outputs asked for, by their file names without extension; the
 *   caller owns them (ordinary, unshared typed arrays).
 * @throws TypeError, RangeError for bad arguments (an image of the wrong shape,
 *   an unknown or bad option, and with `mixed: 'refuse'` frames with
 *   different channel counts or depths).
 * @throws The reason of `options.signal` once it is aborted (an `AbortError`
 *   `DOMException` by default).
 */
export async function stackPair(back: Image, front: Image, options: StackOptions = {}): Promise<StackResult> {
  assertKnownKeys('stackPair', options, STACK_KEYS);
  assertImage('back', back);
  assertImage('front', front);
  const { levels = DEFAULT_LEVELS, outputs = ALL_OUTPUTS, onProgress, onWarning = () => {}, onOutput = () => {}, threads = defaultThreads(), signal } = options;
  assertInteger('levels', levels, 1, MAX_LEVELS);
  assertInteger('threads', threads, 1, 64);
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidParameter('signal', 'an AbortSignal', signal, 'type');
  const knobs = resolveStrategyOptions(options);
  const wanted = resolveOutputs(outputs);
  if (assertOneOf('mixed', options.mixed ?? MixedPair.CONVERT, Object.values(MixedPair)) === MixedPair.CONVERT) {
    [back, front] = [matchFrame('back', back, front, onWarning), matchFrame('front', front, back, onWarning)];
  }
  if (back.channels !== front.channels) {
    const fields = { parameter: 'front', property: 'channels', like: 'back', expected: `${back.channels} channel(s)`, received: front.channels };
    throw new ParameterTypeError(fields, `Expected front to have ${back.channels} channel(s) like back but it has ${front.channels}`);
  }
  if (maxValue(back) !== maxValue(front)) {
    const fields = { parameter: 'front', property: 'bits', like: 'back', expected: `${bits(back)}-bit`, received: bits(front) };
    throw new ParameterTypeError(fields, `Expected front to be ${bits(back)}-bit like back but it is ${bits(front)}-bit`);
  }
  let frontSized = front;
  if (front.width !== back.width || front.height !== back.height) {
    // OpenCV.js is loaded only when needed: the methods run on typed arrays.
    await loadOpenCV();
    onWarning(resizeWarning(front, back));
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

/**
 * The warning for a front frame brought to the back frame's size: `resized`
 * when one scale factor, rounded, takes it there; `stretched` when the
 * aspect ratios differ beyond that rounding.
 */
function resizeWarning(front: Image, back: Image): string {
  const low = Math.max((back.width - 0.5) / front.width, (back.height - 0.5) / front.height);
  const high = Math.min((back.width + 0.5) / front.width, (back.height + 0.5) / front.height);
  const sizes = `from ${front.width}x${front.height} to ${back.width}x${back.height} to match the back image`;
  return low <= high ? `front image resized ${sizes}` : `front image stretched ${sizes} (the aspect ratios differ)`;
}

/** `8-bit gray`, `16-bit RGB`. */
function kind(image: Image): string {
  return `${bits(image)}-bit ${image.channels === 1 ? 'gray' : 'RGB'}`;
}

/**
 * `image` raised to the richer channel count and depth of the pair (gray
 * replicated to RGB, 8-bit samples times 257), with a warning if it changed.
 */
function matchFrame(name: 'back' | 'front', image: Image, other: Image, onWarning: (message: string) => void): Image {
  const channels = Math.max(image.channels, other.channels) as 1 | 3;
  const sixteen = maxValue(image) === 65535 || maxValue(other) === 65535;
  if (channels === image.channels && sixteen === (maxValue(image) === 65535)) return image;
  const data = sixteen ? new Uint16Array(image.width * image.height * channels) : new Uint8Array(image.width * image.height * channels);
  const factor = sixteen && maxValue(image) === 255 ? 257 : 1;
  const step = channels / image.channels;
  for (let i = 0; i < data.length; i++) data[i] = image.data[Math.floor(i / step)] * factor;
  const converted: Image = { width: image.width, height: image.height, channels, data };
  onWarning(`${name} image converted from ${kind(image)} to ${kind(converted)} to match the ${name === 'back' ? 'front' : 'back'} image`);
  return converted;
}
