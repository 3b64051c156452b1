/**
 * The N-frame engine, host-free (no `node:` module): {@link stackFrames}
 * reads the frames one at a time, outward from the reference frame, passes
 * each through {@link prepareFrame} and folds it into the method's running
 * state, frees it, and reads them again if the method needs a second pass.
 * Memory follows one frame plus the method's state, whatever the number of
 * frames; every buffer comes from the executor's pool and goes back to it
 * when the run ends, whatever happened.
 */
import { assertNever, invalidParameter } from '../errors.js';
import { assertImage, maxValue, type Image } from '../image.js';
import { indexToDepth } from '../kernels/fold.js';
import { serialExecutor } from '../parallel/executor.js';
import { dmapFold, selectFold } from '../strategies/fold/dmap.js';
import { hybridFold } from '../strategies/fold/hybrid.js';
import type { FoldRun, FoldStrategy } from '../strategies/fold/fold.js';
import { gradientFold } from '../strategies/fold/gradient.js';
import { pyramidFold } from '../strategies/fold/pyramid.js';
import { runBuffers } from './buffers.js';
import { commonArea, defaultAligner } from './align.js';
import { resolveStackOptions, StackMethod, type CropRect, type FrameSource, type Transform, type ResolvedStackOptions, type StackFramesOptions } from './options.js';
import { prepareFrame, prepareFrameRows } from './prepare.js';

/** The most frames a stack may have (frame indices are 16-bit). */
export const MAX_FRAMES = 65535;

/** What the engine tells of one frame. */
export interface FrameReport {
  /** Its index in the stack (0: the first frame given). */
  readonly index: number;
  /** The file, when the frame was given as a path. */
  readonly file?: string;
  /** Width as read. */
  readonly width: number;
  /** Height as read. */
  readonly height: number;
  /** Channels as read (1 or 3). */
  readonly channels: 1 | 3;
  /** Bits per sample as read. */
  readonly bits: 8 | 16;
  /** How it was brought onto the reference. */
  readonly transform: Transform;
  /** `transform.correlation`. */
  readonly correlation: number;
  /** `transform.gain`. */
  readonly gain: readonly number[];
  /** `transform.offset`. */
  readonly offset: readonly number[];
  /** Milliseconds spent on it (reading, preparing, folding; both passes). */
  readonly ms: number;
}

/** What the engine tells of a run. */
export interface StackReport {
  /** The method's name. */
  readonly method: string;
  /** Index of the reference frame. */
  readonly reference: number;
  /** The order the frames were read in (outward from the reference). */
  readonly order: readonly number[];
  /** With `crop: true`, the rectangle kept (of the reference's grid). */
  readonly crop?: CropRect;
  /** How many readings of the frames the method made. */
  readonly passes: number;
  /** Frames read a second time. */
  readonly reread: number;
  /** Size and samples of the result. */
  readonly result: ResultShape;
  /** Per frame, in stack order. */
  readonly frames: readonly FrameReport[];
  /** Milliseconds: the whole run, each pass, the final step. */
  readonly timings: StackTimings;
}

/** Size and samples of a result. */
export interface ResultShape {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** 1 or 3. */
  readonly channels: 1 | 3;
  /** 8 or 16. */
  readonly bits: 8 | 16;
}

/** Where the time of a run went. */
export interface StackTimings {
  /** The whole run. */
  readonly totalMs: number;
  /** Each reading of the frames. */
  readonly passMs: readonly number[];
  /** Making the result from the folded state. */
  readonly finishMs: number;
}

/** What {@link stackFrames} resolves to. */
export interface StackFramesResult {
  /** The fused image (plain typed arrays): colour if any frame is, 16-bit if any frame is; with the reference frame's `metadata`. */
  readonly image: Image;
  /**
   * The depth map, when asked for: one channel, per pixel
   * `round(255 i / (N - 1))` (or 65535 with `sixteen`), i the index of the frame in focus.
   */
  readonly depth?: Image;
  /** Per frame, in stack order, how it was aligned. */
  readonly transforms: readonly Transform[];
  /** Timings and per-frame details. */
  readonly report: StackReport;
}

/** A frame whose size differs from the reference frame's (after alignment and crop). */
export class FrameSizeError extends RangeError {
  /** `'FrameSizeError'`. */
  override name = 'FrameSizeError';
  /**
   * @param frame - Index of the frame.
   * @param size - Its size `[width, height]`.
   * @param reference - Index of the reference frame.
   * @param expected - The reference's size.
   * @param file - The frame's file, if given as a path.
   * @param referenceFile - The reference's file, if given as a path.
   */
  constructor(
    readonly frame: number,
    readonly size: readonly [number, number],
    readonly reference: number,
    readonly expected: readonly [number, number],
    readonly file?: string,
    readonly referenceFile?: string,
  ) {
    const name = (i: number, f?: string) => `frame ${i}${f === undefined ? '' : ` (${JSON.stringify(f)})`}`;
    super(`Frames must have the same size: ${name(frame, file)} is ${size[0]}x${size[1]} but the reference ${name(reference, referenceFile)} is ${expected[0]}x${expected[1]}`);
  }
}

/** Raised inside a run when a colour frame follows gray ones: the run starts again in colour. */
class ColourFrame extends Error {
  constructor(readonly frame: number) {
    super('colour frame after gray ones');
  }
}

/** The readings of each built-in method (a strategy of one's own tells once it begins). */
const PASSES: Record<StackMethod, 1 | 2> = { pyramid: 2, gradient: 1, dmap: 2, select: 2, hybrid: 2 };

/**
 * The frames' indices, outward from the reference: r, r+1, ..., N-1, r-1, ..., 0
 * (so that alignment can chain each frame to its neighbour towards the reference).
 *
 * @param reference - The reference frame.
 * @param frames - Number of frames.
 * @returns The order.
 */
export function outwardOrder(reference: number, frames: number): number[] {
  const order: number[] = [];
  for (let i = reference; i < frames; i++) order.push(i);
  for (let i = reference - 1; i >= 0; i--) order.push(i);
  return order;
}

/**
 * The strategy of a method name, with the run's knobs.
 *
 * @param options - The checked options, and the measure if one was given.
 * @returns The strategy.
 */
export function strategyFor(options: ResolvedStackOptions & Pick<StackFramesOptions, 'measure'>): FoldStrategy {
  const { method, measure } = options;
  if (typeof method === 'object') return method;
  const m = measure ? { measure } : {};
  switch (method) {
    case StackMethod.GRADIENT:
      return gradientFold({ beta: options.beta, smoothKernel: options.smoothKernel, ...m });
    case StackMethod.PYRAMID:
      return pyramidFold(m);
    case StackMethod.DMAP:
      return dmapFold(m);
    case StackMethod.SELECT:
      return selectFold(m);
    case StackMethod.HYBRID:
      return hybridFold(m);
    default:
      return assertNever(method);
  }
}

function checkFrames(frames: unknown): asserts frames is readonly FrameSource[] {
  if (!Array.isArray(frames)) throw invalidParameter('frames', 'an array of frames (paths, images or functions)', frames, 'type');
  if (frames.length < 2 || frames.length > MAX_FRAMES) {
    throw invalidParameter('frames', `from 2 to ${MAX_FRAMES} frames`, frames, frames.length < 2 ? 'range' : 'type');
  }
  frames.forEach((frame, i) => {
    if (typeof frame === 'string') {
      if (frame === '') throw invalidParameter(`frames[${i}]`, 'a non-empty path', frame, 'type');
    } else if (typeof frame !== 'function') assertImage(`frames[${i}]`, frame);
  });
}

/**
 * Focus-stack N frames (host-free core; from Node, `stack` adds file reading
 * and threads).
 *
 * @param frames - At least 2: paths (read with `options.load`), images, or
 *   functions resolving to images (called when the frame is needed, once per
 *   reading, so that the caller need not hold them all). Gray and colour,
 *   8- and 16-bit frames may be mixed: all are made colour (and the result
 *   16-bit) when one is, with a warning.
 * @param options - See {@link StackFramesOptions}.
 * @returns The image, the depth map if asked for, the transforms, a report.
 * @throws TypeError, RangeError for bad arguments (naming the option or frame);
 *   {@link FrameSizeError} for frames of different sizes; what `load` or a
 *   frame function throws; the signal's reason when aborted.
 */
export async function stackFrames(frames: readonly FrameSource[], options: StackFramesOptions = {}): Promise<StackFramesResult> {
  checkFrames(frames);
  const resolved = resolveStackOptions(options, frames.length);
  const images = frames.filter((f): f is Image => typeof f === 'object');
  let channels = images.length === frames.length ? Math.max(...images.map((f) => f.channels)) : undefined;
  const warned = new Set<string>();
  const warn = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    options.onWarning?.(message);
  };
  for (;;) {
    try {
      return await run(frames, options, resolved, channels, warn);
    } catch (error) {
      if (!(error instanceof ColourFrame) || channels === 3) throw error;
      warn(`${frameName(frames, error.frame)} is colour while frames before it are gray: starting again with every frame made colour`);
      channels = 3;
    }
  }
}

function frameName(frames: readonly FrameSource[], i: number): string {
  const f = frames[i];
  return `frame ${i}${typeof f === 'string' ? ` (${JSON.stringify(f)})` : ''}`;
}

async function readSource(frames: readonly FrameSource[], i: number, load: StackFramesOptions['load']): Promise<Image> {
  const src = frames[i];
  let image: unknown;
  if (typeof src === 'string') {
    if (!load) throw invalidParameter('load', `a function (path) => Promise<Image> to read frames[${i}] (${JSON.stringify(src)})`, load, 'type');
    image = await load(src);
  } else image = typeof src === 'function' ? await src() : src;
  assertImage(`frames[${i}]`, image);
  return image;
}

async function run(
  frames: readonly FrameSource[],
  options: StackFramesOptions,
  resolved: ResolvedStackOptions,
  runChannels: number | undefined,
  warn: (message: string) => void,
): Promise<StackFramesResult> {
  const started = performance.now();
  const { signal, onProgress, load } = options;
  // The run's session: its signal is checked before each kernel call, and every buffer taken through it goes back when it ends.
  const exec = (options.executor ?? serialExecutor()).session(signal ? { signal } : {});
  const buffers = runBuffers(exec.pool);
  const n = frames.length;
  const { reference } = resolved;
  const order = outwardOrder(reference, n);
  const strategy = strategyFor({ ...resolved, ...(options.measure ? { measure: options.measure } : {}) });
  const file = (i: number) => (typeof frames[i] === 'string' ? (frames[i] as string) : undefined);
  const reports: { index: number; file?: string; width: number; height: number; channels: 1 | 3; bits: 8 | 16; ms: number }[] = [];
  const transforms: Transform[] = [];
  let channels = runChannels;
  let fold: FoldRun | undefined;
  let size: [number, number] | undefined;
  let firstBits: number | undefined;
  let sixteen = false;
  let metadata: Image['metadata']; // the reference frame's ICC profile and EXIF, for the result
  let passes: number = typeof resolved.method === 'string' ? PASSES[resolved.method] : 1;
  let done = 0;
  let total = n;
  const passMs: number[] = [];
  const { align: alignOption = true, colourMatch = true } = options;
  const align =
    typeof alignOption === 'function' ? alignOption : alignOption ? defaultAligner({ colourMatch, name: (i) => frameName(frames, i), onWarning: warn }) : undefined;

  const read = async (i: number, pass: number) => {
    signal?.throwIfAborted();
    onProgress?.({ step: 'read', frame: i, frames: n, pass, passes, done, total, elapsedMs: performance.now() - started });
    const t0 = performance.now();
    const image = await readSource(frames, i, load);
    const bits = maxValue(image) === 255 ? 8 : 16;
    if (pass === 0) {
      channels ??= image.channels;
      if (image.channels > channels) throw new ColourFrame(i);
      if (image.channels < channels) warn(`${frameName(frames, i)} is gray while others are colour: made colour`);
      firstBits ??= bits;
      if (bits !== firstBits) warn('frames mix 8- and 16-bit samples: the result is 16-bit');
      sixteen ||= bits === 16;
      if (i === reference) metadata = image.metadata;
      reports[i] = { index: i, ...(file(i) === undefined ? {} : { file: file(i) }), width: image.width, height: image.height, channels: image.channels, bits, ms: 0 };
    }
    const neighbour = i === reference ? undefined : transforms[i > reference ? i - 1 : i + 1];
    const given = pass === 1 ? transforms[i] : options.transforms?.[i];
    const context = {
      exec,
      buffers,
      channels: channels!,
      reference,
      frames: n,
      pass,
      ...(given ? { transform: given } : {}),
      ...(neighbour ? { neighbour } : {}),
      ...(align ? { align } : {}),
      ...(typeof options.crop === 'object' ? { crop: options.crop } : {}),
    };
    const checkSize = (width: number, height: number) => {
      if (!size) size = [width, height];
      else if (width !== size[0] || height !== size[1]) throw new FrameSizeError(i, [width, height], reference, size, file(i), file(reference));
    };
    // A second reading, by a method that can take rows: the frame is aligned a band at a time as the method reads it.
    const rows = pass === 1 && fold?.addRows ? prepareFrameRows(image, i, context) : undefined;
    if (rows) {
      try {
        checkSize(rows.rows.width, rows.rows.height);
        await fold!.addRows!(rows.rows, i, pass);
      } finally {
        rows.release();
      }
      reports[i].ms += performance.now() - t0;
      done++;
      return;
    }
    const prepared = await prepareFrame(image, i, context);
    const { width, height } = prepared.image;
    checkSize(width, height);
    fold ??= strategy.begin({ width, height, channels: channels!, frames: n, levels: resolved.levels, depthMap: resolved.depthMap, exec, buffers });
    passes = fold.passes;
    await fold.add(prepared.image, i, pass, prepared.coverage);
    buffers.free(prepared.image.data, prepared.coverage);
    if (pass === 0) transforms[i] = prepared.transform;
    reports[i].ms += performance.now() - t0;
    done++;
  };

  try {
    let t = performance.now();
    for (const i of order) await read(i, 0);
    passMs.push(performance.now() - t);
    if (fold!.passes === 2) {
      t = performance.now();
      const needed = (await fold!.endPass?.()) ?? new Array<boolean>(n).fill(true);
      const again = order.filter((i) => needed[i]);
      total += again.length;
      for (const i of again) await read(i, 1);
      passMs.push(performance.now() - t);
    }
    signal?.throwIfAborted();
    onProgress?.({ step: 'finish', frame: -1, frames: n, pass: passes - 1, passes, done, total, elapsedMs: performance.now() - started });
    t = performance.now();
    const result = await fold!.finish(sixteen);
    let depth: Image | undefined;
    if (resolved.depthMap) {
      if (!result.index) throw new Error(`the method ${strategy.name} gave no depth map`);
      const data = (resolved.sixteen === 'auto' ? sixteen : resolved.sixteen) ? new Uint16Array(result.index.length) : new Uint8Array(result.index.length);
      indexToDepth(result.index, n, data);
      depth = { width: size![0], height: size![1], channels: 1, data };
    }
    let { image } = result;
    let cropped: CropRect | undefined;
    if (options.crop === true) {
      cropped = commonArea(transforms.map((tr) => tr.matrix), size![0], size![1]);
      if (!cropped) throw new RangeError('crop: the aligned frames have no pixel in common');
      image = cropImage(image, cropped);
      if (depth) depth = cropImage(depth, cropped);
    }
    const finishMs = performance.now() - t;
    return {
      image: metadata ? { ...image, metadata } : image,
      ...(depth ? { depth } : {}),
      transforms,
      report: {
        method: strategy.name,
        reference,
        order,
        passes,
        ...(cropped ? { crop: cropped } : {}),
        reread: total - n,
        result: { width: image.width, height: image.height, channels: image.channels, bits: sixteen ? 16 : 8 },
        frames: reports.map((r, i) => ({ ...r, transform: transforms[i], correlation: transforms[i].correlation, gain: transforms[i].gain, offset: transforms[i].offset })),
        timings: { totalMs: performance.now() - started, passMs, finishMs },
      },
    };
  } finally {
    exec.end();
  }
}

/** What {@link alignFrames} finds. */
export interface AlignFramesResult {
  /** Per frame, in stack order, how it maps onto the reference (the reference's is the identity). */
  readonly transforms: readonly Transform[];
  /** The reference frame's index. */
  readonly reference: number;
  /** The reference frame's size. */
  readonly width: number;
  /** The reference frame's size. */
  readonly height: number;
  /** Per frame: file, size, transform, correlation, gain/offset, time. */
  readonly report: StackReport;
}

/** A fold that keeps nothing: alignment without fusion. */
const NO_FUSION: FoldStrategy = {
  name: 'none (alignment only)',
  begin: () => ({
    passes: 1,
    add: () => Promise.resolve(),
    finish: () => Promise.resolve({ image: { width: 1, height: 1, channels: 1, data: new Uint8Array(1) } }),
  }),
};

/**
 * Align frames without fusing them: the transforms that {@link stackFrames}
 * would find (the same reading order, estimation, fallbacks and colour
 * match), for a transforms file or to stack later with `transforms`.
 *
 * @param frames - At least 2: paths (read by `options.load`), images, or functions resolving to images.
 * @param options - As {@link stackFrames}; `method`, `depthMap`, `crop` and `measure` do not apply.
 * @returns The transforms, the reference and its size, and the report.
 * @throws As {@link stackFrames}.
 */
export async function alignFrames(frames: readonly FrameSource[], options: StackFramesOptions = {}): Promise<AlignFramesResult> {
  const { method: _method, depthMap: _depthMap, crop: _crop, measure: _measure, ...rest } = options;
  const { transforms, report } = await stackFrames(frames, { ...rest, method: NO_FUSION });
  const reference = report.frames[report.reference];
  return { transforms, reference: report.reference, width: reference.width, height: reference.height, report };
}

/** A rectangle of an image, as a new plain image. */
function cropImage(image: Image, rect: CropRect): Image {
  const { x, y, width, height } = rect;
  const cn = image.channels;
  const data = image.data instanceof Uint16Array ? new Uint16Array(width * height * cn) : new Uint8Array(width * height * cn);
  for (let r = 0; r < height; r++) {
    const from = ((y + r) * image.width + x) * cn;
    data.set(image.data.subarray(from, from + width * cn), r * width * cn);
  }
  return { width, height, channels: image.channels, data };
}
