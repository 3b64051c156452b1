import { assertNumber } from '../errors.js';
import { maxValue, type Image } from '../image.js';
import { assertPair, emptyRegion, resolveRegion, type RegionOptions } from './region.js';

/** Options of {@link shareOff}. */
export interface ShareOffOptions extends RegionOptions {
  /**
   * A sample counts as off when it differs by more than this many levels, on
   * the 0..255 scale: for 16-bit images the threshold is `levels * 257`.
   * A number of at least 0.
   * @default 2
   */
  levels?: number;
}

/**
 * The share of samples (all channels) of `a` that differ from `b` by more
 * than `levels` levels, in the measured region.
 *
 * @param a - An image (the result, say).
 * @param b - The image to compare with (the truth): same size, channels and bit depth.
 * @param options - See {@link ShareOffOptions}.
 * @returns A share from 0 (none off) to 1 (all off).
 * @throws TypeError when an argument is not an image or a bad option;
 *   RangeError when the images differ in size, channels or bit depth, for a
 *   negative `levels`, a border too wide, or a mask that selects no pixel.
 */
export function shareOff(a: Image, b: Image, options: ShareOffOptions = {}): number {
  const { levels = 2 } = options;
  assertPair('a', a, 'b', b);
  assertNumber('levels', levels, 0);
  const { x0, y0, x1, y1, mask } = resolveRegion(a.width, a.height, options);
  const threshold = maxValue(a) === 255 ? levels : levels * 257;
  const { width, channels } = a;
  const da = a.data;
  const db = b.data;
  let off = 0;
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (mask !== undefined && mask[y * width + x] === 0) continue;
      const i = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) if (Math.abs(da[i + c] - db[i + c]) > threshold) off++;
      count += channels;
    }
  }
  if (count === 0) throw emptyRegion();
  return off / count;
}
