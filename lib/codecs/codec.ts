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
   *
   * @param bytes - The file's contents.
   * @returns The decoded image.
   * @throws Error naming the problem when the bytes are not a readable image.
   */
  decode(bytes: Uint8Array): Promise<Image>;
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
