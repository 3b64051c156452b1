import { deflateSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Codec, Format } from '../../lib/codecs/codec.js';
import { jimpCodec } from '../../lib/codecs/jimp.js';
import { embedMetadata, MAX_ICC_BYTES, normaliseExif } from '../../lib/codecs/metadata.js';
import { loadSharpCodec } from '../../lib/codecs/sharp.js';
import { assertImage, type Image, type ImageMetadata } from '../../lib/image.js';
import { blockImage, pngChunk, pngFile, rejects, same, sameBytes } from '../helpers/files.js';

const loaded = await loadSharpCodec();
if (loaded === undefined) console.log('note: sharp is not installed or does not load; the metadata tests that read files with sharp are skipped');
const sharpCodec = loaded!;
const check = loaded === undefined ? test.skip : test;
const codecs: Codec[] = loaded === undefined ? [jimpCodec] : [jimpCodec, loaded];
const sharp = loaded === undefined ? undefined! : (await import('sharp')).default;

/** sharp's `metadata().exif` starts with "Exif\0\0"; the library keeps the TIFF structure only. */
const tiffOf = (exif: Uint8Array) => (Buffer.from(exif.subarray(0, 6)).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif);

/**
 * A hand-made EXIF block (TIFF structure): IFD0 with Make "Test" (ASCII, 5 bytes at
 * offset 38), Orientation (SHORT, or LONG with `long`), and no next IFD.
 */
function exifBlock(orientation: number, little = true, long = false): { tiff: Uint8Array; orientationAt: number } {
  const tiff = new Uint8Array(44);
  const v = new DataView(tiff.buffer);
  tiff.set(little ? [0x49, 0x49] : [0x4d, 0x4d]);
  v.setUint16(2, 42, little);
  v.setUint32(4, 8, little);
  v.setUint16(8, 2, little);
  // Entry 1: Make, ASCII (2), count 5, offset 38.
  v.setUint16(10, 0x010f, little);
  v.setUint16(12, 2, little);
  v.setUint32(14, 5, little);
  v.setUint32(18, 38, little);
  // Entry 2: Orientation, SHORT (3) or LONG (4), count 1, value in the entry.
  v.setUint16(22, 0x0112, little);
  v.setUint16(24, long ? 4 : 3, little);
  v.setUint32(26, 1, little);
  if (long) v.setUint32(30, orientation, little);
  else v.setUint16(30, orientation, little);
  v.setUint32(34, 0, little);
  tiff.set(Buffer.from('Test\0', 'latin1'), 38);
  return { tiff, orientationAt: 30 };
}

/** The expected EXIF after reading: the same bytes with the orientation value 1. */
function withOrientationOne(tiff: Uint8Array, little = true, long = false): Uint8Array {
  const out = new Uint8Array(tiff);
  const v = new DataView(out.buffer);
  if (long) v.setUint32(30, 1, little);
  else v.setUint16(30, 1, little);
  return out;
}

/** A synthetic "ICC profile" of `n` bytes (the codecs copy profiles, they do not parse them). */
const fakeIcc = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7919 + 13) % 251);

/** The APP segments of a JPEG file before its first scan: marker and payload. */
function appSegments(jpeg: Uint8Array): { marker: number; body: Uint8Array }[] {
  const out: { marker: number; body: Uint8Array }[] = [];
  for (let at = 2; jpeg[at + 1] !== 0xda; ) {
    const length = (jpeg[at + 2] << 8) | jpeg[at + 3];
    if (jpeg[at + 1] >= 0xe0 && jpeg[at + 1] <= 0xef) out.push({ marker: jpeg[at + 1], body: jpeg.subarray(at + 4, at + 2 + length) });
    at += 2 + length;
  }
  return out;
}

/** The chunk types of a PNG file, in order. */
function pngChunks(png: Uint8Array): string[] {
  const out: string[] = [];
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at < png.length; at += 12 + v.getUint32(at)) out.push(Buffer.from(png.subarray(at + 4, at + 8)).toString('latin1'));
  return out;
}

/** A PNG file with `chunks` inserted after IHDR. */
function pngWith(chunks: Uint8Array[], image: Image = blockImage()): Uint8Array {
  const png = pngFile(image);
  return Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)]);
}

/** A JPEG APP segment. */
function app(marker: number, ...parts: ArrayLike<number>[]): Uint8Array {
  const body = Buffer.concat(parts.map((p) => Uint8Array.from(p)));
  return Buffer.concat([Uint8Array.of(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff), body]);
}

/** A JPEG file with `segments` inserted after SOI. */
async function jpegWith(segments: Uint8Array[]): Promise<Uint8Array> {
  const jpeg = await jimpCodec.encode(blockImage(), 'jpg', { quality: 100 });
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

const ICC_ID = Buffer.from('ICC_PROFILE\0', 'latin1');

check('JPEG and PNG written by either codec carry the ICC profile and the EXIF, as sharp reads them', async () => {
  // sharp's built-in Display P3 profile: a real ICC profile, made by sharp, not by the code under test.
  const icc = new Uint8Array((await sharp(await sharp({ create: { width: 2, height: 2, channels: 3, background: 'red' } }).withIccProfile('p3').png().toBuffer()).metadata()).icc!);
  assert.ok(icc.length > 100);
  const { tiff } = exifBlock(6);
  const expectedExif = withOrientationOne(tiff);
  const image: Image = { ...blockImage(), metadata: { icc, exif: tiff } };
  for (const writer of codecs) {
    for (const format of ['jpg', 'png'] as Format[]) {
      const label = `${writer.name} ${format}`;
      const bytes = await writer.encode(image, format, { quality: 100 });
      const meta = await sharp(bytes).metadata();
      sameBytes(meta.icc!, icc, `${label}: icc as sharp reads it`);
      // The pixels are written as they are: orientation 1 whatever the image's EXIF says.
      sameBytes(tiffOf(meta.exif!), expectedExif, `${label}: exif as sharp reads it`);
      assert.is(meta.orientation, 1, label);
      // The pixels are those of the same image without metadata.
      same(await sharpCodec.decode(bytes), await sharpCodec.decode(await writer.encode(blockImage(), format, { quality: 100 })), label);
      for (const reader of codecs) {
        const back = await reader.decode(bytes);
        sameBytes(back.metadata!.icc!, icc, `${label} read by ${reader.name}: icc`);
        sameBytes(back.metadata!.exif!, expectedExif, `${label} read by ${reader.name}: exif, orientation 1`);
      }
    }
  }
});

check('a rotated file: both codecs apply the orientation, keep the ICC profile, and reset the tag to 1', async () => {
  const source = sharp({ create: { width: 6, height: 4, channels: 3, background: { r: 200, g: 30, b: 90 } } }).withIccProfile('p3').withMetadata({ orientation: 6 });
  for (const format of ['jpg', 'png'] as const) {
    const bytes = await (format === 'jpg' ? source.clone().jpeg() : source.clone().png()).toBuffer();
    const meta = await sharp(bytes).metadata();
    assert.is(meta.orientation, 6);
    for (const codec of codecs) {
      const image = await codec.decode(bytes);
      // jimp applies no orientation to PNG (see the jimp codec).
      if (format === 'jpg' || codec === sharpCodec) assert.is(`${image.width}x${image.height}`, '4x6', `${codec.name} ${format}: rotated`);
      sameBytes(image.metadata!.icc!, meta.icc!, `${codec.name} ${format}: icc`);
      // Written back into a JPEG, sharp reads orientation 1 and the rest of the source's EXIF.
      const again = await sharp(await sharpCodec.encode(image, 'jpg')).metadata();
      assert.is(again.orientation, 1, `${codec.name} ${format}: orientation`);
      const before = tiffOf(meta.exif!);
      const after = image.metadata!.exif!;
      assert.is(after.length, before.length);
      const changed = [...after.keys()].filter((i) => after[i] !== before[i]);
      assert.ok(changed.length >= 1 && changed.length <= 2, `${codec.name} ${format}: only the orientation value changed (${changed})`);
    }
  }
});

check('a profile above 64 KB goes into several APP2 segments, which sharp joins', async () => {
  const icc = fakeIcc(150_000);
  for (const writer of codecs) {
    const bytes = await writer.encode({ ...blockImage(), metadata: { icc } }, 'jpg');
    const segments = appSegments(bytes).filter((s) => s.marker === 0xe2);
    assert.equal(
      segments.map((s) => [s.body[12], s.body[13], s.body.length - 14]),
      [
        [1, 3, 65519],
        [2, 3, 65519],
        [3, 3, 150_000 - 2 * 65519],
      ],
    );
    sameBytes((await sharp(bytes).metadata()).icc!, icc, writer.name);
    for (const reader of codecs) sameBytes((await reader.decode(bytes)).metadata!.icc!, icc, `${writer.name} read by ${reader.name}`);
  }
});

test('the jimp codec joins ICC pieces in any order, and drops an incomplete set', async () => {
  const icc = fakeIcc(300);
  const pieces = [icc.subarray(0, 100), icc.subarray(100, 250), icc.subarray(250)];
  // Out of order, and with fill bytes (0xFF) before a marker.
  const shuffled = await jpegWith([app(0xe2, ICC_ID, [2, 3], pieces[1]), Uint8Array.of(0xff, 0xff), app(0xe2, ICC_ID, [3, 3], pieces[2]), app(0xe2, ICC_ID, [1, 3], pieces[0])]);
  sameBytes((await jimpCodec.decode(shuffled)).metadata!.icc!, icc);
  const missing = await jpegWith([app(0xe2, ICC_ID, [1, 3], pieces[0]), app(0xe2, ICC_ID, [3, 3], pieces[2])]);
  assert.is((await jimpCodec.decode(missing)).metadata, undefined);
  const wrongCount = await jpegWith([app(0xe2, ICC_ID, [1, 2], pieces[0])]);
  assert.is((await jimpCodec.decode(wrongCount)).metadata, undefined);
});

test('EXIF that is not a TIFF structure is dropped; an image without metadata gets none', async () => {
  for (const junk of [[1, 2, 3, 4, 5, 6, 7, 8, 9], [0x49, 0x49, 43, 0, 8, 0, 0, 0], [0x49, 0x49, 42, 0, 0xff, 0, 0, 0], [0x49, 0x49]]) {
    const jpeg = await jpegWith([app(0xe1, Buffer.from('Exif\0\0', 'latin1'), junk)]);
    for (const codec of codecs) assert.is((await codec.decode(jpeg)).metadata, undefined, `${codec.name} ${junk}`);
  }
  for (const codec of codecs) {
    assert.is((await codec.decode(pngFile(blockImage()))).metadata, undefined);
    assert.not.ok('metadata' in (await codec.decode(await codec.encode(blockImage(), 'jpg'))));
  }
});

test('normaliseExif: orientation 1 in either byte order, SHORT or LONG; other tags and the prefix', () => {
  for (const little of [true, false]) {
    for (const long of [false, true]) {
      const { tiff } = exifBlock(8, little, long);
      sameBytes(normaliseExif(tiff)!, withOrientationOne(tiff, little, long), `little ${little} long ${long}`);
      // With the JPEG prefix, the same TIFF structure; the input is not changed.
      sameBytes(normaliseExif(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]))!, withOrientationOne(tiff, little, long));
      assert.is(new DataView(tiff.buffer).getUint16(30, little) + new DataView(tiff.buffer).getUint16(32, little), 8);
    }
  }
  // No orientation tag: the bytes as they are.
  const { tiff } = exifBlock(3);
  tiff[22] = 0x01;
  tiff[23] = 0x31; // Software, not Orientation
  sameBytes(normaliseExif(tiff)!, tiff);
});

test('PNG: the jimp codec reads iCCP and eXIf; a broken or oversized iCCP is dropped', async () => {
  const icc = fakeIcc(5000);
  const { tiff } = exifBlock(3, false);
  const iccp = (name: string, data: Uint8Array) => pngChunk('iCCP', Buffer.concat([Buffer.from(`${name}\0\0`, 'latin1'), data]));
  const good = await jimpCodec.decode(pngWith([iccp('Some profile', deflateSync(icc)), pngChunk('eXIf', tiff)]));
  sameBytes(good.metadata!.icc!, icc);
  sameBytes(good.metadata!.exif!, withOrientationOne(tiff, false));
  same(good, await jimpCodec.decode(pngFile(blockImage())));
  const broken = await jimpCodec.decode(pngWith([iccp('p', Uint8Array.of(1, 2, 3, 4, 5)), pngChunk('eXIf', tiff)]));
  assert.equal(Object.keys(broken.metadata!), ['exif']);
  // A zlib bomb: a small chunk that inflates beyond the largest profile a JPEG could hold.
  const bomb = deflateSync(new Uint8Array(MAX_ICC_BYTES + 1));
  assert.ok(bomb.length < 100_000);
  assert.is((await jimpCodec.decode(pngWith([iccp('p', bomb)]))).metadata, undefined);
  // No profile name: not a valid iCCP.
  assert.is((await jimpCodec.decode(pngWith([iccp('', deflateSync(icc))]))).metadata, undefined);
});

test('written right after SOI (and JFIF APP0) in JPEG, after IHDR in PNG; nothing in TIFF and BMP', async () => {
  const metadata: ImageMetadata = { icc: fakeIcc(1000), exif: exifBlock(1).tiff };
  for (const codec of codecs) {
    const jpeg = await codec.encode({ ...blockImage(), metadata }, 'jpg');
    const markers = appSegments(jpeg).map((s) => s.marker.toString(16));
    assert.equal(markers.filter((m) => m !== 'e0'), ['e1', 'e2']);
    assert.is(jpeg[2], 0xff);
    assert.ok(jpeg[3] === 0xe0 || jpeg[3] === 0xe1, codec.name);
    const png = await codec.encode({ ...blockImage(), metadata }, 'png');
    assert.equal(pngChunks(png).slice(0, 3), ['IHDR', 'iCCP', 'eXIf'], codec.name);
    for (const format of ['tif', 'bmp'] as Format[]) {
      sameBytes(await codec.encode({ ...blockImage(), metadata }, format), await codec.encode(blockImage(), format), `${codec.name} ${format}`);
    }
  }
  // Only one of the two; an empty profile counts as none; EXIF too large for a JPEG segment is left out.
  const jpeg = await jimpCodec.encode(blockImage(), 'jpg');
  assert.equal(appSegments(await embedMetadata(jpeg, 'jpg', { exif: metadata.exif })).map((s) => s.marker), [0xe0, 0xe1]);
  assert.is(await embedMetadata(jpeg, 'jpg', { icc: new Uint8Array(0) }), jpeg);
  const huge = new Uint8Array(70_000);
  huge.set(exifBlock(1).tiff);
  assert.is(await embedMetadata(jpeg, 'jpg', { exif: huge }), jpeg);
  assert.is(await embedMetadata(jpeg, 'jpg', { exif: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9) }), jpeg, 'not TIFF: not written');
  assert.is(await embedMetadata(jpeg, 'jpg', undefined), jpeg);
  const png = pngFile(blockImage());
  assert.equal(pngChunks(await embedMetadata(png, 'png', { icc: metadata.icc })), ['IHDR', 'iCCP', 'IDAT', 'IEND']);
  // A prefixed EXIF block is written without its prefix in PNG.
  const prefixed = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), metadata.exif!]);
  sameBytes((await jimpCodec.decode(await embedMetadata(png, 'png', { exif: prefixed }))).metadata!.exif!, metadata.exif!);
});

test('metadata survives 16-to-8-bit conversion in encoding; a malformed metadata field is refused', async () => {
  const deep: Image = { width: 2, height: 1, channels: 1, data: Uint16Array.of(0, 65535), metadata: { exif: exifBlock(1).tiff } };
  sameBytes((await jimpCodec.decode(await jimpCodec.encode(deep, 'jpg'))).metadata!.exif!, exifBlock(1).tiff);
  const base = { width: 1, height: 1, channels: 1, data: new Uint8Array(1) };
  assert.throws(() => assertImage('image', { ...base, metadata: 5 }), /Expected an object \(\{ icc\?, exif\? \}\) for image\.metadata/);
  assert.throws(() => assertImage('image', { ...base, metadata: null }), /image\.metadata/);
  assert.throws(() => assertImage('image', { ...base, metadata: { icc: [1, 2] } }), /Expected a Uint8Array for image\.metadata\.icc/);
  assert.throws(() => assertImage('image', { ...base, metadata: { exif: 'x' } }), /image\.metadata\.exif/);
  assertImage('image', { ...base, metadata: {} });
  await rejects(() => jimpCodec.encode({ ...base, metadata: { icc: 'x' } } as unknown as Image, 'png'), /image\.metadata\.icc/);
});

test.run();
