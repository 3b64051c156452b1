import { assertKnownKeys, assertNumber, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import type { Mat } from './runtime.js';
import { assertDepthOrKeep, assertMat } from './validate.js';

/** Options of {@link convertTo}. */
export interface ConvertToOptions {
  /**
   * Depth of the result (the channel count is kept): -1 for the source's, or
   * a depth constant such as `cv.CV_32F`.
   * @default -1
   */
  rtype?: number;
  /**
   * Factor applied to every value.
   * @default 1
   */
  alpha?: number;
  /**
   * Value added after scaling.
   * @default 0
   */
  beta?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

const KEYS = optionKeys<ConvertToOptions>({ rtype: 1, alpha: 1, beta: 1, dst: 1 });

/**
 * Convert to another depth with optional scaling, as C++ `src.convertTo(dst,
 * rtype, alpha, beta)`: `alpha * src + beta`, rounded to nearest (ties to
 * even) and saturated for integer depths.
 *
 * @param src - Any depth and number of channels.
 * @param options - See {@link ConvertToOptions}.
 * @returns The converted Mat (`options.dst` if given); caller deletes.
 * @throws TypeError for a bad `src`; RangeError for a bad `rtype`, `alpha`
 *   or `beta`; OpenCVError if OpenCV fails.
 */
export function convertTo(src: Mat, options: ConvertToOptions = {}): Mat {
  assertKnownKeys('convertTo', options, KEYS);
  const { rtype = -1, alpha = 1, beta = 0, dst } = options;
  assertMat('src', src);
  assertDepthOrKeep('rtype', rtype);
  assertNumber('alpha', alpha);
  assertNumber('beta', beta);
  return callInto('convertTo', dst, (out) => src.convertTo(out, rtype, alpha, beta));
}
