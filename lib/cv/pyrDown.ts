import { assertKnownKeys, invalidParameter, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { IMAGE_DEPTHS, assertBorder, assertDepth, assertMat, assertSize, constant, type Size } from './validate.js';

/** Options of {@link pyrDown}. */
export interface PyrDownOptions {
  /**
   * Size of the result `[width, height]`; each must be within 1 of half the
   * source's (`|2 * dst - src| <= 2`). Omitted: `[ceil(w / 2), ceil(h / 2)]`.
   */
  dstsize?: Size;
  /**
   * Border mode: BORDER_REPLICATE, BORDER_REFLECT, BORDER_WRAP or
   * BORDER_REFLECT_101 (not BORDER_CONSTANT, not BORDER_ISOLATED).
   * @default cv.BORDER_REFLECT_101
   */
  borderType?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

const KEYS = optionKeys<PyrDownOptions>({ dstsize: 1, borderType: 1, dst: 1 });

/**
 * One step down a Gaussian pyramid, as `cv2.pyrDown(src, dstsize=dstsize,
 * borderType=borderType)`: blur with the 5x5 kernel `[1 4 6 4 1]^T [1 4 6 4 1] / 256`,
 * then keep the even rows and columns.
 *
 * @param src - CV_8U, CV_16U, CV_16S, CV_32F or CV_64F, any number of channels.
 * @param options - See {@link PyrDownOptions}.
 * @returns The smaller Mat (`options.dst` if given); caller deletes.
 * @throws TypeError for a bad `src` or depth; RangeError for a `dstsize` not
 *   about half the source's, or a bad border; OpenCVError if OpenCV fails.
 */
export function pyrDown(src: Mat, options: PyrDownOptions = {}): Mat {
  assertKnownKeys('pyrDown', options, KEYS);
  const { dstsize, borderType = constant('BORDER_REFLECT_101'), dst } = options;
  assertMat('src', src);
  assertDepth('src', src, IMAGE_DEPTHS);
  const [width, height] = dstsize === undefined ? [0, 0] : assertSize('dstsize', dstsize);
  if (dstsize !== undefined) {
    if (Math.abs(2 * width - src.cols) > 2) throw invalidParameter('dstsize[0]', `a width within 1 of ${src.cols / 2}`, width);
    if (Math.abs(2 * height - src.rows) > 2) throw invalidParameter('dstsize[1]', `a height within 1 of ${src.rows / 2}`, height);
  }
  assertBorder('borderType', borderType, ['BORDER_REPLICATE', 'BORDER_REFLECT', 'BORDER_WRAP', 'BORDER_REFLECT_101'], false);
  const c = cv();
  return callInto('pyrDown', dst, (out) => c.pyrDown(src, out, new c.Size(width, height), borderType));
}
