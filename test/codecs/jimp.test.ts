import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jimpCodec } from '../../lib/codecs/jimp.js';
import { sniffChannels } from '../../lib/codecs/sniff.js';
import type { Image } from '../../lib/image.js';
import { blockImage, bmpFile, fixture, jpegFrame, meanAbsDiff, orient, photo, pngFile, readPng, rejects, same, sameBytes, shape, tiffFile, withExifOrientation } from '../helpers/files.js';

const codec = jimpCodec;
const gray = (width: number, height: number, f: (i: number) => number): Image => ({ width, height, channels: 1, data: Uint8Array.from({ length: width * height }, (_, i) => f(i)) });
const rgb = (width: number, height: number, f: (i: number) => number): Image => ({ width, height, channels: 3, data: Uint8Array.from({ length: width * height * 3 }, (_, i) => f(i)) });

test('decodes the colour fixture exactly', async () => {
  const bytes = readFileSync(fixture('pcb-640x480/input/back.png'));
  const image = await codec.decode(bytes);
  assert.is(shape(image), '640x480x3 Uint8Array');
  same(image, readPng(bytes));
});

test('decodes the grayscale fixture to 1 channel', async () => {
  const bytes = readFileSync(fixture('pcb-gray-256x192/input/back.png'));
  const image = await codec.decode(bytes);
  assert.is(shape(image), '256x192x1 Uint8Array');
  same(image, readPng(bytes));
});

test('PNG: alpha is dropped, gray+alpha stays gray, 16 bits become 8', async () => {
  const rgba = { width: 3, height: 2, channels: 4, data: [1, 2, 3, 0, 4, 5, 6, 50, 7, 8, 9, 100, 10, 11, 12, 150, 13, 14, 15, 200, 16, 17, 18, 255] };
  assert.equal(Array.from((await codec.decode(pngFile(rgba))).data), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
  const grayAlpha = { width: 2, height: 1, channels: 2, data: [40, 0, 90, 255] };
  const decoded = await codec.decode(pngFile(grayAlpha));
  assert.is(shape(decoded), '2x1x1 Uint8Array');
  assert.equal(Array.from(decoded.data), [40, 90]);
  const deep = await codec.decode(pngFile({ width: 2, height: 1, channels: 1, data: [257 * 77, 65535] }, 16));
  assert.equal(Array.from(deep.data), [77, 255]);
});

test('BMP: 24-bit colour, 8-bit gray palette to 1 channel, colour palette to 3', async () => {
  const colour = rgb(5, 3, (i) => (i * 17) % 256); // 15-byte rows: padded
  same(await codec.decode(bmpFile(colour)), colour);
  const g = gray(5, 3, (i) => i * 16);
  const decoded = await codec.decode(bmpFile(g));
  assert.is(shape(decoded), '5x3x1 Uint8Array');
  same(decoded, g);
  const palette = Array.from({ length: 256 }, (_, i): [number, number, number] => [i, 255 - i, 7]);
  const paletted = await codec.decode(bmpFile(g, palette));
  assert.is(shape(paletted), '5x3x3 Uint8Array');
  assert.equal(Array.from(paletted.data.subarray(0, 6)), [0, 255, 7, 16, 239, 7]);
});

test('TIFF: gray to 1 channel, RGB exact, 16 bits become 8', async () => {
  const g = gray(4, 3, (i) => i * 20);
  const dg = await codec.decode(tiffFile(g));
  assert.is(shape(dg), '4x3x1 Uint8Array');
  same(dg, g);
  const c = rgb(4, 3, (i) => i * 7);
  same(await codec.decode(tiffFile(c, 8, false)), c);
  const deep = await codec.decode(tiffFile({ width: 2, height: 1, channels: 3, data: [0, 257, 514, 257 * 100, 65535, 257 * 200] }, 16));
  assert.equal(Array.from(deep.data), [0, 1, 2, 100, 255, 200]);
});

test('PNG encode: real grayscale for 1 channel, RGB for 3, lossless', async () => {
  const g = gray(7, 5, (i) => (i * 41) % 256);
  const pg = await codec.encode(g, 'png');
  assert.is(pg[25], 0, 'colour type 0');
  same(readPng(pg), g);
  const c = rgb(7, 5, (i) => (i * 29) % 256);
  const pc = await codec.encode(c, 'png');
  assert.is(pc[25], 2, 'colour type 2');
  same(readPng(pc), c);
});

test('BMP and TIFF round trips are exact; gray comes back as 3 equal channels', async () => {
  const c = photo();
  for (const format of ['bmp', 'tif'] as const) {
    same(await codec.decode(await codec.encode(c, format)), c, format);
    const g = gray(6, 4, (i) => i * 10);
    const back = await codec.decode(await codec.encode(g, format));
    assert.is(shape(back), '6x4x3 Uint8Array', format);
    assert.equal(Array.from(back.data).filter((_, i) => i % 3 === 0), Array.from(g.data), format);
  }
});

test('JPEG: quality 95 by default, small error, lower quality gives a smaller file', async () => {
  const c = photo();
  const q95 = await codec.encode(c, 'jpg');
  sameBytes(q95, await codec.encode(c, 'jpg', { quality: 95 }));
  const q50 = await codec.encode(c, 'jpg', { quality: 50 });
  assert.ok(q50.length < q95.length * 0.6, `${q50.length} vs ${q95.length}`);
  const error = meanAbsDiff(await codec.decode(q95), c);
  assert.ok(error < 1, `mean error ${error}`);
  assert.equal(jpegFrame(q95), { components: 3, sampling: ['1x1', '1x1', '1x1'] }, 'jpeg-js writes 4:4:4');
});

test('16-bit input is scaled to 8 bits: round(v / 257)', async () => {
  const deep: Image = { width: 4, height: 1, channels: 1, data: Uint16Array.from([0, 128, 129, 65535]) };
  const png = await codec.encode(deep, 'png');
  assert.equal(sniffChannels(png), { channels: 1, depth: 8 });
  assert.equal(Array.from(readPng(png).data), [0, 0, 1, 255]);
});

test('EXIF orientation is applied once, for each of the 8 values', async () => {
  const blocks = blockImage();
  const jpeg = await codec.encode(blocks, 'jpg', { quality: 100 });
  same(await codec.decode(jpeg), blocks, 'flat blocks decode exactly');
  for (let o = 1; o <= 8; o++) {
    const decoded = await codec.decode(withExifOrientation(jpeg, o));
    const expected = orient(blocks, o);
    assert.is(shape(decoded), shape(expected), `orientation ${o}`);
    same(decoded, expected, `orientation ${o}`);
  }
});

test('argument and data errors', async () => {
  const image = gray(2, 2, () => 0);
  await rejects(() => codec.decode('x.png' as unknown as Uint8Array), /^TypeError: Expected a Uint8Array for bytes but received "x.png" \(string\)$/);
  await rejects(() => codec.decode(Buffer.from('GIF89a......')), /^Error: Unrecognised image format \(expected JPEG, PNG, TIFF or BMP\)$/);
  const png = readFileSync(fixture('pcb-640x480/input/back.png'));
  await rejects(() => codec.decode(png.subarray(0, png.length >> 1)));
  const jpg = await codec.encode(photo(), 'jpg');
  await rejects(() => codec.decode(jpg.subarray(0, jpg.length - 100)));
  await rejects(() => codec.encode(image, 'png', { quality: 0 }), /^RangeError: Expected an integer from 1 to 100 for quality but received 0 \(number\)$/);
  await rejects(() => codec.encode(image, 'png', { quality: 9.5 }), /^RangeError: Expected an integer from 1 to 100 for quality but received 9.5 \(number\)$/);
  await rejects(() => codec.encode(image, 'gif' as 'png'), /^TypeError: Expected one of jpg, png, tif, bmp for format but received "gif" \(string\)$/);
  await rejects(() => codec.encode({ ...image, channels: 4 } as unknown as Image, 'png'), /^TypeError: Expected 1 or 3 for image.channels but received 4 \(number\)$/);
  await rejects(() => codec.encode(gray(70000, 1, () => 0), 'jpg'), /^Error: Image too large for JPEG: 70000x1 \(at most 65535 a side\)$/);
});

test('the jimp codec and what it imports use nothing from Node (it must run in a browser)', () => {
  for (const file of ['codecs/jimp.ts', 'codecs/pixels.ts', 'codecs/sniff.ts', 'codecs/codec.ts', 'image.ts', 'errors.ts']) {
    const source = readFileSync(fileURLToPath(new URL(`../../../lib/${file}`, import.meta.url)), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    assert.not.match(source, /from ['"](node:|fs|path|os|crypto|stream|zlib)/, file);
    assert.not.match(source, /\bBuffer\b|\bprocess\./, file);
  }
});

test.run();
