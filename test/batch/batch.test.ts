// The `batch` command through main() (and once as a process, interrupted), on small real stacks.
import { spawn } from 'node:child_process';
import { mkdir, readFile, readdir, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listStacks } from '../../lib/batch/index.js';
import { loadImage } from '../../lib/io.js';
import { closeExecutors } from '../../lib/parallel/index.js';
import { listTree, removeScratch, runCli, scratchDir } from '../helpers/cli.js';
import { writeStacks } from './frames.js';

let dir = '';
let shots = '';
const BIN = fileURLToPath(new URL('../../bin/focus-stacking.js', import.meta.url));

test.before(async () => {
  dir = await scratchDir();
  shots = join(dir, 'shots');
  await writeStacks(shots, 3);
  // A folder with one image, and one with a corrupt frame: failures that must not stop the others.
  await mkdir(join(shots, 'one'));
  await writeFile(join(shots, 'one', 'a.png'), await readFile(join(shots, 's00', 'pcb_001.png')));
  await mkdir(join(shots, 'torn'));
  await writeFile(join(shots, 'torn', 'a.png'), await readFile(join(shots, 's00', 'pcb_001.png')));
  await writeFile(join(shots, 'torn', 'b.png'), (await readFile(join(shots, 's00', 'pcb_003.png'))).subarray(0, 300));
  await mkdir(join(shots, 'notes')); // no images: not a stack
  await writeFile(join(shots, 'notes', 'readme.txt'), 'x');
});

test.after(async () => {
  await closeExecutors();
  await removeScratch();
});

test('a folder of stack folders: one result per stack, the same bytes as `stack` on each folder; failures reported, the others go on', async () => {
  const out = join(dir, 'out');
  const run = await runCli(['batch', shots, '--output', out, '--depthmap']);
  assert.is(run.code, 1, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.is(lines.length, 6, run.stdout);
  assert.match(lines[0], /^one: failed: folder ".*one" has one image only; two or more are needed$/);
  for (const [i, name] of ['s00', 's01', 's02'].entries()) {
    assert.match(lines[i + 1], new RegExp(`^${name}: 4 frames, \\d+\\.\\d s, wrote .*out/${name}\\.jpg, .*out/${name}-depth\\.png$`));
  }
  assert.match(lines[4], /^torn: 2 frames, \d+\.\d s, failed: cannot read image ".*b\.png": .+$/);
  assert.match(lines[5], /^batch: 5 stacks in \d+\.\d s: 3 stacked, 0 skipped, 2 failed$/);
  assert.equal(await listTree(out), ['s00-depth.png', 's00.jpg', 's01-depth.png', 's01.jpg', 's02-depth.png', 's02.jpg']);

  const bytes: Buffer[] = [];
  for (const name of ['s00', 's01', 's02']) {
    const single = join(dir, `single-${name}.jpg`);
    const depth = join(dir, `single-${name}-depth.png`);
    const alone = await runCli(['stack', join(shots, name), '--output', single, '--depthmap', depth, '-q']);
    assert.is(alone.code, 0, alone.stderr);
    assert.equal(await readFile(join(out, `${name}.jpg`)), await readFile(single), name);
    assert.equal(await readFile(join(out, `${name}-depth.png`)), await readFile(depth), `${name} depth`);
    bytes.push(await readFile(single));
  }
  // Each stack its own result (the stacks differ), 160x120.
  assert.is(new Set(bytes.map((b) => b.toString('base64'))).size, 3);
  const image = await loadImage(join(out, 's01.jpg'));
  assert.equal([image.width, image.height, image.channels], [160, 120, 3]);
});

test('resumable: up-to-date results are skipped, a newer frame restacks its stack only, --force restacks all; --json; --jobs 2 gives the same files', async () => {
  const out = join(dir, 'resume');
  const stacks = ['s00', 's01', 's02'].map((n) => join(shots, n));
  const first = await runCli(['batch', ...stacks, '-o', out, '--format', 'png', '--jobs', '2', '--method', 'select']);
  assert.is(first.code, 0, first.stderr);
  const made = await Promise.all(['s00', 's01', 's02'].map((n) => readFile(join(out, `${n}.png`))));
  for (const [i, n] of ['s00', 's01', 's02'].entries()) {
    const alone = join(dir, `alone-${n}.png`);
    assert.is((await runCli(['stack', stacks[i], '-o', alone, '--method', 'select', '-q'])).code, 0);
    assert.equal(made[i], await readFile(alone), n);
  }

  const second = await runCli(['batch', ...stacks, '-o', out, '--format', 'png', '--method', 'select', '--json']);
  assert.is(second.code, 0, second.stderr);
  const summary = JSON.parse(second.stdout);
  assert.equal([summary.stacked, summary.skipped, summary.failed], [0, 3, 0]);
  assert.equal(summary.stacks.map((s: { name: string; status: string; frames: number }) => [s.name, s.status, s.frames]), [['s00', 'skipped', 4], ['s01', 'skipped', 4], ['s02', 'skipped', 4]]);
  assert.match(second.stderr, /^s00: 4 frames, skipped \(.*s00\.png newer than the frames; --force stacks again\)$/m);

  const later = new Date(Date.now() + 5000);
  await utimes(join(stacks[1], 'pcb_004.png'), later, later);
  const before = await Promise.all(['s00', 's01', 's02'].map(async (n) => (await stat(join(out, `${n}.png`))).mtimeMs));
  const third = await runCli(['batch', ...stacks, '-o', out, '--format', 'png', '--method', 'select', '-q']);
  assert.is(third.code, 0, third.stderr);
  assert.match(third.stdout, /^batch: 3 stacks in \d+\.\d s: 1 stacked, 2 skipped, 0 failed\n$/);
  const after = await Promise.all(['s00', 's01', 's02'].map(async (n) => (await stat(join(out, `${n}.png`))).mtimeMs));
  assert.equal([after[0] === before[0], after[1] === before[1], after[2] === before[2]], [true, false, true]);

  const forced = await runCli(['batch', ...stacks, '-o', out, '--format', 'png', '--method', 'select', '--force', '-q']);
  assert.match(forced.stdout, /3 stacked, 0 skipped, 0 failed/);
});

test('listStacks: a folder with images is one stack; the output folder inside the folder of stacks is left out', async () => {
  const single = await listStacks([join(shots, 's00')]);
  assert.equal(single.map((s) => [s.name, s.frames.length]), [['s00', 4]]);
  const nested = join(dir, 'nested');
  await writeStacks(nested, 2);
  await mkdir(join(nested, 'out'));
  await writeFile(join(nested, 'out', 'a.jpg'), await readFile(join(nested, 's00', 'pcb_001.png')));
  await writeFile(join(nested, 'out', 'b.jpg'), await readFile(join(nested, 's00', 'pcb_001.png')));
  assert.equal((await listStacks([nested], { exclude: join(nested, 'out') })).map((s) => s.name), ['s00', 's01']);
  assert.equal((await listStacks([nested])).map((s) => s.name), ['out', 's00', 's01']);
});

test('bad command lines: one line, exit 2 or 1, nothing written', async () => {
  const out = join(dir, 'never');
  await writeStacks(dir, 1, 'pcb_'); // renamed dir/pcb_001: its result in shots/s00 would replace s00's frame pcb_001.png
  await rename(join(dir, 'pcb_00'), join(dir, 'pcb_001'));
  const cases: [string[], number, RegExp][] = [
    [['batch', '--output', out], 2, /^focus-stacking: expected one or more stack folders\n$/],
    [['batch', shots, '--output', out, '--jobs', '0'], 2, /^focus-stacking: --jobs: expected an integer from 1 to 64 but received "0"\n$/],
    [['batch', shots, '--output', out, '--format', 'gif'], 2, /^focus-stacking: --format: expected one of jpg, png, tif, bmp but received "gif"\n$/],
    [['batch', shots, '--output', out, '--levels', '40'], 2, /^focus-stacking: --levels: expected an integer from 1 to 16 but received "40"\n$/],
    [['batch', join(shots, 's00'), join(dir, 'nested', 's00'), '--output', out], 1, /^focus-stacking: folders ".*shots\/s00" and ".*nested\/s00" have the same name "s00": their results would be the same files\n$/],
    [['batch', join(shots, 'notes'), '--output', out], 1, /^focus-stacking: folder ".*notes" has no images \(.*\) and no subfolders with images\n$/],
    [['batch', join(shots, 's00'), join(dir, 'pcb_001'), '--output', join(shots, 's00'), '--format', 'png'], 1, /^focus-stacking: refusing to overwrite the input ".*" with an output; choose another --output or --format\n$/],
  ];
  for (const [args, code, message] of cases) {
    const run = await runCli(args);
    assert.is(run.code, code, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
  await assert.not.ok(await stat(out).catch(() => false), 'no output folder');
});

test('SIGINT while a result is written: exit 130, no partial file, the finished results whole', async () => {
  const out = join(dir, 'interrupted');
  const child = spawn(process.execPath, [BIN, 'batch', join(shots, 's00'), join(shots, 's01'), '-o', out], {
    env: { ...process.env, FOCUS_STACKING_TEST_HOLD_WRITE_MS: '4000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  // The first result's temporary file appears, is held 4 s: interrupt then.
  let held = false;
  for (let i = 0; i < 300 && !held; i++) {
    held = (await readdir(out).catch(() => [] as string[])).some((n) => n.endsWith('.tmp'));
    if (!held) await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGINT');
  assert.ok(held, 'a temporary file was being written when the signal came');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.is(code, 130, stderr);
  assert.match(stderr, /interrupted \(SIGINT\); temporary files removed/);
  const left = await readdir(out).catch(() => [] as string[]);
  assert.equal(left, [], `left: ${left.join(', ')}`);
});

test.run();
