/**
 * The codec interface: bytes of an image file in, {@link Image} out, and back.
 *
 * Two implementations: `jimp` (pure JavaScript, always available, runs in a
 * browser) and `sharp` (libvips, an optional dependency, about 25 times
 * faster; the default in Node whenever it loads).
 */
import type { Image } from '../image.js';

/** Image file formats the codecs read and write. */
export const Format = {
  /** JPEG (`.jpg`, `.jpeg`): 8 bits, lossy, quality 1 to 100. */
  JPG: 'jpg',
  /** PNG: 8 or 16 bits, lossless. */
  PNG: 'png',
  /** TIFF (`.tif`, `.tiff`): 8 or 16 bits, LZW. */
  TIF: 'tif',
  /** BMP: 8 bits. */
  BMP: 'bmp',
} as const;
export type Format = (typeof Format)[keyof typeof Format];

/** Codec names. */
export const CodecName = {
  /** libvips through the optional dependency sharp: fast, 16 bits. */
  SHARP: 'sharp',
  /** jimp: pure JavaScript, 8 bits, always there. */
  JIMP: 'jimp',
} as const;
export type CodecName = (typeof CodecName)[keyof typeof CodecName];

/** The JPEG quality used when none is given (OpenCV's default, the original's). */
export const DEFAULT_QUALITY = 95;

/** The largest image decoded when no limit is given: 100 megapixels. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/** Options of {@link Codec.decode}. */
export interface DecodeOptions {
  /**
   * Refuse, before decoding, an image of more pixels than this (width times
   * height, as the file header declares them), with an {@link ImageTooLargeError}.
   * @default 100_000_000
   */
  maxPixels?: number;
}

/**
 * An image file declares more pixels than the limit ({@link DecodeOptions.maxPixels}):
 * refused from its header, before any decoding.
 */
export class ImageTooLargeError extends Error {
  /** `'ImageTooLargeError'`. */
  override name = 'ImageTooLargeError';

  /**
   * @param width - The width the header declares.
   * @param height - The height the header declares.
   * @param maxPixels - The limit.
   */
  constructor(
    readonly width: number,
    readonly height: number,
    readonly maxPixels: number,
  ) {
    // In megapixels ("268 megapixels, above the limit of 100"), or pixels for a limit below one.
    const pixels = width * height;
    const [size, limit] = maxPixels >= 1e6 ? [`${megapixels(pixels)} megapixels`, megapixels(maxPixels)] : [`${pixels} pixels`, String(maxPixels)];
    super(`${width}x${height} is ${size}, above the limit of ${limit}`);
  }
}

/**
 * An image file whose structure is broken in a way found before decoding it (a
 * second PNG IHDR chunk, a TIFF strip past the end of the file...), or whose
 * decoded size differs from its header's.
 */
export class CorruptImageError extends Error {
  /** `'CorruptImageError'`. */
  override name = 'CorruptImageError';

  /**
   * @param format - The file's format.
   * @param problem - What is wrong, as a short phrase ("a second IHDR chunk").
   */
  constructor(
    readonly format: Format,
    readonly problem: string,
  ) {
    super(`corrupt ${format} file: ${problem}`);
  }
}

/** Pixels as megapixels for people: `268`, `1.5`. */
function megapixels(pixels: number): string {
  const mp = pixels / 1e6;
  return String(mp >= 10 ? Math.round(mp) : Number(mp.toPrecision(2)));
}

/** Options of {@link Codec.encode}. */
export interface EncodeOptions {
  /**
   * JPEG quality, 1 to 100 (ignored by the other formats).
   * @default 95
   */
  quality?: number;
}

/** Decodes and encodes image files. */
export interface Codec {
  /** Which codec this is. */
  readonly name: CodecName;
  /**
   * Decode an image file. EXIF orientation is applied (as `cv2.imread` does);
   * a grayscale file gives a 1-channel image, anything else 3 channels (RGB,
   * alpha dropped); 16-bit files give 16-bit samples where the codec can.
   * The header is read and the file's structure checked before decoding.
   *
   * @param bytes - The file's contents.
   * @param options - See {@link DecodeOptions}.
   * @returns The decoded image.
   * @throws TypeError or RangeError for a bad argument; {@link ImageTooLargeError} when the
   *   header declares more than `maxPixels`; {@link CorruptImageError} when the structure is
   *   broken or the decoded size is not the header's; Error naming the problem when the bytes
   *   are not a readable image otherwise.
   */
  decode(bytes: Uint8Array, options?: DecodeOptions): Promise<Image>;
  /**
   * Encode an image.
   *
   * @param image - 1 or 3 channels, 8 or 16 bits (16 bits where the format allows; otherwise scaled to 8).
   * @param format - The file format.
   * @param options - See {@link EncodeOptions}.
   * @returns The file's contents.
   */
  encode(image: Image, format: Format, options?: EncodeOptions): Promise<Uint8Array>;
}
