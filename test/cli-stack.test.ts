// The `stack` and `evaluate` commands through main(), on files in a scratch folder.
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseTransforms } from '../lib/align/transforms.js';
import type { Image } from '../lib/image.js';
import { loadImage, saveImage } from '../lib/io.js';
import { closeExecutors } from '../lib/parallel/index.js';
import { removeScratch, runCli, scratchDir } from './helpers/cli.js';
import { assertImageClose } from './helpers/compare.js';
import { fixture, pngFile, readPng } from './helpers/files.js';
import { psnr, stripeStack, texture } from './engine/synthetic.js';

let dir = '';
const sharp = texture(64, 40, 12);
const frames = stripeStack(sharp, 3);
const PCB = ['pcb_001', 'pcb_003', 'pcb_004', 'pcb_007'];

/** A 2x2 box reduction (the 2048x1536 pcb frames to 1024x768, to keep the test short). */
function half(image: Image): Image {
  const w = image.width >> 1, h = image.height >> 1, cn = image.channels;
  const data = new Uint8Array(w * h * cn);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < cn; c++) {
    const at = (dx: number, dy: number) => image.data[((2 * y + dy) * image.width + 2 * x + dx) * cn + c];
    data[(y * w + x) * cn + c] = Math.round((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4);
  }
  return { width: w, height: h, channels: cn, data };
}

test.before(async () => {
  dir = await scratchDir();
  await mkdir(join(dir, 'frames'));
  for (const [i, f] of frames.entries()) await writeFile(join(dir, 'frames', `f${i}.png`), pngFile(f));
  await writeFile(join(dir, 'frames', 'notes.txt'), 'not an image');
  await mkdir(join(dir, 'empty'));
  await mkdir(join(dir, 'out'));
  await mkdir(join(dir, 'pcb'));
  for (const name of PCB) await saveImage(half(await loadImage(fixture(`../pcb/${name}.jpg`))), join(dir, 'pcb', `${name}.png`));
});

test.after(async () => {
  await closeExecutors();
  await removeScratch();
});

test('real pcb frames: an aligned result, a depth map, the transforms file, the JSON report, progress lines', async () => {
  const output = join(dir, 'out', 'pcb.jpg');
  const depthmap = join(dir, 'out', 'pcb-depth.png');
  const saved = join(dir, 'out', 'pcb.json');
  const { code, stdout, stderr } = await runCli(['stack', join(dir, 'pcb'), '--output', output, '--depthmap', depthmap, '--save-transforms', saved, '--json', '--method', 'select', '--threads', '2']);
  assert.is(code, 0, stderr);
  const image = await loadImage(output);
  const depth = await loadImage(depthmap);
  assert.equal([image.width, image.height, image.channels, depth.width, depth.height, depth.channels], [1024, 768, 3, 1024, 768, 1]);
  // Four frames: depth values 0, 85, 170, 255, each of them used.
  const used = new Set(depth.data);
  assert.equal([...used].sort((a, b) => a - b), [0, 85, 170, 255]);
  const report = JSON.parse(stdout);
  assert.is(report.reference, 1);
  assert.equal(report.order, [1, 2, 3, 0]);
  const file = parseTransforms(await readFile(saved, 'utf8'), { frames: 4, width: 1024, height: 768, channels: 3 });
  assert.equal(file.frames.map((f) => f.file), PCB.map((n) => `${n}.png`));
  for (const [i, f] of file.frames.entries()) {
    assert.equal(f.matrix, report.frames[i].transform.matrix);
    assert.ok(f.correlation > 0.9, `frame ${i}: correlation ${f.correlation}`);
  }
  // pcb_001 and pcb_007, the ends of the focus range, differ in scale (focus breathing): not the identity.
  assert.ok(Math.abs(file.frames[0].matrix[0][0] - file.frames[3].matrix[0][0]) > 1e-3, JSON.stringify(file.frames.map((f) => f.matrix)));
  assert.match(stderr, /^frame 2\/4 \(pass 1\/2\): pcb_003\.png$/m);
  assert.match(stderr, /^frame 3\/4 \(pass 1\/2\): pcb_004\.png, about \d+ s left$/m);
  assert.match(stderr, /^wrote .*pcb\.json$/m);

  // Loaded again: no estimation, the same image.
  const again = join(dir, 'out', 'pcb-again.jpg');
  const second = await runCli(['stack', join(dir, 'pcb'), '-o', again, '--load-transforms', saved, '--method', 'select', '-q']);
  assert.is(second.code, 0, second.stderr);
  assert.is(second.stderr, '');
  assert.equal(await readFile(again), await readFile(output));
});

test('synthetic frames, --no-align: the sharp image and the depth map of each stripe', async () => {
  const output = join(dir, 'out', 'stacked.png');
  const depthmap = join(dir, 'out', 'depth.png');
  const { code, stdout, stderr } = await runCli(['stack', join(dir, 'frames'), '-o', output, '--depthmap', depthmap, '--no-align', '--json', '--threads', '1']);
  assert.is(code, 0, stderr);
  const image = readPng(await readFile(output));
  assert.ok(psnr(image, sharp) >= 30, `PSNR ${psnr(image, sharp)}`);
  const depth = readPng(await readFile(depthmap));
  assert.equal([depth.channels, depth.data[20 * 64 + 5], depth.data[20 * 64 + 32], depth.data[20 * 64 + 60]], [1, 0, 128, 255]);
  const report = JSON.parse(stdout);
  assert.equal(report.frames.map((f: { file: string }) => f.file), [0, 1, 2].map((i) => join(dir, 'frames', `f${i}.png`)));
  assert.equal(report.frames[0].transform.matrix, [[1, 0, 0], [0, 1, 0]]);
});

test('two real frames, --method gradient --no-align: the seed\'s all_channels output', async () => {
  const output = join(dir, 'out', 'pair.png');
  const { code, stderr } = await runCli(['stack', fixture('pcb-640x480/input/back.png'), fixture('pcb-640x480/input/front.png'), '-o', output, '--method', 'gradient', '--no-align', '-q']);
  assert.is(code, 0, stderr);
  assert.is(stderr, '');
  assertImageClose(readPng(await readFile(output)), readPng(await readFile(fixture('pcb-640x480/expected/focus_stacked_all_channels.png'))), {}, 'stack command, gradient');
});

test('bad input: one line, the exit code, no output file', async () => {
  const output = join(dir, 'out', 'bad.png');
  const f = (i: number) => join(dir, 'frames', `f${i}.png`);
  const t = (name: string) => join(dir, name);
  await writeFile(join(dir, 'small.png'), pngFile(texture(10, 8, 1)));
  await writeFile(t('broken.json'), '{"version":1,');
  const good = (frames: number, width = 64, height = 40) =>
    JSON.stringify({ version: 1, width, height, reference: 0, frames: Array.from({ length: frames }, (_, i) => ({ file: `f${i}.png`, matrix: [[1, 0, 0], [0, 1, 0]], gain: [1, 1, 1], offset: [0, 0, 0], correlation: 1 })) });
  await writeFile(t('three.json'), good(3));
  await writeFile(t('size.json'), good(2, 32, 40));
  const cases: [string[], number, string][] = [
    [[f(0)], 2, `expected two or more frames but received one (${JSON.stringify(f(0))})`],
    [[], 2, 'expected two or more frames (image files, or one folder)'],
    [[join(dir, 'empty')], 1, `folder ${JSON.stringify(join(dir, 'empty'))} has no images (.jpg, .jpeg, .png, .tif, .tiff, .bmp)`],
    [[f(0), f(1), '--method', 'sharpest'], 2, '--method: expected one of pyramid, gradient, dmap, select, hybrid but received "sharpest"'],
    [[f(0), f(1), '--levels', '0'], 2, '--levels: expected an integer from 1 to 16 but received "0"'],
    [[f(0), f(1), '--reference', '2'], 2, '--reference: expected an integer from 0 to 1 but received "2"'],
    [[f(0), f(1), '--output', join(dir, 'out', 'x.gif')], 2, `--output: expected a file name ending in .jpg, .jpeg, .png, .tif, .tiff, .bmp but received ${JSON.stringify(join(dir, 'out', 'x.gif'))}`],
    [[f(0), f(1), '--output', f(1)], 1, `refusing to overwrite the input "${f(1)}" with an output; choose another --output or --format`],
    [[f(0), join(dir, 'small.png')], 1, `frames must have the same size: frame 1 (${JSON.stringify(join(dir, 'small.png'))}) is 10x8 but the reference frame 0 (${JSON.stringify(f(0))}) is 64x40`],
    [[f(0), join(dir, 'missing.png')], 1, `cannot read image "${join(dir, 'missing.png')}": no such file`],
    [[f(0), f(1), '--load-transforms', t('none.json')], 1, `--load-transforms ${JSON.stringify(t('none.json'))}: no such file`],
    [[f(0), f(1), '--load-transforms', t('broken.json')], 1, `--load-transforms ${JSON.stringify(t('broken.json'))}: invalid transforms file: expected JSON text for the file but received "`],
    [[f(0), f(1), '--load-transforms', t('three.json')], 1, `--load-transforms ${JSON.stringify(t('three.json'))}: invalid transforms file: expected 2 frames (one per input) for frames but received an array of length 3`],
    [[f(0), f(1), '--load-transforms', t('size.json')], 1, `--load-transforms ${JSON.stringify(t('size.json'))}: invalid transforms file: expected 64 (the frames' width) for width but received 32 (number)`],
    [[f(0), f(1), '--output', output, '--output', output], 2, '--output: given 2 times, but it takes one file'],
    [[f(0), f(1), '-x'], 2, 'unknown option -x'],
    [[f(0), f(1), '--output', output, '--depthmap', `${join(dir, 'out')}/./bad.png`], 2, '--output, --depthmap and --save-transforms must name different files'],
  ];
  for (const [args, exit, message] of cases) {
    const argv = args.includes('--output') ? ['stack', ...args, '-q'] : ['stack', ...args, '--output', output, '-q'];
    const { code, stderr } = await runCli(argv);
    // JSON.parse's own words differ between Node versions: only the start of that line is checked.
    if (message.endsWith('"')) assert.ok(stderr.startsWith(`focus-stacking: ${message}`) && stderr.split('\n').length === 2, stderr);
    else assert.is(stderr, `focus-stacking: ${message}\n`);
    assert.is(code, exit, message);
  }
  assert.not.ok((await readdir(join(dir, 'out'))).some((n) => n.startsWith('bad') || n.startsWith('.')));
});

test('a JPEG output from a folder copy, with the jimp codec', async () => {
  const sub = join(dir, 'copy');
  await mkdir(sub);
  for (let i = 0; i < 2; i++) await copyFile(join(dir, 'frames', `f${i}.png`), join(sub, `f${i}.png`));
  const output = join(dir, 'out', 'copy.jpg');
  const { code, stderr } = await runCli(['stack', sub, '-o', output, '--codec', 'jimp', '--quality', '90', '--method', 'select', '--no-align', '-q']);
  assert.is(code, 0, stderr);
  const bytes = await readFile(output);
  assert.equal([bytes[0], bytes[1]], [0xff, 0xd8]);
});

test('help: the seed form names the commands; stack --help and evaluate --help show theirs', async () => {
  const seed = await runCli(['--help']);
  assert.match(seed.stdout, /focus-stacking stack FRAME\.\.\. --output FILE/);
  assert.match(seed.stdout, /focus-stacking evaluate RESULT --truth TRUTH/);
  const help = await runCli(['stack', '--help']);
  assert.is(help.code, 0);
  for (const flag of ['-o, --output', '--method', '--no-align', '--reference', '--crop', '--depthmap', '--save-transforms', '--load-transforms', '--no-colour-match', '--json', '--quality', '--codec', '--threads', '--max-pixels', '-q, --quiet', 'Examples:']) {
    assert.ok(help.stdout.includes(flag), flag);
  }
  const evaluate = await runCli(['evaluate', '-h']);
  assert.is(evaluate.code, 0);
  assert.match(evaluate.stdout, /--depth-truth/);
});

test('evaluate through main: the figures, and its errors as one line', async () => {
  const a = join(dir, 'frames', 'f0.png');
  const ok = await runCli(['evaluate', a, '--truth', a, '--border', '4', '--json']);
  assert.is(ok.code, 0, ok.stderr);
  const figures = JSON.parse(ok.stdout);
  assert.equal([figures.psnr, figures.ssim, figures.shareOff], [null, 1, 0]);
  const bad = await runCli(['evaluate', a, '--truth', join(dir, 'small.png')]);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /^focus-stacking: --truth ".*small\.png": expected 64x40, 3 channels, 8-bit like ".*f0\.png" but received 10x8, 3 channels, 8-bit\n$/);
  const unknown = await runCli(['evaluate', a, '--truth', a, '--colour']);
  assert.is(unknown.code, 2);
  assert.is(unknown.stderr, 'focus-stacking: unknown argument: colour\n');
  // Numbers echoed as typed (not NaN); hexadecimal refused, as by the other commands.
  for (const typed of ['abc', '0x10']) {
    assert.equal(await runCli(['evaluate', a, '--truth', a, '--border', typed]), { code: 2, stdout: '', stderr: `focus-stacking: --border: expected a number but received "${typed}"\n` });
  }
  assert.match((await runCli(['evaluate', '-h'])).stdout, /Exit status: 0 success; 1 [^;]+; 2 /);
});

test.run();
