import { maxValue, type Image } from '../image.js';
import { assertPair, emptyRegion, resolveRegion, type RegionOptions } from './region.js';

/** Options of {@link psnr}. */
export type PsnrOptions = RegionOptions;

/**
 * Peak signal-to-noise ratio of `a` against `b`, in dB:
 * `10 log10(peak² / MSE)`, where the mean squared error runs over every
 * sample (all channels) of the measured region and `peak` is 255 for 8-bit
 * images, 65535 for 16-bit ones (so an image and its 16-bit copy score alike).
 *
 * @param a - An image (the result, say).
 * @param b - The image to compare with (the truth): same size, channels and bit depth.
 * @param options - The region; see {@link RegionOptions}.
 * @returns The PSNR in dB; `Infinity` when the samples are all equal.
 * @throws TypeError when an argument is not an image or a bad option;
 *   RangeError when the images differ in size, channels or bit depth, for a
 *   border too wide, or a mask that selects no pixel.
 */
export function psnr(a: Image, b: Image, options: PsnrOptions = {}): number {
  const mse = meanSquaredError(a, b, options);
  const peak = maxValue(a);
  return mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
}

/**
 * Mean squared difference of the samples of `a` and `b` in the measured
 * region, on the images' own scale (0..255 or 0..65535).
 *
 * @param a - An image.
 * @param b - The image to compare with: same size, channels and bit depth.
 * @param options - The region; see {@link RegionOptions}.
 * @returns The mean squared error.
 * @throws As {@link psnr}.
 */
export function meanSquaredError(a: Image, b: Image, options: RegionOptions = {}): number {
  assertPair('a', a, 'b', b);
  const { x0, y0, x1, y1, mask } = resolveRegion(a.width, a.height, options);
  const { width, channels } = a;
  const da = a.data;
  const db = b.data;
  let sum = 0;
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (mask !== undefined && mask[y * width + x] === 0) continue;
      const i = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) {
        const d = da[i + c] - db[i + c];
        sum += d * d;
      }
      count += channels;
    }
  }
  if (count === 0) throw emptyRegion();
  return sum / count;
}
