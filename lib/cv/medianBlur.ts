import { assertKnownKeys, assertOdd, invalidParameter, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { assertDepth, assertMat } from './validate.js';

/** Options of {@link medianBlur}. */
export interface MedianBlurOptions {
  /**
   * Aperture size: an odd integer of at least 3 (cv2's `ksize`). Sizes above
   * 5 need an 8-bit image with 1, 3 or 4 channels, as in OpenCV.
   * @default 3
   */
  ksize?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

const KEYS = optionKeys<MedianBlurOptions>({ ksize: 1, dst: 1 });

/**
 * Median filter, as `cv2.medianBlur(src, ksize)`; the border is replicated.
 *
 * @param src - CV_8U, CV_16U or CV_32F, 1, 3 or 4 channels (CV_8U only for ksize > 5).
 * @param options - See {@link MedianBlurOptions}.
 * @returns The filtered Mat (`options.dst` if given); caller deletes.
 * @throws RangeError for an even or too small `ksize`; TypeError for a bad
 *   `src`, or a depth or channel count OpenCV cannot median-filter at that
 *   size; OpenCVError if OpenCV fails.
 */
export function medianBlur(src: Mat, options: MedianBlurOptions = {}): Mat {
  assertKnownKeys('medianBlur', options, KEYS);
  const { ksize = 3, dst } = options;
  assertOdd('ksize', ksize, 3);
  assertMat('src', src);
  assertDepth('src', src, ksize > 5 ? ['CV_8U'] : ['CV_8U', 'CV_16U', 'CV_32F']);
  if (![1, 3, 4].includes(src.channels())) throw invalidParameter('src', 'a Mat with 1, 3 or 4 channels', src.channels(), 'type');
  const c = cv();
  return callInto('medianBlur', dst, (out) => c.medianBlur(src, out, ksize));
}
