/**
 * Hostile image files, built by hand from the specifications: each is small and
 * declares (or really holds) far more than it should, as found by fuzzing v1.0's
 * decoders. Used by test/codecs/hostile.test.ts and bench/hostile.ts.
 */
import { createDeflate, deflateSync } from 'node:zlib';
import { jimpCodec } from '../../lib/codecs/jimp.js';
import { pngChunk, pngFile, tiffFile } from './files.js';

/** A small valid JPEG (jpeg-js, 16x16) whose frame header (SOF0) is rewritten to declare `width` x `height`. */
export async function jpegDeclaring(width: number, height: number): Promise<Uint8Array> {
  const data = new Uint8Array(16 * 16 * 3).map((_, i) => (i * 7) % 256);
  const jpeg = new Uint8Array(await jimpCodec.encode({ width: 16, height: 16, channels: 3, data }, 'jpg', { quality: 90 }));
  let at = 2;
  while (jpeg[at + 1] !== 0xc0) at += 2 + ((jpeg[at + 2] << 8) | jpeg[at + 3]);
  const v = new DataView(jpeg.buffer);
  v.setUint16(at + 5, height);
  v.setUint16(at + 7, width);
  return jpeg;
}

/** An IHDR chunk body: size, 8 bits, colour type (0 gray, 2 RGB), deflate, filter 0, no interlace. */
function ihdr(width: number, height: number, colourType = 2): Uint8Array {
  const body = new Uint8Array(13);
  const v = new DataView(body.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  body.set([8, colourType, 0, 0, 0], 8);
  return body;
}

const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A 69-byte RGB PNG whose IHDR declares `width` x `height`, with a 12-byte IDAT (one filter byte and a few zeros). */
export function pngDeclaring(width: number, height: number): Uint8Array {
  const idat = deflateSync(new Uint8Array(4));
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr(width, height)), pngChunk('IDAT', idat), pngChunk('IEND', new Uint8Array())]);
}

/**
 * A real gray PNG of `size` x `size` zeros (every row filter 0): 144 MB of pixels for
 * 12000, about 140 KB of file. The raw rows are deflated as a stream of bands, so that
 * building it holds one band, not the whole image.
 */
export async function pngGrayZeros(size: number): Promise<Uint8Array> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const bandRows = 256;
  const band = new Uint8Array((size + 1) * bandRows);
  for (let y = 0; y < size; y += bandRows) deflate.write(band.subarray(0, (size + 1) * Math.min(bandRows, size - y)));
  deflate.end();
  await done;
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr(size, size, 0)), pngChunk('IDAT', Buffer.concat(parts)), pngChunk('IEND', new Uint8Array())]);
}

/** A valid 100x80 RGB PNG with a second IHDR chunk, declaring `width` x `height`, right after the first. */
export function pngSecondIhdr(width: number, height: number): Uint8Array {
  const png = pngFile({ width: 100, height: 80, channels: 3, data: new Uint8Array(100 * 80 * 3).map((_, i) => i % 251) });
  const afterIhdr = 8 + 12 + 13;
  return Buffer.concat([png.subarray(0, afterIhdr), pngChunk('IHDR', ihdr(width, height)), png.subarray(afterIhdr)]);
}

/** A 1 KB RLE8 BMP declaring `width` x `height`: header, gray palette, and an end-of-bitmap code. */
export function bmpRle8Declaring(width: number, height: number): Uint8Array {
  const offset = 54 + 1024;
  const out = new Uint8Array(offset + 4);
  const v = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  v.setUint32(2, out.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, width, true);
  v.setInt32(22, height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, 8, true);
  v.setUint32(30, 1, true); // BI_RLE8
  v.setUint32(34, 4, true);
  v.setUint32(46, 256, true);
  for (let i = 0; i < 256; i++) out.set([i, i, i, 0], 54 + 4 * i);
  out.set([0, 0, 0, 1], offset); // end of line, end of bitmap
  return out;
}

/** An uncompressed 100x80 gray TIFF whose StripByteCounts entry declares `count` values (the file holds one). */
export function tiffStripCount(count: number): Uint8Array {
  const tiff = tiffFile({ width: 100, height: 80, channels: 1, data: new Uint8Array(8000).map((_, i) => i % 256) });
  const v = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const n = v.getUint16(8, true);
  for (let i = 0; i < n; i++) {
    const e = 10 + 12 * i;
    if (v.getUint16(e, true) === 279) v.setUint32(e + 4, count, true);
  }
  return tiff;
}
