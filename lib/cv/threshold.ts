import { assertKnownKeys, assertNumber, invalidParameter, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { IMAGE_DEPTHS, assertDepth, assertMat, constant, typeName, type ConstantName } from './validate.js';

/** Options of {@link threshold}. */
export interface ThresholdOptions {
  /** The threshold (cv2's `thresh`); ignored with THRESH_OTSU or THRESH_TRIANGLE, which compute it. */
  thresh: number;
  /** The value written by THRESH_BINARY and THRESH_BINARY_INV (cv2's `maxval`). */
  maxval: number;
  /**
   * THRESH_BINARY, THRESH_BINARY_INV, THRESH_TRUNC, THRESH_TOZERO or
   * THRESH_TOZERO_INV, optionally `| THRESH_OTSU` (CV_8UC1 or CV_16UC1 source)
   * or `| THRESH_TRIANGLE` (CV_8UC1 source).
   * @default cv.THRESH_BINARY
   */
  type?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

/** What {@link threshold} returns: cv2's `(retval, dst)`. */
export interface ThresholdResult {
  /** The threshold used (computed by THRESH_OTSU / THRESH_TRIANGLE). */
  thresh: number;
  /** The thresholded Mat, of the source's type; caller deletes. */
  dst: Mat;
}

const BASE_TYPES: readonly ConstantName[] = ['THRESH_BINARY', 'THRESH_BINARY_INV', 'THRESH_TRUNC', 'THRESH_TOZERO', 'THRESH_TOZERO_INV'];

const KEYS = optionKeys<ThresholdOptions>({ thresh: 1, maxval: 1, type: 1, dst: 1 });

/**
 * Fixed-level threshold, as `retval, dst = cv2.threshold(src, thresh, maxval, type)`.
 *
 * @param src - CV_8U, CV_16U, CV_16S, CV_32F or CV_64F, any number of channels
 *   (one for THRESH_OTSU and THRESH_TRIANGLE).
 * @param options - See {@link ThresholdOptions}; `thresh` and `maxval` are required.
 * @returns The threshold used and the result (`options.dst` if given); caller deletes `dst`.
 * @throws TypeError for a bad `src` or depth, or a source that the automatic
 *   threshold cannot take; RangeError for a bad `type`, `thresh` or `maxval`;
 *   OpenCVError if OpenCV fails.
 */
export function threshold(src: Mat, options: ThresholdOptions): ThresholdResult {
  assertKnownKeys('threshold', options, KEYS);
  const { thresh, maxval, type = constant('THRESH_BINARY'), dst } = options;
  assertMat('src', src);
  assertDepth('src', src, IMAGE_DEPTHS);
  assertNumber('thresh', thresh);
  assertNumber('maxval', maxval);
  const otsu = constant('THRESH_OTSU');
  const triangle = constant('THRESH_TRIANGLE');
  const automatic = typeof type === 'number' ? type & (otsu | triangle) : 0;
  const base = typeof type === 'number' ? type & ~(otsu | triangle) : type;
  if (!Number.isInteger(type) || automatic === (otsu | triangle) || !BASE_TYPES.some((name) => constant(name) === base)) {
    throw invalidParameter('type', `one of ${BASE_TYPES.join(', ')}, optionally | THRESH_OTSU or | THRESH_TRIANGLE`, type);
  }
  const needs = automatic === otsu ? ['CV_8UC1', 'CV_16UC1'] : automatic === triangle ? ['CV_8UC1'] : undefined;
  if (needs && !needs.includes(typeName(src))) {
    throw invalidParameter('src', `a ${needs.join(' or ')} Mat for ${automatic === otsu ? 'THRESH_OTSU' : 'THRESH_TRIANGLE'}`, typeName(src), 'type');
  }
  const c = cv();
  let used = thresh;
  const out = callInto('threshold', dst, (mat) => {
    used = c.threshold(src, mat, thresh, maxval, type);
  });
  return { thresh: used, dst: out };
}
