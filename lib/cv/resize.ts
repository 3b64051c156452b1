import { assertKnownKeys, assertNumber, invalidParameter, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { assertConstant, assertMat, assertSize, constant, depthName, type ConstantName, type Size } from './validate.js';

/** Options of {@link resize}. */
export interface ResizeOptions {
  /**
   * Size of the result `[width, height]`, or `[0, 0]` to scale by `fx`, `fy`.
   * @default [0, 0]
   */
  dsize?: Size;
  /**
   * Horizontal scale factor, used (and then required to be positive) when
   * `dsize` is `[0, 0]`.
   * @default 0
   */
  fx?: number;
  /**
   * Vertical scale factor, used (and then required to be positive) when
   * `dsize` is `[0, 0]`.
   * @default 0
   */
  fy?: number;
  /**
   * INTER_NEAREST, INTER_LINEAR, INTER_CUBIC, INTER_AREA, INTER_LANCZOS4,
   * INTER_LINEAR_EXACT or INTER_NEAREST_EXACT (only INTER_NEAREST,
   * INTER_NEAREST_EXACT and INTER_LINEAR_EXACT for CV_8S and CV_32S).
   * @default cv.INTER_LINEAR
   */
  interpolation?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

const INTERPOLATIONS: readonly ConstantName[] = [
  'INTER_NEAREST', 'INTER_LINEAR', 'INTER_CUBIC', 'INTER_AREA', 'INTER_LANCZOS4', 'INTER_LINEAR_EXACT', 'INTER_NEAREST_EXACT',
];
const INTEGER_INTERPOLATIONS: readonly ConstantName[] = ['INTER_NEAREST', 'INTER_LINEAR_EXACT', 'INTER_NEAREST_EXACT'];

const KEYS = optionKeys<ResizeOptions>({ dsize: 1, fx: 1, fy: 1, interpolation: 1, dst: 1 });

/**
 * Resize an image, as `cv2.resize(src, dsize, fx=fx, fy=fy,
 * interpolation=interpolation)`. With `dsize` `[0, 0]` the size is
 * `[round(w * fx), round(h * fy)]`.
 *
 * @param src - Any depth and number of channels (see `interpolation` for CV_8S, CV_32S).
 * @param options - See {@link ResizeOptions}.
 * @returns The resized Mat (`options.dst` if given); caller deletes.
 * @throws TypeError for a bad `src` or a malformed `dsize`; RangeError for a
 *   half-zero `dsize`, scale factors that give an empty image, or an
 *   interpolation OpenCV cannot apply to the depth; OpenCVError if OpenCV fails.
 */
export function resize(src: Mat, options: ResizeOptions = {}): Mat {
  assertKnownKeys('resize', options, KEYS);
  const { dsize = [0, 0], fx = 0, fy = 0, interpolation = constant('INTER_LINEAR'), dst } = options;
  assertMat('src', src);
  const [width, height] = assertSize('dsize', dsize, 0);
  assertNumber('fx', fx, 0);
  assertNumber('fy', fy, 0);
  if ((width === 0) !== (height === 0)) {
    throw invalidParameter(width === 0 ? 'dsize[0]' : 'dsize[1]', 'a positive integer (or [0, 0] for dsize)', 0);
  }
  if (width === 0) {
    // OpenCV rounds w * fx to the nearest integer, ties to even: it must give at least 1.
    if (!(src.cols * fx > 0.5)) throw invalidParameter('fx', `a number above ${0.5 / src.cols} (a width of at least 1)`, fx);
    if (!(src.rows * fy > 0.5)) throw invalidParameter('fy', `a number above ${0.5 / src.rows} (a height of at least 1)`, fy);
  }
  const integer = src.depth() === constant('CV_8S') || src.depth() === constant('CV_32S');
  if (integer) assertConstant(`interpolation (src is ${depthName(src.depth())})`, interpolation, INTEGER_INTERPOLATIONS);
  else assertConstant('interpolation', interpolation, INTERPOLATIONS);
  const c = cv();
  return callInto('resize', dst, (out) => c.resize(src, out, new c.Size(width, height), fx, fy, interpolation));
}
