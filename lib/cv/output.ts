/**
 * Where a wrapper writes its result: into the caller's `dst` (cv2's `dst`
 * argument), or into a new Mat that the caller owns, and that is deleted
 * again if the call fails.
 */
import { cvCall } from './call.js';
import type { Mat } from './runtime.js';
import { deleteMat, newMat } from './scope.js';
import { assertMat } from './validate.js';

/**
 * Run the OpenCV.js call `fn` into `dst`, or into a new Mat when `dst` is
 * undefined.
 *
 * @param operation - Name of the wrapper, for error messages.
 * @param dst - The caller's destination Mat, if any (it may be empty).
 * @param fn - The OpenCV.js call; it writes into its argument.
 * @returns `dst`, or the new Mat; caller deletes.
 * @throws TypeError when `dst` is not a live Mat; OpenCVError when the call
 *   fails (a new Mat is deleted first).
 */
export function callInto(operation: string, dst: Mat | undefined, fn: (out: Mat) => void): Mat {
  if (dst !== undefined) assertMat('dst', dst, true);
  const out = dst ?? newMat();
  try {
    cvCall(operation, () => fn(out));
  } catch (error) {
    if (out !== dst) deleteMat(out);
    throw error;
  }
  return out;
}
