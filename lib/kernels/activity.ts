/**
 * Focus measures as fused typed-array loops: one pass over the image where
 * OpenCV.js would need a filter2D, absdiff and add per channel and kernel
 * (measured: 0.25 s against 0.7 s for a 12 MP colour image).
 * test/kernels/activity.test.ts compares them with the same computation made
 * of OpenCV.js calls.
 */
import type { FloatImage } from '../image.js';
import { reflect101 } from './border.js';

/** Which channels a measure sums: one channel index, or all of them. */
export type ChannelSelection = number | 'all';

/** The activity stencils. */
export const Stencil = {
  /** `|X*h| + |X*h^T|`, `h = [-1, 2, -1]` (DIFFERENCES.md 1.1). */
  SECOND_DIFFERENCE: 'second-difference',
  /** `|X * [[0,1,0],[1,-4,1],[0,1,0]]|` (DIFFERENCES.md 1.3). */
  LAPLACE: 'laplace',
} as const;
export type Stencil = (typeof Stencil)[keyof typeof Stencil];

/**
 * Offsets of the previous and next neighbours of every coordinate, in
 * samples, under BORDER_REFLECT_101.
 */
function neighbourOffsets(len: number, stride: number): [Int32Array, Int32Array] {
  const before = new Int32Array(len);
  const after = new Int32Array(len);
  for (let i = 0; i < len; i++) {
    before[i] = (reflect101(i - 1, len) - i) * stride;
    after[i] = (reflect101(i + 1, len) - i) * stride;
  }
  return [before, after];
}

/**
 * A stencil's response per pixel, summed over the selected channels:
 * `second-difference` is the activity of DIFFERENCES.md 1.1, `|X*h| + |X*h^T|` with
 * `h = [-1, 2, -1]`; `laplace` is `|X * [[0,1,0],[1,-4,1],[0,1,0]]|` (DIFFERENCES.md 1.3
 * with fix B4). Both with BORDER_REFLECT_101.
 *
 * @param src - The image.
 * @param channels - A channel index, or `'all'`.
 * @param stencil - Which response.
 * @param out - Where to write (`width * height` values); a new array if omitted.
 * @param y0 - First row to compute (for splitting the work between threads).
 * @param y1 - Row after the last one to compute.
 * @returns One float32 value per pixel (`out` if given).
 */
export function activity(src: FloatImage, channels: ChannelSelection, stencil: Stencil, out?: Float32Array, y0 = 0, y1 = src.height): Float32Array {
  return activityRows(src, channels, stencil, 1, out ?? new Float32Array(src.width * src.height), y0, y1);
}

/**
 * {@link activity} with each row then summed over a k-wide window
 * ({@link boxSumRows}), in one pass while the row is in cache: the first
 * half of a box-summed focus measure.
 *
 * @param src - The image.
 * @param channels - A channel index, or `'all'`.
 * @param stencil - Which response.
 * @param k - Odd window width; 1 for the plain response.
 * @param out - Where to write (`width * height` values).
 * @param y0 - First row (for splitting the work between threads).
 * @param y1 - Row after the last.
 * @returns `out`.
 */
export function activityRows(src: FloatImage, channels: ChannelSelection, stencil: Stencil, k: number, out: Float32Array, y0 = 0, y1 = src.height): Float32Array {
  const { width: w, height: h, channels: cn, data: s } = src;
  const [left, right] = neighbourOffsets(w, cn);
  const [up, down] = neighbourOffsets(h, w * cn);
  const c0 = channels === 'all' ? 0 : channels;
  const count = channels === 'all' ? cn : 1;
  const laplace = stencil === Stencil.LAPLACE;
  const padded = new Float32Array(w + k);
  for (let y = y0; y < y1; y++) {
    const u = up[y], dn = down[y];
    // Separate loops for each case keep the hot loop free of branches.
    if (!laplace && count === 3) secondDifference3(s, w, y, left, right, u, dn, out);
    else if (laplace) {
      for (let x = 0, p = y * w, i = p * cn + c0; x < w; x++, p++, i += cn) {
        const l = left[x], r = right[x];
        let acc = 0;
        for (let q = i, e = i + count; q < e; q++) acc += Math.abs(s[q + l] + s[q + r] + s[q + u] + s[q + dn] - 4 * s[q]);
        out[p] = acc;
      }
    } else if (count === 1) {
      for (let x = 0, p = y * w, i = p * cn + c0; x < w; x++, p++, i += cn) {
        const v2 = 2 * s[i];
        out[p] = Math.abs(v2 - s[i + left[x]] - s[i + right[x]]) + Math.abs(v2 - s[i + u] - s[i + dn]);
      }
    } else {
      for (let x = 0, p = y * w, i = p * cn + c0; x < w; x++, p++, i += cn) {
        const l = left[x], r = right[x];
        let acc = 0;
        for (let q = i, e = i + count; q < e; q++) {
          const v2 = 2 * s[q];
          acc += Math.abs(v2 - s[q + l] - s[q + r]) + Math.abs(v2 - s[q + u] - s[q + dn]);
        }
        out[p] = acc;
      }
    }
    if (k > 1) boxRow(out, y * w, out, y * w, w, k, padded);
  }
  return out;
}

/** The hot case, unrolled: second differences summed over three channels, one row. */
function secondDifference3(s: Float32Array, w: number, y: number, left: Int32Array, right: Int32Array, u: number, dn: number, out: Float32Array): void {
  for (let x = 0, p = y * w, i = p * 3; x < w; x++, p++, i += 3) {
    const l = i + left[x], r = i + right[x], a = i + u, b = i + dn;
    const v0 = 2 * s[i], v1 = 2 * s[i + 1], v2 = 2 * s[i + 2];
    out[p] =
      Math.abs(v0 - s[l] - s[r]) + Math.abs(v0 - s[a] - s[b]) +
      Math.abs(v1 - s[l + 1] - s[r + 1]) + Math.abs(v1 - s[a + 1] - s[b + 1]) +
      Math.abs(v2 - s[l + 2] - s[r + 2]) + Math.abs(v2 - s[a + 2] - s[b + 2]);
  }
}

/**
 * Sum each value of the row at `so` of `src` over the k values around it
 * (BORDER_REFLECT_101), into the row at `o` of `dst` (which may be the same
 * row: the row is copied into `padded` first).
 *
 * @param src - Where the row is.
 * @param so - Its offset.
 * @param dst - Where the sums go.
 * @param o - Their offset.
 * @param width - Row length.
 * @param k - Odd window size.
 * @param padded - Scratch of at least `width + k - 1` values.
 */
export function boxRow(src: Float32Array, so: number, dst: Float32Array, o: number, width: number, k: number, padded: Float32Array): void {
  const r = k >> 1;
  for (let x = -r; x < width + r; x++) padded[x + r] = src[so + reflect101(x, width)];
  let acc = 0;
  for (let i = 0; i < k - 1; i++) acc += padded[i];
  for (let x = 0; x < width; x++) {
    acc += padded[x + k - 1];
    dst[o + x] = acc;
    acc -= padded[x];
  }
}

/**
 * Unnormalised k x k box sum (`filter2D` with `ones(k, k)`, BORDER_REFLECT_101):
 * {@link boxSumRows} then {@link boxSumColumns}.
 *
 * @param plane - One value per pixel; overwritten with the row sums.
 * @param width - Width of the plane.
 * @param height - Height of the plane.
 * @param k - Odd kernel size.
 * @param out - Where to write the result (not `plane`); a new array if omitted.
 * @returns The box sums (`out` if given; `plane` itself when k is 1).
 */
export function boxSum(plane: Float32Array, width: number, height: number, k: number, out?: Float32Array): Float32Array {
  if (k === 1) return plane;
  boxSumRows(plane, width, height, k);
  return boxSumColumns(plane, width, height, k, out ?? new Float32Array(width * height));
}

/**
 * The horizontal half of {@link boxSum}, in place: each value becomes the sum
 * of the k values around it in its row (BORDER_REFLECT_101).
 *
 * @param plane - One value per pixel; overwritten.
 * @param width - Width of the plane.
 * @param height - Height of the plane.
 * @param k - Odd kernel size.
 * @param y0 - First row.
 * @param y1 - Row after the last.
 */
export function boxSumRows(plane: Float32Array, width: number, height: number, k: number, y0 = 0, y1 = height): void {
  const padded = new Float32Array(width + k);
  for (let y = y0; y < y1; y++) boxRow(plane, y * width, plane, y * width, width, k, padded);
}

/**
 * The vertical half of {@link boxSum}: `out` gets the sum of the k values
 * around each one in its column (BORDER_REFLECT_101).
 *
 * @param src - One value per pixel.
 * @param width - Width of the plane.
 * @param height - Height of the plane.
 * @param k - Odd kernel size.
 * @param out - Where to write (not `src`).
 * @param y0 - First row of `out`.
 * @param y1 - Row after the last.
 * @returns `out`.
 */
export function boxSumColumns(src: Float32Array, width: number, height: number, k: number, out: Float32Array, y0 = 0, y1 = height): Float32Array {
  const r = k >> 1;
  for (let y = y0; y < y1; y++) {
    const o = y * width;
    let row = reflect101(y - r, height) * width;
    for (let x = 0; x < width; x++) out[o + x] = src[row + x];
    for (let dy = 1 - r; dy <= r; dy++) {
      row = reflect101(y + dy, height) * width;
      for (let x = 0; x < width; x++) out[o + x] += src[row + x];
    }
  }
  return out;
}
