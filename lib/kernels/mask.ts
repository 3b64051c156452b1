/**
 * Masks and blending as fused typed-array loops. A mask holds the weight of
 * the back frame per pixel: 1 keeps the back frame, 0 the front one.
 */
import { replicate } from './border.js';

/** Steps of the sigmoid table per unit of the clipped difference. */
const SIGMOID_STEPS = 256;
const sigmoidTables = new Map<number, Float64Array>();

/** `1 / (1 + exp(-beta * d))` at d = -50 .. 50 in steps of 1/256, with one entry to spare. */
function sigmoidTable(beta: number): Float64Array {
  let table = sigmoidTables.get(beta);
  if (!table) {
    table = new Float64Array(100 * SIGMOID_STEPS + 2);
    for (let i = 0; i < table.length; i++) table[i] = 1 / (1 + Math.exp(-beta * (i / SIGMOID_STEPS - 50)));
    sigmoidTables.set(beta, table);
  }
  return table;
}

/**
 * The soft mask of DIFFERENCES.md 1.2: `1 / (1 + exp(-beta * clip(back - front, -50, 50)))`.
 * Interpolated from a table (error below 1e-7 for beta up to 1; exact
 * `Math.exp` beyond), which is four times faster than `Math.exp` per pixel.
 *
 * @param back - Focus measure of the back frame.
 * @param front - Focus measure of the front frame.
 * @param beta - Steepness of the sigmoid.
 * @param out - Where to write; a new array if omitted.
 * @param p0 - First pixel (for splitting the work between threads).
 * @param p1 - Pixel after the last.
 * @returns The mask, values in [0.0067, 0.9933] for beta 0.1 (`out` if given).
 */
export function sigmoidMask(back: Float32Array, front: Float32Array, beta: number, out: Float32Array = new Float32Array(back.length), p0 = 0, p1 = back.length): Float32Array {
  if (beta > 1) {
    for (let i = p0; i < p1; i++) {
      const d = back[i] - front[i];
      out[i] = 1 / (1 + Math.exp(-beta * (d < -50 ? -50 : d > 50 ? 50 : d)));
    }
    return out;
  }
  const table = sigmoidTable(beta);
  for (let i = p0; i < p1; i++) {
    const d = back[i] - front[i];
    const t = ((d < -50 ? -50 : d > 50 ? 50 : d) + 50) * SIGMOID_STEPS;
    const j = t | 0;
    const a = table[j];
    out[i] = a + (t - j) * (table[j + 1] - a);
  }
  return out;
}

/**
 * The hard mask of DIFFERENCES.md 1.4: 1 where `|back| > |front|`, else 0.
 *
 * @param back - Focus measure of the back frame.
 * @param front - Focus measure of the front frame.
 * @param out - Where to write; a new array if omitted.
 * @param p0 - First pixel.
 * @param p1 - Pixel after the last.
 * @returns The 0/1 mask (`out` if given).
 */
export function greaterMask(back: Float32Array, front: Float32Array, out: Uint8Array = new Uint8Array(back.length), p0 = 0, p1 = back.length): Uint8Array {
  for (let i = p0; i < p1; i++) out[i] = Math.abs(back[i]) > Math.abs(front[i]) ? 1 : 0;
  return out;
}

/**
 * `cv.medianBlur(mask, n)` for a 0/1 mask: the median of an n x n window of
 * zeros and ones is 1 exactly when more than half of it is 1, so a running
 * count replaces sorting (BORDER_REPLICATE, as medianBlur). O(1) per pixel
 * whatever n; test/kernels/mask.test.ts compares it with OpenCV.js.
 *
 * @param mask - 0/1 values.
 * @param width - Width of the mask.
 * @param height - Height of the mask.
 * @param n - Odd window size.
 * @param out - Where to write (not `mask`); a new array if omitted.
 * @param y0 - First row.
 * @param y1 - Row after the last.
 * @returns The filtered 0/1 mask (`out` if given).
 */
export function binaryMedian(mask: Uint8Array, width: number, height: number, n: number, out: Uint8Array = new Uint8Array(width * height), y0 = 0, y1 = height): Uint8Array {
  const r = n >> 1;
  const half = (n * n) >> 1;
  const colSum = new Int32Array(width); // ones in the n rows around y, per column
  for (let dy = -r; dy <= r; dy++) {
    const o = replicate(y0 + dy, height) * width;
    for (let x = 0; x < width; x++) colSum[x] += mask[o + x];
  }
  for (let y = y0; y < y1; y++) {
    let acc = 0;
    for (let dx = -r; dx <= r; dx++) acc += colSum[replicate(dx, width)];
    const o = y * width;
    for (let x = 0; x < width; x++) {
      out[o + x] = acc > half ? 1 : 0;
      acc += colSum[replicate(x + r + 1, width)] - colSum[replicate(x - r, width)];
    }
    if (y + 1 < y1) {
      const add = replicate(y + r + 1, height) * width;
      const sub = replicate(y - r, height) * width;
      for (let x = 0; x < width; x++) colSum[x] += mask[add + x] - mask[sub + x];
    }
  }
  return out;
}
