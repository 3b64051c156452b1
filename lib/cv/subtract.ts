import { assertKnownKeys, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { deleteMat, newMat } from './scope.js';
import { assertOperands } from './validate.js';

/** Options of {@link subtract}. */
export interface SubtractOptions {
  /**
   * CV_8UC1 mask of the operands' size: only where it is non-zero is the
   * result written (elsewhere `dst` keeps its values; a new Mat is zero there).
   */
  mask?: Mat;
  /**
   * Depth of the result: -1 for the operands' (which must then be the same
   * type), or a depth constant.
   * @default -1
   */
  dtype?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

const KEYS = optionKeys<SubtractOptions>({ dst: 1, mask: 1, dtype: 1 });

/**
 * Per-element `src1 - src2`, saturated to the result's depth, as
 * `cv2.subtract(src1, src2, mask=mask, dtype=dtype)`.
 *
 * @param src1 - Any depth and number of channels.
 * @param src2 - The same size and channel count as `src1`; the same depth too unless `dtype` is given.
 * @param options - See {@link SubtractOptions}.
 * @returns The result (`options.dst` if given); caller deletes.
 * @throws TypeError for operands or a mask that do not match; RangeError for a
 *   bad `dtype`; OpenCVError if OpenCV fails.
 */
export function subtract(src1: Mat, src2: Mat, options: SubtractOptions = {}): Mat {
  assertKnownKeys('subtract', options, KEYS);
  const { mask, dtype = -1, dst } = options;
  assertOperands(src1, src2, dtype, mask);
  const c = cv();
  const maskMat = mask ?? newMat();
  try {
    return callInto('subtract', dst, (out) => c.subtract(src1, src2, out, maskMat, dtype));
  } finally {
    if (maskMat !== mask) deleteMat(maskMat);
  }
}
