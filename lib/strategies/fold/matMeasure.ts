/**
 * The adapter for focus measures written with the OpenCV.js wrappers
 * (lib/cv), as a cv2 user would write them: `(mat) => Mat`.
 */
import { invalidParameter } from '../../errors.js';
import type { FloatImage } from '../../image.js';
import { matFromImage } from '../../cv/convert.js';
import { cv, loadOpenCV, type Mat } from '../../cv/runtime.js';
import { deleteMat } from '../../cv/scope.js';
import type { FocusMeasure } from './fold.js';

/**
 * A focus measure from a function of Mats: it receives the image as a
 * CV_32FC1 or CV_32FC3 Mat (samples on the 0..255 scale, RGB) and returns a
 * Mat of the same size, any depth and channel count; the measure of a pixel
 * is the sum over channels of the absolute values. The adapter deletes both
 * Mats; Mats the function makes on the way are its own to delete (a
 * `MatScope` does it). OpenCV.js is loaded on first use.
 *
 * @example
 * ```ts
 * const measure = matMeasure((m) => {
 *   using scope = new MatScope();
 *   const lap = scope.track(Laplacian(m));
 *   return GaussianBlur(scope.track(multiply(lap, lap)), { sigmaX: 2 });
 * });
 * await stack(frames, { method: 'dmap', measure });
 * ```
 *
 * @param fn - The measure, Mat to Mat.
 * @param name - A name for reports.
 * @returns The measure.
 * @throws TypeError when `fn` is not a function; the measure throws a
 *   TypeError when `fn` returns something else than a Mat of the image's size.
 */
export function matMeasure(fn: (mat: Mat) => Mat, name = 'custom (Mat)'): FocusMeasure {
  if (typeof fn !== 'function') throw invalidParameter('measure', 'a function (mat) => Mat', fn, 'type');
  return {
    name,
    compute: async (image: FloatImage, { buffers }) => {
      await loadOpenCV();
      const src = matFromImage(image);
      let out: unknown;
      try {
        out = fn(src);
        return readMeasure(out, image, buffers.float32(image.width * image.height));
      } finally {
        deleteMat(src);
        // Only a Mat is deleted: whatever else `fn` returned is reported by readMeasure.
        if (out !== src && out instanceof cv().Mat) deleteMat(out);
      }
    },
  };
}

/** Sum of absolute values over channels of a Mat, into `values`. */
function readMeasure(mat: unknown, image: FloatImage, values: Float32Array): Float32Array {
  const c = cv();
  if (!(mat instanceof c.Mat) || mat.rows !== image.height || mat.cols !== image.width) {
    const expected = `a Mat of ${image.width}x${image.height}`;
    if (mat instanceof c.Mat) throw new TypeError(`Expected ${expected} for measure result but received a Mat of ${mat.cols}x${mat.rows}`);
    throw invalidParameter('measure result', expected, mat, 'type');
  }
  const depth = mat.depth();
  const data: ArrayLike<number> =
    depth === c.CV_32F ? mat.data32F : depth === c.CV_64F ? mat.data64F : depth === c.CV_8U ? mat.data : depth === c.CV_16U ? mat.data16U : depth === c.CV_16S ? mat.data16S : mat.data32S;
  const cn = mat.channels();
  for (let p = 0, i = 0; p < values.length; p++) {
    let acc = 0;
    for (let e = i + cn; i < e; i++) acc += Math.abs(data[i]);
    values[p] = acc;
  }
  return values;
}
