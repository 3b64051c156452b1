/**
 * Image files built by hand, and read independently of the codecs, for the
 * codec and io tests: tiny PNG, BMP and TIFF writers (straight from the
 * specifications), an EXIF APP1 inserter, a PNG reader, and the EXIF
 * orientation transforms written out from the EXIF specification.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import * as assert from 'uvu/assert';
import type { Image } from '../../lib/image.js';

/** Absolute path of a file under `fixtures/parity/`. */
export function fixture(path: string): string {
  return fileURLToPath(new URL(`../../../fixtures/parity/${path}`, import.meta.url));
}

/** Pixels for the writers: interleaved samples, row-major. */
export interface Raster {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG chunk: length, type, body, CRC. */
export function pngChunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/** A PNG file: colour type from `channels` (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), 8 or 16 bits, filter 0. */
export function pngFile(r: Raster, depth: 8 | 16 = 8): Uint8Array {
  const colourType = { 1: 0, 2: 4, 3: 2, 4: 6 }[r.channels]!;
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, r.width);
  v.setUint32(4, r.height);
  ihdr.set([depth, colourType, 0, 0, 0], 8);
  const bytesPerSample = depth / 8;
  const row = r.width * r.channels * bytesPerSample;
  const raw = new Uint8Array((row + 1) * r.height);
  const rv = new DataView(raw.buffer);
  for (let y = 0; y < r.height; y++) {
    for (let i = 0; i < r.width * r.channels; i++) {
      const at = y * (row + 1) + 1 + i * bytesPerSample;
      const s = r.data[y * r.width * r.channels + i];
      if (depth === 16) rv.setUint16(at, s);
      else raw[at] = s;
    }
  }
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array())];
  return Buffer.concat(parts);
}

/** A bottom-up BMP: 24-bit for 3 channels; for 1 channel, 8-bit with the given 256-entry palette (gray by default). */
export function bmpFile(r: Raster, palette?: Array<[number, number, number]>): Uint8Array {
  const bpp = r.channels === 3 ? 24 : 8;
  const stride = Math.ceil((r.width * bpp) / 32) * 4;
  const paletteSize = bpp === 8 ? 1024 : 0;
  const offset = 54 + paletteSize;
  const out = new Uint8Array(offset + stride * r.height);
  const v = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  v.setUint32(2, out.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, r.width, true);
  v.setInt32(22, r.height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, bpp, true);
  v.setUint32(34, stride * r.height, true);
  v.setUint32(46, bpp === 8 ? 256 : 0, true);
  if (bpp === 8) {
    for (let i = 0; i < 256; i++) {
      const [red, green, blue] = palette?.[i] ?? [i, i, i];
      out.set([blue, green, red, 0], 54 + 4 * i);
    }
  }
  for (let y = 0; y < r.height; y++) {
    const rowAt = offset + (r.height - 1 - y) * stride;
    for (let x = 0; x < r.width; x++) {
      const s = (y * r.width + x) * r.channels;
      if (bpp === 8) out[rowAt + x] = r.data[s];
      else out.set([r.data[s + 2], r.data[s + 1], r.data[s]], rowAt + 3 * x); // BGR
    }
  }
  return out;
}

/** An uncompressed single-strip TIFF, gray (photometric 1) or RGB (2), 8 or 16 bits. */
export function tiffFile(r: Raster, depth: 8 | 16 = 8, littleEndian = true): Uint8Array {
  const entries: Array<[number, number, number[]]> = []; // tag, type (3 SHORT, 4 LONG), values
  const dataSize = r.width * r.height * r.channels * (depth / 8);
  const ifdAt = 8;
  const count = 10;
  const bitsAt = ifdAt + 2 + 12 * count + 4; // BitsPerSample array for 3 samples
  const dataAt = bitsAt + 8;
  entries.push([256, 4, [r.width]], [257, 4, [r.height]], [258, 3, Array(r.channels).fill(depth)], [259, 3, [1]]);
  entries.push([262, 3, [r.channels === 1 ? 1 : 2]], [273, 4, [dataAt]], [277, 3, [r.channels]], [278, 4, [r.height]]);
  entries.push([279, 4, [dataSize]], [284, 3, [1]]);
  const out = new Uint8Array(dataAt + dataSize);
  const v = new DataView(out.buffer);
  const le = littleEndian;
  out.set(le ? [0x49, 0x49, 42, 0] : [0x4d, 0x4d, 0, 42]);
  v.setUint32(4, ifdAt, le);
  v.setUint16(ifdAt, count, le);
  entries.forEach(([tag, type, values], i) => {
    const at = ifdAt + 2 + 12 * i;
    v.setUint16(at, tag, le);
    v.setUint16(at + 2, type, le);
    v.setUint32(at + 4, values.length, le);
    const size = type === 4 ? 4 : 2;
    let valueAt = at + 8;
    if (values.length * size > 4) {
      v.setUint32(at + 8, bitsAt, le);
      valueAt = bitsAt;
    }
    values.forEach((value, k) => (size === 4 ? v.setUint32(valueAt + 4 * k, value, le) : v.setUint16(valueAt + 2 * k, value, le)));
  });
  for (let i = 0; i < r.width * r.height * r.channels; i++) {
    if (depth === 16) v.setUint16(dataAt + 2 * i, r.data[i], le);
    else out[dataAt + i] = r.data[i];
  }
  return out;
}

/** Insert an EXIF APP1 segment holding only an Orientation tag after the JPEG's SOI (and APP0 if any). */
export function withExifOrientation(jpeg: Uint8Array, orientation: number): Uint8Array {
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const body = [...Buffer.from('Exif\0\0', 'latin1'), ...tiff];
  const app1 = [0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + ((jpeg[4] << 8) | jpeg[5]);
  return Buffer.concat([jpeg.subarray(0, at), new Uint8Array(app1), jpeg.subarray(at)]);
}

/** Frame header of a JPEG: component count and each component's sampling factors "HxV". */
export function jpegFrame(jpeg: Uint8Array): { components: number; sampling: string[] } {
  let at = 2;
  for (;;) {
    const marker = jpeg[at + 1];
    const length = (jpeg[at + 2] << 8) | jpeg[at + 3];
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      const components = jpeg[at + 9];
      const sampling = Array.from({ length: components }, (_, i) => {
        const f = jpeg[at + 11 + 3 * i];
        return `${f >> 4}x${f & 15}`;
      });
      return { components, sampling };
    }
    at += 2 + length;
  }
}

/**
 * Decode a non-interlaced 8- or 16-bit PNG (colour type 0, 2, 4 or 6) straight from the
 * specification (inflate, then undo the five row filters), independently of both codecs.
 * Alpha is dropped.
 */
export function readPng(bytes: Uint8Array): Image {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const depth = bytes[24];
  const colourType = bytes[25];
  if ((depth !== 8 && depth !== 16) || bytes[28] !== 0) throw new Error('readPng: only non-interlaced 8/16-bit PNG');
  const samples = { 0: 1, 2: 3, 4: 2, 6: 4 }[colourType as 0 | 2 | 4 | 6];
  const idat: Uint8Array[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (type === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = (samples * depth) / 8; // bytes per pixel
  const stride = width * bpp;
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? rows[y * stride + i - bpp] : 0;
      const b = y > 0 ? rows[(y - 1) * stride + i] : 0;
      const c = i >= bpp && y > 0 ? rows[(y - 1) * stride + i - bpp] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      rows[y * stride + i] = (line[i] + predictor) & 0xff;
    }
  }
  const channels = samples <= 2 ? 1 : 3;
  const data = depth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < channels; k++) {
      const at = i * bpp + (k * depth) / 8;
      data[i * channels + k] = depth === 16 ? (rows[at] << 8) | rows[at + 1] : rows[at];
    }
  }
  return { width, height, channels, data };
}

/**
 * The image shown for stored pixels `r` with EXIF orientation `o` (1 to 8), from the
 * definition: 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise,
 * 7 transverse, 8 rotate 90 anticlockwise.
 */
export function orient(r: Image, o: number): Image {
  const { width: w, height: h, channels: c } = r;
  const swap = o >= 5;
  const W = swap ? h : w;
  const H = swap ? w : h;
  const source: Record<number, (x: number, y: number) => [number, number]> = {
    1: (x, y) => [x, y],
    2: (x, y) => [w - 1 - x, y],
    3: (x, y) => [w - 1 - x, h - 1 - y],
    4: (x, y) => [x, h - 1 - y],
    5: (x, y) => [y, x],
    6: (x, y) => [y, h - 1 - x],
    7: (x, y) => [w - 1 - y, h - 1 - x],
    8: (x, y) => [w - 1 - y, x],
  };
  const data = new Uint8Array(W * H * c);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const [sx, sy] = source[o](x, y);
      for (let k = 0; k < c; k++) data[(y * W + x) * c + k] = r.data[(sy * w + sx) * c + k];
    }
  }
  return { width: W, height: H, channels: r.channels, data };
}

/** Mean absolute difference of two same-shaped images. */
export function meanAbsDiff(a: Raster, b: Raster): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / a.data.length;
}

/** Shape and depth as a string: "640x480x3 Uint8Array". */
export function shape(image: Image): string {
  return `${image.width}x${image.height}x${image.channels} ${image.data.constructor.name}`;
}

/**
 * A 24x16 RGB image of six flat 8x8 gray blocks, all different, so that each of the eight
 * orientations gives a different image. Encoded at quality 100, every JPEG decoder gets it
 * back exactly (a flat block is a DC coefficient only; gray has neutral chroma).
 */
export function blockImage(): Image {
  const values = [
    [10, 60, 110],
    [160, 210, 250],
  ];
  const data = new Uint8Array(24 * 16 * 3);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 24; x++) data.fill(values[y >> 3][x >> 3], (y * 24 + x) * 3, (y * 24 + x) * 3 + 3);
  return { width: 24, height: 16, channels: 3, data };
}

/** A photo-like RGB image: a crop of a fixture, decoded independently. */
export function photo(): Image {
  return readPng(readFileSync(fixture('pcb-640x480/input/back.png')));
}

/**
 * Assert that `run` rejects (or throws) with an error whose `String(error)` ("Name: message")
 * matches `pattern`; returns the error.
 */
export async function rejects(run: () => unknown, pattern: RegExp = /./): Promise<Error> {
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof Error)) throw new Error(`Expected a rejection matching ${pattern}, got ${error === undefined ? 'none' : String(error)}`);
  if (!pattern.test(String(error))) throw new Error(`Expected an error matching ${pattern}, got "${String(error)}"`);
  return error;
}

/**
 * Assert that two images are identical: shape, sample type and every sample. Reports the
 * first difference in one line (uvu's diff of a large typed array takes minutes).
 */
export function same(actual: Image, expected: Image, label = 'image'): void {
  assert.is(shape(actual), shape(expected), `${label}: shape`);
  const { width, channels } = expected;
  for (let i = 0; i < expected.data.length; i++) {
    if (actual.data[i] !== expected.data[i]) {
      const px = Math.floor(i / channels);
      assert.unreachable(`${label}: first difference at x=${px % width}, y=${Math.floor(px / width)}, c=${i % channels}: ${actual.data[i]} vs ${expected.data[i]}`);
    }
  }
}

/** Assert that two files are byte for byte the same, briefly. */
export function sameBytes(actual: Uint8Array, expected: Uint8Array, label = 'bytes'): void {
  assert.ok(Buffer.compare(actual, expected) === 0, `${label}: ${actual.length} bytes differ from the expected ${expected.length}`);
}
