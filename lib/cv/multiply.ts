import { assertKnownKeys, assertNumber, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { assertOperands } from './validate.js';

/** Options of {@link multiply}. */
export interface MultiplyOptions {
  /**
   * Factor applied to the products.
   * @default 1
   */
  scale?: number;
  /**
   * Depth of the result: -1 for the operands' (which must then be the same
   * type), or a depth constant.
   * @default -1
   */
  dtype?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

const KEYS = optionKeys<MultiplyOptions>({ scale: 1, dtype: 1, dst: 1 });

/**
 * Per-element `scale * src1 * src2`, rounded and saturated to the result's
 * depth, as `cv2.multiply(src1, src2, scale=scale, dtype=dtype)`.
 *
 * @param src1 - Any depth and number of channels.
 * @param src2 - The same size and channel count as `src1`; the same depth too unless `dtype` is given.
 * @param options - See {@link MultiplyOptions}.
 * @returns The product (`options.dst` if given); caller deletes.
 * @throws TypeError for operands that do not match; RangeError for a bad
 *   `scale` or `dtype`; OpenCVError if OpenCV fails.
 */
export function multiply(src1: Mat, src2: Mat, options: MultiplyOptions = {}): Mat {
  assertKnownKeys('multiply', options, KEYS);
  const { scale = 1, dtype = -1, dst } = options;
  assertOperands(src1, src2, dtype);
  assertNumber('scale', scale);
  const c = cv();
  return callInto('multiply', dst, (out) => c.multiply(src1, src2, out, scale, dtype));
}
