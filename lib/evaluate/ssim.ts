import { invalidParameter } from '../errors.js';
import { maxValue, type Image } from '../image.js';
import { assertPair, emptyRegion, resolveRegion, type RegionOptions } from './region.js';

/** Options of {@link ssim}. */
export type SsimOptions = RegionOptions;

/**
 * The constants of {@link ssim}, those of Wang, Bovik, Sheikh and Simoncelli,
 * "Image quality assessment: from error visibility to structural similarity"
 * (IEEE TIP 2004) and of their reference code `ssim_index.m`.
 */
export const SSIM_CONSTANTS = {
  /** Side of the square window, in pixels. */
  window: 11,
  /** Standard deviation of its Gaussian weights, in pixels. */
  sigma: 1.5,
  /** `C1 = (K1 L)²`, L the peak value. */
  k1: 0.01,
  /** `C2 = (K2 L)²`. */
  k2: 0.03,
} as const;

/** The normalised 1-D Gaussian whose outer product with itself is the SSIM window. */
function gaussian1d(size: number, sigma: number): Float64Array {
  const g = new Float64Array(size);
  const r = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += g[i] = Math.exp(-((i - r) ** 2) / (2 * sigma * sigma));
  for (let i = 0; i < size; i++) g[i] /= sum;
  return g;
}

/**
 * Mean structural similarity (SSIM) of `a` and `b`, the standard one of Wang
 * et al. (2004): an 11x11 Gaussian window of sigma 1.5, K1 = 0.01,
 * K2 = 0.03, L = 255 (65535 for 16-bit images), computed on the image's own
 * samples, no downsampling.
 *
 * - Colour images: SSIM of each channel (R, G, B) on its own, averaged
 *   (not on luma); gray images: the one channel.
 * - The SSIM map is computed at every window wholly inside the measured
 *   rectangle (the image less `border`; MATLAB's `filter2(..., 'valid')`, as
 *   `ssim_index.m` does) and averaged; with a `mask`, only at window centres
 *   the mask selects.
 * - Local variances and covariance are the Gaussian-weighted (biased) ones.
 *
 * @param a - An image (the result, say).
 * @param b - The image to compare with (the truth): same size, channels and bit depth.
 * @param options - The region; see {@link RegionOptions}.
 * @returns The mean SSIM, at most 1 (1 for identical images).
 * @throws TypeError when an argument is not an image or a bad option;
 *   RangeError when the images differ in size, channels or bit depth, when
 *   the measured rectangle is smaller than 11x11, or for a mask that selects
 *   no window centre.
 */
export function ssim(a: Image, b: Image, options: SsimOptions = {}): number {
  assertPair('a', a, 'b', b);
  const { x0, y0, x1, y1, mask } = resolveRegion(a.width, a.height, options);
  const { window: size, sigma, k1, k2 } = SSIM_CONSTANTS;
  if (x1 - x0 < size || y1 - y0 < size) {
    throw invalidParameter('border', `a border that leaves at least ${size}x${size} pixels of ${a.width}x${a.height}`, options.border ?? 0, 'range');
  }
  const peak = maxValue(a);
  const c1 = (k1 * peak) ** 2;
  const c2 = (k2 * peak) ** 2;
  const g = gaussian1d(size, sigma);
  const r = (size - 1) / 2;
  const { width, channels } = a;
  const da = a.data;
  const db = b.data;
  const ow = x1 - x0 - size + 1; // window positions in a row

  // A ring of the last `size` rows filtered horizontally, for the five
  // moments: a, b, a², b², ab. Memory follows the width, not the image.
  const ring = Array.from({ length: 5 }, () => new Float64Array(size * ow));
  const [ra, rb, raa, rbb, rab] = ring;
  let sum = 0;
  let count = 0;
  for (let c = 0; c < channels; c++) {
    for (let y = y0; y < y1; y++) {
      const row = ((y - y0) % size) * ow;
      for (let ox = 0; ox < ow; ox++) {
        let sa = 0;
        let sb = 0;
        let saa = 0;
        let sbb = 0;
        let sab = 0;
        let i = (y * width + x0 + ox) * channels + c;
        for (let k = 0; k < size; k++, i += channels) {
          const va = da[i];
          const vb = db[i];
          const w = g[k];
          sa += w * va;
          sb += w * vb;
          saa += w * va * va;
          sbb += w * vb * vb;
          sab += w * va * vb;
        }
        ra[row + ox] = sa;
        rb[row + ox] = sb;
        raa[row + ox] = saa;
        rbb[row + ox] = sbb;
        rab[row + ox] = sab;
      }
      if (y - y0 < size - 1) continue;
      // The window rows are y - size + 1 .. y; its centre row is y - r.
      const centreRow = (y - r) * width + x0 + r;
      const first = y - y0 - size + 1;
      for (let ox = 0; ox < ow; ox++) {
        if (mask !== undefined && mask[centreRow + ox] === 0) continue;
        let ma = 0;
        let mb = 0;
        let maa = 0;
        let mbb = 0;
        let mab = 0;
        for (let k = 0; k < size; k++) {
          const at = ((first + k) % size) * ow + ox;
          const w = g[k];
          ma += w * ra[at];
          mb += w * rb[at];
          maa += w * raa[at];
          mbb += w * rbb[at];
          mab += w * rab[at];
        }
        const va = maa - ma * ma;
        const vb = mbb - mb * mb;
        const cov = mab - ma * mb;
        sum += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
        count++;
      }
    }
  }
  if (count === 0) throw emptyRegion();
  return sum / count;
}
