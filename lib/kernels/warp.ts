/**
 * Warping a frame onto the reference's grid: an affine inverse map with
 * bilinear interpolation, a gain and an offset per channel, and a mask of
 * the pixels the frame covers.
 */
import type { Affine } from '../align/affine.js';
import type { FloatImage, Image } from '../image.js';

/** How far outside the frame's outermost pixel centres a point may fall and still count as covered, in pixels. */
export const COVERAGE_EPSILON = 1e-3;

/** Rows `top .. top + height - 1` of a warp's output grid, as {@link warpAffine} writes them. */
export interface WarpBand extends FloatImage {
  /** The grid row of the band's first row. */
  readonly top: number;
}

/**
 * `out(x, y) = gain[c] * frame(a*x + b*y + c, d*x + e*y + f) + offset[c]`
 * for every channel c, with `matrix = [[a, b, c], [d, e, f]]` mapping the
 * output's pixel coordinates to the frame's (pixel centres at integers): as
 * OpenCV's `warpAffine(src, dst, matrix, dsize, WARP_INVERSE_MAP | INTER_LINEAR,
 * BORDER_REPLICATE)` followed by `value * gain + offset`, but with exact
 * (not 1/32-pixel fixed-point) bilinear weights.
 *
 * Border rule: a point outside the frame takes the value of the nearest edge
 * (each of the four neighbours is clamped into the frame, BORDER_REPLICATE),
 * and is marked 0 in `coverage`; a point within `[0, W-1] x [0, H-1]` (up to
 * {@link COVERAGE_EPSILON}) is marked 1. So the engine can crop to what every
 * frame covers.
 *
 * The kernel trusts its arguments: `gain` and `offset` hold one value per
 * channel, `out` has the frame's channel count, and `coverage` (if given)
 * `out.width * out.height` bytes.
 *
 * `out` may be a band of the output grid ({@link WarpBand}): rows `top` to
 * `top + out.height - 1` of it, with the same values as those rows of a
 * whole output (so that a frame can be warped a band at a time).
 *
 * @param src - The frame: 8/16-bit samples (16-bit divided by 257 first) or float on the 0..255 scale.
 * @param matrix - Output pixel to frame point.
 * @param gain - Per channel.
 * @param offset - Per channel, on the 0..255 scale.
 * @param out - Where to write; any size (the output grid), or a band of it ({@link WarpBand}).
 * @param coverage - 1 where the frame covers the output pixel, 0 elsewhere (`out`'s pixels); skipped if undefined.
 * @param start - First row of `out` (for splitting the work between threads).
 * @param end - Row after the last.
 * @returns `out`.
 */
export function warpAffine(
  src: FloatImage | Image,
  matrix: Affine,
  gain: readonly number[],
  offset: readonly number[],
  out: FloatImage | WarpBand,
  coverage?: Uint8Array,
  start = 0,
  end = out.height,
): FloatImage {
  const top = typeof (out as Partial<WarpBand>).top === 'number' ? (out as WarpBand).top : 0;
  const { width: W, height: H, channels: cn, data } = src;
  const [[a, b, c], [d, e, f]] = matrix;
  const unit = data instanceof Uint16Array ? 1 / 257 : 1;
  const g = gain.map((v) => v * unit);
  const o = out.data;
  const w = out.width;
  const xMax = W - 1, yMax = H - 1;
  const lo = -COVERAGE_EPSILON, hiX = xMax + COVERAGE_EPSILON, hiY = yMax + COVERAGE_EPSILON;
  for (let j = start; j < end; j++) {
    const y = top + j;
    let sx = b * y + c;
    let sy = e * y + f;
    for (let x = 0, p = j * w; x < w; x++, p++, sx += a, sy += d) {
      // Recomputed every 64 pixels, so the running sums do not drift.
      if ((x & 63) === 0) {
        sx = a * x + b * y + c;
        sy = d * x + e * y + f;
      }
      if (coverage) coverage[p] = sx >= lo && sx <= hiX && sy >= lo && sy <= hiY ? 1 : 0;
      let x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      let x1 = x0 + 1, y1 = y0 + 1;
      if (x0 < 0 || x1 > xMax || y0 < 0 || y1 > yMax) {
        x0 = x0 < 0 ? 0 : x0 > xMax ? xMax : x0;
        x1 = x1 < 0 ? 0 : x1 > xMax ? xMax : x1;
        y0 = y0 < 0 ? 0 : y0 > yMax ? yMax : y0;
        y1 = y1 < 0 ? 0 : y1 > yMax ? yMax : y1;
      }
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      const i00 = (y0 * W + x0) * cn, i01 = (y0 * W + x1) * cn, i10 = (y1 * W + x0) * cn, i11 = (y1 * W + x1) * cn;
      const q = p * cn;
      for (let k = 0; k < cn; k++) {
        o[q + k] = g[k] * (w00 * data[i00 + k] + w01 * data[i01 + k] + w10 * data[i10 + k] + w11 * data[i11 + k]) + offset[k];
      }
    }
  }
  return out;
}
