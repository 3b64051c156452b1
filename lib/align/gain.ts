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
   * Side of the square cells whose means are smoothed and compared, in pixels.
   * @default the longer side / 64, rounded up (16 px at 1024 px, 32 at 2048)
   */
  block?: number;
  /**
   * A fit that moves no value of 0..255 by this much or more is snapped to
   * gain 1, offset 0 (the frames' brightness does not differ measurably).
   * @default 0.5
   */
  snap?: number;
  /**
   * A sample at or above this level (0..255 scale) in either image leaves
   * its cell out: a clipped highlight does not keep its local mean when
   * blurred, so it would bias the fit.
   * @default 250
   */
  saturated?: number;
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
 * the fit compares local means: the means of `block` x `block` cells,
 * smoothed by a 5x5-cell binomial window (a smooth window: a blur changes
 * its mean only to second order in blur / window, where a hard block's
 * edges would make it first order), at every window whose cells the frame
 * covers entirely and that holds no `saturated` sample (a few thousand). It fits them by least squares, then
 * twice more without the windows whose residual exceeds 3 robust standard
 * deviations (1.4826 · median absolute residual, at least half a level):
 * an edge that moved, a specular highlight.
 *
 * A fit that would move no value of 0..255 by `snap` or more returns
 * exactly gain 1, offset 0, so that frames whose brightness does not differ
 * cost nothing (measured on a 896x672 frame against itself blurred by a
 * Gaussian of σ = 2.5 px, the raw fit moves values by at most 0.33 levels;
 * σ = 5 px: 1.2 levels). With fewer than 8 windows, or windows of one
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
  const { coverage, block = Math.max(1, Math.ceil(Math.max(W, H) / 64)), snap = 0.5, saturated = 250 } = options;
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
  assertNumber('saturated', saturated, 0);

  // Cell means (and the covered fraction of each cell), then smoothed by a
  // 5x5 binomial window, kept only where the whole window is covered.
  const bw = Math.max(1, Math.floor(W / block)), bh = Math.max(1, Math.floor(H / block));
  const unitR = reference.data instanceof Uint16Array ? 1 / 257 : 1;
  const unitW = warped.data instanceof Uint16Array ? 1 / 257 : 1;
  const clipR = saturated / unitR, clipW = saturated / unitW;
  const cellR = new Float64Array(bw * bh * cn), cellW = new Float64Array(bw * bh * cn), cellCovered = new Float64Array(bw * bh);
  for (let y = 0; y < bh * block && y < H; y++) {
    const by = Math.floor(y / block);
    for (let x = 0; x < bw * block && x < W; x++) {
      const p = y * W + x;
      if (coverage && !coverage[p]) continue;
      const cell = by * bw + Math.floor(x / block);
      cellCovered[cell]++;
      for (let k = 0; k < cn; k++) {
        const r = reference.data[p * cn + k], w = warped.data[p * cn + k];
        if (r >= clipR || w >= clipW) cellCovered[cell] = -Infinity;
        cellR[cell * cn + k] += r;
        cellW[cell * cn + k] += w;
      }
    }
  }
  const full = Math.min(block, W) * Math.min(block, H);
  const xs: number[][] = Array.from({ length: cn }, () => []);
  const ys: number[][] = Array.from({ length: cn }, () => []);
  const taps = [1, 4, 6, 4, 1];
  for (let cy = 2; cy < bh - 2; cy++) {
    for (let cx = 2; cx < bw - 2; cx++) {
      let complete = true;
      for (let j = -2; j <= 2 && complete; j++) for (let i = -2; i <= 2; i++) if (cellCovered[(cy + j) * bw + cx + i] < full) complete = false;
      if (!complete) continue;
      for (let k = 0; k < cn; k++) {
        let r = 0, w = 0;
        for (let j = -2; j <= 2; j++) {
          for (let i = -2; i <= 2; i++) {
            const t = taps[j + 2] * taps[i + 2], cell = ((cy + j) * bw + cx + i) * cn + k;
            r += t * cellR[cell];
            w += t * cellW[cell];
          }
        }
        xs[k].push((w / (256 * full)) * unitW);
        ys[k].push((r / (256 * full)) * unitR);
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

/**
 * Apply a gain and an offset per channel, in place: `v' = gain[c] * v + offset[c]`
 * (a list of one value serves every channel). Gain 1 and offset 0 everywhere
 * leave the image untouched.
 *
 * @param image - Float samples on the 0..255 scale.
 * @param gain - One value per channel, or one for all.
 * @param offset - One value per channel, or one for all, on the 0..255 scale.
 * @returns `image`.
 */
export function applyGainOffset(image: FloatImage, gain: readonly number[], offset: readonly number[]): FloatImage {
  const { channels, data } = image;
  const g = Array.from({ length: channels }, (_, c) => gain[Math.min(c, gain.length - 1)]);
  const o = Array.from({ length: channels }, (_, c) => offset[Math.min(c, offset.length - 1)]);
  if (g.every((v) => v === 1) && o.every((v) => v === 0)) return image;
  for (let i = 0; i < data.length; i += channels) for (let c = 0; c < channels; c++) data[i + c] = g[c] * data[i + c] + o[c];
  return image;
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
