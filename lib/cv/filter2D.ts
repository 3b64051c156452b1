import { assertKnownKeys, assertNumber, invalidParameter, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { deleteMat, newMat } from './scope.js';
import {
  FILTER_BORDERS,
  LINEAR_FILTER_DEPTHS,
  assertAnchor,
  assertBorder,
  assertDdepth,
  assertDepth,
  assertMat,
  constant,
  typeName,
  type Point,
} from './validate.js';

/** Options of {@link filter2D}. */
export interface Filter2DOptions {
  /**
   * The correlation kernel (cv2's `kernel`): rows of numbers, converted to a
   * CV_32F Mat for the call, or a single-channel CV_32F or CV_64F Mat.
   */
  kernel: readonly (readonly number[])[] | Mat;
  /**
   * Depth of the result: -1 for the source's, or a depth constant. OpenCV
   * allows, for CV_8U: CV_8U, CV_16U, CV_16S, CV_32F, CV_64F; CV_16U/CV_16S:
   * itself, CV_32F, CV_64F; CV_32F and CV_64F: only themselves.
   * @default -1
   */
  ddepth?: number;
  /**
   * Position of the filtered pixel in the kernel, `[x, y]`; -1 means the centre.
   * @default [-1, -1]
   */
  anchor?: Point;
  /**
   * Value added to every result.
   * @default 0
   */
  delta?: number;
  /**
   * Border mode: BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT or
   * BORDER_REFLECT_101 (optionally `| BORDER_ISOLATED`).
   * @default cv.BORDER_REFLECT_101
   */
  borderType?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

const KEYS = optionKeys<Filter2DOptions>({ ddepth: 1, kernel: 1, anchor: 1, delta: 1, borderType: 1, dst: 1 });

/**
 * Correlate an image with a kernel, as `cv2.filter2D(src, ddepth, kernel,
 * anchor=anchor, delta=delta, borderType=borderType)`. Each channel is
 * filtered alone. A 1xN kernel is a row (horizontal), an Nx1 kernel a column.
 *
 * @param src - CV_8U, CV_16U, CV_16S, CV_32F or CV_64F, any number of channels.
 * @param options - See {@link Filter2DOptions}; `kernel` is required.
 * @returns The filtered Mat (`options.dst` if given); caller deletes.
 * @throws TypeError for a missing or malformed kernel, a bad `src` or an
 *   unsupported source depth; RangeError for an unsupported `ddepth`, an
 *   anchor outside the kernel or a bad border; OpenCVError if OpenCV fails.
 */
export function filter2D(src: Mat, options: Filter2DOptions): Mat {
  assertKnownKeys('filter2D', options, KEYS);
  const { kernel, ddepth = -1, anchor = [-1, -1], delta = 0, borderType = constant('BORDER_REFLECT_101'), dst } = options;
  assertMat('src', src);
  assertDdepth('ddepth', ddepth, src, LINEAR_FILTER_DEPTHS);
  const ksize = assertKernel(kernel);
  const [ax, ay] = assertAnchor('anchor', anchor, ksize);
  assertNumber('delta', delta);
  assertBorder('borderType', borderType, FILTER_BORDERS);
  const c = cv();
  const kernelMat = kernel instanceof c.Mat ? kernel : matFromRows(kernel);
  try {
    return callInto('filter2D', dst, (out) =>
      c.filter2D(src, out, ddepth, kernelMat, new c.Point(ax, ay), delta, borderType),
    );
  } finally {
    if (kernelMat !== kernel) deleteMat(kernelMat);
  }
}

/** Check a kernel given as rows of numbers or as a Mat; returns its `[width, height]`. */
function assertKernel(kernel: unknown): readonly [number, number] {
  if (kernel instanceof cv().Mat) {
    assertMat('kernel', kernel);
    assertDepth('kernel', kernel, ['CV_32F', 'CV_64F']);
    if (kernel.channels() !== 1) throw invalidParameter('kernel', 'a single-channel Mat', typeName(kernel), 'type');
    return [kernel.cols, kernel.rows];
  }
  const expected = 'a non-empty array of rows of numbers, or a Mat';
  if (!Array.isArray(kernel) || kernel.length === 0 || !Array.isArray(kernel[0]) || kernel[0].length === 0) {
    throw invalidParameter('kernel', expected, kernel, 'type');
  }
  const cols = (kernel[0] as unknown[]).length;
  kernel.forEach((row: unknown, y) => {
    if (!Array.isArray(row) || row.length !== cols) throw invalidParameter(`kernel[${y}]`, `a row of ${cols} numbers (as kernel[0])`, row, 'type');
    row.forEach((value: unknown, x) => assertNumber(`kernel[${y}][${x}]`, value));
  });
  return [cols, kernel.length];
}

/** A CV_32F Mat holding the rows; caller deletes. */
function matFromRows(rows: readonly (readonly number[])[]): Mat {
  const mat = newMat(rows.length, rows[0].length, cv().CV_32F);
  mat.data32F.set(rows.flat());
  return mat;
}
