/**
 * What an image file is, read from its first bytes: the format from the magic
 * number, the channel count and bit depth from the header. Pure functions on
 * the bytes, shared by both codecs so that they take the same decisions.
 */
import { Format } from './codec.js';

/** Width and height of an image, in pixels. */
export interface ImageSize {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/** Channel count and sample depth that a decoded file should have. */
export interface SniffedLayout {
  /** 1 when the file is grayscale, 3 otherwise (colour, palette, alpha dropped). */
  channels: 1 | 3;
  /** 16 for 16-bit PNG and TIFF, 8 for everything else. */
  depth: 8 | 16;
}

/**
 * Recognise an image format from its magic number.
 *
 * @param bytes - The start of the file (a few bytes are enough; BMP checks 18).
 * @returns The format, or `undefined` when the bytes are none of {@link Format}.
 * @throws Nothing: any bytes are accepted.
 */
export function sniffFormat(bytes: Uint8Array): Format | undefined {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return Format.JPG;
  if (b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v)) return Format.PNG;
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42))) {
    return Format.TIF;
  }
  // "BM" alone matches text; also require a known DIB header size.
  if (b.length >= 18 && b[0] === 0x42 && b[1] === 0x4d && BMP_HEADER_SIZES.includes(u32(b, 14, true))) return Format.BMP;
  return undefined;
}

/**
 * Read from the file header whether the image is grayscale and 16-bit:
 * PNG colour type 0/4 and bit depth 16; JPEG frame with 1 component; BMP
 * 8-bit uncompressed with an all-gray palette; TIFF photometric interpretation
 * 0/1 (or 1 sample without one) and 16 bits per sample.
 *
 * @param bytes - The file, or at least its header (BMP: and its palette).
 * @returns The layout, or `undefined` when {@link sniffFormat} does not recognise
 *   the bytes. A recognised but truncated header gives the default, 3 channels of 8 bits.
 * @throws Nothing: any bytes are accepted.
 */
export function sniffChannels(bytes: Uint8Array): SniffedLayout | undefined {
  const format = sniffFormat(bytes);
  if (format === undefined) return undefined;
  const layout: SniffedLayout = { channels: 3, depth: 8 };
  switch (format) {
    case Format.PNG:
      // Signature, then the IHDR chunk: length, "IHDR", width, height, bit depth, colour type.
      if (bytes.length >= 26 && String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR') {
        if (bytes[25] === 0 || bytes[25] === 4) layout.channels = 1;
        if (bytes[24] === 16) layout.depth = 16;
      }
      return layout;
    case Format.JPG: {
      const components = jpegComponents(bytes);
      if (components === 1) layout.channels = 1;
      return layout;
    }
    case Format.BMP:
      if (isGrayBmp(bytes)) layout.channels = 1;
      return layout;
    case Format.TIF:
      return tiffLayout(bytes) ?? layout;
  }
}

/**
 * Read the image's width and height from the file header, without decoding:
 * PNG IHDR; JPEG first frame header (SOFn) before the scan; BMP info header
 * (the absolute value of a negative, top-down, height); TIFF ImageWidth and
 * ImageLength of the first IFD.
 *
 * @param bytes - The file, or at least its header (TIFF: its first IFD).
 * @returns The size as the header declares it (a zero, or a BMP's negative width, is
 *   returned as it is), or `undefined` when the format is not recognised or the header
 *   is cut short.
 * @throws Nothing: any bytes are accepted.
 */
export function sniffSize(bytes: Uint8Array): ImageSize | undefined {
  const b = bytes;
  switch (sniffFormat(b)) {
    case Format.PNG:
      if (b.length < 24 || String.fromCharCode(...b.subarray(12, 16)) !== 'IHDR') return undefined;
      return { width: u32(b, 16, false), height: u32(b, 20, false) };
    case Format.JPG: {
      const at = jpegFrame(b);
      if (at === undefined || at + 9 > b.length) return undefined;
      return { width: u16(b, at + 7, false), height: u16(b, at + 5, false) }; // length(2) precision(1) height(2) width(2)
    }
    case Format.BMP: {
      if (u32(b, 14, true) === 12) return b.length < 26 ? undefined : { width: u16(b, 18, true), height: u16(b, 20, true) };
      if (b.length < 26) return undefined;
      return { width: u32(b, 18, true) | 0, height: Math.abs(u32(b, 22, true) | 0) };
    }
    case Format.TIF: {
      const tags = tiffTags(b);
      const width = tags?.get(TAG_WIDTH);
      const height = tags?.get(TAG_HEIGHT);
      return width === undefined || height === undefined ? undefined : { width, height };
    }
    default:
      return undefined;
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const BMP_HEADER_SIZES = [12, 40, 52, 56, 64, 108, 124];

function u16(b: Uint8Array, at: number, little: boolean): number {
  return little ? b[at] | (b[at + 1] << 8) : (b[at] << 8) | b[at + 1];
}

function u32(b: Uint8Array, at: number, little: boolean): number {
  return little ? (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0 : ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Component count of the first frame header (SOFn), or undefined if there is none before the scan. */
function jpegComponents(b: Uint8Array): number | undefined {
  const at = jpegFrame(b);
  return at !== undefined && at + 9 < b.length ? b[at + 9] : undefined; // length(2) precision(1) height(2) width(2) Nf(1)
}

/** Offset of the first frame header (SOFn) marker, or undefined if there is none before the scan. */
function jpegFrame(b: Uint8Array): number | undefined {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) {
      at++; // libjpeg skips (and warns of) stray bytes before a marker
      continue;
    }
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // EOI or SOS before any frame
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return at;
    }
    at += 2 + u16(b, at + 2, false);
  }
  return undefined;
}

/** An uncompressed 8-bit BMP whose palette is all gray (as OpenCV decides, kept simple). */
function isGrayBmp(b: Uint8Array): boolean {
  const headerSize = u32(b, 14, true);
  if (headerSize < 40 || b.length < 50) return false;
  const bitCount = u16(b, 28, true);
  const compression = u32(b, 30, true);
  if (bitCount !== 8 || compression !== 0) return false;
  const colours = u32(b, 46, true) || 256;
  const start = 14 + headerSize;
  if (colours > 256 || start + 4 * colours > b.length) return false;
  for (let i = start; i < start + 4 * colours; i += 4) {
    if (b[i] !== b[i + 1] || b[i] !== b[i + 2]) return false; // B, G, R, reserved
  }
  return true;
}

const TAG_WIDTH = 256;
const TAG_HEIGHT = 257;
const TAG_BITS_PER_SAMPLE = 258;
const TAG_PHOTOMETRIC = 262;
const TAG_SAMPLES_PER_PIXEL = 277;

/** Layout from the first IFD of a classic TIFF, or undefined if it cannot be read. */
function tiffLayout(b: Uint8Array): SniffedLayout | undefined {
  const tags = tiffTags(b);
  if (tags === undefined) return undefined;
  const bits = tags.get(TAG_BITS_PER_SAMPLE) ?? 8;
  const photometric = tags.get(TAG_PHOTOMETRIC);
  const samples = tags.get(TAG_SAMPLES_PER_PIXEL) ?? 1;
  const gray = photometric === undefined ? samples <= 2 : photometric === 0 || photometric === 1;
  return { channels: gray ? 1 : 3, depth: bits === 16 ? 16 : 8 };
}

/** First value (SHORT or LONG) of each tag of the first IFD of a classic TIFF, or undefined if the IFD cannot be read. */
function tiffTags(b: Uint8Array): Map<number, number> | undefined {
  const little = b[0] === 0x49;
  if (b.length < 8) return undefined;
  const ifd = u32(b, 4, little);
  if (ifd + 2 > b.length) return undefined;
  const count = u16(b, ifd, little);
  const tags = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + 12 * i;
    if (entry + 12 > b.length) return undefined;
    const tag = u16(b, entry, little);
    const type = u16(b, entry + 2, little);
    // First value, SHORT or LONG. A single SHORT or LONG (and two SHORTs) sit
    // in the entry itself; longer BitsPerSample arrays are at an offset.
    const size = type === 4 ? 4 : 2;
    let at = entry + 8;
    if (u32(b, entry + 4, little) * size > 4) at = u32(b, at, little);
    if (at + size > b.length) continue;
    tags.set(tag, size === 4 ? u32(b, at, little) : u16(b, at, little));
  }
  return tags;
}
