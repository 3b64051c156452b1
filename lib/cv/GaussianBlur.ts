import { assertKnownKeys, assertNumber, invalidParameter, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { FILTER_BORDERS, IMAGE_DEPTHS, assertBorder, assertDepth, assertMat, assertSizeShape, constant, type Size } from './validate.js';
import { assertOdd } from '../errors.js';

/** Options of {@link GaussianBlur}. */
export interface GaussianBlurOptions {
  /**
   * Kernel size `[width, height]`: each 0 (chosen from sigma: about 6 sigma
   * for CV_8U, 8 sigma otherwise) or an odd positive integer.
   * @default [0, 0]
   */
  ksize?: Size;
  /**
   * Standard deviation in x. Must be positive when `ksize[0]` is 0; 0 or less
   * means "from ksize": `0.3 * ((ksize - 1) / 2 - 1) + 0.8`.
   * @default 0
   */
  sigmaX?: number;
  /**
   * Standard deviation in y; 0 or less means `sigmaX`.
   * @default 0
   */
  sigmaY?: number;
  /**
   * Border mode: BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT or
   * BORDER_REFLECT_101 (optionally `| BORDER_ISOLATED`).
   * @default cv.BORDER_REFLECT_101
   */
  borderType?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

const KEYS = optionKeys<GaussianBlurOptions>({ ksize: 1, sigmaX: 1, sigmaY: 1, borderType: 1, dst: 1 });

/**
 * Gaussian blur, as `cv2.GaussianBlur(src, ksize, sigmaX, sigmaY=sigmaY,
 * borderType=borderType)`: `GaussianBlur(m, { sigmaX: 3 })` is
 * `cv2.GaussianBlur(m, (0, 0), 3)`. CV_8U results use OpenCV's fixed-point
 * approximation.
 *
 * @param src - CV_8U, CV_16U, CV_16S, CV_32F or CV_64F, any number of channels.
 * @param options - See {@link GaussianBlurOptions}.
 * @returns The blurred Mat (`options.dst` if given); caller deletes.
 * @throws TypeError for a bad `src`, an unsupported depth or a malformed
 *   `ksize`; RangeError for an even or negative ksize, a zero ksize without a
 *   positive sigma, or a bad border; OpenCVError if OpenCV fails.
 */
export function GaussianBlur(src: Mat, options: GaussianBlurOptions = {}): Mat {
  assertKnownKeys('GaussianBlur', options, KEYS);
  const { ksize = [0, 0], sigmaX = 0, sigmaY = 0, borderType = constant('BORDER_REFLECT_101'), dst } = options;
  assertMat('src', src);
  assertDepth('src', src, IMAGE_DEPTHS);
  const pair = assertSizeShape('ksize', ksize);
  const [width, height] = [assertOdd('ksize[0]', pair[0], 1, Infinity, 0), assertOdd('ksize[1]', pair[1], 1, Infinity, 0)];
  assertNumber('sigmaX', sigmaX);
  assertNumber('sigmaY', sigmaY);
  if (width === 0 && !(sigmaX > 0)) throw invalidParameter('sigmaX', 'a positive number when ksize[0] is 0', sigmaX);
  if (height === 0 && !(sigmaY > 0 || sigmaX > 0)) {
    throw invalidParameter('sigmaY', 'a positive number (or a positive sigmaX) when ksize[1] is 0', sigmaY);
  }
  assertBorder('borderType', borderType, FILTER_BORDERS);
  const c = cv();
  return callInto('GaussianBlur', dst, (out) => c.GaussianBlur(src, out, new c.Size(width, height), sigmaX, sigmaY, borderType));
}
