import { invalidParameter } from '../errors.js';
import { cvCall } from './call.js';
import { cv, type Mat } from './runtime.js';
import { newMat } from './scope.js';

/** Options of {@link medianBlur}. */
export interface MedianBlurOptions {
  /**
   * Aperture size: an odd integer greater than 1 (cv2's `ksize`). Sizes above
   * 5 need an 8-bit image, as in OpenCV.
   * @default 3
   */
  ksize?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

/**
 * Median filter, as `cv2.medianBlur(src, ksize)`; the border is replicated.
 *
 * @param src - CV_8U, CV_16U or CV_32F, 1, 3 or 4 channels (CV_8U only for ksize > 5).
 * @param options - See {@link MedianBlurOptions}.
 * @returns The filtered Mat (`options.dst` if given); caller deletes.
 * @throws RangeError for an even, negative or too small `ksize`; TypeError
 *   for a depth OpenCV cannot median-filter at that size; OpenCVError if OpenCV fails.
 */
export function medianBlur(src: Mat, options: MedianBlurOptions = {}): Mat {
  const { ksize = 3, dst } = options;
  if (!Number.isInteger(ksize) || ksize < 3 || ksize % 2 === 0) {
    throw invalidParameter('ksize', 'an odd integer of at least 3', ksize);
  }
  const c = cv();
  const depth = src.depth();
  if (ksize > 5 && depth !== c.CV_8U) throw invalidParameter('src', `a CV_8U Mat for ksize ${ksize}`, `depth ${depth}`, 'type');
  if (depth !== c.CV_8U && depth !== c.CV_16U && depth !== c.CV_32F) {
    throw invalidParameter('src', 'a CV_8U, CV_16U or CV_32F Mat', `depth ${depth}`, 'type');
  }
  const out = dst ?? newMat();
  cvCall('medianBlur', () => c.medianBlur(src, out, ksize));
  return out;
}
