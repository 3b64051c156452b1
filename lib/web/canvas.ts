/**
 * Decoding and encoding images with what a browser has: `createImageBitmap`
 * to decode (JPEG, PNG, WebP, ... whatever the browser reads), an
 * `OffscreenCanvas` to read its pixels and to encode PNG or JPEG. Works in a
 * page and in a worker; 8 bits per sample, colour (a canvas is RGBA).
 */
import type { Image } from '../image.js';

/** The most pixels a frame may have by default: 100 MP (the tab's memory is the limit, see `MAX_WEB_PIXELS`). */
export const DEFAULT_WEB_MAX_PIXELS = 100_000_000;

/** A file the browser cannot decode as an image. */
export class NotAnImageError extends TypeError {
  /** `'NotAnImageError'`. */
  override name = 'NotAnImageError';
  /**
   * @param file - The file's name.
   * @param reason - What the browser said.
   */
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file} is not an image this browser can decode (${reason})`);
  }
}

/** A frame of more pixels than allowed. */
export class FrameTooLargeError extends RangeError {
  /** `'FrameTooLargeError'`. */
  override name = 'FrameTooLargeError';
  /**
   * @param file - The file's name.
   * @param width - Its width.
   * @param height - Its height.
   * @param maxPixels - The limit.
   */
  constructor(
    readonly file: string,
    readonly width: number,
    readonly height: number,
    readonly maxPixels: number,
  ) {
    super(`${file} is ${width}x${height} (${(width * height / 1e6).toFixed(1)} MP): frames of at most ${(maxPixels / 1e6).toFixed(0)} MP fit in this tab`);
  }
}

/** Options of {@link decodeImageBlob}. */
export interface WebDecodeOptions {
  /**
   * The most pixels the image may have.
   * @default 100 MP ({@link DEFAULT_WEB_MAX_PIXELS})
   */
  maxPixels?: number;
  /** The name for messages. @default the blob's `name`, or 'the image' */
  name?: string;
}

interface Canvas2D {
  drawImage(image: unknown, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  putImageData(data: unknown, x: number, y: number): void;
}
interface OffscreenCanvasLike {
  getContext(type: '2d', options?: object): Canvas2D | null;
  convertToBlob(options?: { type?: string; quality?: number }): Promise<Blob>;
}
interface BitmapLike {
  readonly width: number;
  readonly height: number;
  close(): void;
}
interface CanvasHost {
  createImageBitmap(blob: Blob, options?: object): Promise<BitmapLike>;
  OffscreenCanvas: new (width: number, height: number) => OffscreenCanvasLike;
  ImageData: new (data: Uint8ClampedArray, width: number, height: number) => unknown;
}

function canvasHost(): CanvasHost {
  const h = globalThis as unknown as Partial<CanvasHost>;
  if (typeof h.createImageBitmap !== 'function' || typeof h.OffscreenCanvas !== 'function') {
    throw new Error('this host has no createImageBitmap / OffscreenCanvas: decode frames another way (in Node.js, loadImage)');
  }
  return h as CanvasHost;
}

function context(canvas: OffscreenCanvasLike): Canvas2D {
  const ctx = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
  if (!ctx) throw new Error('no 2D context on an OffscreenCanvas');
  return ctx;
}

/**
 * Decode an image file in the browser: its exact samples (no colour-space
 * conversion, no premultiplied alpha; alpha is dropped), as an 8-bit colour
 * {@link Image}.
 *
 * @param blob - The file (a `File` or a `Blob`).
 * @param options - See {@link WebDecodeOptions}.
 * @returns The image (3 channels, 8 bits), which the caller owns.
 * @throws {@link NotAnImageError} when the browser cannot decode it; {@link FrameTooLargeError}.
 */
export async function decodeImageBlob(blob: Blob, options: WebDecodeOptions = {}): Promise<Image> {
  const { maxPixels = DEFAULT_WEB_MAX_PIXELS } = options;
  const name = options.name ?? ((blob as Blob & { name?: string }).name || 'the image');
  const h = canvasHost();
  let bitmap: BitmapLike;
  try {
    bitmap = await h.createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none', imageOrientation: 'from-image' });
  } catch (error) {
    throw new NotAnImageError(name, error instanceof Error ? error.message : String(error));
  }
  try {
    const { width, height } = bitmap;
    if (width * height > maxPixels) throw new FrameTooLargeError(name, width, height, maxPixels);
    const canvas = new h.OffscreenCanvas(width, height);
    const ctx = context(canvas);
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0, o = 0; o < data.length; i += 4, o += 3) {
      data[o] = rgba[i];
      data[o + 1] = rgba[i + 1];
      data[o + 2] = rgba[i + 2];
    }
    return { width, height, channels: 3, data };
  } finally {
    bitmap.close();
  }
}

/** Options of {@link encodeImageBlob}. */
export interface WebEncodeOptions {
  /**
   * `'image/png'` or `'image/jpeg'`.
   * @default 'image/png'
   */
  type?: 'image/png' | 'image/jpeg';
  /**
   * JPEG quality, 0 to 1.
   * @default 0.92
   */
  quality?: number;
}

/**
 * Encode an image with the browser's canvas (16-bit samples are scaled to 8 bits).
 *
 * @param image - 1 or 3 channels, 8 or 16 bits.
 * @param options - See {@link WebEncodeOptions}.
 * @returns The file, as a Blob.
 * @throws Error when the host has no `OffscreenCanvas`.
 */
export async function encodeImageBlob(image: Image, options: WebEncodeOptions = {}): Promise<Blob> {
  const { type = 'image/png', quality = 0.92 } = options;
  const h = canvasHost();
  const { width, height, channels, data } = image;
  const scale = data instanceof Uint16Array ? 1 / 257 : 1; // round(v / 257), as the codecs' to8Bit
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, s = 0; i < rgba.length; i += 4, s += channels) {
    rgba[i] = Math.round(data[s] * scale);
    rgba[i + 1] = Math.round(data[channels === 1 ? s : s + 1] * scale);
    rgba[i + 2] = Math.round(data[channels === 1 ? s : s + 2] * scale);
    rgba[i + 3] = 255;
  }
  const canvas = new h.OffscreenCanvas(width, height);
  context(canvas).putImageData(new h.ImageData(rgba, width, height), 0, 0);
  return canvas.convertToBlob({ type, quality });
}
