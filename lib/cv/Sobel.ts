import { assertInteger, assertKnownKeys, assertNumber, invalidParameter, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { FILTER_BORDERS, IMAGE_DEPTHS, assertBorder, assertDdepth, assertMat, constant, type DepthTable } from './validate.js';
import { assertOdd } from '../errors.js';

/** Options of {@link Sobel}. */
export interface SobelOptions {
  /** Order of the derivative in x (cv2's `dx`). */
  dx: number;
  /** Order of the derivative in y (cv2's `dy`). */
  dy: number;
  /**
   * Aperture size: 1, 3, 5 ... 31, or -1 for the 3x3 Scharr filter (first
   * derivatives only). Each order must be less than the size (less than 3 for 1).
   * @default 3
   */
  ksize?: number;
  /**
   * Factor applied to the derivatives.
   * @default 1
   */
  scale?: number;
  /**
   * Value added to the results.
   * @default 0
   */
  delta?: number;
  /**
   * Depth of the result: -1 for the source's, or CV_8U, CV_16U, CV_16S, CV_32F,
   * CV_64F (not CV_32F for a CV_64F source). With -1 an 8-bit result saturates.
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

/** Any image depth to any, except CV_64F to CV_32F (measured: OpenCV has no such column filter). */
const SOBEL_DEPTHS: DepthTable = {
  ...Object.fromEntries(IMAGE_DEPTHS.map((depth) => [depth, IMAGE_DEPTHS])),
  CV_64F: ['CV_8U', 'CV_16U', 'CV_16S', 'CV_64F'],
};

const KEYS = optionKeys<SobelOptions>({ ddepth: 1, dx: 1, dy: 1, ksize: 1, scale: 1, delta: 1, borderType: 1, dst: 1 });

/**
 * Sobel (or Scharr) derivative, as `cv2.Sobel(src, ddepth, dx, dy, ksize=ksize,
 * scale=scale, delta=delta, borderType=borderType)`; a correlation, so
 * `dx = 1` gives `src(x+1) - src(x-1)` weighted over rows 1, 2, 1.
 *
 * @param src - CV_8U, CV_16U, CV_16S, CV_32F or CV_64F, any number of channels.
 * @param options - See {@link SobelOptions}; `dx` and `dy` are required.
 * @returns The derivative (`options.dst` if given); caller deletes.
 * @throws TypeError for a bad `src`, an unsupported source depth or a
 *   non-number option; RangeError for orders or a ksize OpenCV rejects, an
 *   unsupported `ddepth` or border; OpenCVError if OpenCV fails.
 */
export function Sobel(src: Mat, options: SobelOptions): Mat {
  assertKnownKeys('Sobel', options, KEYS);
  const { dx, dy, ksize = 3, scale = 1, delta = 0, ddepth = -1, borderType = constant('BORDER_REFLECT_101'), dst } = options;
  assertMat('src', src);
  assertDdepth('ddepth', ddepth, src, SOBEL_DEPTHS);
  assertOdd('ksize', ksize, 1, 31, -1);
  if (ksize === -1) {
    assertInteger('dx', dx, 0, 1);
    assertInteger('dy', dy, 0, 1);
    if (dx + dy !== 1) throw invalidParameter('dx + dy', 'exactly 1 for the Scharr filter (ksize -1)', dx + dy);
  } else {
    const maxOrder = Math.max(ksize, 3) - 1;
    assertInteger('dx', dx, 0, maxOrder);
    assertInteger('dy', dy, 0, maxOrder);
    if (dx + dy === 0) throw invalidParameter('dx + dy', 'at least 1', 0);
  }
  assertNumber('scale', scale);
  assertNumber('delta', delta);
  assertBorder('borderType', borderType, FILTER_BORDERS);
  const c = cv();
  return callInto('Sobel', dst, (out) => c.Sobel(src, out, ddepth, dx, dy, ksize, scale, delta, borderType));
}
