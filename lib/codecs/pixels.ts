/**
 * What both codecs share: the checks of their arguments and the conversions
 * between {@link Image} and the 8-bit RGBA that jimp (and the BMP path of the
 * sharp codec) works in.
 */
import { assertInteger, assertOneOf, invalidParameter } from '../errors.js';
import { assertImage, type Image } from '../image.js';
import { CorruptImageError, DEFAULT_MAX_PIXELS, DEFAULT_QUALITY, Format, ImageTooLargeError, type DecodeOptions, type EncodeOptions } from './codec.js';
import { checkStructure } from './structure.js';
import { sniffChannels, sniffFormat, sniffSize, type ImageSize, type SniffedLayout } from './sniff.js';

/** What a decoder needs to know about a file before decoding it. */
export interface FileLayout extends SniffedLayout, ImageSize {
  format: Format;
  /** The limit the decoder must enforce too (sharp's `limitInputPixels`). */
  maxPixels: number;
}

/**
 * Check the arguments of `Codec.decode`, read the file's layout and size from its
 * header, refuse a size above the limit, and check the file's structure: all before
 * any decoding, in time proportional to the number of chunks or tags.
 *
 * @param bytes - The file's contents.
 * @param options - The decode options.
 * @returns Its format, channel count, depth and size, and the pixel limit.
 * @throws TypeError when `bytes` is not a Uint8Array or `maxPixels` not a number; RangeError
 *   when `maxPixels` is not a positive integer; Error when the bytes are not one of {@link Format};
 *   ImageTooLargeError; CorruptImageError.
 */
export function inspectFile(bytes: unknown, options: DecodeOptions = {}): FileLayout {
  if (!(bytes instanceof Uint8Array)) throw invalidParameter('bytes', 'a Uint8Array', bytes, 'type');
  const { maxPixels = DEFAULT_MAX_PIXELS } = options;
  assertInteger('maxPixels', maxPixels, 1, Number.MAX_SAFE_INTEGER);
  const format = sniffFormat(bytes);
  if (format === undefined) throw new Error('Unrecognised image format (expected JPEG, PNG, TIFF or BMP)');
  const size = sniffSize(bytes);
  if (size !== undefined && size.width > 0 && size.height > 0 && size.width * size.height > maxPixels) {
    throw new ImageTooLargeError(size.width, size.height, maxPixels);
  }
  const problem = checkStructure(bytes, format);
  if (problem !== undefined) throw new CorruptImageError(format, problem);
  if (size === undefined) throw new CorruptImageError(format, 'no size in the header');
  return { format, ...(sniffChannels(bytes) as SniffedLayout), ...size, maxPixels };
}

/**
 * Check that a decoder gave the size that the header declares (or its transpose,
 * after an EXIF rotation).
 *
 * @param width - The decoded width.
 * @param height - The decoded height.
 * @param layout - What {@link inspectFile} read.
 * @returns Nothing.
 * @throws CorruptImageError when the sizes differ.
 */
export function checkDecodedSize(width: number, height: number, layout: FileLayout): void {
  const { width: w, height: h } = layout;
  if ((width === w && height === h) || (width === h && height === w)) return;
  throw new CorruptImageError(layout.format, `decoded as ${width}x${height} where the header says ${w}x${h}`);
}

/**
 * Check the arguments of `Codec.encode`.
 *
 * @param image - The image to encode.
 * @param format - The file format.
 * @param options - The encode options.
 * @returns The JPEG quality, 95 when not given.
 * @throws TypeError for a malformed image or an unknown format; RangeError for a quality
 *   that is not an integer from 1 to 100.
 */
export function checkEncodeArgs(image: unknown, format: unknown, options: EncodeOptions): number {
  assertImage('image', image);
  assertOneOf('format', format, Object.values(Format));
  const { quality = DEFAULT_QUALITY } = options;
  return assertInteger('quality', quality, 1, 100);
}

/**
 * Build an image from 8-bit RGBA samples: alpha dropped, and for a grayscale
 * image only the red sample kept (the decoders replicate gray into R, G and B).
 *
 * @param rgba - `width * height * 4` samples.
 * @param width - Width in pixels.
 * @param height - Height in pixels.
 * @param channels - 1 for grayscale, 3 for RGB.
 * @returns A new 8-bit image.
 * @throws Nothing (the codecs check their arguments first).
 */
export function fromRgba(rgba: ArrayLike<number>, width: number, height: number, channels: 1 | 3): Image {
  const n = width * height;
  const data = new Uint8Array(n * channels);
  if (channels === 1) {
    for (let i = 0; i < n; i++) data[i] = rgba[4 * i];
  } else {
    for (let i = 0, o = 0; i < n; i++, o += 3) {
      data[o] = rgba[4 * i];
      data[o + 1] = rgba[4 * i + 1];
      data[o + 2] = rgba[4 * i + 2];
    }
  }
  return { width, height, channels, data };
}

/**
 * Expand an image to opaque 8-bit RGBA: gray replicated, 16-bit scaled as {@link to8Bit}.
 *
 * @param image - 1 or 3 channels, 8 or 16 bits.
 * @returns `width * height * 4` samples in a new array.
 * @throws Nothing (the codecs check their arguments first).
 */
export function toRgba(image: Image): Uint8Array {
  const { data, channels } = to8Bit(image);
  const n = image.width * image.height;
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    rgba[4 * i] = data[s];
    rgba[4 * i + 1] = data[channels === 1 ? s : s + 1];
    rgba[4 * i + 2] = data[channels === 1 ? s : s + 2];
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

/**
 * Scale a 16-bit image to 8 bits, `round(v / 257)` (the inverse of `v * 257`,
 * and what pngjs does); an 8-bit image is returned as it is.
 *
 * @param image - 8 or 16 bits.
 * @returns An 8-bit image.
 * @throws Nothing.
 */
export function to8Bit(image: Image): Image {
  if (!(image.data instanceof Uint16Array)) return image;
  const src = image.data;
  const data = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) data[i] = Math.round(src[i] / 257);
  return { ...image, data };
}
