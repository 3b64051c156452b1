import { assertKnownKeys, invalidParameter, optionKeys } from '../errors.js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { IMAGE_DEPTHS, assertAnchor, assertBorder, assertDdepth, assertMat, assertSize, constant, type DepthTable, type Point, type Size } from './validate.js';

/** Options of {@link boxFilter}. */
export interface BoxFilterOptions {
  /**
   * Kernel size `[width, height]`, positive integers (even sizes allowed).
   * @default [3, 3]
   */
  ksize?: Size;
  /**
   * Divide by the kernel area (a mean) or not (a sum).
   * @default true
   */
  normalize?: boolean;
  /**
   * Depth of the result: -1 for the source's, or CV_8U, CV_16U, CV_16S,
   * CV_32S (integer sources only), CV_32F, CV_64F.
   * @default -1
   */
  ddepth?: number;
  /**
   * Position of the filtered pixel in the kernel, `[x, y]`; -1 means the centre.
   * @default [-1, -1]
   */
  anchor?: Point;
  /**
   * Border mode: BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT, BORDER_WRAP
   * or BORDER_REFLECT_101 (optionally `| BORDER_ISOLATED`).
   * @default cv.BORDER_REFLECT_101
   */
  borderType?: number;
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

/** Integer sources sum in CV_32S and may keep it; float sources sum in CV_64F, which has no CV_32S output. */
const FROM_INTEGER = ['CV_8U', 'CV_16U', 'CV_16S', 'CV_32S', 'CV_32F', 'CV_64F'] as const;
const BOX_DEPTHS: DepthTable = {
  CV_8U: FROM_INTEGER,
  CV_16U: FROM_INTEGER,
  CV_16S: FROM_INTEGER,
  CV_32S: FROM_INTEGER,
  CV_32F: IMAGE_DEPTHS,
  CV_64F: IMAGE_DEPTHS,
};

const KEYS = optionKeys<BoxFilterOptions>({ ddepth: 1, ksize: 1, anchor: 1, normalize: 1, borderType: 1, dst: 1 });

/**
 * Box filter, as `cv2.boxFilter(src, ddepth, ksize, anchor=anchor,
 * normalize=normalize, borderType=borderType)`: the mean (or, unnormalised,
 * the sum) over a `ksize` window.
 *
 * @param src - CV_8U, CV_16U, CV_16S, CV_32S, CV_32F or CV_64F, any number of channels.
 * @param options - See {@link BoxFilterOptions}.
 * @returns The filtered Mat (`options.dst` if given); caller deletes.
 * @throws TypeError for a bad `src`, an unsupported source depth or a
 *   non-boolean `normalize`; RangeError for a bad `ksize`, anchor, `ddepth` or
 *   border; OpenCVError if OpenCV fails.
 */
export function boxFilter(src: Mat, options: BoxFilterOptions = {}): Mat {
  assertKnownKeys('boxFilter', options, KEYS);
  const { ksize = [3, 3], normalize = true, ddepth = -1, anchor = [-1, -1], borderType = constant('BORDER_REFLECT_101'), dst } = options;
  assertMat('src', src);
  assertDdepth('ddepth', ddepth, src, BOX_DEPTHS);
  const size = assertSize('ksize', ksize);
  const [ax, ay] = assertAnchor('anchor', anchor, size);
  if (typeof normalize !== 'boolean') throw invalidParameter('normalize', 'a boolean', normalize, 'type');
  assertBorder('borderType', borderType, ['BORDER_CONSTANT', 'BORDER_REPLICATE', 'BORDER_REFLECT', 'BORDER_WRAP', 'BORDER_REFLECT_101']);
  const c = cv();
  return callInto('boxFilter', dst, (out) =>
    c.boxFilter(src, out, ddepth, new c.Size(size[0], size[1]), new c.Point(ax, ay), normalize, borderType),
  );
}
