/**
 * Helpers for the `lib/cv` tests: seeded data, Mats from plain arrays, and
 * plain-JavaScript reference filters written from the definitions, not from
 * the code under test.
 */
import assert from 'node:assert/strict';
import { cv, newMat, type Mat } from '../../lib/cv/index.js';
import { rng } from '../helpers/random.js';

/** `n` seeded numbers in [lo, hi), rounded down to integers when `integer`. */
export function randomValues(n: number, seed: number, lo = 0, hi = 1, integer = false): number[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => {
    const v = lo + (hi - lo) * next();
    return integer ? Math.floor(v) : v;
  });
}

type View = Uint8Array | Int8Array | Uint16Array | Int16Array | Int32Array | Float32Array | Float64Array;

function view(mat: Mat): View {
  const c = cv();
  const views: Record<number, () => View> = {
    [c.CV_8U]: () => mat.data,
    [c.CV_8S]: () => mat.data8S,
    [c.CV_16U]: () => mat.data16U,
    [c.CV_16S]: () => mat.data16S,
    [c.CV_32S]: () => mat.data32S,
    [c.CV_32F]: () => mat.data32F,
    [c.CV_64F]: () => mat.data64F,
  };
  return views[mat.depth()]();
}

/** A new Mat of `type` holding `values` (row-major, channels interleaved); caller deletes. */
export function matOf(rows: number, cols: number, type: number, values: ArrayLike<number>): Mat {
  const mat = newMat(rows, cols, type);
  const data = view(mat);
  assert.equal(values.length, data.length, 'matOf: number of values');
  data.set(Array.from(values));
  return mat;
}

/** A Mat's values as plain numbers (row-major, channels interleaved). */
export function valuesOf(mat: Mat): number[] {
  return Array.from(view(mat));
}

/** One channel of interleaved samples. */
export function channel(values: readonly number[], channels: number, c: number): number[] {
  return values.filter((_, i) => i % channels === c);
}

/** A single-channel image as plain numbers. */
export interface Plane {
  width: number;
  height: number;
  data: number[];
}

/** How a reference filter reads outside the image. */
export type Border = 'reflect101' | 'replicate' | 'constant';

/** The sample at (x, y), read outside the plane by `border` (`constant` reads 0). */
export function at(src: Plane, x: number, y: number, border: Border): number {
  const index = (i: number, n: number): number => {
    if (border === 'replicate') return Math.min(Math.max(i, 0), n - 1);
    if (n === 1) return 0;
    // BORDER_REFLECT_101: gfedcb|abcdefgh|gfedcba
    while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
    return i;
  };
  if (border === 'constant' && (x < 0 || y < 0 || x >= src.width || y >= src.height)) return 0;
  return src.data[index(y, src.height) * src.width + index(x, src.width)];
}

/**
 * Correlate a plane with a kernel, the naive way:
 * `out(x, y) = delta + sum_ij kernel[i][j] * src(x + j - ax, y + i - ay)`,
 * where the anchor defaults to the kernel centre (`floor(size / 2)`).
 */
export function correlate(
  src: Plane,
  kernel: readonly (readonly number[])[],
  options: { anchor?: readonly [number, number]; delta?: number; border?: Border } = {},
): Plane {
  const { delta = 0, border = 'reflect101' } = options;
  const kh = kernel.length;
  const kw = kernel[0].length;
  const [ax, ay] = options.anchor?.map((v, i) => (v === -1 ? Math.floor((i === 0 ? kw : kh) / 2) : v)) ?? [Math.floor(kw / 2), Math.floor(kh / 2)];
  const data: number[] = [];
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      let sum = delta;
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) sum += kernel[i][j] * at(src, x + j - ax, y + i - ay, border);
      data.push(sum);
    }
  }
  return { width: src.width, height: src.height, data };
}

/** The outer product `column^T row`, a separable kernel. */
export function outer(column: readonly number[], row: readonly number[]): number[][] {
  return column.map((a) => row.map((b) => a * b));
}

/** A plane of `width x height` from a function of (x, y). */
export function planeOf(width: number, height: number, f: (x: number, y: number) => number): Plane {
  const data: number[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.push(f(x, y));
  return { width, height, data };
}

/** A single-channel CV_32F Mat holding a plane; caller deletes. */
export function matOfPlane(plane: Plane, type = cv().CV_32F): Mat {
  return matOf(plane.height, plane.width, type, plane.data);
}

/** Assert that two lists of numbers agree within `tol`, naming the first that does not. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4, label = 'values'): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      assert.fail(`${label}: index ${i} is ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}
