/**
 * A deterministic fuzz test of the decoders: small valid JPEG, PNG (8/16-bit, gray,
 * colour), BMP and TIFF files, mutated with a fixed seed (byte flips, truncations, header
 * fields overwritten with huge values, chunks or segments duplicated), each loaded with
 * both codecs. Each must either decode to a well-formed image within the limit, or be
 * refused with a one-line ImageFileError: never a crash, a multi-line message, another
 * kind of error, or a long run. maxPixels is 1 MP here so that no mutated file within the
 * limit takes long to decode; the default limit is tested in hostile.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jimpCodec, loadSharpCodec, type CodecName } from '../../lib/codecs/index.js';
import { ImageFileError, loadImage } from '../../lib/io.js';
import { bmpFile, pngFile, tiffFile } from '../helpers/files.js';
import { rng } from '../helpers/random.js';

const codecs: CodecName[] = ['jimp'];
if (await loadSharpCodec()) codecs.push('sharp');

const MAX_PIXELS = 1_000_000;
/** Overridable to explore further (FUZZ_SEED=7 FUZZ_MUTANTS=500); CI runs the defaults. */
const MUTANTS_PER_SEED = Number(process.env.FUZZ_MUTANTS ?? 48);
const RANDOM_SEED = Number(process.env.FUZZ_SEED ?? 20240611);
/** A guard against a decoder running on what a header declares, not a benchmark. */
const SLOWEST_MS = 2000;

const root = mkdtempSync(join(tmpdir(), 'focus-stacking-fuzz-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** The seeds: small valid files of every format and layout the codecs read. */
async function seeds(): Promise<Array<[string, Uint8Array]>> {
  const raster = (width: number, height: number, channels: number, max = 255) => ({
    width,
    height,
    channels,
    data: Array.from({ length: width * height * channels }, (_, i) => (i * 7919) % (max + 1)),
  });
  const rgb = { width: 24, height: 16, channels: 3 as const, data: new Uint8Array(24 * 16 * 3).map((_, i) => (i * 31) % 256) };
  return [
    ['jpg', await jimpCodec.encode(rgb, 'jpg', { quality: 80 })],
    ['jpg', await jimpCodec.encode({ ...rgb, width: 16, height: 24 }, 'jpg', { quality: 30 })],
    ['png', pngFile(raster(12, 9, 1))],
    ['png', pngFile(raster(12, 9, 3))],
    ['png', pngFile(raster(10, 7, 4))],
    ['png', pngFile(raster(12, 9, 1, 65535), 16)],
    ['png', pngFile(raster(9, 12, 3, 65535), 16)],
    ['bmp', bmpFile(raster(12, 9, 3))],
    ['bmp', bmpFile(raster(13, 9, 1))],
    ['tif', tiffFile(raster(12, 9, 3))],
    ['tif', tiffFile(raster(12, 9, 1, 65535), 16, false)],
    ['tif', tiffFile(raster(9, 12, 1))],
  ];
}

const HUGE = [0xffffffff, 0x7fffffff, 0x80000000, 0x10000, 0xffff, 16000, 0];

/** Offsets of the PNG chunks or JPEG segments of a file (empty for BMP and TIFF). */
function blocks(bytes: Uint8Array, format: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') {
    for (let at = 8; at + 12 <= bytes.length; at += 12 + v.getUint32(at)) out.push([at, 12 + v.getUint32(at)]);
  } else if (format === 'jpg') {
    for (let at = 2; at + 4 <= bytes.length && bytes[at] === 0xff && bytes[at + 1] !== 0xda; at += 2 + v.getUint16(at + 2)) out.push([at, 2 + v.getUint16(at + 2)]);
  }
  return out;
}

/** One mutation of `seed`, picked and placed by `next`. */
function mutate(seed: Uint8Array, format: string, next: () => number): { bytes: Uint8Array; what: string } {
  const pick = (n: number) => Math.floor(next() * n);
  const kind = pick(5);
  const bytes = new Uint8Array(seed);
  const v = new DataView(bytes.buffer);
  switch (kind) {
    case 0: {
      const flips = 1 + pick(8);
      for (let i = 0; i < flips; i++) bytes[pick(bytes.length)] = pick(256);
      return { bytes, what: `${flips} byte flips` };
    }
    case 1: {
      const length = pick(bytes.length);
      return { bytes: bytes.subarray(0, length), what: `truncated to ${length}` };
    }
    case 2: {
      // A header field (the first 160 bytes hold every header, IFD and frame header here) set to a huge value.
      const at = pick(Math.min(160, bytes.length - 4));
      const value = HUGE[pick(HUGE.length)];
      const little = next() < 0.5;
      if (next() < 0.5) v.setUint32(at, value, little);
      else v.setUint16(at, value & 0xffff, little);
      return { bytes, what: `${value} at ${at}` };
    }
    case 3: {
      // A chunk or segment duplicated (a second IHDR, a second frame header...), or a slice for BMP and TIFF.
      const list = blocks(seed, format);
      const [at, length] = list.length > 0 ? list[pick(list.length)] : [pick(seed.length), 1 + pick(64)];
      const end = Math.min(at + length, seed.length);
      return { bytes: Buffer.concat([seed.subarray(0, end), seed.subarray(at, end), seed.subarray(end)]), what: `duplicated ${at}..${end}` };
    }
    default: {
      // Width and height, where each format keeps them, set to a huge or a small value.
      const value = HUGE[pick(HUGE.length)];
      if (format === 'png') v.setUint32(16 + 4 * pick(2), value);
      else if (format === 'bmp') v.setInt32(18 + 4 * pick(2), value | 0, true);
      else if (format === 'tif') v.setUint32(8 + 2 + 12 * pick(2) + 8, value, bytes[0] === 0x49);
      else {
        const [sof] = blocks(seed, format).filter(([at]) => seed[at + 1] === 0xc0);
        v.setUint16(sof[0] + 5 + 2 * pick(2), value & 0xffff);
      }
      return { bytes, what: `size field set to ${value}` };
    }
  }
}

test(`fuzz (seed ${RANDOM_SEED}): ${MUTANTS_PER_SEED} mutants of each seed, each codec: an image within the limit or one line`, async () => {
  const next = rng(RANDOM_SEED);
  let slowest = { ms: 0, what: '' };
  const outcomes = { decoded: 0, refused: 0 };
  let serial = 0;
  const all = await seeds();
  // Every seed decodes (and both codecs are loaded before anything is timed).
  for (const [format, seed] of all) {
    const path = join(root, `seed-${serial++}.${format}`);
    writeFileSync(path, seed);
    for (const codec of codecs) assert.ok((await loadImage(path, { codec })).width > 0, `${codec} ${path}`);
  }
  for (const [format, seed] of all) {
    for (let m = 0; m < MUTANTS_PER_SEED; m++) {
      const { bytes, what } = mutate(seed, format, next);
      const path = join(root, `${serial++}.${format}`);
      writeFileSync(path, bytes);
      const label = `${path} (${format}, ${what})`;
      for (const codec of codecs) {
        const started = performance.now();
        try {
          const image = await loadImage(path, { codec, maxPixels: MAX_PIXELS });
          const { width, height, channels, data } = image;
          assert.ok(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0, `${codec} ${label}: size ${width}x${height}`);
          assert.ok(width * height <= MAX_PIXELS, `${codec} ${label}: ${width}x${height} above the limit`);
          assert.ok(channels === 1 || channels === 3, `${codec} ${label}: ${channels} channels`);
          assert.ok(data instanceof Uint8Array || data instanceof Uint16Array, `${codec} ${label}: data`);
          assert.is(data.length, width * height * channels, `${codec} ${label}: data length`);
          outcomes.decoded++;
        } catch (error) {
          if (!(error instanceof ImageFileError)) throw new Error(`${codec} ${label}: ${String(error)}`);
          assert.ok(!error.message.includes('\n'), `${codec} ${label}: a message of several lines: ${error.message}`);
          assert.ok(['EDECODE', 'ETOOLARGE', 'EFORMAT', 'EEMPTY'].includes(error.code), `${codec} ${label}: code ${error.code}`);
          outcomes.refused++;
        }
        const ms = performance.now() - started;
        if (ms > slowest.ms) slowest = { ms, what: `${codec} ${label}` };
      }
    }
  }
  if (process.env.FUZZ_REPORT) console.log(outcomes, slowest);
  assert.ok(slowest.ms < SLOWEST_MS, `slowest: ${slowest.ms.toFixed(0)} ms, ${slowest.what}`);
  // The mutations are not all fatal, nor all harmless.
  assert.ok(outcomes.decoded > 20 && outcomes.refused > 100, JSON.stringify(outcomes));
});

test.run();
