/**
 * 2x3 affine matrices and the one convention every alignment function uses.
 *
 * A matrix `[[a, b, c], [d, e, f]]` maps a point `(x, y)` to
 * `(a*x + b*y + c, d*x + e*y + f)`. A frame's matrix maps a pixel of the
 * OUTPUT (the reference frame's grid) to the point of the FRAME it takes its
 * value from: the inverse map of OpenCV's `warpAffine(..., WARP_INVERSE_MAP)`
 * and the `warpMatrix` of `findTransformECC(template = reference, input = frame)`.
 * Coordinates are full-resolution pixels with pixel centres at integers.
 */
import { invalidParameter } from '../errors.js';

/** A 2x3 affine matrix `[[a, b, c], [d, e, f]]`: `(x, y) ↦ (a*x + b*y + c, d*x + e*y + f)`. */
export type Affine = readonly [readonly [number, number, number], readonly [number, number, number]];

/** The identity matrix. */
export const IDENTITY_AFFINE: Affine = [
  [1, 0, 0],
  [0, 1, 0],
];

/**
 * Whether a matrix is exactly the identity (no warp needed).
 *
 * @param m - The matrix.
 * @returns `true` for `[[1, 0, 0], [0, 1, 0]]`.
 */
export function isIdentityAffine(m: Affine): boolean {
  return m[0][0] === 1 && m[0][1] === 0 && m[0][2] === 0 && m[1][0] === 0 && m[1][1] === 1 && m[1][2] === 0;
}

/**
 * The composition `outer ∘ inner`: the matrix that applies `inner` first,
 * then `outer`, i.e. `x ↦ outer(inner(x))`.
 *
 * To chain neighbours: if `m1` maps the reference's grid to frame 1 and `r`
 * (from `estimateTransform(frame 1, frame 2)`) maps frame 1 to frame 2, then
 * `composeAffine(r, m1)` maps the reference's grid to frame 2.
 *
 * @param outer - Applied second.
 * @param inner - Applied first.
 * @returns A new matrix.
 */
export function composeAffine(outer: Affine, inner: Affine): Affine {
  const [[a, b, c], [d, e, f]] = outer;
  const [[p, q, r], [s, t, u]] = inner;
  return [
    [a * p + b * s, a * q + b * t, a * r + b * u + c],
    [d * p + e * s, d * q + e * t, d * r + e * u + f],
  ];
}

/**
 * The inverse matrix: if `m` maps the reference's grid to a frame, the
 * result maps the frame to the reference's grid (the forward map of
 * `warpAffine` without WARP_INVERSE_MAP).
 *
 * @param m - An invertible matrix.
 * @returns A new matrix.
 * @throws RangeError when `m` is singular (determinant 0 or not finite).
 */
export function invertAffine(m: Affine): Affine {
  const [[a, b, c], [d, e, f]] = m;
  const det = a * e - b * d;
  if (!Number.isFinite(det) || det === 0) throw invalidParameter('matrix', 'an invertible affine matrix', `determinant ${det}`, 'range');
  const ia = e / det, ib = -b / det, id = -d / det, ie = a / det;
  return [
    [ia, ib, -(ia * c + ib * f)],
    [id, ie, -(id * c + ie * f)],
  ];
}

/**
 * Apply a matrix to a point.
 *
 * @param m - The matrix.
 * @param x - Abscissa.
 * @param y - Ordinate.
 * @returns `[a*x + b*y + c, d*x + e*y + f]`.
 */
export function applyAffine(m: Affine, x: number, y: number): [number, number] {
  return [m[0][0] * x + m[0][1] * y + m[0][2], m[1][0] * x + m[1][1] * y + m[1][2]];
}

/** The parts of an affine matrix that plausibility checks look at. */
export interface AffineParameters {
  /** Mean scale, `sqrt(|det|)`; above 1, the frame shows the scene smaller (see {@link affineParameters}). */
  scale: number;
  /** Smallest and largest singular values of the linear part (scale along the principal axes). */
  scaleRange: [number, number];
  /** Rotation in degrees, `atan2(d - b, a + e)`. */
  rotation: number;
  /** The translation `(c, f)`: where the output's origin comes from in the frame. */
  shift: [number, number];
}

/**
 * Decompose a matrix for reports and plausibility checks. A scale above 1
 * means the frame's points are farther apart than the reference's, i.e. the
 * frame shows the scene smaller (the output samples the frame at a larger step).
 *
 * @param m - The matrix.
 * @returns Its scale, scale range, rotation and shift.
 */
export function affineParameters(m: Affine): AffineParameters {
  const [[a, b, c], [d, e, f]] = m;
  // Singular values of [[a, b], [d, e]].
  const s1 = Math.hypot(a + e, d - b) / 2;
  const s2 = Math.hypot(a - e, d + b) / 2;
  return {
    scale: Math.sqrt(Math.abs(a * e - b * d)),
    scaleRange: [Math.abs(s1 - s2), s1 + s2],
    rotation: (Math.atan2(d - b, a + e) * 180) / Math.PI,
    shift: [c, f],
  };
}

/**
 * The largest distance between where two matrices send the four corners of
 * a `width` x `height` image: how far apart two estimates are, in pixels.
 *
 * @param m1 - One matrix.
 * @param m2 - The other.
 * @param width - Image width.
 * @param height - Image height.
 * @returns The largest corner distance in pixels.
 */
export function cornerDistance(m1: Affine, m2: Affine, width: number, height: number): number {
  let worst = 0;
  for (const [x, y] of [[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]]) {
    const [x1, y1] = applyAffine(m1, x, y);
    const [x2, y2] = applyAffine(m2, x, y);
    worst = Math.max(worst, Math.hypot(x1 - x2, y1 - y2));
  }
  return worst;
}

/**
 * Check that `value` is a 2x3 matrix of finite numbers.
 *
 * @param name - Name for the error message.
 * @param value - The value to check.
 * @throws TypeError when it is not.
 */
export function assertAffine(name: string, value: unknown): asserts value is Affine {
  if (!Array.isArray(value) || value.length !== 2) throw invalidParameter(name, 'a 2x3 matrix [[a, b, c], [d, e, f]]', value, 'type');
  value.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== 3) throw invalidParameter(`${name}[${i}]`, 'a row of 3 numbers', row, 'type');
    row.forEach((v: unknown, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidParameter(`${name}[${i}][${j}]`, 'a finite number', v, 'type');
    });
  });
}
