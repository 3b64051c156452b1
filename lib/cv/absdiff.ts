import { assertKnownKeys, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { assertOperands } from './validate.js';

/** Options of {@link absdiff}. */
export interface AbsdiffOptions {
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

const KEYS = optionKeys<AbsdiffOptions>({ dst: 1 });

/**
 * Per-element absolute difference `|src1 - src2|`, as `cv2.absdiff(src1, src2)`;
 * saturated to the depth (exact for unsigned depths).
 *
 * @param src1 - Any depth and number of channels.
 * @param src2 - The same size and type as `src1`.
 * @param options - See {@link AbsdiffOptions}.
 * @returns The difference, of the type of `src1` (`options.dst` if given); caller deletes.
 * @throws TypeError for operands of different sizes or types; OpenCVError if OpenCV fails.
 */
export function absdiff(src1: Mat, src2: Mat, options: AbsdiffOptions = {}): Mat {
  assertKnownKeys('absdiff', options, KEYS);
  const { dst } = options;
  assertOperands(src1, src2);
  const c = cv();
  return callInto('absdiff', dst, (out) => c.absdiff(src1, src2, out));
}
