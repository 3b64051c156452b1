import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jimpCodec } from '../../lib/codecs/jimp.js';
import { loadSharpCodec } from '../../lib/codecs/sharp.js';
import { sniffChannels } from '../../lib/codecs/sniff.js';
import type { Image } from '../../lib/image.js';
import { blockImage, bmpFile, fixture, jpegFrame, meanAbsDiff, orient, photo, pngFile, readPng, rejects, same, sameBytes, shape, tiffFile, withExifOrientation } from '../helpers/files.js';

const loaded = await loadSharpCodec();
if (loaded === undefined) console.log('note: sharp is not installed or does not load; the sharp codec tests are skipped');
const codec = loaded!;
const check = loaded === undefined ? test.skip : test;

const deepRgb: Image = { width: 3, height: 2, channels: 3, data: Uint16Array.from({ length: 18 }, (_, i) => i * 3600 + 7) };
const deepGray: Image = { width: 3, height: 2, channels: 1, data: Uint16Array.from([0, 1, 255, 256, 40000, 65535]) };

check('the fixtures decode exactly, identically to the jimp codec', async () => {
  for (const [file, expectedShape] of [
    ['pcb-640x480/input/back.png', '640x480x3 Uint8Array'],
    ['pcb-gray-256x192/input/back.png', '256x192x1 Uint8Array'],
    ['pcb-odd-333x251/input/front.png', '333x251x3 Uint8Array'],
  ]) {
    const bytes = readFileSync(fixture(file));
    const image = await codec.decode(bytes);
    assert.is(shape(image), expectedShape, file);
    same(image, readPng(bytes), file);
    same(image, await jimpCodec.decode(bytes), file);
  }
});

check('PNG: alpha dropped, gray+alpha stays gray, 16 bits stay 16 bits', async () => {
  const rgba = { width: 2, height: 1, channels: 4, data: [1, 2, 3, 0, 4, 5, 6, 99] };
  assert.equal(Array.from((await codec.decode(pngFile(rgba))).data), [1, 2, 3, 4, 5, 6]);
  const grayAlpha = await codec.decode(pngFile({ width: 2, height: 1, channels: 2, data: [40, 0, 90, 255] }));
  assert.is(shape(grayAlpha), '2x1x1 Uint8Array');
  assert.equal(Array.from(grayAlpha.data), [40, 90]);
  for (const image of [deepRgb, deepGray]) {
    const decoded = await codec.decode(pngFile(image, 16));
    assert.is(shape(decoded), shape(image));
    same(decoded, image);
  }
  const rgba16 = await codec.decode(pngFile({ width: 1, height: 1, channels: 4, data: [1000, 2000, 3000, 4000] }, 16));
  assert.equal(Array.from(rgba16.data), [1000, 2000, 3000]);
});

check('TIFF: gray to 1 channel, 8 and 16 bits exact, either byte order', async () => {
  for (const le of [true, false]) {
    for (const image of [deepRgb, deepGray]) {
      const decoded = await codec.decode(tiffFile(image, 16, le));
      assert.is(shape(decoded), shape(image));
      same(decoded, image);
    }
    const g: Image = { width: 3, height: 2, channels: 1, data: Uint8Array.from([0, 50, 100, 150, 200, 250]) };
    same(await codec.decode(tiffFile(g, 8, le)), g);
  }
});

check('BMP goes through the jimp codec both ways', async () => {
  const g: Image = { width: 5, height: 3, channels: 1, data: Uint8Array.from({ length: 15 }, (_, i) => i * 16) };
  const decoded = await codec.decode(bmpFile(g));
  same(decoded, g);
  const c = photo();
  sameBytes(await codec.encode(c, 'bmp'), await jimpCodec.encode(c, 'bmp'));
  same(await codec.decode(await codec.encode(c, 'bmp')), c);
});

check('PNG and TIFF encode: lossless, gray stays gray, 16 bits stay 16 bits', async () => {
  const c = photo();
  const g = await codec.decode(readFileSync(fixture('pcb-gray-256x192/input/back.png')));
  for (const image of [c, g, deepRgb, deepGray]) {
    const png = await codec.encode(image, 'png');
    same(readPng(png), image, `png ${shape(image)}`);
    const tif = await codec.encode(image, 'tif');
    assert.equal(sniffChannels(tif), { channels: image.channels, depth: image.data instanceof Uint16Array ? 16 : 8 });
    same(await codec.decode(tif), image, `tif ${shape(image)}`);
  }
  assert.ok((await codec.encode(c, 'tif')).length < c.data.length * 0.5, 'TIFF is compressed (LZW)');
});

check('JPEG encode: quality 95 by default, 4:2:0, gray as 1 component, small error', async () => {
  const c = photo();
  const q95 = await codec.encode(c, 'jpg');
  sameBytes(q95, await codec.encode(c, 'jpg', { quality: 95 }));
  const q50 = await codec.encode(c, 'jpg', { quality: 50 });
  assert.ok(q50.length < q95.length * 0.6, `${q50.length} vs ${q95.length}`);
  assert.equal(jpegFrame(q95), { components: 3, sampling: ['2x2', '1x1', '1x1'] });
  const error = meanAbsDiff(await codec.decode(q95), c);
  assert.ok(error < 1.5, `mean error ${error}`);
  const crossError = meanAbsDiff(await jimpCodec.decode(q95), await codec.decode(q95));
  assert.ok(crossError < 1, `jimp vs sharp decode of the same JPEG: mean difference ${crossError}`);
  const g = await codec.decode(readFileSync(fixture('pcb-gray-256x192/input/back.png')));
  const gj = await codec.encode(g, 'jpg');
  assert.equal(jpegFrame(gj).components, 1);
  const back = await codec.decode(gj);
  assert.is(shape(back), '256x192x1 Uint8Array');
  assert.ok(meanAbsDiff(back, g) < 1.5);
});

check('JPEG encode of 16-bit input scales to 8 bits as the jimp codec does', async () => {
  const scaled: Image = { ...deepRgb, data: Uint8Array.from(deepRgb.data, (v) => Math.round(v / 257)) };
  sameBytes(await codec.encode(deepRgb, 'jpg'), await codec.encode(scaled, 'jpg'));
});

check('EXIF orientation: applied once, identically to the jimp codec, for each of the 8 values', async () => {
  const blocks = blockImage();
  const flat = await codec.encode(blocks, 'jpg', { quality: 100 });
  same(await codec.decode(flat), blocks, 'flat blocks decode exactly');
  const real = await codec.encode(photo(), 'jpg');
  const realPlain = { sharp: await codec.decode(real), jimp: await jimpCodec.decode(real) };
  for (let o = 1; o <= 8; o++) {
    const expected = orient(blocks, o);
    const bytes = withExifOrientation(flat, o);
    same(await codec.decode(bytes), expected, `blocks, orientation ${o}`);
    same(await jimpCodec.decode(bytes), expected, `blocks, orientation ${o}, jimp`);
    // A real photo: each codec rotates its own decode exactly.
    const rotated = withExifOrientation(real, o);
    const bySharp = await codec.decode(rotated);
    const byJimp = await jimpCodec.decode(rotated);
    same(bySharp, orient(realPlain.sharp, o), `photo, orientation ${o}`);
    same(byJimp, orient(realPlain.jimp, o), `photo, orientation ${o}, jimp`);
    assert.ok(meanAbsDiff(bySharp, byJimp) < 1, `photo, orientation ${o}: codecs differ by ${meanAbsDiff(bySharp, byJimp)}`);
  }
});

check('argument and data errors', async () => {
  const image: Image = { width: 2, height: 2, channels: 1, data: new Uint8Array(4) };
  await rejects(() => codec.decode(new Uint16Array(4) as unknown as Uint8Array), /^TypeError: Expected a Uint8Array for bytes but received a Uint16Array of length 4$/);
  await rejects(() => codec.decode(Buffer.from('not an image at all')), /^Error: Unrecognised image format \(expected JPEG, PNG, TIFF or BMP\)$/);
  const png = readFileSync(fixture('pcb-640x480/input/back.png'));
  await rejects(() => codec.decode(png.subarray(0, png.length >> 1)));
  const jpg = await codec.encode(photo(), 'jpg');
  await rejects(() => codec.decode(jpg.subarray(0, jpg.length - 100)));
  await rejects(() => codec.encode(image, 'jpg', { quality: 101 }), /^RangeError: Expected an integer from 1 to 100 for quality but received 101 \(number\)$/);
  await rejects(() => codec.encode(image, 'webp' as 'png'), /^TypeError: Expected one of jpg, png, tif, bmp for format but received "webp" \(string\)$/);
  await rejects(() => codec.encode({ width: 70000, height: 1, channels: 1, data: new Uint8Array(70000) }, 'jpg'), /too large/);
});

test('loadSharpCodec gives undefined when sharp cannot be imported', async () => {
  assert.is(await loadSharpCodec(() => Promise.reject(new Error("Cannot find package 'sharp'"))), undefined);
  assert.is(await loadSharpCodec(() => Promise.resolve({})), undefined);
});

test.run();
