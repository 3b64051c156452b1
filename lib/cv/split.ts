import { cvCall } from './call.js';
import { cv, type Mat } from './runtime.js';
import { deleteMat, registerMat } from './scope.js';
import { assertMat } from './validate.js';

/**
 * Split a Mat into single-channel planes, as `cv2.split(src)`.
 *
 * @param src - Any depth and number of channels.
 * @returns One new single-channel Mat per channel, in order; caller deletes each.
 * @throws TypeError for a bad `src`; OpenCVError if OpenCV fails.
 */
export function split(src: Mat): Mat[] {
  assertMat('src', src);
  const c = cv();
  const vector = new c.MatVector();
  const planes: Mat[] = [];
  try {
    cvCall('split', () => c.split(src, vector));
    // Each get() returns a new Mat header sharing the plane's data: it outlives the vector.
    for (let i = 0; i < vector.size(); i++) planes.push(registerMat(vector.get(i)));
    return planes;
  } catch (error) {
    planes.forEach(deleteMat);
    throw error;
  } finally {
    vector.delete();
  }
}
