/**
 * The hostile files that fuzzing v1.0's decoders found, one test each: each must be
 * refused with one line, at once (the bound of 2 s is a guard against decoding
 * gigapixels, not a benchmark: v1.0 took 12 to 20 s and gigabytes on each), and the
 * limit itself (maxPixels, --max-pixels).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CorruptImageError, ImageTooLargeError, jimpCodec, loadSharpCodec, sniffSize, type CodecName } from '../../lib/codecs/index.js';
import { ImageFileError, loadImage } from '../../lib/io.js';
import { listTree, runCli, scratchDir, removeScratch } from '../helpers/cli.js';
import { pngFile, readPng, rejects, same } from '../helpers/files.js';
import { bmpRle8Declaring, jpegDeclaring, pngDeclaring, pngGrayZeros, pngSecondIhdr, tiffStripCount } from '../helpers/hostile.js';

const codecs: CodecName[] = ['jimp'];
if (await loadSharpCodec()) codecs.push('sharp');

const root = mkdtempSync(join(tmpdir(), 'focus-stacking-hostile-'));
const file = (name: string, bytes: Uint8Array) => {
  const path = join(root, name);
  writeFileSync(path, bytes);
  return path;
};
test.after(async () => {
  rmSync(root, { recursive: true, force: true });
  await removeScratch();
});

/** Generous: refusing takes milliseconds; decoding what the header declares takes 10 s and more. */
const QUICKLY_MS = 2000;

/** Load `path` with each codec; assert the same one-line ImageFileError, quickly. */
async function refused(path: string, code: string, problem: string, maxPixels?: number): Promise<void> {
  for (const codec of codecs) {
    const started = performance.now();
    const error = await rejects(() => loadImage(path, { codec, maxPixels }));
    const ms = performance.now() - started;
    assert.instance(error, ImageFileError, codec);
    assert.is(error.message, `Cannot read image "${path}": ${problem}`, codec);
    assert.is((error as ImageFileError).code, code, codec);
    assert.ok(ms < QUICKLY_MS, `${codec}: refused in ${ms.toFixed(0)} ms`);
  }
}

test('a 1 KB JPEG whose frame header declares 16000x16000: refused from the header', async () => {
  const path = file('sof.jpg', await jpegDeclaring(16000, 16000));
  await refused(path, 'ETOOLARGE', '16000x16000 is 256 megapixels, above the limit of 100 (--max-pixels / maxPixels)');
  // Above the limit, the data is still far too short for 16000x16000.
  await refused(path, 'EDECODE', 'truncated or corrupt JPEG data (414 bytes of scan data, too few for 16000x16000)', 1e9);
});

test('a 69-byte PNG whose IHDR declares 16384x16384: refused from the header', async () => {
  const bytes = pngDeclaring(16384, 16384);
  assert.is(bytes.length, 69);
  const path = file('ihdr.png', bytes);
  await refused(path, 'ETOOLARGE', '16384x16384 is 268 megapixels, above the limit of 100 (--max-pixels / maxPixels)');
  await refused(path, 'EDECODE', 'truncated or corrupt PNG data (12 bytes of IDAT data, too few for 16384x16384)', 1e9);
});

test('a 1 KB RLE8 BMP declaring 20000x20000: refused from the header', async () => {
  const path = file('rle8.bmp', bmpRle8Declaring(20000, 20000));
  await refused(path, 'ETOOLARGE', '20000x20000 is 400 megapixels, above the limit of 100 (--max-pixels / maxPixels)');
  // Top-down (negative height): the same size.
  const topDown = bmpRle8Declaring(20000, 20000);
  new DataView(topDown.buffer).setInt32(22, -20000, true);
  assert.equal(sniffSize(topDown), { width: 20000, height: 20000 });
  await refused(file('top-down.bmp', topDown), 'ETOOLARGE', '20000x20000 is 400 megapixels, above the limit of 100 (--max-pixels / maxPixels)');
});

test('a TIFF whose StripByteCounts count is 2^31-1: refused, and jimp does not crash (child process)', async () => {
  const path = file('count.tif', tiffStripCount(0x7fffffff));
  await refused(path, 'EDECODE', 'truncated or corrupt TIFF data (an absurd count 2147483647 for tag 279)');
  // v1.0 died here of a V8 fatal error (exit 133, a native stack trace): run it where a crash shows.
  const io = new URL('../../lib/io.js', import.meta.url).href;
  const script = `import(${JSON.stringify(io)}).then(({ loadImage }) => loadImage(process.argv[1], { codec: 'jimp' })).then(() => console.log('decoded'), (e) => console.log(e.code))`;
  const run = promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, path], { timeout: 30_000 });
  const { stdout, stderr } = await run.catch((error: { code: unknown; signal: unknown; stderr: string }) => {
    throw new Error(`the child exited with ${String(error.code)} ${String(error.signal)}: ${error.stderr.split('\n')[0]}`);
  });
  assert.is(stdout, 'EDECODE\n');
  assert.is(stderr, '');
});

test('a 140 KB gray PNG that really inflates to 12000x12000: refused before inflating', async () => {
  const bytes = await pngGrayZeros(12000);
  assert.ok(bytes.length < 150_000, `${bytes.length} bytes`);
  const path = file('gray.png', bytes);
  await refused(path, 'ETOOLARGE', '12000x12000 is 144 megapixels, above the limit of 100 (--max-pixels / maxPixels)');
});

test('a PNG with a second IHDR (5000x5000): refused, not decoded at the second size', async () => {
  const path = file('two-ihdr.png', pngSecondIhdr(5000, 5000));
  await refused(path, 'EDECODE', 'truncated or corrupt PNG data (a second IHDR chunk)');
});

test('maxPixels: the limit is inclusive, checked at the boundary, and raised at will', async () => {
  const raster = { width: 100, height: 80, channels: 3, data: new Uint8Array(24000).map((_, i) => (i * 13) % 256) };
  const png = pngFile(raster);
  const path = file('ok.png', png);
  for (const codec of codecs) same(await loadImage(path, { codec, maxPixels: 8000 }), readPng(png), codec);
  await refused(path, 'ETOOLARGE', '100x80 is 8000 pixels, above the limit of 7999 (--max-pixels / maxPixels)', 7999);
  await rejects(() => loadImage(path, { maxPixels: 0 }), /^RangeError: Expected an integer from 1 to 9007199254740991 for maxPixels but received 0 \(number\)$/);
  await rejects(() => loadImage(path, { maxPixels: '8000' as unknown as number }), /^TypeError: Expected an integer .* for maxPixels but received "8000" \(string\)$/);
  // The codec's own errors carry fields.
  const tooLarge = await rejects(() => jimpCodec.decode(png, { maxPixels: 100 }));
  assert.instance(tooLarge, ImageTooLargeError);
  assert.equal([(tooLarge as ImageTooLargeError).width, (tooLarge as ImageTooLargeError).height, (tooLarge as ImageTooLargeError).maxPixels], [100, 80, 100]);
  const corrupt = await rejects(() => jimpCodec.decode(pngSecondIhdr(5000, 5000)));
  assert.instance(corrupt, CorruptImageError);
  assert.equal([(corrupt as CorruptImageError).format, (corrupt as CorruptImageError).problem], ['png', 'a second IHDR chunk']);
});

test('--max-pixels: passed to both inputs; a bad value is a usage error', async () => {
  const raster = { width: 100, height: 80, channels: 3, data: new Uint8Array(24000).map((_, i) => (i * 13) % 256) };
  const front = file('front.png', pngFile(raster));
  const back = file('back.png', pngDeclaring(16384, 16384));
  const dir = await scratchDir();
  const output = join(dir, 'out');
  const huge = await runCli(['--back', back, '--front', front, '--output', output, '--format', 'png', '--codec', 'jimp', '--quiet']);
  assert.is(huge.code, 1);
  assert.is(huge.stderr, `focus-stacking: cannot read image "${back}": 16384x16384 is 268 megapixels, above the limit of 100 (--max-pixels / maxPixels)\n`);
  const small = await runCli(['--back', front, '--front', front, '--output', output, '--max-pixels', '7999', '--codec', 'jimp', '--quiet']);
  assert.is(small.code, 1);
  assert.match(small.stderr, /^focus-stacking: cannot read image ".*front\.png": 100x80 is 8000 pixels, above the limit of 7999 \(--max-pixels \/ maxPixels\)\n$/);
  const bad = await runCli(['--back', front, '--front', front, '--output', output, '--max-pixels', '0']);
  assert.is(bad.code, 2);
  assert.is(bad.stderr, 'focus-stacking: --max-pixels: expected an integer from 1 to 9007199254740991 but received "0"\n');
  const word = await runCli(['--back', front, '--front', front, '--output', output, '--max-pixels', 'many']);
  assert.is(word.code, 2);
  assert.is(word.stderr, 'focus-stacking: --max-pixels: expected a number but received "many"\n');
  assert.equal(await listTree(dir), [], 'no output');
});

test.run();
