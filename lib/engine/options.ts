/**
 * The options of the N-frame engine ({@link stackFrames}), their defaults
 * (in one place) and their validation.
 */
import { assertInteger, assertKnownKeys, assertNumber, assertOneOf, invalidParameter, optionKeys } from '../errors.js';
import type { FloatImage, Image } from '../image.js';
import type { Executor } from '../parallel/executor.js';
import type { FocusMeasure, FoldStrategy } from '../strategies/fold/fold.js';
import { resolveStrategyOptions } from '../strategies/options.js';
import { identityTransform, type Transform } from '../align/transforms.js';

export { identityTransform, type Transform };

/** The N-frame methods. */
export const StackMethod = {
  /** Laplacian pyramid, each coefficient from the frame of most local energy (two readings). */
  PYRAMID: 'pyramid',
  /** The seed's soft gradient blending, a softmax over frames per pyramid level (one reading). */
  GRADIENT: 'gradient',
  /** Depth map of the sharpest frame, blended by guided-filter weights (two readings). */
  DMAP: 'dmap',
  /** Depth map of the sharpest frame, each pixel copied from its frame (two readings). */
  SELECT: 'select',
  /** `select` where the depth map is flat, `pyramid` near its jumps, blended between (two readings). */
  HYBRID: 'hybrid',
} as const;
export type StackMethod = (typeof StackMethod)[keyof typeof StackMethod];

/** The method used when none is given: the one constant to change. */
export const DEFAULT_STACK_METHOD: StackMethod = StackMethod.DMAP;

/** Pyramid levels when none are given (the seed's). */
export const DEFAULT_STACK_LEVELS = 5;

/** A frame: a file path (read by `options.load`), a decoded image, or a function that resolves to one. */
export type FrameSource = string | Image | (() => Promise<Image>);

/** What an {@link AlignFunction} returns. */
export interface AlignResult {
  /** The aligned frame; its buffer may be the input's, or one from `context.exec.pool` (the engine gives it back). */
  readonly image: FloatImage;
  /** 1 where the aligned frame has data, 0 where the warp left none; everywhere if omitted. */
  readonly coverage?: Uint8Array;
  /** The transform applied. @default the identity */
  readonly transform?: Transform;
}

/** What an {@link AlignFunction} knows besides the frame. */
export interface AlignContext {
  /** Index of the reference frame. */
  readonly reference: number;
  /** Number of frames. */
  readonly frames: number;
  /** 0 for the first reading, 1 for the second (then `transform` is the first reading's result). */
  readonly pass: number;
  /** Where kernels run and buffers come from. */
  readonly exec: Executor;
  /** The transform given for this frame (`options.transforms[index]`), or found in the first reading. */
  readonly transform?: Transform;
  /** The transform of the neighbour towards the reference, already found (frames are read outward from the reference). */
  readonly neighbour?: Transform;
}

/**
 * Alignment, as the engine calls it for every frame it reads: given the
 * frame as float32 (0..255 scale), return it aligned to the reference.
 */
export type AlignFunction = (image: FloatImage, index: number, context: AlignContext) => Promise<AlignResult>;

/** A rectangle of the (aligned) frames to keep. */
export interface CropRect {
  /** Left column. */
  readonly x: number;
  /** Top row. */
  readonly y: number;
  /** Width, at least 1. */
  readonly width: number;
  /** Height, at least 1. */
  readonly height: number;
}

/** What {@link StackFramesOptions.onProgress} receives, before each frame is read and before the final step. */
export interface StackProgress {
  /** `'read'` before a frame is read and folded, `'finish'` before the result is made. */
  readonly step: 'read' | 'finish';
  /** The frame about to be read (its index in the stack), or -1 for `finish`. */
  readonly frame: number;
  /** Number of frames. */
  readonly frames: number;
  /** 0 for the first reading, 1 for the second. */
  readonly pass: number;
  /** How many readings the method makes (1 or 2). */
  readonly passes: number;
  /** Frame readings done so far. */
  readonly done: number;
  /** Frame readings in all (as known so far: the second reading's count is known once the first ends). */
  readonly total: number;
  /** Milliseconds since the run began. */
  readonly elapsedMs: number;
}

/** Options of {@link stackFrames}. */
export interface StackFramesOptions {
  /**
   * The method, or a {@link FoldStrategy} of one's own.
   * @default 'dmap' ({@link DEFAULT_STACK_METHOD})
   */
  method?: StackMethod | FoldStrategy;
  /**
   * The focus measure, replacing the method's own (for `pyramid` and
   * `gradient` it measures each band, for `dmap` and `select` the frame).
   * See `matMeasure` and `floatMeasure`.
   * @default the method's
   */
  measure?: FocusMeasure;
  /**
   * Pyramid levels (`pyramid`, `gradient`), 1 to 16.
   * @default 5
   */
  levels?: number;
  /**
   * Steepness of the softmax (`gradient`), 0 to 1e6.
   * @default 0.1
   */
  beta?: number;
  /**
   * Box window of the activity (`gradient`), an odd integer from 1 to 99.
   * @default 3
   */
  smoothKernel?: number;
  /**
   * Also return the depth map: per pixel the index of the frame in focus.
   * @default false
   */
  depthMap?: boolean;
  /**
   * Make the depth map 16-bit (`round(65535 i / (N - 1))`) instead of 8-bit;
   * `'auto'`: 16-bit when the result is (a frame is 16-bit).
   * @default false
   */
  sixteen?: boolean | 'auto';
  /**
   * Index of the reference frame (the others are aligned to it; frames are
   * read outward from it).
   * @default the middle frame, `floor((N - 1) / 2)`
   */
  reference?: number;
  /**
   * Threads to compute on, 1 to 64 (used by the Node entry point `stack` to
   * choose an executor; the core runs on `executor`).
   * @default the cores, at most 4 (Node); 1 (core)
   */
  threads?: number;
  /**
   * Where the kernels run and every buffer comes from.
   * @default this thread
   */
  executor?: Executor;
  /** Reads a frame given as a path (the Node entry point `stack` supplies `loadImage`). */
  load?: (path: string) => Promise<Image>;
  /**
   * Align each frame to the reference as it is read: `true` for the default
   * alignment (`defaultAligner`: a full affine transform estimated on 1024 px
   * thumbnails, chained through the neighbours towards the reference, the
   * warp at full resolution, and a gain and offset per channel unless
   * `colourMatch` is false); `false` for none (then `transforms`, if given,
   * may only change gain and offset); or an {@link AlignFunction} of one's own.
   * Where a warped frame does not reach, the frames that do decide (see the
   * methods' coverage); the result keeps the reference frame's size.
   * @default true
   */
  align?: boolean | AlignFunction;
  /**
   * With the default alignment, match each warped frame's brightness to the
   * reference's (a gain and an offset per channel; frames whose brightness
   * does not differ are left as they are).
   * @default true
   */
  colourMatch?: boolean;
  /**
   * Transforms found earlier, one per frame in the order given (as in a
   * transforms file, relative to its reference: pass its `reference` too):
   * no estimation, each frame is only warped and given its gain and offset.
   */
  transforms?: readonly Transform[];
  /**
   * `true`: keep only the largest rectangle that every aligned frame covers
   * (found from the transforms; the image and the depth map are cropped at
   * the end). A rectangle: keep it of every (aligned) frame.
   * @default false
   */
  crop?: CropRect | boolean;
  /**
   * Checked before each frame is read and before each kernel call: aborting
   * stops the run (its promise rejects with the signal's reason) and gives
   * back every buffer it took.
   */
  signal?: AbortSignal;
  /** Called before each frame and before the final step. */
  onProgress?: (progress: StackProgress) => void;
  /** Called with warnings (frames converted to colour or 16 bits). */
  onWarning?: (message: string) => void;
}

/** Every option name, for rejecting unknown ones. */
export const STACK_OPTION_NAMES: readonly string[] = optionKeys<StackFramesOptions>({
  method: 1, measure: 1, levels: 1, beta: 1, smoothKernel: 1, depthMap: 1, sixteen: 1, reference: 1, threads: 1, executor: 1,
  load: 1, align: 1, colourMatch: 1, transforms: 1, crop: 1, signal: 1, onProgress: 1, onWarning: 1,
});

/** The options once checked, with defaults. */
export interface ResolvedStackOptions {
  /** See {@link StackFramesOptions.method}. */
  method: StackMethod | FoldStrategy;
  /** See {@link StackFramesOptions.levels}. */
  levels: number;
  /** See {@link StackFramesOptions.beta}. */
  beta: number;
  /** See {@link StackFramesOptions.smoothKernel}. */
  smoothKernel: number;
  /** See {@link StackFramesOptions.depthMap}. */
  depthMap: boolean;
  /** See {@link StackFramesOptions.sixteen}. */
  sixteen: boolean | 'auto';
  /** See {@link StackFramesOptions.reference}. */
  reference: number;
}

function assertFunction(name: string, value: unknown, what: string): void {
  if (value !== undefined && typeof value !== 'function') throw invalidParameter(name, what, value, 'type');
}

/**
 * Apply defaults and check every option.
 *
 * @param options - As given.
 * @param frames - Number of frames.
 * @returns The options used.
 * @throws TypeError, RangeError naming the option.
 */
export function resolveStackOptions(options: StackFramesOptions, frames: number): ResolvedStackOptions {
  assertKnownKeys('stackFrames', options, STACK_OPTION_NAMES);
  const { method = DEFAULT_STACK_METHOD, levels = DEFAULT_STACK_LEVELS, depthMap = false, sixteen = false, reference = Math.floor((frames - 1) / 2) } = options;
  if (typeof method !== 'object' || method === null) assertOneOf('method', method, Object.values(StackMethod));
  else if (typeof method.begin !== 'function') throw invalidParameter('method', `one of ${Object.values(StackMethod).join(', ')}, or a FoldStrategy`, method, 'type');
  assertInteger('levels', levels, 1, 16);
  const { beta, smoothKernel } = resolveStrategyOptions({ beta: options.beta, smoothKernel: options.smoothKernel });
  if (typeof depthMap !== 'boolean') throw invalidParameter('depthMap', 'a boolean', depthMap, 'type');
  if (typeof sixteen !== 'boolean' && sixteen !== 'auto') throw invalidParameter('sixteen', "a boolean or 'auto'", sixteen, 'type');
  assertInteger('reference', reference, 0, frames - 1);
  if (options.threads !== undefined) assertInteger('threads', options.threads, 1, 64);
  if (options.measure !== undefined && (typeof options.measure !== 'object' || options.measure === null || typeof options.measure.compute !== 'function')) {
    throw invalidParameter('measure', 'a FocusMeasure ({ name, compute }); see matMeasure and floatMeasure', options.measure, 'type');
  }
  if (options.executor !== undefined && (typeof options.executor !== 'object' || options.executor === null || !('pool' in options.executor))) {
    throw invalidParameter('executor', 'an Executor', options.executor, 'type');
  }
  assertFunction('load', options.load, 'a function (path) => Promise<Image>');
  if (typeof options.align !== 'boolean') assertFunction('align', options.align, 'a boolean, or a function (image, index, context) => Promise<AlignResult>');
  if (options.colourMatch !== undefined && typeof options.colourMatch !== 'boolean') throw invalidParameter('colourMatch', 'a boolean', options.colourMatch, 'type');
  assertFunction('onProgress', options.onProgress, 'a function');
  assertFunction('onWarning', options.onWarning, 'a function');
  if (options.signal !== undefined && (typeof options.signal !== 'object' || options.signal === null || typeof options.signal.aborted !== 'boolean')) {
    throw invalidParameter('signal', 'an AbortSignal', options.signal, 'type');
  }
  if (options.transforms !== undefined) checkTransforms(options.transforms, frames);
  if (options.crop !== undefined && typeof options.crop !== 'boolean') checkCrop(options.crop);
  return { method, levels, beta, smoothKernel, depthMap, sixteen, reference };
}

function checkTransforms(transforms: unknown, frames: number): void {
  if (!Array.isArray(transforms) || transforms.length !== frames) throw invalidParameter('transforms', `an array of ${frames} transforms (one per frame)`, transforms, 'type');
  transforms.forEach((t: Transform, i) => {
    const name = `transforms[${i}]`;
    const m = t?.matrix;
    if (!Array.isArray(m) || m.length !== 2 || !m.every((row) => Array.isArray(row) && row.length === 3)) {
      throw invalidParameter(`${name}.matrix`, 'a 2x3 array of numbers', m, 'type');
    }
    m.forEach((row, r) => row.forEach((v, c) => assertNumber(`${name}.matrix[${r}][${c}]`, v)));
    for (const key of ['gain', 'offset'] as const) {
      if (!Array.isArray(t[key]) || (t[key].length !== 1 && t[key].length !== 3)) throw invalidParameter(`${name}.${key}`, 'an array of 1 or 3 numbers', t[key], 'type');
      t[key].forEach((v, c) => assertNumber(`${name}.${key}[${c}]`, v));
    }
    assertNumber(`${name}.correlation`, t.correlation, -1, 1);
  });
}

function checkCrop(crop: CropRect): void {
  if (typeof crop !== 'object' || crop === null) throw invalidParameter('crop', 'a rectangle { x, y, width, height }', crop, 'type');
  assertInteger('crop.x', crop.x, 0);
  assertInteger('crop.y', crop.y, 0);
  assertInteger('crop.width', crop.width, 1);
  assertInteger('crop.height', crop.height, 1);
}
