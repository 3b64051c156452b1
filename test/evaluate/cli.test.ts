// `focus-stacking evaluate` on PNG files written here (by the test's own PNG
// writer): the printed figures are those of the metric functions on the
// same pixels, and bad input gets one line and the right exit code.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateCommand, EVALUATE_COMMAND, type EvaluateArgs, type EvaluateFigures } from '../../lib/cli/evaluate.js';
import { getCodec } from '../../lib/codecs/index.js';
import { bandAroundEdges, depthIndices, depthWithin, psnr, shareOff, ssim } from '../../lib/evaluate/index.js';
import type { Image } from '../../lib/image.js';
import { removeScratch, scratchDir } from '../helpers/cli.js';
import { pngFile } from '../helpers/files.js';
import { rng } from '../helpers/random.js';

test.after(removeScratch);

const W = 64;
const H = 48;
const N = 8;
const next = rng(7);
const truth: Image = { width: W, height: H, channels: 3, data: new Uint8Array(W * H * 3).map((_, i) => 40 + ((i * 29) % 170)) };
const result: Image = { ...truth, data: truth.data.map((v) => Math.min(255, Math.max(0, v + Math.round((next() - 0.5) * 12)))) };
// The true depth: a disc at frame 6 over a background at frame 1; the judged one is off by 2 frames on a stripe.
const trueIdx = Array.from({ length: W * H }, (_, p) => (((p % W) - 32) ** 2 + (Math.floor(p / W) - 24) ** 2 < 14 ** 2 ? 6 : 1));
const ourIdx = trueIdx.map((i, p) => (p % W < 20 ? i + 2 : p % W < 30 ? i + 1 : i));
const depthMap = (indices: number[], bits: 8 | 16): Image => {
  const top = bits === 8 ? 255 : 65535;
  const values = indices.map((i) => Math.round((top * i) / (N - 1)));
  return { width: W, height: H, channels: 1, data: bits === 8 ? Uint8Array.from(values) : Uint16Array.from(values) };
};
const trueDepth = depthMap(trueIdx, 8);
const ourDepth = depthMap(ourIdx, 16);

async function files() {
  const dir = await scratchDir();
  const paths = { result: join(dir, 'result.png'), truth: join(dir, 'truth.png'), depth: join(dir, 'depth.png'), depthTruth: join(dir, 'depth-truth.png') };
  await writeFile(paths.result, pngFile(result));
  await writeFile(paths.truth, pngFile(truth));
  await writeFile(paths.depth, pngFile(ourDepth, 16));
  await writeFile(paths.depthTruth, pngFile(trueDepth));
  return { dir, ...paths };
}

async function run(args: EvaluateArgs) {
  let stdout = '';
  let stderr = '';
  const code = await evaluateCommand(args, { write: (s: string) => (stdout += s) }, { write: (s: string) => (stderr += s) });
  return { code, stdout, stderr };
}

const codecs = ['jimp', ...((await getCodec('sharp').then(() => true, () => false)) ? ['sharp'] : [])] as const;

for (const codec of codecs) {
  test(`lines: PSNR, SSIM, share off, depth within one frame, band figures (--codec ${codec})`, async () => {
    const f = await files();
    const border = 4;
    const { code, stdout, stderr } = await run({ result: f.result, truth: f.truth, depth: f.depth, depthTruth: f.depthTruth, frames: N, border, band: 6, codec: codec as 'jimp' });
    assert.is(stderr, '');
    assert.is(code, 0);
    const lines = stdout.trimEnd().split('\n');
    assert.is(lines.length, 7, stdout);
    assert.is(lines[0], `${f.result} against ${f.truth}: 64x48, 3 channels, 8-bit, border 4 px left out`);
    const number = (line: string) => Number(/: (-?[\d.]+)/.exec(line)![1]);
    assert.ok(lines[1].startsWith('PSNR: ') && lines[1].endsWith(' dB'));
    assert.is(number(lines[1]), Number(psnr(result, truth, { border }).toFixed(2)));
    assert.is(number(lines[2]), Number(ssim(result, truth, { border }).toFixed(4)));
    assert.ok(lines[3].startsWith('off by more than 2 levels: '));
    assert.is(number(lines[3]), Number((shareOff(result, truth, { border }) * 100).toFixed(2)));
    // Columns 4..19 are 2 frames off (16 of 56 measured columns); the rest are within 1.
    assert.is(lines[4], `depth within 1 frame (of 8): ${((40 / 56) * 100).toFixed(2)} %`);
    assert.is(number(lines[4]), Number((depthWithin(ourDepth, trueDepth, N, { border }) * 100).toFixed(2)));
    const mask = bandAroundEdges(depthIndices(trueDepth, N), W, H, 6);
    assert.ok(lines[5].startsWith('PSNR within 6 px of depth edges ('), lines[5]);
    assert.ok(lines[5].endsWith(`: ${psnr(result, truth, { border, mask }).toFixed(2)} dB`), lines[5]);
    assert.ok(lines[6].endsWith(`: ${(shareOff(result, truth, { border, mask }) * 100).toFixed(2)} %`), lines[6]);
  });
}

test('--json: one object with the exact figures', async () => {
  const f = await files();
  const { code, stdout } = await run({ result: f.result, truth: f.truth, depth: f.depth, depthTruth: f.depthTruth, frames: N, band: 6, json: true });
  assert.is(code, 0);
  const figures = JSON.parse(stdout) as EvaluateFigures;
  const border = 16;
  const mask = bandAroundEdges(depthIndices(trueDepth, N), W, H, 6);
  let inside = 0;
  for (let y = border; y < H - border; y++) for (let x = border; x < W - border; x++) inside += mask[y * W + x];
  assert.equal(figures, {
    result: f.result,
    truth: f.truth,
    width: W,
    height: H,
    channels: 3,
    bits: 8,
    border,
    psnr: psnr(result, truth, { border }),
    ssim: ssim(result, truth, { border }),
    shareOff: shareOff(result, truth, { border }),
    levels: 2,
    frames: N,
    depthWithin: depthWithin(ourDepth, trueDepth, N, { border }),
    tolerance: 1,
    band: { radius: 6, coverage: inside / ((W - 32) * (H - 32)), psnr: psnr(result, truth, { border, mask }), shareOff: shareOff(result, truth, { border, mask }) },
  });
});

test('identical images: infinite PSNR (null in JSON), SSIM 1, nothing off', async () => {
  const f = await files();
  const { code, stdout } = await run({ result: f.truth, truth: f.truth, border: 0 });
  assert.is(code, 0);
  assert.equal(stdout.split('\n').slice(1), ['PSNR: infinite (identical)', 'SSIM: 1.0000', 'off by more than 2 levels: 0.00 %', '']);
  const json = JSON.parse((await run({ result: f.truth, truth: f.truth, json: true })).stdout) as EvaluateFigures;
  assert.is(json.psnr, null);
  assert.is(json.ssim, 1);
  assert.is(json.depthWithin, undefined);
});

test('bad input: one line on stderr, exit 2 for a flag, 1 for a file', async () => {
  const f = await files();
  await writeFile(join(f.dir, 'small.png'), pngFile({ width: 10, height: 48, channels: 3, data: new Uint8Array(10 * 48 * 3) }));
  await writeFile(join(f.dir, 'gray.png'), pngFile({ width: W, height: H, channels: 1, data: new Uint8Array(W * H) }));
  await writeFile(join(f.dir, 'flat.png'), pngFile(depthMap(trueIdx.map(() => 3), 8)));
  await mkdir(join(f.dir, 'folder.png'));
  const base = { result: f.result, truth: f.truth };
  const cases: [Partial<EvaluateArgs>, number, string][] = [
    [{ border: -1 }, 2, '--border: expected an integer of at least 0 but received "-1"'],
    [{ border: 1.5 }, 2, '--border: expected an integer of at least 0 but received "1.5"'],
    [{ border: 19 }, 2, '--border: 19 leaves less than 11x11 of the 64x48 images'],
    [{ truth: '' }, 2, '--truth: expected a path but received ""'],
    [{ result: undefined }, 2, 'RESULT: expected a path but received nothing'],
    [{ depth: f.depth }, 2, '--depth: needs --depth-truth, the true depth map to compare with'],
    [{ band: 4 }, 2, '--band: needs --depth-truth, whose discontinuities it measures around'],
    [{ band: -4, depthTruth: f.depthTruth, frames: N }, 2, '--band: expected a number of at least 0 but received "-4"'],
    [{ depthTruth: f.depthTruth }, 2, '--depth-truth: needs --frames, the number of frames in the stack'],
    [{ depthTruth: f.depthTruth, frames: 1 }, 2, '--frames: expected an integer of at least 2 but received "1"'],
    [{ depthTruth: f.depthTruth, frames: 300 }, 2, '--frames: expected at most 256 for the 8-bit --depth-truth but received 300'],
    [{ codec: 'png' as 'jimp' }, 2, '--codec: expected one of sharp, jimp but received "png"'],
    [{ truth: join(f.dir, 'missing.png') }, 1, `cannot read image "${join(f.dir, 'missing.png')}": no such file`],
    [{ truth: join(f.dir, 'folder.png') }, 1, `cannot read image "${join(f.dir, 'folder.png')}": is a directory`],
    [{ truth: join(f.dir, 'small.png') }, 1, `--truth "${join(f.dir, 'small.png')}": expected 64x48, 3 channels, 8-bit like "${f.result}" but received 10x48, 3 channels, 8-bit`],
    [{ truth: join(f.dir, 'gray.png') }, 1, `but received 64x48, 1 channel, 8-bit`],
    [{ depthTruth: join(f.dir, 'small.png'), frames: N }, 1, `--depth-truth "${join(f.dir, 'small.png')}": expected 64x48 like "${f.result}" but received 10x48`],
    [{ depthTruth: f.truth, frames: N }, 1, `--depth-truth "${f.truth}": expected a gray depth map but pixel (0, 0) is 40,69,98`],
    [{ depthTruth: join(f.dir, 'flat.png'), frames: N, band: 5 }, 1, `--band: --depth-truth "${join(f.dir, 'flat.png')}" has no depth discontinuity (a jump of more than one frame) inside the border`],
  ];
  for (const [args, exit, message] of cases) {
    const { code, stdout, stderr } = await run({ ...base, ...args } as EvaluateArgs);
    assert.is(code, exit, `${JSON.stringify(args)}: ${stderr}`);
    assert.is(stdout, '');
    assert.ok(stderr.startsWith('focus-stacking: ') && stderr.endsWith('\n') && stderr.split('\n').length === 2, stderr);
    assert.ok(stderr.includes(message), `${stderr} should include ${message}`);
  }
});

test('the flag description names every field of EvaluateArgs', () => {
  const camel = (flag: string) => flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  const args: Record<keyof EvaluateArgs, true> = { result: true, truth: true, depth: true, depthTruth: true, frames: true, band: true, border: true, json: true, codec: true };
  assert.equal([...Object.keys(EVALUATE_COMMAND.positional), ...Object.keys(EVALUATE_COMMAND.flags).map(camel)].sort(), Object.keys(args).sort());
  assert.is(EVALUATE_COMMAND.flags.border.default, 16);
});

test.run();
