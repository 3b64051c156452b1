// The `stack` command, called with parsed arguments on files in a scratch folder.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stackCommand, STACK_COMMAND_FLAGS, type StackCommandArgs } from '../../lib/cli/stack.js';
import { fixture, pngFile, readPng } from '../helpers/files.js';
import { assertImageClose } from '../helpers/compare.js';
import { psnr, stripeStack, texture } from './synthetic.js';

let dir = '';
const sharp = texture(64, 40, 12);
const frames = stripeStack(sharp, 3);

async function run(args: StackCommandArgs) {
  let stdout = '';
  let stderr = '';
  const code = await stackCommand(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'focus-stacking-stack-'));
  await mkdir(join(dir, 'frames'));
  for (const [i, f] of frames.entries()) await writeFile(join(dir, 'frames', `f${i}.png`), pngFile(f));
  await writeFile(join(dir, 'frames', 'notes.txt'), 'not an image');
  await mkdir(join(dir, 'empty'));
  await mkdir(join(dir, 'out'));
});

test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a folder of frames: the image, the depth map, progress lines and the JSON report', async () => {
  const output = join(dir, 'out', 'stacked.png');
  const depthmap = join(dir, 'out', 'depth.png');
  const { code, stdout, stderr } = await run({ frames: [join(dir, 'frames')], output, depthmap, json: true, threads: '1' });
  assert.is(code, 0, stderr);
  const image = readPng(await readFile(output));
  assert.ok(psnr(image, sharp) >= 30, `PSNR ${psnr(image, sharp)}`);
  const depth = readPng(await readFile(depthmap));
  assert.equal([depth.channels, depth.data[20 * 64 + 5], depth.data[20 * 64 + 32], depth.data[20 * 64 + 60]], [1, 0, 128, 255]);
  const lines = stderr.trim().split('\n');
  assert.match(lines[0], /^frame 2\/3 \(pass 1\/2\): f1\.png$/);
  assert.match(lines[1], /^frame 3\/3 \(pass 1\/2\): f2\.png, about \d+ s left$/);
  assert.match(stderr, /wrote .*stacked\.png/);
  const report = JSON.parse(stdout);
  assert.is(report.method, 'dmap');
  assert.is(report.reference, 1);
  assert.equal(report.frames.map((f: { file: string }) => f.file), [0, 1, 2].map((i) => join(dir, 'frames', `f${i}.png`)));
  assert.equal(report.frames[0].transform.matrix, [[1, 0, 0], [0, 1, 0]]);
});

test('two real frames with --method gradient give the seed all_channels output', async () => {
  const output = join(dir, 'out', 'pair.png');
  const { code, stderr } = await run({ frames: [fixture('pcb-640x480/input/back.png'), fixture('pcb-640x480/input/front.png')], output, method: 'gradient', quiet: true });
  assert.is(code, 0, stderr);
  assert.is(stderr, '');
  assertImageClose(readPng(await readFile(output)), readPng(await readFile(fixture('pcb-640x480/expected/focus_stacked_all_channels.png'))), {}, 'stack command, gradient');
});

test('bad input: one line, the exit code, no output file', async () => {
  const output = join(dir, 'out', 'bad.png');
  const f = (i: number) => join(dir, 'frames', `f${i}.png`);
  await writeFile(join(dir, 'small.png'), pngFile(texture(10, 8, 1)));
  const cases: [StackCommandArgs, number, string][] = [
    [{ frames: [f(0)], output }, 2, `expected two or more frames but received one (${JSON.stringify(f(0))})`],
    [{ frames: [join(dir, 'empty')], output }, 1, `folder ${JSON.stringify(join(dir, 'empty'))} has no images (.jpg, .jpeg, .png, .tif, .tiff, .bmp)`],
    [{ frames: [f(0), f(1)], output, method: 'sharpest' }, 2, '--method: expected one of pyramid, gradient, dmap, select but received "sharpest"'],
    [{ frames: [f(0), f(1)], output, levels: '0' }, 2, '--levels: expected an integer from 1 to 16 but received "0"'],
    [{ frames: [f(0), f(1)], output, reference: 2 }, 2, '--reference: expected an integer from 0 to 1 but received "2"'],
    [{ frames: [f(0), f(1)], output: join(dir, 'out', 'x.gif') }, 2, `--output: expected a file name ending in .jpg, .jpeg, .png, .tif, .tiff or .bmp but received ${JSON.stringify(join(dir, 'out', 'x.gif'))}`],
    [{ frames: [f(0), f(1)], output: join(dir, 'nowhere', 'x.png') }, 1, `--output ${JSON.stringify(join(dir, 'nowhere', 'x.png'))}: directory "${join(dir, 'nowhere')}" does not exist`],
    [{ frames: [f(0), f(1)], output: f(1) }, 1, `--output ${JSON.stringify(f(1))}: refusing to overwrite an input frame`],
    [{ frames: [f(0), join(dir, 'small.png')], output }, 1, `frames must have the same size: frame 1 (${JSON.stringify(join(dir, 'small.png'))}) is 10x8 but the reference frame 0 (${JSON.stringify(f(0))}) is 64x40`],
    [{ frames: [f(0), join(dir, 'missing.png')], output }, 1, `cannot read image "${join(dir, 'missing.png')}": no such file`],
  ];
  for (const [args, exit, message] of cases) {
    const { code, stderr } = await run({ quiet: true, ...args });
    assert.is(stderr, `focus-stacking stack: ${message}\n`);
    assert.is(code, exit, message);
  }
  assert.not.ok((await readdir(join(dir, 'out'))).some((n) => n.startsWith('bad') || n.startsWith('.')));
});

test('the flags constant describes every flag the command reads', () => {
  assert.equal(Object.keys(STACK_COMMAND_FLAGS).sort(), ['codec', 'depthmap', 'json', 'levels', 'method', 'output', 'quality', 'quiet', 'reference', 'threads']);
  assert.is(STACK_COMMAND_FLAGS.method.default, 'dmap');
});

test('a JPEG output from a folder copy, with the jimp codec', async () => {
  const sub = join(dir, 'copy');
  await mkdir(sub);
  for (let i = 0; i < 2; i++) await copyFile(join(dir, 'frames', `f${i}.png`), join(sub, `f${i}.png`));
  const output = join(dir, 'out', 'copy.jpg');
  const { code, stderr } = await run({ frames: [sub], output, codec: 'jimp', quality: 90, method: 'select', quiet: true });
  assert.is(code, 0, stderr);
  const bytes = await readFile(output);
  assert.equal([bytes[0], bytes[1]], [0xff, 0xd8]);
});

test.run();
