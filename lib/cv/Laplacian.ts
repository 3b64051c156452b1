import { assertKnownKeys, assertNumber, assertOdd, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import {
  DEPTHS,
  FILTER_BORDERS,
  IMAGE_DEPTHS,
  LINEAR_FILTER_DEPTHS,
  assertBorder,
  assertDdepth,
  assertMat,
  constant,
  type DepthTable,
} from './validate.js';

/** Options of {@link Laplacian}. */
export interface LaplacianOptions {
  /**
   * Aperture size, an odd integer from 1 to 31. 1 is the kernel
   * `[[0, 1, 0], [1, -4, 1], [0, 1, 0]]`, 3 is `[[2, 0, 2], [0, -8, 0], [2, 0, 2]]`;
   * larger sizes add second Sobel derivatives.
   * @default 1
   */
  ksize?: number;
  /**
   * Factor applied to the result.
   * @default 1
   */
  scale?: number;
  /**
   * Value added to the result.
   * @default 0
   */
  delta?: number;
  /**
   * Depth of the result: -1 for the source's, or a depth constant. With ksize
   * 1 or 3 the rules of {@link filter2D} apply (a CV_32F source gives only
   * CV_32F); larger sizes accept any depth.
   * @default -1
   */
  ddepth?: number;
  /**
   * Border mode: BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT or
   * BORDER_REFLECT_101 (optionally `| BORDER_ISOLATED`).
   * @default cv.BORDER_REFLECT_101
   */
  borderType?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

/** Laplacian with ksize > 3 is computed through Sobel in a float buffer, then converted: any ddepth. */
const SEPARABLE_DEPTHS: DepthTable = Object.fromEntries(IMAGE_DEPTHS.map((depth) => [depth, DEPTHS]));

const KEYS = optionKeys<LaplacianOptions>({ ddepth: 1, ksize: 1, scale: 1, delta: 1, borderType: 1, dst: 1 });

/**
 * Laplacian, as `cv2.Laplacian(src, ddepth, ksize=ksize, scale=scale,
 * delta=delta, borderType=borderType)`.
 *
 * @param src - CV_8U, CV_16U, CV_16S, CV_32F or CV_64F, any number of channels.
 * @param options - See {@link LaplacianOptions}.
 * @returns The Laplacian (`options.dst` if given); caller deletes.
 * @throws TypeError for a bad `src` or an unsupported source depth;
 *   RangeError for a bad `ksize`, an unsupported `ddepth` or border;
 *   OpenCVError if OpenCV fails.
 */
export function Laplacian(src: Mat, options: LaplacianOptions = {}): Mat {
  assertKnownKeys('Laplacian', options, KEYS);
  const { ksize = 1, scale = 1, delta = 0, ddepth = -1, borderType = constant('BORDER_REFLECT_101'), dst } = options;
  assertMat('src', src);
  assertOdd('ksize', ksize, 1, 31);
  assertDdepth('ddepth', ddepth, src, ksize <= 3 ? LINEAR_FILTER_DEPTHS : SEPARABLE_DEPTHS);
  assertNumber('scale', scale);
  assertNumber('delta', delta);
  assertBorder('borderType', borderType, FILTER_BORDERS);
  const c = cv();
  return callInto('Laplacian', dst, (out) => c.Laplacian(src, out, ddepth, ksize, scale, delta, borderType));
}
