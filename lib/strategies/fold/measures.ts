/**
 * Focus measures of the N-frame methods, and the adapter that turns a
 * user's function of a float image into one. (A measure written with the
 * OpenCV.js wrappers goes through `matMeasure`, in matMeasure.ts.)
 */
import { assertOdd, assertNumber, invalidParameter } from '../../errors.js';
import type { FloatImage } from '../../image.js';
import { Stencil } from '../../kernels/activity.js';
import { squaredSum, windowSumsInPlace, windowSumsScratch } from '../../kernels/fold.js';
import type { FocusMeasure } from './fold.js';

/**
 * The seed's measure (docs/DIFFERENCES.md 1.1, 1.2): second-difference activity summed over
 * channels, box-summed over `k x k`.
 *
 * @param k - Odd window size, 1 to 99.
 * @returns The measure.
 * @throws RangeError for a bad size.
 */
export function activityFocusMeasure(k = 3): FocusMeasure {
  assertOdd('smoothKernel', k, 1, 99);
  return {
    name: `activity/${k}`,
    compute: (image, { exec, buffers }) => exec.boxedActivity(image, 'all', Stencil.SECOND_DIFFERENCE, k, buffers.float32(image.width * image.height)),
  };
}

/**
 * Local energy of a band: the sum of squared samples over channels,
 * box-summed over `k x k` (the pyramid method's measure).
 *
 * @param k - Odd window size, 1 to 99.
 * @returns The measure.
 * @throws RangeError for a bad size.
 */
export function energyFocusMeasure(k = 5): FocusMeasure {
  assertOdd('k', k, 1, 99);
  return {
    name: `energy/${k}`,
    compute: async (image, { exec, buffers }) => {
      const n = image.width * image.height;
      const plane = squaredSum(image, buffers.float32(n));
      if (k === 1) return plane;
      const out = buffers.float32(n);
      await exec.boxSum(plane, image.width, image.height, k, out);
      buffers.free(plane);
      return out;
    },
  };
}

/** Options of {@link smlFocusMeasure}. */
export interface SmlOptions {
  /**
   * Window of the local term, an odd integer from 1 to 99.
   * @default 9
   */
  window?: number;
  /**
   * Window of the wide term, an odd integer from 1 to 255 (larger than `window`).
   * @default 61
   */
  wide?: number;
  /**
   * Weight of the wide term (0 to leave it out), relative to the local one
   * once both are scaled to the local window's area.
   * @default 0.01
   */
  wideWeight?: number;
}

/** Defaults of {@link SmlOptions}. */
export const DEFAULT_SML_OPTIONS: Required<SmlOptions> = Object.freeze({ window: 9, wide: 61, wideWeight: 0.01 });

/**
 * Sum-modified-Laplacian: the modified Laplacian
 * `|2I - I(x-1) - I(x+1)| + |2I - I(y-1) - I(y+1)|` (summed over channels)
 * box-summed over `window x window`, plus a much wider term: the same
 * summed over `wide x wide`, scaled to the local window's area and weighted
 * by `wideWeight`. In wide flat areas next to a strong edge the local term
 * has nothing to measure and rewards the blur a defocused frame spreads
 * from the edge; the wide term, small elsewhere, decides there.
 *
 * @param options - See {@link SmlOptions}.
 * @returns The measure.
 * @throws RangeError for a bad option.
 */
export function smlFocusMeasure(options: SmlOptions = {}): FocusMeasure {
  const { window, wide, wideWeight } = { ...DEFAULT_SML_OPTIONS, ...options };
  assertOdd('window', window, 1, 99);
  assertOdd('wide', wide, 1, 255);
  assertNumber('wideWeight', wideWeight, 0, 1e6);
  const scale = (wideWeight * window * window) / (wide * wide);
  return {
    name: `sml/${window}+${wideWeight}*${wide}`,
    compute: async (image, { exec, buffers }) => {
      const { width, height } = image;
      const plane = await exec.activity(image, 'all', Stencil.SECOND_DIFFERENCE, buffers.float32(width * height));
      // Both box sums streamed over rows, in place: one plane for the whole measure.
      const scratch = buffers.float32(windowSumsScratch(width, window, wide));
      windowSumsInPlace(plane, width, height, window, wide, wideWeight > 0 ? scale : 0, scratch);
      buffers.free(scratch);
      return plane;
    },
  };
}

/**
 * A focus measure from a function of a float image (samples on the 0..255
 * scale, interleaved channels), e.g. one written with plain loops.
 *
 * @param fn - Returns one value per pixel, larger where sharper; the array
 *   becomes the engine's (it may be a fresh one).
 * @param name - A name for reports.
 * @returns The measure.
 * @throws TypeError when `fn` is not a function; the measure throws a
 *   TypeError when `fn` returns the wrong length.
 */
export function floatMeasure(fn: (image: FloatImage) => Float32Array | Promise<Float32Array>, name = 'custom'): FocusMeasure {
  if (typeof fn !== 'function') throw invalidParameter('measure', 'a function (image) => Float32Array', fn, 'type');
  return {
    name,
    compute: async (image) => checkMeasure(await fn(image), image),
  };
}

/**
 * Check what a user's measure returned.
 *
 * @param values - The result.
 * @param image - The image it measured.
 * @returns `values`.
 * @throws TypeError when it is not a Float32Array of one value per pixel.
 */
export function checkMeasure(values: unknown, image: FloatImage): Float32Array {
  const n = image.width * image.height;
  if (!(values instanceof Float32Array) || values.length !== n) {
    throw invalidParameter('measure result', `a Float32Array of ${n} values (${image.width}x${image.height})`, values, 'type');
  }
  return values;
}
