/**
 * What the quality metrics share: the pair check (same size, channels and
 * bit depth) and the region they measure (the image less a border, and
 * optionally only the pixels a mask selects).
 */
import { assertInteger, invalidParameter } from '../errors.js';
import { assertImage, maxValue, type Image } from '../image.js';

/** The part of the image a metric measures; every metric takes these options. */
export interface RegionOptions {
  /**
   * Pixels to leave out along each edge (the figures leave out 16):
   * an integer from 0 to less than half the smaller side.
   * @default 0
   */
  border?: number;
  /**
   * Measure only the pixels where the mask is non-zero: one value a pixel,
   * `width * height` values, row-major (such as {@link bandAroundEdges}
   * makes). The border is left out as well.
   * @default every pixel
   */
  mask?: Uint8Array;
}

/** A checked region: the rectangle [x0, x1) x [y0, y1) and the optional mask. */
export interface Region {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly mask: Uint8Array | undefined;
}

/** Describe an image's shape for messages: `640x480, 3 channels, 8-bit`. */
export function shapeText(image: Image): string {
  return `${image.width}x${image.height}, ${image.channels} channel${image.channels === 1 ? '' : 's'}, ${maxValue(image) === 255 ? 8 : 16}-bit`;
}

/**
 * Check a pair of images to compare sample by sample.
 *
 * @throws TypeError when either is not an image; RangeError when their
 *   sizes, channels or bit depths differ.
 */
export function assertPair(nameA: string, a: unknown, nameB: string, b: unknown): asserts a is Image {
  assertImage(nameA, a);
  assertImage(nameB, b);
  const ia = a as Image;
  const ib = b as Image;
  if (ia.width !== ib.width || ia.height !== ib.height || ia.channels !== ib.channels || maxValue(ia) !== maxValue(ib)) {
    throw new RangeError(`Expected ${nameB} of the same size as ${nameA} (${shapeText(ia)}) but received ${shapeText(ib)}`);
  }
}

/**
 * Check the region options against an image size.
 *
 * @throws TypeError, RangeError for a bad border or mask.
 */
export function resolveRegion(width: number, height: number, options: RegionOptions): Region {
  const { border = 0, mask } = options;
  const most = Math.floor((Math.min(width, height) - 1) / 2);
  assertInteger('border', border, 0, most);
  if (mask !== undefined) {
    if (!(mask instanceof Uint8Array)) throw invalidParameter('mask', 'a Uint8Array', mask, 'type');
    if (mask.length !== width * height) throw invalidParameter('mask', `${width * height} values (${width}x${height})`, mask, 'range');
  }
  return { x0: border, y0: border, x1: width - border, y1: height - border, mask };
}

/** The error for a region that selects no pixel (a mask empty inside the border). */
export function emptyRegion(): RangeError {
  return new RangeError('Expected a mask that selects at least one pixel inside the border but it selects none');
}
