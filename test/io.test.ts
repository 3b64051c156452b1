import { execFile } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSharpCodec, sniffFormat, type CodecName } from '../lib/codecs/index.js';
import type { Image } from '../lib/image.js';
import { encodeImage, ImageFileError, loadImage, removeTemporaryFiles, saveFiles, saveImage } from '../lib/io.js';
import { writeAtomically } from '../lib/atomic.js';
import { fixture, meanAbsDiff, photo, pngFile, readPng, rejects, same, tiffFile } from './helpers/files.js';

const codecs: CodecName[] = ['jimp'];
if (await loadSharpCodec()) codecs.push('sharp');
else console.log('note: sharp is not installed or does not load; io tests run with the jimp codec only');

const root = mkdtempSync(join(tmpdir(), 'focus-stacking-io-'));
let serial = 0;
/** A new empty directory for one test. */
const newDir = () => {
  const dir = join(root, String(serial++));
  mkdirSync(dir);
  return dir;
};
const colourFixture = fixture('pcb-640x480/input/back.png');
const small: Image = { width: 4, height: 3, channels: 3, data: Uint8Array.from({ length: 36 }, (_, i) => i * 7) };

/** Assert that `run` fails with an ImageFileError of this exact message and code. */
async function failsWith(run: () => Promise<unknown>, message: string, code: string): Promise<void> {
  const error = await rejects(run);
  assert.instance(error, ImageFileError);
  assert.is(error.message, message);
  assert.is((error as ImageFileError).code, code);
}

test('loadImage decodes with each codec, and with the default one', async () => {
  const expected = readPng(readFileSync(colourFixture));
  for (const codec of codecs) same(await loadImage(colourFixture, { codec }), expected, codec);
  same(await loadImage(colourFixture), expected);
  const gray = await loadImage(fixture('pcb-gray-256x192/input/back.png'));
  assert.is(gray.channels, 1);
});

test('saveImage: format from the extension, round trip through loadImage', async () => {
  const image = photo();
  for (const codec of codecs) {
    const dir = newDir();
    for (const [name, format] of [['a.png', 'png'], ['a.tif', 'tif'], ['b.TIFF', 'tif'], ['a.bmp', 'bmp'], ['a.jpg', 'jpg'], ['b.JPEG', 'jpg']]) {
      const path = join(dir, name);
      await saveImage(image, path, { codec });
      assert.is(sniffFormat(readFileSync(path)), format, `${codec} ${name}`);
      const back = await loadImage(path, { codec });
      if (format === 'jpg') assert.ok(meanAbsDiff(back, image) < 1.5, `${codec} ${name}`);
      else same(back, image, `${codec} ${name}`);
    }
    assert.equal(readdirSync(dir).sort(), ['a.bmp', 'a.jpg', 'a.png', 'a.tif', 'b.JPEG', 'b.TIFF'], 'no temporary file left');
  }
});

test('saveImage: an explicit format wins over the extension; quality reaches the encoder', async () => {
  const image = photo();
  for (const codec of codecs) {
    const dir = newDir();
    await saveImage(image, join(dir, 'out.data'), { codec, format: 'png' });
    assert.is(sniffFormat(readFileSync(join(dir, 'out.data'))), 'png');
    await saveImage(image, join(dir, 'q95.jpg'), { codec });
    await saveImage(image, join(dir, 'q40.jpg'), { codec, quality: 40 });
    assert.ok(readFileSync(join(dir, 'q40.jpg')).length < readFileSync(join(dir, 'q95.jpg')).length * 0.6, codec);
  }
});

test('saveImage replaces an existing file by a rename, never in place', async () => {
  for (const codec of codecs) {
    const dir = newDir();
    const path = join(dir, 'out.png');
    writeFileSync(path, 'old contents');
    linkSync(path, join(dir, 'old-link'));
    await saveImage(small, path, { codec });
    same(await loadImage(path), small);
    assert.is(readFileSync(join(dir, 'old-link'), 'utf8'), 'old contents', 'the old inode was not written to');
    assert.equal(readdirSync(dir).sort(), ['old-link', 'out.png']);
  }
});

test('loadImage errors: one line naming the file, with a code', async () => {
  const dir = newDir();
  const missing = join(dir, 'missing.png');
  await failsWith(() => loadImage(missing), `Cannot read image "${missing}": no such file`, 'ENOENT');
  await failsWith(() => loadImage(join(dir, 'missing', 'x.png')), `Cannot read image "${join(dir, 'missing', 'x.png')}": no such file`, 'ENOENT');
  await failsWith(() => loadImage(dir), `Cannot read image "${dir}": is a directory`, 'EISDIR');
  const empty = join(dir, 'empty.png');
  writeFileSync(empty, '');
  await failsWith(() => loadImage(empty), `Cannot read image "${empty}": empty file`, 'EEMPTY');
  const text = join(dir, 'notes.png');
  writeFileSync(text, 'these are notes, not an image');
  await failsWith(() => loadImage(text), `Cannot read image "${text}": not an image (unrecognised format)`, 'EFORMAT');
  const png = readFileSync(colourFixture);
  const truncatedPng = join(dir, 'truncated.png');
  writeFileSync(truncatedPng, png.subarray(0, png.length >> 1));
  const corruptPng = join(dir, 'corrupt.png');
  writeFileSync(corruptPng, Buffer.concat([png.subarray(0, 100), Buffer.alloc(1000, 0x55)]));
  const jpg = readFileSync((await saveImage(photo(), join(dir, 'ok.jpg')), join(dir, 'ok.jpg')));
  const truncatedJpg = join(dir, 'truncated.jpg');
  writeFileSync(truncatedJpg, jpg.subarray(0, jpg.length >> 1));
  for (const codec of codecs) {
    await failsWith(() => loadImage(truncatedPng, { codec }), `Cannot read image "${truncatedPng}": truncated or corrupt PNG data (the file ends inside the IDAT chunk)`, 'EDECODE');
    await failsWith(() => loadImage(corruptPng, { codec }), `Cannot read image "${corruptPng}": truncated or corrupt PNG data (the file ends inside the IDAT chunk)`, 'EDECODE');
    await failsWith(() => loadImage(truncatedJpg, { codec }), `Cannot read image "${truncatedJpg}": truncated or corrupt JPEG data`, 'EDECODE');
  }
});

test('saveImage errors: clear message, nothing written, no temporary file', async () => {
  const dir = newDir();
  writeFileSync(join(dir, 'file'), 'a regular file');
  mkdirSync(join(dir, 'folder.png'));
  const before = readdirSync(dir).sort();
  const cases: Array<[string, string, string]> = [
    [join(dir, 'folder.png'), 'is a directory', 'EWRITE'],
    [join(dir, 'nowhere', 'out.png'), `directory "${join(dir, 'nowhere')}" does not exist`, 'EWRITE'],
    [join(dir, 'file', 'out.png'), `"${join(dir, 'file')}" is not a directory`, 'EWRITE'],
    [join(dir, 'file', 'sub', 'out.png'), `directory "${join(dir, 'file', 'sub')}" does not exist`, 'EWRITE'],
    [join(dir, 'out.gif'), 'unknown extension ".gif" (use .jpg, .jpeg, .png, .tif, .tiff or .bmp, or give a format)', 'EFORMAT'],
    [join(dir, 'out'), 'no file extension (use .jpg, .jpeg, .png, .tif, .tiff or .bmp, or give a format)', 'EFORMAT'],
  ];
  for (const codec of codecs) {
    for (const [path, problem, code] of cases) {
      await failsWith(() => saveImage(small, path, { codec }), `Cannot write image "${path}": ${problem}`, code);
    }
  }
  assert.equal(readdirSync(dir).sort(), before);
  assert.equal(readdirSync(join(dir, 'folder.png')), []);
});

test('saveImage: a failed encoding leaves the old file untouched and no temporary file', async () => {
  const tooWide: Image = { width: 70000, height: 1, channels: 1, data: new Uint8Array(70000) };
  for (const codec of codecs) {
    const dir = newDir();
    const path = join(dir, 'out.jpg');
    writeFileSync(path, 'old contents');
    const error = await rejects(() => saveImage(tooWide, path, { codec }));
    assert.match(error.message, new RegExp(`^Cannot write image "${path}": cannot encode as JPEG: .*too large`));
    assert.is((error as ImageFileError).code, 'EWRITE');
    assert.is(readFileSync(path, 'utf8'), 'old contents');
    assert.equal(readdirSync(dir), ['out.jpg']);
  }
});

test('argument errors are TypeError/RangeError, thrown before touching the disk', async () => {
  const dir = newDir();
  const path = join(dir, 'out.jpg');
  await rejects(() => saveImage(small, path, { quality: 0 }), /^RangeError: Expected an integer from 1 to 100 for quality but received 0 \(number\)$/);
  await rejects(() => saveImage(small, path, { quality: 99.5 }), /^RangeError: Expected an integer from 1 to 100 for quality but received 99.5 \(number\)$/);
  await rejects(() => saveImage(small, path, { quality: '90' as unknown as number }), /^TypeError: Expected an integer from 1 to 100 for quality but received "90" \(string\)$/);
  await rejects(() => saveImage(small, path, { format: 'gif' as 'png' }), /^TypeError: Expected one of jpg, png, tif, bmp for format but received "gif" \(string\)$/);
  await rejects(() => saveImage(small, path, { codec: 'vips' as CodecName }), /^TypeError: Expected one of sharp, jimp for codec but received "vips" \(string\)$/);
  await rejects(() => saveImage({ ...small, width: 5 }, path), /^TypeError: Expected 45 samples \(5x3x3\) for image.data but received a Uint8Array of length 36$/);
  await rejects(() => saveImage(small, ''), /^TypeError: Expected a non-empty string for path but received "" \(string\)$/);
  await rejects(() => loadImage(42 as unknown as string), /^TypeError: Expected a non-empty string for path but received 42 \(number\)$/);
  await rejects(() => loadImage(colourFixture, { codec: 'gm' as CodecName }), /^TypeError: Expected one of sharp, jimp for codec but received "gm" \(string\)$/);
  assert.equal(readdirSync(dir), []);
});

test('removeTemporaryFiles removes the temporary file of a write in progress (an image, or any atomic write); the write then fails', async () => {
  const dir = newDir();
  process.env.FOCUS_STACKING_TEST_HOLD_WRITE_MS = '200';
  try {
    const writes = [saveImage(small, join(dir, 'a.png'), { codec: 'jimp' }), writeAtomically(join(dir, 'b.json'), '{}')].map((p) => p.then(() => 'written', (e: Error) => e.message));
    while (readdirSync(dir).length < 2) await new Promise((r) => setTimeout(r, 5));
    const temps = readdirSync(dir).sort();
    assert.equal(removeTemporaryFiles().map((p) => p.slice(dir.length + 1)).sort(), temps);
    assert.match(temps.join(' '), /^\.a\.png\.\d+\.[0-9a-f]+\.tmp \.b\.json\.\d+\.[0-9a-f]+\.tmp$/);
    assert.equal(readdirSync(dir), []);
    const [image, text] = await Promise.all(writes);
    assert.ok(image.startsWith(`Cannot write image "${join(dir, 'a.png')}": `), image);
    assert.ok(text !== 'written', text);
    assert.equal(readdirSync(dir), []);
  } finally {
    delete process.env.FOCUS_STACKING_TEST_HOLD_WRITE_MS;
  }
});

test('saveFiles: all or nothing: a folder removed while the first file is written leaves neither; otherwise both, in full', async () => {
  const dir = newDir();
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'a', 'old.png'), 'old');
  const png = await encodeImage(small, { format: 'png', codec: 'jimp' });
  process.env.FOCUS_STACKING_TEST_HOLD_WRITE_MS = '300';
  try {
    const files = [
      { path: join(dir, 'a', 'old.png'), contents: png },
      { path: join(dir, 'b', 'report.json'), contents: '{}' },
    ];
    const writing = saveFiles(files).then(() => 'written', (e: Error) => e);
    // Once the first file's temporary file exists, remove the second's folder.
    while (readdirSync(join(dir, 'a')).length < 2) await new Promise((r) => setTimeout(r, 5));
    rmSync(join(dir, 'b'), { recursive: true });
    const error = await writing;
    assert.instance(error, ImageFileError);
    assert.is((error as ImageFileError).message, `Cannot write "${join(dir, 'b', 'report.json')}": directory "${join(dir, 'b')}" does not exist`);
    assert.is((error as ImageFileError).path, join(dir, 'b', 'report.json'));
    // The first target is untouched, and no temporary file is left.
    assert.equal(readdirSync(join(dir, 'a')), ['old.png']);
    assert.is(readFileSync(join(dir, 'a', 'old.png'), 'utf8'), 'old');
    mkdirSync(join(dir, 'b'));
    assert.is(await saveFiles(files).then(() => 'written'), 'written');
    assert.equal(readFileSync(join(dir, 'a', 'old.png')), Buffer.from(png.bytes));
    assert.is(readFileSync(join(dir, 'b', 'report.json'), 'utf8'), '{}');
  } finally {
    delete process.env.FOCUS_STACKING_TEST_HOLD_WRITE_MS;
  }
  await rejects(() => saveFiles([{ path: join(dir, 'c.png'), contents: 42 as unknown as string }]), /contents/);
});

test('permission denied, reading and writing (as an unprivileged user)', async () => {
  const dir = newDir();
  chmodSync(root, 0o755);
  chmodSync(dir, 0o755);
  const readOnly = join(dir, 'read-only');
  mkdirSync(readOnly, 0o555);
  const secret = join(dir, 'secret.png');
  writeFileSync(secret, readFileSync(colourFixture), { mode: 0o000 });
  const io = new URL('../lib/io.js', import.meta.url).href;
  const target = join(readOnly, 'out.png');
  // Root ignores file modes: then the child loads everything it needs (the
  // module, and jimp by one round trip in memory) while still root, wherever
  // the clone is (a mode-700 home, say), and only then becomes "nobody"
  // (65534) for the two calls under test.
  const asRoot = process.getuid?.() === 0;
  const script = `
    const { loadImage, saveImage, encodeImage } = await import(${JSON.stringify(io)});
    const { getCodec } = await import(${JSON.stringify(new URL('../lib/codecs/index.js', import.meta.url).href)});
    const image = { width: 1, height: 1, channels: 1, data: new Uint8Array(1) };
    const jimp = await getCodec('jimp');
    await jimp.decode((await encodeImage(image, { codec: 'jimp', format: 'png' })).bytes);
    if (${asRoot}) {
      process.setgroups([65534]);
      process.setgid(65534);
      process.setuid(65534);
    }
    const report = (e) => ({ message: e.message, code: e.code });
    const write = await saveImage(image, ${JSON.stringify(target)}, { codec: 'jimp' }).then(() => 'written', report);
    const read = await loadImage(${JSON.stringify(secret)}, { codec: 'jimp' }).then(() => 'read', report);
    console.log(JSON.stringify({ uid: process.getuid(), write, read }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  const { uid, ...result } = JSON.parse(stdout) as { uid: number };
  assert.is.not(uid, 0, 'the calls ran unprivileged');
  assert.equal(result, {
    write: { message: `Cannot write image "${target}": permission denied`, code: 'EWRITE' },
    read: { message: `Cannot read image "${secret}": permission denied`, code: 'EREAD' },
  });
  assert.equal(readdirSync(readOnly), []);
});

test('loadImage onWarning: told once when the jimp codec reads a 16-bit file as 8-bit', async () => {
  const dir = newDir();
  const deep: Image = { width: 3, height: 2, channels: 3, data: Uint16Array.from({ length: 18 }, (_, i) => i * 3600 + 7) };
  const png = join(dir, 'x.png');
  writeFileSync(png, pngFile(deep, 16));
  const tif = join(dir, 'x.tif');
  writeFileSync(tif, tiffFile(deep, 16));
  for (const path of [png, tif]) {
    const warnings: string[] = [];
    const image = await loadImage(path, { codec: 'jimp', onWarning: (m) => warnings.push(m) });
    assert.instance(image.data, Uint8Array);
    assert.equal(warnings, [`"${path}" is 16-bit; the jimp codec reads it as 8-bit (use the sharp codec to keep 16 bits)`]);
    if (codecs.includes('sharp')) {
      const kept = await loadImage(path, { codec: 'sharp', onWarning: (m) => warnings.push(m) });
      same(kept, deep);
      assert.is(warnings.length, 1);
    }
  }
  // An 8-bit file: no warning; without onWarning, nothing either.
  const warnings: string[] = [];
  await loadImage(colourFixture, { codec: 'jimp', onWarning: (m) => warnings.push(m) });
  assert.equal(warnings, []);
  await loadImage(png, { codec: 'jimp' });
  await rejects(() => loadImage(png, { onWarning: 'yes' as unknown as () => void }), /^TypeError: Expected a function \(message\) => void for onWarning but received "yes" \(string\)$/);
});

test('saveImage writes the ICC profile and EXIF of image.metadata; loadImage reads them back', async () => {
  const dir = newDir();
  // A real profile (sharp's built-in Display P3) when sharp is there: libpng drops a PNG profile that is not one.
  const sharp = codecs.includes('sharp') ? (await import('sharp')).default : undefined;
  const icc = sharp
    ? new Uint8Array((await sharp(await sharp({ create: { width: 1, height: 1, channels: 3, background: 'red' } }).withIccProfile('p3').png().toBuffer()).metadata()).icc!)
    : Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) % 256);
  // EXIF (TIFF structure, big-endian): IFD0 with one entry, Orientation 1.
  const exif = Uint8Array.from([0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
  const image: Image = { ...small, metadata: { icc, exif } };
  for (const codec of codecs) {
    for (const ext of ['jpg', 'png']) {
      const path = join(dir, `${codec}.${ext}`);
      await saveImage(image, path, { codec });
      for (const reader of codecs) {
        const back = await loadImage(path, { codec: reader });
        assert.equal(Array.from(back.metadata!.icc!), Array.from(icc), `${codec} ${ext} read by ${reader}`);
        assert.equal(Array.from(back.metadata!.exif!), Array.from(exif), `${codec} ${ext} read by ${reader}`);
      }
      if (sharp) {
        const meta = await sharp(path).metadata();
        assert.equal(Array.from(meta.icc!), Array.from(icc));
        assert.is(meta.orientation, 1);
      }
    }
    // TIFF: written without the metadata.
    const tif = join(dir, `${codec}.tif`);
    await saveImage(image, tif, { codec });
    assert.is((await loadImage(tif, { codec })).metadata, undefined);
  }
});

test.after(() => rmSync(root, { recursive: true, force: true }));

test.run();
