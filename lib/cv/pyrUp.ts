import { assertKnownKeys, invalidParameter, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { IMAGE_DEPTHS, assertDepth, assertMat, assertSize, type Size } from './validate.js';

/** Options of {@link pyrUp}. */
export interface PyrUpOptions {
  /**
   * Size of the result `[width, height]`: each 2n - 1, 2n or 2n + 1 for a
   * source of n (OpenCV's `|dst - 2 * src| == dst % 2`). Pass the size of the
   * finer pyramid level to collapse a pyramid of any size. Omitted: twice the source's.
   */
  dstsize?: Size;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

const KEYS = optionKeys<PyrUpOptions>({ dstsize: 1, dst: 1 });

/**
 * One step up a Gaussian pyramid, as `cv2.pyrUp(src, dstsize=dstsize)`:
 * upsample by inserting zeros, then blur with 4 times the pyrDown kernel. The
 * border is BORDER_REFLECT_101, the only one OpenCV supports here.
 *
 * @param src - CV_8U, CV_16U, CV_16S, CV_32F or CV_64F, any number of channels.
 * @param options - See {@link PyrUpOptions}.
 * @returns The larger Mat (`options.dst` if given); caller deletes.
 * @throws TypeError for a bad `src` or depth; RangeError for a `dstsize`
 *   OpenCV rejects; OpenCVError if OpenCV fails.
 */
export function pyrUp(src: Mat, options: PyrUpOptions = {}): Mat {
  assertKnownKeys('pyrUp', options, KEYS);
  const { dstsize, dst } = options;
  assertMat('src', src);
  assertDepth('src', src, IMAGE_DEPTHS);
  const [width, height] = dstsize === undefined ? [0, 0] : assertSize('dstsize', dstsize);
  if (dstsize !== undefined) {
    const allowed = (n: number, side: string): string => `${2 * n - 1}, ${2 * n} or ${2 * n + 1} (about twice the ${side} ${n})`;
    if (Math.abs(width - 2 * src.cols) > width % 2) throw invalidParameter('dstsize[0]', allowed(src.cols, 'width'), width);
    if (Math.abs(height - 2 * src.rows) > height % 2) throw invalidParameter('dstsize[1]', allowed(src.rows, 'height'), height);
  }
  const c = cv();
  return callInto('pyrUp', dst, (out) => c.pyrUp(src, out, new c.Size(width, height), c.BORDER_DEFAULT));
}
