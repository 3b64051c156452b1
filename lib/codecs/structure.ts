/**
 * Cheap structural checks of an image file, run before any decoder sees it:
 * the chunks, markers, headers and directories are walked (never the pixel
 * data), so that a hostile file (a PNG with a second IHDR, a TIFF strip past
 * the end of the file, an absurd TIFF count that would make jimp allocate
 * without end) is refused in microseconds with a precise phrase, instead of
 * crashing a decoder, exhausting memory, or decoding to something else than
 * its header says. Pure functions on the bytes; nothing from Node.
 */
import { Format } from './codec.js';

/**
 * Check the structure of a file of a recognised format.
 *
 * @param bytes - The whole file.
 * @param format - Its format, from `sniffFormat`.
 * @returns `undefined` when nothing is wrong, else what is wrong as a short phrase
 *   ("a second IHDR chunk").
 * @throws Nothing: any bytes are accepted.
 */
export function checkStructure(bytes: Uint8Array, format: Format): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case Format.PNG:
      return checkPng(bytes, view);
    case Format.JPG:
      return checkJpeg(bytes, view);
    case Format.BMP:
      return checkBmp(view);
    case Format.TIF:
      return checkTiff(view);
  }
}

// ---------------------------------------------------------------------------
// PNG: exactly one IHDR, first; chunks inside the file; an IDAT; an IEND.

/** Valid bit depths of each PNG colour type. */
const PNG_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** Samples per pixel of each PNG colour type. */
const PNG_SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Deflate's largest compression ratio: a 258-byte match coded in 2 bits. Compressed
 * data shorter than its raw size divided by this cannot hold the image.
 */
const DEFLATE_MAX_RATIO = 1032;

function checkPng(b: Uint8Array, v: DataView): string | undefined {
  let idat = 0;
  let first = true;
  for (let at = 8; ; ) {
    if (at + 8 > b.length) return 'the file ends before the IEND chunk';
    const length = v.getUint32(at);
    const type = String.fromCharCode(b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
    if (at + 12 + length > b.length) return `the file ends inside the ${printable(type)} chunk`;
    if (first && type !== 'IHDR') return 'no IHDR chunk first';
    if (type === 'IHDR') {
      if (!first) return 'a second IHDR chunk';
      if (length !== 13) return `an IHDR chunk of ${length} bytes`;
      const problem = checkIhdr(b, v, at + 8);
      if (problem !== undefined) return problem;
    }
    first = false;
    if (type === 'IDAT') idat += length;
    if (type === 'IEND') {
      if (idat === 0) return 'no IDAT chunk';
      const width = v.getUint32(16);
      const height = v.getUint32(20);
      const raw = height * (1 + Math.ceil((width * PNG_SAMPLES[b[25]] * b[24]) / 8));
      if (idat < Math.floor(raw / DEFLATE_MAX_RATIO)) return `${idat} bytes of IDAT data, too few for ${width}x${height}`;
      return undefined;
    }
    at += 12 + length;
  }
}

function checkIhdr(b: Uint8Array, v: DataView, at: number): string | undefined {
  const width = v.getUint32(at);
  const height = v.getUint32(at + 4);
  const [depth, colourType, compression, filter, interlace] = b.subarray(at + 8, at + 13);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return `an invalid size ${width}x${height} in IHDR`;
  if (!PNG_DEPTHS[colourType]?.includes(depth)) return `bit depth ${depth} with colour type ${colourType} in IHDR`;
  if (compression !== 0 || filter !== 0 || interlace > 1) return 'an unknown compression, filter or interlace method in IHDR';
  return undefined;
}

/** A chunk type for a message: the four letters, or their codes when they are not letters. */
function printable(type: string): string {
  return /^[A-Za-z]{4}$/.test(type) ? type : JSON.stringify(type);
}

// ---------------------------------------------------------------------------
// JPEG: segments inside the file; one frame header (SOFn) before the first scan.

function checkJpeg(b: Uint8Array, v: DataView): string | undefined {
  let frame: { width: number; height: number; arithmetic: boolean } | undefined;
  for (let at = 2; ; ) {
    // libjpeg skips (and warns of) bytes before a marker: so do we.
    while (at < b.length && b[at] !== 0xff) at++;
    while (at + 1 < b.length && b[at + 1] === 0xff) at++; // fill bytes
    if (at + 2 > b.length) return 'the file ends before the first scan';
    const marker = b[at + 1];
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2; // no length
      continue;
    }
    if (marker === 0xd9) return 'no scan (end of image first)';
    if (at + 4 > b.length) return 'the file ends before the first scan';
    const length = v.getUint16(at + 2);
    if (length < 2 || at + 2 + length > b.length) return `the file ends inside a segment (marker 0x${marker.toString(16).toUpperCase()})`;
    if (marker === 0xda) {
      if (frame === undefined) return 'a scan before the frame header';
      // Huffman coding spends at least one bit on each block's DC (baseline and
      // progressive alike): the rest of the file must hold that many bits.
      const { width, height, arithmetic } = frame;
      const minimum = Math.floor((Math.ceil(width / 8) * Math.ceil(height / 8)) / 8);
      if (!arithmetic && b.length - at < minimum) return `${b.length - at} bytes of scan data, too few for ${width}x${height}`;
      return undefined;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (frame !== undefined) return 'a second frame header';
      if (length < 8) return 'a frame header cut short';
      const height = v.getUint16(at + 5);
      const width = v.getUint16(at + 7);
      frame = { width, height, arithmetic: marker >= 0xc9 };
      const components = b[at + 9];
      if (width === 0 || height === 0) return `an invalid size ${width}x${height} in the frame header`;
      if (components === 0 || length < 8 + 3 * components) return `${components} components in a frame header of ${length} bytes`;
    }
    at += 2 + length;
  }
}

// ---------------------------------------------------------------------------
// BMP: a sane header, and pixel data inside the file.

const BMP_BITS = [1, 4, 8, 16, 24, 32];
/** Compression method: allowed bit counts (BI_RGB, BI_RLE8, BI_RLE4, BI_BITFIELDS, BI_ALPHABITFIELDS). */
const BMP_COMPRESSIONS: Record<number, number[]> = { 0: BMP_BITS, 1: [8], 2: [4], 3: [16, 32], 6: [16, 32] };

function checkBmp(v: DataView): string | undefined {
  const length = v.byteLength;
  const headerSize = v.getUint32(14, true);
  if (14 + headerSize > length) return 'the file ends inside the header';
  const core = headerSize === 12;
  const width = core ? v.getUint16(18, true) : v.getInt32(18, true);
  const height = core ? v.getUint16(20, true) : v.getInt32(22, true);
  const bits = v.getUint16(core ? 24 : 28, true);
  const compression = core ? 0 : v.getUint32(30, true);
  if (width <= 0 || height === 0 || height === -0x80000000) return `an invalid size ${width}x${height} in the header`;
  if (!BMP_BITS.includes(bits)) return `${bits} bits per pixel`;
  if (!BMP_COMPRESSIONS[compression]?.includes(bits)) return `compression ${compression} with ${bits} bits per pixel`;
  if (compression === 1 || compression === 2) {
    if (height < 0) return 'a top-down RLE image';
  }
  // The colour table follows the header (bmp-ts reads as many entries as the header says).
  const colours = core ? 0 : v.getUint32(46, true);
  if (bits <= 8 && colours > 2 ** bits) return `${colours} colours for ${bits} bits per pixel`;
  if (14 + headerSize + 4 * colours > length) return 'a colour table past the end of the file';
  const offset = v.getUint32(10, true);
  if (offset >= length) return 'pixel data past the end of the file';
  if (compression === 0 || compression === 3 || compression === 6) {
    // The last row may lack its padding.
    const stride = Math.ceil((width * bits) / 32) * 4;
    if (offset + stride * (Math.abs(height) - 1) + Math.ceil((width * bits) / 8) > length) return 'the file ends inside the pixel data';
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// TIFF (classic): the first IFD and every array it points to inside the file,
// strips or tiles inside the file, sane sizes.

/** Bytes per value of each TIFF field type (6.0 types, and IFD). */
const TIFF_TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };

/**
 * Largest compression ratio of the compressions whose ratio is bounded: none (1),
 * LZW (5: a 12-bit code stands for at most 4096 bytes), deflate (8, 32946) and
 * PackBits (32773: 2 bytes for 128).
 */
const TIFF_MAX_RATIOS: Record<number, number> = { 1: 1, 5: 2731, 8: DEFLATE_MAX_RATIO, 32946: DEFLATE_MAX_RATIO, 32773: 64 };

/** Tags read below. */
const T = {
  WIDTH: 256,
  HEIGHT: 257,
  BITS: 258,
  COMPRESSION: 259,
  STRIP_OFFSETS: 273,
  SAMPLES: 277,
  STRIP_BYTE_COUNTS: 279,
  TILE_WIDTH: 322,
  TILE_LENGTH: 323,
  TILE_OFFSETS: 324,
  TILE_BYTE_COUNTS: 325,
} as const;

/** One IFD entry: type, count and where its values are. */
interface TiffEntry {
  type: number;
  count: number;
  at: number;
}

/**
 * Read the entries of the first IFD of a classic TIFF, checking that the IFD and the
 * values of every entry of a known type lie inside the file.
 *
 * @returns The IFD's offset and entries by tag, or what is wrong.
 */
function readFirstIfd(v: DataView): { ifd: number; entries: Map<number, TiffEntry> } | string {
  const little = v.getUint8(0) === 0x49;
  if (v.byteLength < 8) return 'the file ends inside the header';
  const ifd = v.getUint32(4, little);
  if (ifd < 8 || ifd + 2 > v.byteLength) return 'the first IFD past the end of the file';
  const n = v.getUint16(ifd, little);
  if (n === 0) return 'an empty IFD';
  if (ifd + 2 + 12 * n > v.byteLength) return 'the file ends inside the first IFD';
  const entries = new Map<number, TiffEntry>();
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + 12 * i;
    const tag = v.getUint16(e, little);
    const type = v.getUint16(e + 2, little);
    const count = v.getUint32(e + 4, little);
    const size = TIFF_TYPE_SIZES[type];
    if (size === undefined) continue; // readers skip unknown types
    const bytes = size * count;
    if (bytes > v.byteLength) return `an absurd count ${count} for tag ${tag}`;
    const at = bytes <= 4 ? e + 8 : v.getUint32(e + 8, little);
    if (at + bytes > v.byteLength) return `the values of tag ${tag} past the end of the file`;
    entries.set(tag, { type, count, at });
  }
  return { ifd, entries };
}

/** The values of a SHORT or LONG entry (others give an empty list). */
function values(v: DataView, entry: TiffEntry | undefined): number[] {
  if (entry === undefined || (entry.type !== 3 && entry.type !== 4)) return [];
  const little = v.getUint8(0) === 0x49;
  const out: number[] = [];
  for (let i = 0; i < entry.count; i++) out.push(entry.type === 3 ? v.getUint16(entry.at + 2 * i, little) : v.getUint32(entry.at + 4 * i, little));
  return out;
}

function checkTiff(v: DataView): string | undefined {
  const read = readFirstIfd(v);
  if (typeof read === 'string') return read;
  const { entries } = read;
  const [width] = values(v, entries.get(T.WIDTH));
  const [height] = values(v, entries.get(T.HEIGHT));
  if (width === undefined || height === undefined) return 'no ImageWidth or ImageLength';
  if (width === 0 || height === 0) return `an invalid size ${width}x${height}`;
  const [samples = 1] = values(v, entries.get(T.SAMPLES));
  const bits = values(v, entries.get(T.BITS));
  const bitsPerPixel = (bits[0] ?? 1) * samples;
  if (samples === 0 || bitsPerPixel === 0 || bitsPerPixel > 128) return `${samples} samples of ${bits[0] ?? 1} bits per pixel`;
  const tiled = entries.has(T.TILE_OFFSETS) || entries.has(T.TILE_WIDTH);
  const what = tiled ? 'tile' : 'strip';
  const offsets = values(v, entries.get(tiled ? T.TILE_OFFSETS : T.STRIP_OFFSETS));
  const counts = values(v, entries.get(tiled ? T.TILE_BYTE_COUNTS : T.STRIP_BYTE_COUNTS));
  if (offsets.length === 0) return `no ${what} offsets`;
  if (counts.length !== offsets.length) return `${offsets.length} ${what} offsets but ${counts.length} byte counts`;
  let total = 0;
  for (let i = 0; i < offsets.length; i++) {
    if (offsets[i] + counts[i] > v.byteLength) return `a ${what} past the end of the file`;
    total += counts[i];
  }
  // Data too short for the size, whatever the compression's best ratio.
  const [compression = 1] = values(v, entries.get(T.COMPRESSION));
  const ratio = TIFF_MAX_RATIOS[compression];
  const raw = height * Math.ceil((width * bitsPerPixel) / 8);
  if (!tiled && ratio !== undefined && total < Math.floor(raw / ratio)) return `${total} bytes of strips, too few for ${width}x${height}`;
  if (tiled) {
    const [tileWidth = 0] = values(v, entries.get(T.TILE_WIDTH));
    const [tileLength = 0] = values(v, entries.get(T.TILE_LENGTH));
    if (tileWidth === 0 || tileLength === 0 || tileWidth * tileLength > Math.max(width * height, 1 << 20)) return `an invalid tile size ${tileWidth}x${tileLength}`;
    const tiles = Math.ceil(width / tileWidth) * Math.ceil(height / tileLength);
    if (offsets.length < tiles) return `${offsets.length} tiles where ${tiles} are needed`;
  }
  return undefined;
}

/** Tags whose values utif2 follows as offsets of further IFDs or parses as maker notes. */
const TIFF_POINTER_TAGS = [330, 34665, 34853, 37500, 50740, 61440];
/** A private tag number that no reader interprets. */
const TIFF_INERT_TAG = 65000;

/**
 * A copy of a TIFF (already checked by {@link checkStructure}) reduced to what jimp
 * needs, its first image: the link to the next IFD is cut (utif2 decodes every page,
 * and loops for ever on a cycle), and the tags that utif2 would follow to other IFDs
 * (SubIFDs, EXIF, GPS, maker notes...) are renamed to an inert private tag.
 *
 * @param bytes - A TIFF file that passed {@link checkStructure}.
 * @returns A new array; the caller owns it.
 * @throws Nothing.
 */
export function tiffFirstImage(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes);
  const v = new DataView(out.buffer);
  const little = out[0] === 0x49;
  const ifd = v.getUint32(4, little);
  const n = v.getUint16(ifd, little);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + 12 * i;
    if (TIFF_POINTER_TAGS.includes(v.getUint16(e, little))) v.setUint16(e, TIFF_INERT_TAG, little);
  }
  const next = ifd + 2 + 12 * n;
  if (next + 4 <= out.length) v.setUint32(next, 0, little);
  return out;
}
