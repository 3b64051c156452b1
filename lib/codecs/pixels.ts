/**
 * What both codecs share: the checks of their arguments and the conversions
 * between {@link Image} and the 8-bit RGBA that jimp (and the BMP path of the
 * sharp codec) works in.
 */
import { assertInteger, assertOneOf, invalidParameter } from '../errors.js';
import { assertImage, type Image } from '../image.js';
import { DEFAULT_QUALITY, Format, type EncodeOptions } from './codec.js';
import { sniffChannels, sniffFormat, type SniffedLayout } from './sniff.js';

/** What a decoder needs to know about a file before decoding it. */
export interface FileLayout extends SniffedLayout {
  format: Format;
}

/**
 * Check the argument of `Codec.decode` and read the file's layout.
 *
 * @param bytes - The file's contents.
 * @returns Its format, channel count and depth.
 * @throws TypeError when `bytes` is not a Uint8Array; Error when it is not one of {@link Format}.
 */
export function inspectFile(bytes: unknown): FileLayout {
  if (!(bytes instanceof Uint8Array)) throw invalidParameter('bytes', 'a Uint8Array', bytes, 'type');
  const format = sniffFormat(bytes);
  if (format === undefined) throw new Error('Unrecognised image format (expected JPEG, PNG, TIFF or BMP)');
  return { format, ...(sniffChannels(bytes) as SniffedLayout) };
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
