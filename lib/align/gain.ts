/**
 * Brightness matching: the gain and offset per channel that make a warped
 * frame's values match the reference's.
 */
import { assertInteger, assertNumber, invalidParameter } from '../errors.js';
import type { FloatImage, Image } from '../image.js';

/** Options of {@link fitGainOffset}. */
export interface FitGainOffsetOptions {
  /**
   * 1 where the warped frame covers the pixel (the `coverage` of
   * `kernels.warpAffine`), 0 elsewhere; `width * height` bytes. Blocks with
   * an uncovered pixel are left out.
   * @default every pixel covered
   */
  coverage?: Uint8Array;
  /**
   * Side of the square blocks whose means are compared, in pixels.
   * @default the longer side / 64, rounded up (16 px at 1024 px, 32 at 2048)
   */
  block?: number;
  /**
   * A fit that moves no value of 0..255 by this much or more is snapped to
   * gain 1, offset 0 (the frames' brightness does not differ measurably).
   * @default 0.5
   */
  snap?: number;
}

/** Gain and offset per channel: `value' = gain[c] * value + offset[c]`, on the 0..255 scale. */
export interface GainOffset {
  /** One per channel. */
  gain: number[];
  /** One per channel, on the 0..255 scale. */
  offset: number[];
}

/**
 * Fit, for each channel, `reference ≈ gain * warped + offset` on the pixels
 * the warped frame covers.
 *
 * Focus differs between the frames of a stack, so single pixels do not
 * match even when the brightness does; but blurring keeps local means. So
 * the fit compares the means of `block` x `block` blocks (a few thousand),
 * by least squares, then twice more without the blocks whose residual
 * exceeds 3 robust standard deviations (1.4826 · median absolute residual,
 * at least half a level): blocks crossed by an edge that moved, specular
 * highlights. A fit that would move no value of 0..255 by `snap` or more
 * returns exactly gain 1, offset 0, so frames whose brightness does not
 * differ cost nothing; with fewer than 8 blocks, or blocks of one
 * brightness, it returns gain 1 and the median difference as offset.
 *
 * @param reference - The reference (8/16-bit, 16-bit divided by 257, or float on the 0..255 scale).
 * @param warped - The frame warped onto the reference's grid with gain 1,
 *   offset 0 (`kernels.warpAffine`); same size and channels.
 * @param options - See {@link FitGainOffsetOptions}.
 * @returns Gain and offset per channel, to apply to the frame.
 * @throws TypeError when the images or the coverage do not match; RangeError for a bad option.
 */
export function fitGainOffset(reference: Image | FloatImage, warped: Image | FloatImage, options: FitGainOffsetOptions = {}): GainOffset {
  const { width: W, height: H, channels: cn } = reference;
  const { coverage, block = Math.max(1, Math.ceil(Math.max(W, H) / 64)), snap = 0.5 } = options;
  for (const [name, img] of [['reference', reference], ['warped', warped]] as const) {
    const ok =
      typeof img === 'object' && img !== null && (img.data instanceof Uint8Array || img.data instanceof Uint16Array || img.data instanceof Float32Array) &&
      Number.isInteger(img.width) && img.width >= 1 && Number.isInteger(img.height) && img.height >= 1 &&
      Number.isInteger(img.channels) && img.channels >= 1 && img.data.length === img.width * img.height * img.channels;
    if (!ok) throw invalidParameter(name, 'an image ({ width, height, channels, data })', img, 'type');
  }
  if (warped.width !== W || warped.height !== H || warped.channels !== cn) {
    throw invalidParameter('warped', `an image of the reference's shape ${W}x${H}x${cn}`, `${warped.width}x${warped.height}x${warped.channels}`, 'type');
  }
  if (coverage !== undefined && !(coverage instanceof Uint8Array && coverage.length === W * H)) {
    throw invalidParameter('coverage', `a Uint8Array of ${W * H} bytes`, coverage, 'type');
  }
  assertInteger('block', block, 1);
  assertNumber('snap', snap, 0);

  // Block means, of covered blocks only.
  const bw = Math.floor(W / block) || 1, bh = Math.floor(H / block) || 1;
  const xs: number[][] = Array.from({ length: cn }, () => []);
  const ys: number[][] = Array.from({ length: cn }, () => []);
  const unitR = reference.data instanceof Uint16Array ? 1 / 257 : 1;
  const unitW = warped.data instanceof Uint16Array ? 1 / 257 : 1;
  const sumR = new Float64Array(cn), sumW = new Float64Array(cn);
  for (let by = 0; by < bh; by++) {
    const y0 = by * block, y1 = Math.min(H, y0 + block);
    for (let bx = 0; bx < bw; bx++) {
      const x0 = bx * block, x1 = Math.min(W, x0 + block);
      sumR.fill(0);
      sumW.fill(0);
      let covered = true;
      for (let y = y0; y < y1 && covered; y++) {
        for (let x = x0; x < x1; x++) {
          const p = y * W + x;
          if (coverage && !coverage[p]) {
            covered = false;
            break;
          }
          for (let k = 0; k < cn; k++) {
            sumR[k] += reference.data[p * cn + k];
            sumW[k] += warped.data[p * cn + k];
          }
        }
      }
      if (!covered) continue;
      const n = (x1 - x0) * (y1 - y0);
      for (let k = 0; k < cn; k++) {
        xs[k].push((sumW[k] / n) * unitW);
        ys[k].push((sumR[k] / n) * unitR);
      }
    }
  }
  const gain: number[] = [], offset: number[] = [];
  for (let k = 0; k < cn; k++) {
    const [g, o] = robustLine(xs[k], ys[k]);
    const moves = Math.max(Math.abs(o), Math.abs(255 * (g - 1) + o));
    gain.push(moves < snap ? 1 : g);
    offset.push(moves < snap ? 0 : o);
  }
  return { gain, offset };
}

/** `y ≈ g x + o` by least squares with outliers trimmed twice; `[1, median(y - x)]` when the data cannot fix a slope. */
function robustLine(xs: number[], ys: number[]): [number, number] {
  let keep = xs.map((_, i) => i);
  let fit: [number, number] | undefined;
  for (let round = 0; round < 3; round++) {
    fit = leastSquares(xs, ys, keep);
    if (!fit) break;
    const [g, o] = fit;
    const residuals = keep.map((i) => Math.abs(ys[i] - (g * xs[i] + o)));
    const limit = Math.max(0.5, 3 * 1.4826 * median(residuals));
    keep = keep.filter((_, j) => residuals[j] <= limit);
  }
  if (fit) return fit;
  const diffs = xs.map((x, i) => ys[i] - x);
  return [1, diffs.length > 0 ? median(diffs) : 0];
}

function leastSquares(xs: number[], ys: number[], keep: number[]): [number, number] | undefined {
  if (keep.length < 8) return undefined;
  let sx = 0, sy = 0;
  for (const i of keep) {
    sx += xs[i];
    sy += ys[i];
  }
  const mx = sx / keep.length, my = sy / keep.length;
  let sxx = 0, sxy = 0;
  for (const i of keep) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  // Blocks of (nearly) one brightness cannot fix a slope.
  if (!(sxx / keep.length > 1)) return undefined;
  const g = sxy / sxx;
  return [g, my - g * mx];
}

function median(values: number[]): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
