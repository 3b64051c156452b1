/**
 * The one function every frame passes through between reading and folding:
 * {@link prepareFrame}. It converts to float32 (and to the run's channel
 * count), aligns (the injected `align`, or the identity with the given
 * transform's gain and offset), and crops.
 */
import { toFloat, type FloatImage, type Image } from '../image.js';
import type { Executor } from '../parallel/executor.js';
import type { FrameRows, RunBuffers } from '../strategies/fold/fold.js';
import { isIdentityAffine } from '../align/affine.js';
import { applyGainOffset } from '../align/gain.js';
import { isSamplesAligner, type SamplesAligner } from './align.js';
import { identityTransform, type AlignFunction, type AlignResult, type CropRect, type Transform } from './options.js';

/** What {@link prepareFrame} needs of the run. */
export interface PrepareContext {
  /** Where kernels run. */
  readonly exec: Executor;
  /** Where buffers come from. */
  readonly buffers: RunBuffers;
  /** Channels of the run (a gray frame in a colour run is made colour). */
  readonly channels: number;
  /** Index of the reference frame. */
  readonly reference: number;
  /** Number of frames. */
  readonly frames: number;
  /** 0 for the first reading, 1 for the second. */
  readonly pass: number;
  /** The transform given (or found in the first reading) for this frame. */
  readonly transform?: Transform;
  /** The transform of the neighbour towards the reference. */
  readonly neighbour?: Transform;
  /** The alignment; the identity when omitted. */
  readonly align?: AlignFunction;
  /** The rectangle to keep. */
  readonly crop?: CropRect;
}

/** A frame ready to fold. */
export interface PreparedFrame {
  /** Float32 samples on the 0..255 scale, a buffer of the run. */
  readonly image: FloatImage;
  /** Where the frame has data (0: none); everywhere if omitted. */
  readonly coverage?: Uint8Array;
  /** How it was brought onto the reference. */
  readonly transform: Transform;
}

/**
 * Prepare a frame: float32, the run's channels, aligned, cropped.
 *
 * @param image - The decoded frame.
 * @param index - Its index in the stack.
 * @param ctx - See {@link PrepareContext}.
 * @returns The prepared frame; its buffers are the run's.
 * @throws RangeError when a given transform needs a warp and no `align`
 *   was given, or the crop does not fit in the frame.
 */
export async function prepareFrame(image: Image, index: number, ctx: PrepareContext): Promise<PreparedFrame> {
  const { exec, buffers, channels } = ctx;
  let float: FloatImage;
  let coverage: Uint8Array | undefined;
  let transform = ctx.transform ?? identityTransform(channels);
  if (ctx.align) {
    const context = {
      reference: ctx.reference,
      frames: ctx.frames,
      pass: ctx.pass,
      exec,
      ...(ctx.transform ? { transform: ctx.transform } : {}),
      ...(ctx.neighbour ? { neighbour: ctx.neighbour } : {}),
    };
    let result: AlignResult;
    if (isSamplesAligner(ctx.align) && image.data instanceof Uint8Array && image.channels === channels) {
      // 8-bit samples straight to the warp: no float copy of a frame that is to be warped (a copy in the run's buffers, so that the warp runs on the threads).
      const samples = buffers.uint8(image.data.length, true);
      samples.set(image.data);
      try {
        result = await ctx.align.samples({ width: image.width, height: image.height, channels: image.channels, data: samples }, index, context);
      } finally {
        buffers.free(samples);
      }
    } else {
      const input = await toRunFloat(image, channels, exec, buffers);
      result = await ctx.align(input, index, context);
      if (result.image.data !== input.data) buffers.free(input.data);
    }
    float = result.image;
    coverage = result.coverage;
    transform = result.transform ?? identityTransform(channels);
  } else {
    float = await toRunFloat(image, channels, exec, buffers);
    if (ctx.transform) applyGivenTransform(float, ctx.transform, index);
  }
  if (ctx.crop) [float, coverage] = cropFrame(float, coverage, ctx.crop, buffers, index);
  return { image: float, ...(coverage ? { coverage } : {}), transform };
}

/** A frame to be read a band of rows at a time ({@link prepareFrameRows}). */
export interface PreparedRows {
  /** Its rows, as {@link prepareFrame} would prepare the whole frame. */
  readonly rows: FrameRows;
  /** How it is brought onto the reference. */
  readonly transform: Transform;
  /** Give back what reading the rows needed (call once they are read). */
  release(): void;
}

/**
 * Prepare a frame to be read a band of rows at a time, when a transform is
 * known (a second reading, or given transforms) and the frame can be read
 * that way: with the default alignment (a {@link SamplesAligner} with
 * `rows`) from 8-bit samples of the run's channel count, or without
 * alignment from samples of the run's channel count; no crop. The rows hold
 * the values {@link prepareFrame} gives, without the whole float frame.
 *
 * @param image - The decoded frame.
 * @param index - Its index in the stack.
 * @param ctx - See {@link PrepareContext}; `transform` is needed.
 * @returns The rows, or undefined when the frame must be prepared whole.
 */
export function prepareFrameRows(image: Image, index: number, ctx: PrepareContext): PreparedRows | undefined {
  const { buffers, channels, transform } = ctx;
  if (!transform || ctx.crop || image.channels !== channels) return undefined;
  if (!ctx.align) {
    // Only the transform's gain and offset (prepareFrame refuses a matrix that moves the frame).
    if (!isIdentityAffine(transform.matrix)) return undefined;
    return { rows: givenRows(image, transform), transform, release: () => undefined };
  }
  if (!isSamplesAligner(ctx.align) || !ctx.align.rows || !(image.data instanceof Uint8Array)) return undefined;
  // The samples in the run's buffers, so that the warp runs on the threads.
  const samples = buffers.uint8(image.data.length, true);
  samples.set(image.data);
  const context = { reference: ctx.reference, frames: ctx.frames, pass: ctx.pass, exec: ctx.exec, transform, ...(ctx.neighbour ? { neighbour: ctx.neighbour } : {}) };
  const rows = ctx.align.rows({ width: image.width, height: image.height, channels: image.channels, data: samples }, index, context);
  if (!rows) {
    buffers.free(samples);
    return undefined;
  }
  return { rows, transform, release: () => buffers.free(samples) };
}

/** The rows of an unaligned frame of the run's channel count, with a transform's gain and offset. */
function givenRows(image: Image, transform: Transform): FrameRows {
  const { width, height, channels } = image;
  const rowLength = width * channels;
  return {
    width,
    height,
    channels,
    covered: false,
    read: async (y0, y1, out) => {
      const band = toFloat({ width, height: y1 - y0, channels, data: image.data.subarray(y0 * rowLength, y1 * rowLength) }, out);
      applyGainOffset(band, transform.gain, transform.offset);
    },
  };
}

/** 8/16-bit samples to float32 on the 0..255 scale, gray made colour when the run is. */
async function toRunFloat(image: Image, channels: number, exec: Executor, buffers: RunBuffers): Promise<FloatImage> {
  const { width, height, data } = image;
  const out = buffers.float32(width * height * channels);
  if (image.channels === channels) return exec.toFloat(image, out);
  const f = data instanceof Uint16Array ? 1 / 257 : 1;
  for (let p = 0, i = 0; p < data.length; p++) {
    const v = data[p] * f;
    out[i++] = v;
    out[i++] = v;
    out[i++] = v;
  }
  return { width, height, channels, data: out };
}

/** A given transform without alignment: only its gain and offset, in place. */
function applyGivenTransform(image: FloatImage, transform: Transform, index: number): void {
  if (!isIdentityAffine(transform.matrix)) {
    throw new RangeError(`transforms[${index}] moves the frame (its matrix is not the identity); warping it needs an align function (options.align)`);
  }
  applyGainOffset(image, transform.gain, transform.offset);
}

function cropFrame(image: FloatImage, coverage: Uint8Array | undefined, crop: CropRect, buffers: RunBuffers, index: number): [FloatImage, Uint8Array | undefined] {
  const { x, y, width, height } = crop;
  if (x + width > image.width || y + height > image.height) {
    throw new RangeError(`crop ${width}x${height} at (${x}, ${y}) does not fit in frame ${index} (${image.width}x${image.height})`);
  }
  const cn = image.channels;
  const data = buffers.float32(width * height * cn);
  const cov = coverage ? buffers.uint8(width * height) : undefined;
  for (let r = 0; r < height; r++) {
    const from = ((y + r) * image.width + x) * cn;
    data.set(image.data.subarray(from, from + width * cn), r * width * cn);
    if (cov && coverage) cov.set(coverage.subarray((y + r) * image.width + x, (y + r) * image.width + x + width), r * width);
  }
  buffers.free(image.data, coverage);
  return [{ width, height, channels: cn, data }, cov];
}
