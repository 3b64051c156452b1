import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jimpCodec } from '../../lib/codecs/jimp.js';
import { sniffChannels, sniffFormat, sniffSize } from '../../lib/codecs/sniff.js';
import { bmpFile, fixture, pngFile, tiffFile } from '../helpers/files.js';

const px = (channels: number, width = 3, height = 2) => ({ width, height, channels, data: Array.from({ length: width * height * channels }, (_, i) => (i * 37) % 256) });

/** A minimal JPEG header: SOI, an APP0, then a baseline or progressive frame header with `components`. */
function jpegHeader(components: number, sof = 0xc0): Uint8Array {
  const app0 = [0xff, 0xe0, 0, 4, 1, 2];
  const frame = [0xff, sof, 0, 8 + 3 * components, 8, 0, 16, 0, 16, components];
  for (let i = 1; i <= components; i++) frame.push(i, 0x11, 0);
  return new Uint8Array([0xff, 0xd8, ...app0, 0xff, 0xff, ...frame, 0xff, 0xda]);
}

test('sniffFormat recognises the four magic numbers', () => {
  assert.is(sniffFormat(jpegHeader(3)), 'jpg');
  assert.is(sniffFormat(pngFile(px(3))), 'png');
  assert.is(sniffFormat(tiffFile(px(3))), 'tif');
  assert.is(sniffFormat(tiffFile(px(3), 8, false)), 'tif');
  assert.is(sniffFormat(bmpFile(px(3))), 'bmp');
});

test('sniffFormat: anything else is undefined', () => {
  assert.is(sniffFormat(new Uint8Array()), undefined);
  assert.is(sniffFormat(new Uint8Array([0xff, 0xd8])), undefined);
  assert.is(sniffFormat(Buffer.from('BM is a text file that starts like a bitmap')), undefined);
  assert.is(sniffFormat(Buffer.from('GIF89a\0\0\0\0\0\0')), undefined);
  assert.is(sniffFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
  assert.is(sniffChannels(Buffer.from('hello')), undefined);
});

test('sniffChannels: PNG colour type and bit depth from IHDR', () => {
  assert.equal(sniffChannels(pngFile(px(1))), { channels: 1, depth: 8 });
  assert.equal(sniffChannels(pngFile(px(2))), { channels: 1, depth: 8 });
  assert.equal(sniffChannels(pngFile(px(3))), { channels: 3, depth: 8 });
  assert.equal(sniffChannels(pngFile(px(4))), { channels: 3, depth: 8 });
  assert.equal(sniffChannels(pngFile(px(1), 16)), { channels: 1, depth: 16 });
  assert.equal(sniffChannels(pngFile(px(3), 16)), { channels: 3, depth: 16 });
  assert.equal(sniffChannels(readFileSync(fixture('pcb-gray-256x192/input/back.png'))), { channels: 1, depth: 8 });
  assert.equal(sniffChannels(readFileSync(fixture('pcb-640x480/input/back.png'))), { channels: 3, depth: 8 });
});

test('sniffChannels: JPEG component count from the frame header, past fill bytes', () => {
  assert.equal(sniffChannels(jpegHeader(1)), { channels: 1, depth: 8 });
  assert.equal(sniffChannels(jpegHeader(3)), { channels: 3, depth: 8 });
  assert.equal(sniffChannels(jpegHeader(1, 0xc2)), { channels: 1, depth: 8 });
  assert.equal(sniffChannels(jpegHeader(4, 0xc2)), { channels: 3, depth: 8 });
  // DHT (0xC4) is not a frame header: its byte 9 must not be read as a component count.
  const dhtFirst = new Uint8Array([0xff, 0xd8, 0xff, 0xc4, 0, 8, 0, 0, 0, 0, 0, 1, ...jpegHeader(3).subarray(8)]);
  assert.equal(sniffChannels(dhtFirst), { channels: 3, depth: 8 });
});

test('sniffChannels: a real JPEG from jimp has 3 components', async () => {
  const jpg = await jimpCodec.encode({ width: 8, height: 8, channels: 1, data: new Uint8Array(64).fill(90) }, 'jpg');
  assert.equal(sniffChannels(jpg), { channels: 3, depth: 8 });
});

test('sniffChannels: BMP is gray only when 8-bit uncompressed with an all-gray palette', () => {
  assert.equal(sniffChannels(bmpFile(px(1))), { channels: 1, depth: 8 });
  assert.equal(sniffChannels(bmpFile(px(3))), { channels: 3, depth: 8 });
  const colourful = Array.from({ length: 256 }, (_, i): [number, number, number] => [i, i, i]);
  colourful[200] = [200, 10, 10];
  assert.equal(sniffChannels(bmpFile(px(1), colourful)), { channels: 3, depth: 8 });
  const rle = bmpFile(px(1));
  rle[30] = 1; // BI_RLE8
  assert.equal(sniffChannels(rle), { channels: 3, depth: 8 });
  assert.equal(sniffChannels(bmpFile(px(1)).subarray(0, 300)), { channels: 3, depth: 8 }, 'palette cut short');
});

test('sniffChannels: TIFF photometric interpretation and bits per sample, either byte order', () => {
  for (const le of [true, false]) {
    assert.equal(sniffChannels(tiffFile(px(1), 8, le)), { channels: 1, depth: 8 });
    assert.equal(sniffChannels(tiffFile(px(1), 16, le)), { channels: 1, depth: 16 });
    assert.equal(sniffChannels(tiffFile(px(3), 8, le)), { channels: 3, depth: 8 });
    assert.equal(sniffChannels(tiffFile(px(3), 16, le)), { channels: 3, depth: 16 });
  }
  const minIsWhite = tiffFile(px(1));
  minIsWhite[8 + 2 + 12 * 4 + 8] = 0; // PhotometricInterpretation 0
  assert.equal(sniffChannels(minIsWhite), { channels: 1, depth: 8 });
});

test('sniffChannels: a truncated header of a known format gives the default', () => {
  assert.equal(sniffChannels(pngFile(px(1)).subarray(0, 20)), { channels: 3, depth: 8 });
  assert.equal(sniffChannels(tiffFile(px(1)).subarray(0, 30)), { channels: 3, depth: 8 });
  assert.equal(sniffChannels(jpegHeader(1).subarray(0, 12)), { channels: 3, depth: 8 });
});

test('sniffSize: width and height from each header, without decoding', () => {
  for (const [w, h] of [[3, 2], [7, 5]]) {
    const r = px(3, w, h);
    assert.equal(sniffSize(pngFile(r)), { width: w, height: h }, 'png');
    assert.equal(sniffSize(bmpFile(r)), { width: w, height: h }, 'bmp');
    assert.equal(sniffSize(tiffFile(r)), { width: w, height: h }, 'tif LE');
    assert.equal(sniffSize(tiffFile(r, 16, false)), { width: w, height: h }, 'tif BE');
  }
  // JPEG frame header: height 16, width 16 (jpegHeader), then a wide one, past garbage bytes.
  assert.equal(sniffSize(jpegHeader(3)), { width: 16, height: 16 });
  const wide = jpegHeader(1, 0xc2);
  wide.set([0x01, 0x2c, 0x3e, 0x80], 15); // height 300, width 16000
  assert.equal(sniffSize(wide), { width: 16000, height: 300 });
  const header = jpegHeader(3);
  const stray = new Uint8Array([...header.subarray(0, 8), 0x00, 0x42, ...header.subarray(8)]); // after APP0
  assert.equal(sniffSize(stray), { width: 16, height: 16 });
  // BMP: a negative height is a top-down image of that height; the OS/2 core header has 16-bit sizes.
  const topDown = bmpFile(px(3, 4, 3));
  new DataView(topDown.buffer).setInt32(22, -3, true);
  assert.equal(sniffSize(topDown), { width: 4, height: 3 });
  const core = new Uint8Array(26);
  core.set([0x42, 0x4d]);
  new DataView(core.buffer).setUint32(14, 12, true);
  new DataView(core.buffer).setUint16(18, 640, true);
  new DataView(core.buffer).setUint16(20, 480, true);
  assert.equal(sniffSize(core), { width: 640, height: 480 });
});

test('sniffSize: undefined for an unknown format or a header cut short', () => {
  assert.is(sniffSize(Buffer.from('hello')), undefined);
  assert.is(sniffSize(pngFile(px(1)).subarray(0, 20)), undefined);
  assert.is(sniffSize(jpegHeader(1).subarray(0, 12)), undefined);
  assert.is(sniffSize(bmpFile(px(1)).subarray(0, 22)), undefined);
  assert.is(sniffSize(tiffFile(px(1)).subarray(0, 30)), undefined);
});

test.run();
