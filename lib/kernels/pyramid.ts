/**
 * Fused typed-array versions of `cv.pyrDown` and `cv.pyrUp` on float32
 * images, outside the WebAssembly heap. They follow OpenCV's own algorithm,
 * borders and odd sizes included (test/kernels/pyramid.test.ts compares them
 * with OpenCV.js), and add or subtract the result in place, which saves the
 * temporary image and the extra pass of `G - pyrUp(...)` and `L + pyrUp(...)`.
 */
import { newFloatImage, type FloatImage } from '../image.js';
import { reflect101 } from './border.js';

/**
 * Gaussian 5-tap reduction, as `cv.pyrDown(src)` (BORDER_REFLECT_101):
 * the result is `ceil(w/2) x ceil(h/2)`.
 *
 * @param src - Any channel count.
 * @param out - Where to write (`ceil(w/2) * ceil(h/2) * channels` values); a new array if omitted.
 * @param y0 - First row of the result to compute (for splitting the work between threads).
 * @param y1 - Row after the last; all rows by default.
 * @returns The reduced image; the source is untouched.
 */
export function pyrDown(src: FloatImage, out?: Float32Array, y0 = 0, y1 = (src.height + 1) >> 1): FloatImage {
  const { width: sw, height: sh, channels: cn, data: s } = src;
  const dw = (sw + 1) >> 1;
  const dh = (sh + 1) >> 1;
  const dst = out ? { width: dw, height: dh, channels: cn, data: out } : newFloatImage(dw, dh, cn);
  const d = dst.data;
  const rowLen = dw * cn;
  // Horizontally filtered and decimated source rows, a ring of five.
  const ring = [0, 1, 2, 3, 4].map(() => new Float32Array(rowLen));
  const ringRow = new Int32Array(5).fill(-1);
  // Column taps: the interior uses direct offsets, the edges reflected ones.
  const xs = new Int32Array(dw * 5);
  for (let x = 0; x < dw; x++) for (let i = 0; i < 5; i++) xs[x * 5 + i] = reflect101(2 * x + i - 2, sw) * cn;

  const hrow = (sy: number): Float32Array => {
    const slot = sy % 5;
    const row = ring[slot];
    if (ringRow[slot] === sy) return row;
    ringRow[slot] = sy;
    const base = sy * sw * cn;
    for (let x = 0; x < dw; x++) {
      const t = x * 5;
      const a = base + xs[t], b = base + xs[t + 1], m = base + xs[t + 2], e = base + xs[t + 3], f = base + xs[t + 4];
      const o = x * cn;
      for (let c = 0; c < cn; c++) row[o + c] = s[a + c] + 4 * (s[b + c] + s[e + c]) + 6 * s[m + c] + s[f + c];
    }
    return row;
  };

  for (let y = y0; y < y1; y++) {
    const r0 = hrow(reflect101(2 * y - 2, sh));
    const r1 = hrow(reflect101(2 * y - 1, sh));
    const r2 = hrow(reflect101(2 * y, sh));
    const r3 = hrow(reflect101(2 * y + 1, sh));
    const r4 = hrow(reflect101(2 * y + 2, sh));
    // The ring holds rows by index modulo 5; with reflection two taps may be
    // the same row, which is fine as rows are only read here.
    const o = y * rowLen;
    for (let i = 0; i < rowLen; i++) d[o + i] = (r0[i] + 4 * (r1[i] + r3[i]) + 6 * r2[i] + r4[i]) * (1 / 256);
  }
  return dst;
}

/** How {@link pyrUpApply} combines the upsampled image with the destination. */
export type PyrUpOp = 'set' | 'add' | 'subtract';

/**
 * Gaussian expansion, as `cv.pyrUp(src, dst, dstsize)`, combined into `dst`:
 * `dst = up` (`set`), `dst += up` (`add`) or `dst -= up` (`subtract`).
 *
 * @param src - The coarser image.
 * @param dst - The finer image; its size must satisfy OpenCV's rule
 *   `|dst.w - 2 src.w| <= dst.w % 2` (and the same for heights), as every
 *   level of a pyramid made by {@link pyrDown} does.
 * @param op - How to combine.
 * @param y0 - First source row to expand (for splitting the work between
 *   threads: source rows y0..y1-1 write destination rows 2*y0 .. 2*y1-1, and
 *   the last one also the extra row of an odd destination).
 * @param y1 - Source row after the last; all rows by default.
 */
export function pyrUpApply(src: FloatImage, dst: FloatImage, op: PyrUpOp, y0 = 0, y1 = src.height): void {
  const d = dst.data;
  const rowLen = dst.width * dst.channels;
  pyrUpRows(src, dst.width, dst.height, y0, y1, (values, y) => {
    const o = y * rowLen;
    if (op === 'set') d.set(values, o);
    else if (op === 'add') for (let i = 0; i < rowLen; i++) d[o + i] += values[i];
    else for (let i = 0; i < rowLen; i++) d[o + i] -= values[i];
  });
}

/**
 * The rows of `cv.pyrUp(src, dstsize = [dw, dh])`, one at a time, in
 * OpenCV's order (where two coincide, the later one wins). OpenCV's own
 * algorithm, borders and odd sizes included (compared in test/kernels/).
 *
 * @param src - The coarser image.
 * @param dw - Destination width (`2 src.w - 1`, `2 src.w` or `2 src.w + 1`).
 * @param dh - Destination height, likewise.
 * @param y0 - First source row to expand.
 * @param y1 - Source row after the last.
 * @param each - Receives each destination row (`dw * channels` values, reused
 *   between calls) and its index.
 */
export function pyrUpRows(src: FloatImage, dw: number, dh: number, y0: number, y1: number, each: (values: Float32Array, y: number) => void): void {
  const { width: sw, height: sh, channels: cn, data: s } = src;
  const rowLen = dw * cn;
  const bufLen = (Math.max(dw, 2 * sw) + 1) * cn;
  const ring = [0, 1, 2].map(() => new Float32Array(bufLen));
  const ringRow = new Int32Array(3).fill(-2);
  const swc = sw * cn;
  const extraCol = dw > 2 * sw;

  // Horizontal pass of source row sy into the ring (OpenCV's pyrUp_ row step).
  const hrow = (sy: number): Float32Array => {
    const slot = (sy + 3) % 3;
    const row = ring[slot];
    if (ringRow[slot] === sy) return row;
    ringRow[slot] = sy;
    const base = (sy < 0 ? Math.min(1, sh - 1) : sy >= sh ? sh - 1 : sy) * swc;
    if (sw === 1) {
      for (let c = 0; c < cn; c++) row[c] = row[cn + c] = s[base + c] * 8;
      if (extraCol) for (let c = 0; c < cn; c++) row[2 * cn + c] = row[cn + c];
      return row;
    }
    for (let c = 0; c < cn; c++) {
      const s0 = s[base + c], s1 = s[base + cn + c];
      row[c] = s0 * 6 + s1 * 2;
      row[cn + c] = (s0 + s1) * 4;
      const sl = s[base + swc - cn + c], sp = s[base + swc - 2 * cn + c];
      const dx = 2 * (swc - cn) + c;
      row[dx] = sp + sl * 7;
      row[dx + cn] = sl * 8;
      if (extraCol) row[(dw - 1) * cn + c] = row[dx + cn];
    }
    for (let x = cn; x < swc - cn; x++) {
      const a = s[base + x - cn], m = s[base + x], b = s[base + x + cn];
      const dx = 2 * x - (x % cn);
      row[dx] = a + m * 6 + b;
      row[dx + cn] = (m + b) * 4;
    }
    return row;
  };

  const even = new Float32Array(rowLen);
  const odd = new Float32Array(rowLen);
  for (let y = y0; y < y1; y++) {
    const r0 = hrow(y - 1), r1 = hrow(y), r2 = hrow(y + 1);
    for (let i = 0; i < rowLen; i++) {
      even[i] = (r0[i] + r1[i] * 6 + r2[i]) * (1 / 64);
      odd[i] = (r1[i] + r2[i]) * 4 * (1 / 64);
    }
    // OpenCV writes the odd row first, so where they coincide the even row wins.
    if (2 * y + 1 < dh) each(odd, 2 * y + 1);
    each(even, 2 * y);
  }
  // An odd destination one row taller than 2*sh repeats row 2*sh - 2.
  if (dh > 2 * sh && y1 === sh) {
    const r0 = hrow(sh - 2), r1 = hrow(sh - 1), r2 = hrow(sh);
    for (let i = 0; i < rowLen; i++) even[i] = (r0[i] + r1[i] * 6 + r2[i]) * (1 / 64);
    each(even, 2 * sh);
  }
}
