/**
 * The image types that cross the library's boundary.
 *
 * Pixel data lives in ordinary typed arrays, outside the OpenCV.js heap, so
 * that any number of images can be held while the WebAssembly heap only ever
 * holds what one step needs.
 */
import { invalidParameter } from './errors.js';

/** Interleaved pixel samples, row-major. */
export type Samples = Uint8Array | Uint16Array;

/**
 * A decoded image: `channels` interleaved samples per pixel, row-major.
 * Colour images are RGB (not OpenCV's BGR); the methods treat every channel
 * alike, so the order never changes a result.
 */
export interface Image {
  /** Width in pixels, at least 1. */
  readonly width: number;
  /** Height in pixels, at least 1. */
  readonly height: number;
  /** 1 (grayscale) or 3 (RGB). */
  readonly channels: 1 | 3;
  /** `width * height * channels` samples: `Uint8Array` for 8-bit, `Uint16Array` for 16-bit. */
  readonly data: Samples;
  /**
   * What the image carries from the file it was read from to the files written
   * from it: its ICC profile and EXIF (JPEG and PNG files; see {@link ImageMetadata}).
   * Absent when the file had neither, or for an image made in memory.
   */
  readonly metadata?: ImageMetadata;
}

/**
 * Metadata kept from an image file and written into JPEG and PNG files.
 * The pixels are never converted: the profile describes the samples as they are.
 */
export interface ImageMetadata {
  /** The raw ICC profile (the bytes of the `.icc` file). */
  readonly icc?: Uint8Array;
  /**
   * The raw EXIF block: the TIFF structure (from its `II`/`MM` byte-order mark,
   * without the `Exif\0\0` prefix of a JPEG segment or of sharp's `metadata().exif`),
   * with the orientation tag set to 1, since the pixels are already rotated.
   */
  readonly exif?: Uint8Array;
}

/** A float32 image (or single plane when `channels` is 1), interleaved like {@link Image}. */
export interface FloatImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Samples per pixel. */
  readonly channels: number;
  /** `width * height * channels` samples. */
  readonly data: Float32Array;
}

/** The largest sample value of an image's depth: 255 or 65535. */
export function maxValue(image: Image): number {
  return image.data instanceof Uint16Array ? 65535 : 255;
}

/**
 * Check that `image` is a well-formed {@link Image}.
 *
 * @param name - Name used in the error message.
 * @param image - The value to check.
 * @throws TypeError when it is not an image or its data has the wrong length.
 */
export function assertImage(name: string, image: unknown): asserts image is Image {
  const img = image as Image;
  if (typeof image !== 'object' || image === null || !(img.data instanceof Uint8Array || img.data instanceof Uint16Array)) {
    throw invalidParameter(name, 'an image ({ width, height, channels, data })', image, 'type');
  }
  const { width, height, channels, data } = img;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw invalidParameter(`${name}.width/height`, 'positive integers', `${width}x${height}`, 'type');
  }
  if (channels !== 1 && channels !== 3) throw invalidParameter(`${name}.channels`, '1 or 3', channels, 'type');
  if (data.length !== width * height * channels) {
    throw invalidParameter(`${name}.data`, `${width * height * channels} samples (${width}x${height}x${channels})`, data, 'type');
  }
  const { metadata } = img;
  if (metadata === undefined) return;
  if (typeof metadata !== 'object' || metadata === null) throw invalidParameter(`${name}.metadata`, 'an object ({ icc?, exif? })', metadata, 'type');
  for (const key of ['icc', 'exif'] as const) {
    const value = metadata[key];
    if (value !== undefined && !(value instanceof Uint8Array)) throw invalidParameter(`${name}.metadata.${key}`, 'a Uint8Array', value, 'type');
  }
}

/** Allocate a zeroed float image. */
export function newFloatImage(width: number, height: number, channels: number): FloatImage {
  return { width, height, channels, data: new Float32Array(width * height * channels) };
}

/**
 * Convert an 8- or 16-bit image to float32 on the 0..255 scale the methods'
 * constants are made for (16-bit samples are divided by 257).
 *
 * @param image - The image.
 * @param out - Where to write (as many values as samples); a new array if omitted.
 * @returns The float image.
 */
export function toFloat(image: Image, out?: Float32Array): FloatImage {
  const data = out ?? new Float32Array(image.data.length);
  data.set(image.data);
  if (image.data instanceof Uint16Array) for (let i = 0; i < data.length; i++) data[i] /= 257;
  return { width: image.width, height: image.height, channels: image.channels, data };
}
