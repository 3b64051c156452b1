/**
 * checkStructure on files built by hand, each broken in one known way: the exact
 * phrase; and the valid seeds pass. tiffFirstImage cuts the IFD chain and renames
 * the pointer tags, and nothing else.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jimpCodec } from '../../lib/codecs/jimp.js';
import { checkStructure, tiffFirstImage } from '../../lib/codecs/structure.js';
import { bmpFile, pngChunk, pngFile, tiffFile } from '../helpers/files.js';
import { bmpRle8Declaring, jpegDeclaring, pngDeclaring, tiffStripCount } from '../helpers/hostile.js';

const raster = (width: number, height: number, channels: number) => ({ width, height, channels, data: Array.from({ length: width * height * channels }, (_, i) => (i * 11) % 256) });
const png = () => pngFile(raster(6, 4, 3));
const tiff = (le = true) => tiffFile(raster(6, 4, 1), 8, le);
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
/** Offset of the IFD entry of `tag` in tiffFile's output (IFD at 8). */
const entry = (b: Uint8Array, tag: number, le = true) => {
  for (let i = 0; i < view(b).getUint16(8, le); i++) if (view(b).getUint16(10 + 12 * i, le) === tag) return 10 + 12 * i;
  throw new Error(`no tag ${tag}`);
};

test('valid files pass', async () => {
  assert.is(checkStructure(png(), 'png'), undefined);
  assert.is(checkStructure(pngFile(raster(6, 4, 1), 16), 'png'), undefined);
  assert.is(checkStructure(await jimpCodec.encode({ width: 9, height: 7, channels: 3, data: new Uint8Array(189) }, 'jpg'), 'jpg'), undefined);
  assert.is(checkStructure(bmpFile(raster(6, 4, 3)), 'bmp'), undefined);
  assert.is(checkStructure(bmpFile(raster(5, 4, 1)), 'bmp'), undefined);
  assert.is(checkStructure(tiff(), 'tif'), undefined);
  assert.is(checkStructure(tiff(false), 'tif'), undefined);
  assert.is(checkStructure(bmpRle8Declaring(40, 30), 'bmp'), undefined, 'RLE may end early');
});

test('PNG: chunks walked, IHDR checked, data long enough', () => {
  const p = png();
  const sig = p.subarray(0, 8);
  const ihdr = p.subarray(8, 33);
  const rest = p.subarray(33);
  assert.is(checkStructure(Buffer.concat([sig, ihdr, ihdr, rest]), 'png'), 'a second IHDR chunk');
  assert.is(checkStructure(Buffer.concat([sig, rest]), 'png'), 'no IHDR chunk first');
  assert.is(checkStructure(Buffer.concat([sig, ihdr, pngChunk('IEND', new Uint8Array())]), 'png'), 'no IDAT chunk');
  assert.is(checkStructure(p.subarray(0, p.length - 12), 'png'), 'the file ends before the IEND chunk');
  assert.is(checkStructure(p.subarray(0, p.length - 20), 'png'), 'the file ends inside the IDAT chunk');
  assert.is(checkStructure(Buffer.concat([sig, pngChunk('IHDR', new Uint8Array(14)), rest]), 'png'), 'an IHDR chunk of 14 bytes');
  const bad = (at: number, value: number) => {
    const b = new Uint8Array(p);
    b[at] = value;
    return checkStructure(b, 'png');
  };
  assert.is(bad(24, 3), 'bit depth 3 with colour type 2 in IHDR');
  assert.is(bad(28, 2), 'an unknown compression, filter or interlace method in IHDR');
  const zero = new Uint8Array(p);
  view(zero).setUint32(16, 0);
  assert.is(checkStructure(zero, 'png'), 'an invalid size 0x4 in IHDR');
  assert.is(checkStructure(pngDeclaring(16384, 16384), 'png'), '12 bytes of IDAT data, too few for 16384x16384');
});

test('JPEG: one frame header before the scan, scan long enough', async () => {
  const jpeg = new Uint8Array(await jimpCodec.encode({ width: 9, height: 7, channels: 3, data: new Uint8Array(189) }, 'jpg'));
  let sof = 2;
  while (jpeg[sof + 1] !== 0xc0) sof += 2 + ((jpeg[sof + 2] << 8) | jpeg[sof + 3]);
  const length = 2 + ((jpeg[sof + 2] << 8) | jpeg[sof + 3]);
  const frame = jpeg.subarray(sof, sof + length);
  assert.is(checkStructure(Buffer.concat([jpeg.subarray(0, sof + length), frame, jpeg.subarray(sof + length)]), 'jpg'), 'a second frame header');
  assert.is(checkStructure(Buffer.concat([jpeg.subarray(0, sof), jpeg.subarray(sof + length)]), 'jpg'), 'a scan before the frame header');
  assert.is(checkStructure(jpeg.subarray(0, sof + 6), 'jpg'), 'the file ends inside a segment (marker 0xC0)');
  assert.is(checkStructure(jpeg.subarray(0, sof), 'jpg'), 'the file ends before the first scan');
  assert.is(checkStructure(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), 'jpg'), 'no scan (end of image first)');
  const zero = new Uint8Array(jpeg);
  view(zero).setUint16(sof + 5, 0);
  assert.is(checkStructure(zero, 'jpg'), 'an invalid size 9x0 in the frame header');
  const noComponents = new Uint8Array(jpeg);
  noComponents[sof + 9] = 0;
  assert.is(checkStructure(noComponents, 'jpg'), '0 components in a frame header of 17 bytes');
  assert.match(checkStructure(await jpegDeclaring(16000, 16000), 'jpg') ?? '', /^\d+ bytes of scan data, too few for 16000x16000$/);
});

test('BMP: a sane header, the colour table and the pixels inside the file', () => {
  const b = bmpFile(raster(6, 4, 3));
  const set = (at: number, value: number, bits = 32) => {
    const c = new Uint8Array(b);
    if (bits === 32) view(c).setInt32(at, value, true);
    else view(c).setUint16(at, value, true);
    return checkStructure(c, 'bmp');
  };
  assert.is(set(18, -6), 'an invalid size -6x4 in the header');
  assert.is(set(22, 0), 'an invalid size 6x0 in the header');
  assert.is(set(28, 7, 16), '7 bits per pixel');
  assert.is(set(30, 1), 'compression 1 with 24 bits per pixel');
  assert.is(set(46, 300), 'a colour table past the end of the file');
  assert.is(set(10, 5000), 'pixel data past the end of the file');
  assert.is(checkStructure(b.subarray(0, b.length - 30), 'bmp'), 'the file ends inside the pixel data');
  assert.is(checkStructure(b.subarray(0, 40), 'bmp'), 'the file ends inside the header');
  const gray = bmpFile(raster(5, 4, 1));
  view(gray).setUint32(46, 257, true);
  assert.is(checkStructure(gray, 'bmp'), '257 colours for 8 bits per pixel');
  const rle = bmpRle8Declaring(40, 30);
  view(rle).setInt32(22, -30, true);
  assert.is(checkStructure(rle, 'bmp'), 'a top-down RLE image');
});

test('TIFF: the first IFD, its arrays and its strips inside the file', () => {
  for (const le of [true, false]) {
    const t = tiff(le);
    const put = (tag: number, field: 'count' | 'value', value: number) => {
      const c = new Uint8Array(t);
      view(c).setUint32(entry(t, tag, le) + (field === 'count' ? 4 : 8), value, le);
      return checkStructure(c, 'tif');
    };
    assert.is(put(279, 'count', 0x7fffffff), 'an absurd count 2147483647 for tag 279');
    const bits = new Uint8Array(t);
    view(bits).setUint32(entry(t, 258, le) + 4, 3, le);
    view(bits).setUint32(entry(t, 258, le) + 8, t.length - 2, le);
    assert.is(checkStructure(bits, 'tif'), 'the values of tag 258 past the end of the file');
    assert.is(put(273, 'value', t.length - 4), 'a strip past the end of the file');
    assert.is(put(279, 'value', 10), '10 bytes of strips, too few for 6x4');
    assert.is(put(256, 'value', 0), 'an invalid size 0x4');
    assert.is(put(277, 'value', 0), '0 samples of 8 bits per pixel');
    const noStrips = new Uint8Array(t);
    view(noStrips).setUint16(entry(t, 273, le), 999, le);
    assert.is(checkStructure(noStrips, 'tif'), 'no strip offsets');
    const noWidth = new Uint8Array(t);
    view(noWidth).setUint16(entry(t, 256, le), 999, le);
    assert.is(checkStructure(noWidth, 'tif'), 'no ImageWidth or ImageLength');
    const noCounts = new Uint8Array(t);
    view(noCounts).setUint16(entry(t, 279, le), 999, le);
    assert.is(checkStructure(noCounts, 'tif'), '1 strip offsets but 0 byte counts');
    const far = new Uint8Array(t);
    view(far).setUint32(4, t.length, le);
    assert.is(checkStructure(far, 'tif'), 'the first IFD past the end of the file');
    const empty = new Uint8Array(t);
    view(empty).setUint16(8, 0, le);
    assert.is(checkStructure(empty, 'tif'), 'an empty IFD');
    const long = new Uint8Array(t);
    view(long).setUint16(8, 5000, le);
    assert.is(checkStructure(long, 'tif'), 'the file ends inside the first IFD');
  }
  assert.is(checkStructure(tiffStripCount(0x7fffffff), 'tif'), 'an absurd count 2147483647 for tag 279');
});

test('tiffFirstImage: the next-IFD link cut, the pointer tags renamed, nothing else changed', () => {
  const t = tiff();
  const exif = entry(t, 284); // PlanarConfiguration, renumbered as an EXIF pointer for the test
  view(t).setUint16(exif, 34665, true);
  const next = 10 + 12 * view(t).getUint16(8, true);
  view(t).setUint32(next, 8, true); // a chain that loops on itself
  const out = tiffFirstImage(t);
  assert.is(view(out).getUint32(next, true), 0);
  assert.is(view(out).getUint16(exif, true), 65000);
  const changed = [...out.keys()].filter((i) => out[i] !== t[i]);
  assert.equal(changed, [exif, exif + 1, next]);
});

test.run();
