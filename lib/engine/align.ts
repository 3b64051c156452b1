/**
 * The engine's default alignment ({@link defaultAligner}): each frame is
 * brought onto the reference frame's pixel grid by a full affine transform
 * and matched in brightness by a gain and an offset per channel.
 *
 * Frames are read outward from the reference (r, r+1, ..., N-1, r-1, ..., 0),
 * so each frame is estimated against its neighbour towards the reference,
 * whose gray 1024 px thumbnail is still at hand, starting from the step the
 * neighbour took; the step is composed with the neighbour's matrix into the
 * frame's matrix relative to the reference. Only small images are kept
 * between frames: the reference's thumbnail and a colour copy of it reduced
 * to about 1024 px (for the brightness fit), and the previous frame's
 * thumbnail. The warp runs at full resolution on the executor's threads.
 */
import { composeAffine, IDENTITY_AFFINE, isIdentityAffine, type Affine } from '../align/affine.js';
import { estimateTransform, type EstimateTransformOptions } from '../align/estimate.js';
import { applyGainOffset, fitGainOffset } from '../align/gain.js';
import { identityTransform } from '../align/transforms.js';
import { alignThumbnail, type Thumbnail } from '../align/thumbnail.js';
import { loadOpenCV } from '../cv/runtime.js';
import { toFloat, type FloatImage, type Image } from '../image.js';
import { COVERAGE_EPSILON, type WarpBand } from '../kernels/warp.js';
import type { FrameRows } from '../strategies/fold/fold.js';
import type { AlignContext, AlignFunction, AlignResult, CropRect, Transform } from './options.js';

/** Longest side of the thumbnails alignment is estimated on. */
export const ALIGN_THUMBNAIL_SIZE = 1024;

/** Longest side (about) of the reduced colour copies the brightness fit compares. */
export const COLOUR_MATCH_SIZE = 1024;

/** Frames whose shorter side is below this many pixels are not aligned (too small to estimate a transform from). */
export const MIN_ALIGN_SIZE = 32;

/** Options of {@link defaultAligner}. */
export interface DefaultAlignerOptions {
  /**
   * Fit a gain and an offset per channel of each warped frame to the reference.
   * @default true
   */
  colourMatch?: boolean;
  /** The name of a frame in warnings (its file, or `frame i`). @default `frame ${index}` */
  name?: (index: number) => string;
  /** Called with a warning when the estimate of a frame fell back to a translation or the identity. */
  onWarning?: (message: string) => void;
  /** Options of {@link estimateTransform} (except `init` and `name`). */
  estimate?: Omit<EstimateTransformOptions, 'init' | 'name'>;
}

/** One value per channel, from a list of 1 or 3. */
const perChannel = (values: readonly number[], channels: number) => Array.from({ length: channels }, (_, c) => values[Math.min(c, values.length - 1)]);

/**
 * The default alignment, for one run (it keeps the thumbnails of the
 * reference and of the last frame between calls: make a new one per run).
 *
 * For each frame: with `context.transform` (given, or found in the first
 * reading) it only warps, with that transform's gain and offset. Otherwise
 * the reference (read first) is kept as thumbnails and returned as it is;
 * another frame is estimated against its neighbour towards the reference
 * ({@link estimateTransform}, started from the neighbour's step), warped at
 * full resolution (`exec.warpAffine`: bilinear, edge values replicated where
 * the frame does not reach, with a coverage mask), and, unless
 * `colourMatch` is false, given the gain and offset per channel that
 * {@link fitGainOffset} finds between reduced copies of it and of the
 * reference (a fit that moves no value by half a level snaps to the
 * identity, and nothing more is done). Frames smaller than
 * {@link MIN_ALIGN_SIZE} on a side are left as they are. Loads OpenCV.js
 * when it first estimates.
 *
 * @param options - See {@link DefaultAlignerOptions}.
 * @returns An {@link AlignFunction} for one run.
 */
export function defaultAligner(options: DefaultAlignerOptions = {}): SamplesAligner {
  const { colourMatch = true, name = (i: number) => `frame ${i}`, onWarning, estimate = {} } = options;
  let reference: Thumbnail | undefined;
  let referenceSmall: FloatImage | undefined;
  /** The last frame estimated: its index, thumbnail, and step from its neighbour. */
  let last: { index: number; thumbnail: Thumbnail; step: Affine } | undefined;
  // Arrays reused from frame to frame (a run's frames have one size), so that each frame leaves no garbage of
  // this size behind: the thumbnail not held by `last`, and the reduced copy and coverage of the colour match.
  let spareThumbnail: Float32Array | undefined;
  const reduced: { data?: Float32Array; coverage?: Uint8Array } = {};

  /** The frame as float32 (0..255): itself, or its 8-bit samples converted into the run's buffers. */
  const asFloat = async (image: FloatImage | Image, context: AlignContext): Promise<FloatImage> => {
    if (image.data instanceof Float32Array) return image as FloatImage;
    const { exec } = context;
    return exec.toFloat(image as Image, exec.pool.float32(image.data.length));
  };

  const align = async (image: FloatImage | Image, index: number, context: AlignContext): Promise<AlignResult> => {
    const { channels } = image;
    if (context.transform) return warp(image, context.transform, context, asFloat);
    if (index === context.reference) {
      const float = await asFloat(image, context);
      reference = alignThumbnail(float, ALIGN_THUMBNAIL_SIZE);
      referenceSmall = colourMatch ? reduce(float, undefined)[0] : undefined;
      last = undefined;
      return { image: float, transform: identityTransform(channels) };
    }
    if (Math.min(image.width, image.height) < MIN_ALIGN_SIZE) return { image: await asFloat(image, context), transform: identityTransform(channels) };
    if (!reference) throw new Error(`the reference frame ${context.reference} must be aligned before frame ${index}`);
    const towards = index > context.reference ? index - 1 : index + 1;
    const neighbourThumb = towards === context.reference ? reference : last?.index === towards ? last.thumbnail : undefined;
    if (!neighbourThumb) throw new Error(`frame ${towards} must be aligned before frame ${index}`);
    const neighbourMatrix = context.neighbour?.matrix ?? IDENTITY_AFFINE;
    const previousStep = towards !== context.reference && last?.index === towards ? last.step : undefined;
    const thumbnail = alignThumbnail(image, ALIGN_THUMBNAIL_SIZE, spareThumbnail);
    await loadOpenCV();
    const found = estimateTransform(neighbourThumb, thumbnail, { ...estimate, ...(previousStep ? { init: previousStep } : {}), name: name(index) });
    if (found.warning) onWarning?.(found.warning);
    spareThumbnail = last && last.thumbnail.data !== thumbnail.data ? last.thumbnail.data : undefined;
    last = { index, thumbnail, step: found.matrix };
    const matrix = composeAffine(found.matrix, neighbourMatrix);
    const ones = perChannel([1], channels), zeros = perChannel([0], channels);
    const warped = await warp(image, { matrix, gain: ones, offset: zeros, correlation: found.correlation }, context, asFloat);
    if (!colourMatch || !referenceSmall) return warped;
    const [small, coverage] = reduce(warped.image, warped.coverage, reduced);
    const { gain, offset } = fitGainOffset(referenceSmall, small, coverage ? { coverage } : {});
    const transform = { matrix, gain, offset, correlation: found.correlation };
    applyGainOffset(warped.image, gain, offset);
    return { ...warped, transform };
  };
  const rows = (image: Image, _index: number, context: AlignContext): FrameRows | undefined => (context.transform ? warpRows(image, context.transform, context) : undefined);
  return Object.assign((image: FloatImage, index: number, context: AlignContext) => align(image, index, context), { samples: align, rows });
}

/**
 * An {@link AlignFunction} that can also take a frame's 8-bit samples (in
 * the run's buffers) instead of a float copy, and warp straight from them:
 * the default aligner is one, so that a frame to be warped is never held as
 * float32 twice. The results are the same as from the float copy.
 */
export interface SamplesAligner extends AlignFunction {
  /** Align a frame given as 8-bit samples of the run's channel count; returns float32, as the function itself. */
  samples(image: Image, index: number, context: AlignContext): Promise<AlignResult>;
  /**
   * With `context.transform` (a frame read again, or given transforms): the
   * frame's rows as `samples` would align them, warped a band at a time when
   * read, from its 8-bit samples (in the run's buffers, held by the caller
   * until the rows are read); undefined without a transform.
   */
  rows?(image: Image, index: number, context: AlignContext): FrameRows | undefined;
}

/**
 * Whether an align function can take 8-bit samples ({@link SamplesAligner}).
 *
 * @param align - An align function.
 * @returns Whether it has `samples`.
 */
export function isSamplesAligner(align: AlignFunction): align is SamplesAligner {
  return typeof (align as Partial<SamplesAligner>).samples === 'function';
}

/** Warp a frame with a transform (nothing to do for the identity matrix but the gain and offset). */
async function warp(
  image: FloatImage | Image,
  transform: Transform,
  context: AlignContext,
  asFloat: (image: FloatImage | Image, context: AlignContext) => Promise<FloatImage>,
): Promise<AlignResult & { transform: Transform }> {
  const { exec } = context;
  const { width, height, channels } = image;
  if (isIdentityAffine(transform.matrix)) {
    const float = await asFloat(image, context);
    applyGainOffset(float, transform.gain, transform.offset);
    return { image: float, transform };
  }
  const out: FloatImage = { width, height, channels, data: exec.pool.float32(width * height * channels) };
  const coverage = exec.pool.uint8(width * height);
  try {
    // Gain and offset after the warp, as when they are found (so that a second reading or a loaded transform gives the same values).
    await exec.warpAffine(image, transform.matrix, perChannel([1], channels), perChannel([0], channels), out, coverage);
  } catch (error) {
    exec.pool.release(out.data, coverage);
    throw error;
  }
  applyGainOffset(out, transform.gain, transform.offset);
  return { image: out, coverage, transform };
}

/**
 * The rows of a frame warped with a transform, as {@link warp} makes the
 * whole frame: the same values, a band at a time (`exec.warpAffine` on a
 * {@link WarpBand}, then the gain and offset).
 */
function warpRows(image: Image, transform: Transform, context: AlignContext): FrameRows {
  const { exec } = context;
  const { width, height, channels } = image;
  const identity = isIdentityAffine(transform.matrix);
  const rowLength = width * channels;
  return {
    width,
    height,
    channels,
    covered: !identity,
    async read(y0, y1, out, coverage) {
      const band = { width, height: y1 - y0, channels, data: out };
      if (identity) toFloat({ width, height: y1 - y0, channels: image.channels, data: image.data.subarray(y0 * rowLength, y1 * rowLength) }, out);
      else {
        const rows: WarpBand = { ...band, top: y0 };
        await exec.warpAffine(image, transform.matrix, perChannel([1], channels), perChannel([0], channels), rows, coverage);
      }
      applyGainOffset(band, transform.gain, transform.offset);
    },
  };
}

/**
 * A copy reduced by an integer factor (about {@link COLOUR_MATCH_SIZE} px
 * on the longest side) by box means, and the coverage reduced with it (a
 * cell is covered when all its pixels are). Plain arrays (small): those of
 * `into` when they have the size, else new ones (left in `into`).
 */
function reduce(image: FloatImage, coverage: Uint8Array | undefined, into: { data?: Float32Array; coverage?: Uint8Array } = {}): [FloatImage, Uint8Array | undefined] {
  const { width: W, height: H, channels: cn, data } = image;
  const f = Math.max(1, Math.ceil(Math.max(W, H) / COLOUR_MATCH_SIZE));
  const w = Math.max(1, Math.floor(W / f)), h = Math.max(1, Math.floor(H / f));
  if (into.data?.length !== w * h * cn) into.data = new Float32Array(w * h * cn);
  const out = into.data.fill(0);
  if (coverage && into.coverage?.length !== w * h) into.coverage = new Uint8Array(w * h);
  const cov = coverage ? into.coverage!.fill(1) : undefined;
  const norm = 1 / (Math.min(f, W) * Math.min(f, H));
  for (let y = 0; y < Math.min(h * f, H); y++) {
    const row = Math.floor(y / f) * w;
    for (let x = 0; x < Math.min(w * f, W); x++) {
      const cell = row + Math.floor(x / f);
      const p = y * W + x;
      if (cov && coverage && !coverage[p]) cov[cell] = 0;
      for (let c = 0; c < cn; c++) out[cell * cn + c] += data[p * cn + c] * norm;
    }
  }
  return [{ width: w, height: h, channels: cn, data: out }, cov];
}

/**
 * The largest axis-aligned rectangle of the reference's grid that every
 * frame covers once warped: each frame covers the points whose image by its
 * matrix falls in `[0, W-1] x [0, H-1]` (as the warp's coverage, up to
 * `COVERAGE_EPSILON`), a parallelogram; their intersection with the image
 * is a convex polygon. For rows y0..y1 the columns inside the polygon on
 * every row are those inside on rows y0 and y1 (the left edge is a convex
 * function of y, the right one concave), so every pair of rows is tried.
 *
 * @param matrices - Each frame's matrix (reference grid to frame).
 * @param width - Width of the frames (and of the reference grid).
 * @param height - Height.
 * @returns The rectangle, or undefined when the frames share no pixel.
 */
export function commonArea(matrices: readonly Affine[], width: number, height: number): CropRect | undefined {
  // Per row, the columns inside every frame: [left, right] as integers.
  const left = new Float64Array(height), right = new Float64Array(height);
  const lo = -COVERAGE_EPSILON;
  for (let y = 0; y < height; y++) {
    let l = 0, r = width - 1;
    for (const m of matrices) {
      for (const [k, max] of [[0, width - 1], [1, height - 1]] as const) {
        // 0 - eps <= a*x + b*y + c <= max + eps, a linear condition on x for this row.
        const a = m[k][0], s = m[k][1] * y + m[k][2];
        if (Math.abs(a) < 1e-12) {
          if (s < lo || s > max - lo) l = Infinity;
          continue;
        }
        const x1 = (lo - s) / a, x2 = (max - lo - s) / a;
        l = Math.max(l, Math.min(x1, x2));
        r = Math.min(r, Math.max(x1, x2));
      }
    }
    left[y] = Math.ceil(l - 1e-9);
    right[y] = Math.floor(r + 1e-9);
  }
  let best: CropRect | undefined;
  let bestArea = 0;
  for (let y0 = 0; y0 < height; y0++) {
    if (right[y0] < left[y0]) continue;
    // Beyond y1 the extent only shrinks until the polygon ends: stop at the first empty row.
    for (let y1 = y0; y1 < height; y1++) {
      const l = Math.max(left[y0], left[y1]), r = Math.min(right[y0], right[y1]);
      if (r < l) {
        if (right[y1] < left[y1]) break;
        continue;
      }
      const area = (r - l + 1) * (y1 - y0 + 1);
      if (area > bestArea) {
        bestArea = area;
        best = { x: l, y: y0, width: r - l + 1, height: y1 - y0 + 1 };
      }
    }
  }
  return best;
}
