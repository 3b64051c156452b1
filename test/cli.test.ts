import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getCodec } from '../lib/codecs/index.js';
import { ExitCode } from '../lib/cli/index.js';
import { ALL_OUTPUTS, Output, outputName } from '../lib/stack.js';
import { assertImageClose } from './helpers/compare.js';
import { listTree, removeScratch, runCli, scratchDir } from './helpers/cli.js';
import { readPng } from './helpers/files.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const parity = (name: string) => ({
  back: root(`fixtures/parity/${name}/input/back.png`),
  front: root(`fixtures/parity/${name}/input/front.png`),
  expected: root(`fixtures/parity/${name}/expected`),
});
const tiny = parity('pcb-tiny-7x5');
const odd = parity('pcb-odd-333x251');
const gray = parity('pcb-gray-256x192');
const large = parity('pcb-640x480');
const seedNames = ALL_OUTPUTS.map((o) => outputName(o));
const hasSharp = await getCodec('sharp').then(
  () => true,
  () => false,
);

test.after(removeScratch);

async function assertMatchesExpected(out: string, expected: string, label: string) {
  assert.equal(await listTree(out), seedNames.map((n) => `${n}.png`).sort(), `${label}: files`);
  for (const name of seedNames) {
    // Read straight from the PNG specification, not by the code under test; gray stays one channel.
    const [actual, wanted] = (await Promise.all([readFile(join(out, `${name}.png`)), readFile(join(expected, `${name}.png`))])).map(readPng);
    assert.is(actual.channels, wanted.channels, `${label}: ${name} channels`);
    assertImageClose(actual, wanted, {}, `${label} ${name}`);
  }
}

for (const codec of ['jimp', ...(hasSharp ? ['sharp'] : [])]) {
  for (const [label, pair] of [['pcb-tiny-7x5', tiny], ['pcb-odd-333x251', odd], ['pcb-gray-256x192', gray], ['pcb-640x480', large]] as const) {
    test(`seed run (${label}, --codec ${codec}): the five files match the references`, async () => {
      const out = join(await scratchDir(), 'out');
      const run = await runCli(['--back', pair.back, '--front', pair.front, '--output', out, '--format', 'png', '--codec', codec, '--quiet']);
      assert.equal(run, { code: 0, stdout: '', stderr: '' });
      await assertMatchesExpected(out, pair.expected, `${label} ${codec}`);
    });
  }
}

test('default run: five .jpg files, one progress line per step on stderr', async () => {
  const out = join(await scratchDir(), 'a', 'b');
  const run = await runCli(['--back', tiny.back, '--front', tiny.front, '--output', out]);
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, '');
  assert.equal(await listTree(out), seedNames.map((n) => `${n}.jpg`).sort());
  const lines = run.stderr.trimEnd().split('\n');
  assert.is(lines[0], `reading ${tiny.back}: 7x5, RGB, 8-bit`);
  assert.is(lines[1], `reading ${tiny.front}: 7x5, RGB, 8-bit`);
  assert.ok(lines.some((l) => /level/.test(l)), 'stackPair progress');
  for (const name of seedNames) assert.ok(lines.includes(`writing ${join(out, `${name}.jpg`)}`), name);
  assert.match(lines[lines.length - 1], new RegExp(`^wrote 5 files to ${out} in \\d+\\.\\d s$`));
  assert.not.ok(lines.some((l) => l.startsWith('focus-stacking:') || l.startsWith('warning:')));
});

test('--only all_channels,direct writes exactly two files', async () => {
  const out = await scratchDir();
  const run = await runCli(['--back', tiny.back, '--front', tiny.front, '--output', out, '--only', 'all_channels,direct', '--format', 'tif', '--quiet']);
  assert.equal(run, { code: 0, stdout: '', stderr: '' });
  assert.equal(await listTree(out), [`${outputName(Output.ALL_CHANNELS)}.tif`, `${outputName(Output.DIRECT)}.tif`].sort());
});

test('--only blending_mask alone; knobs are accepted; --quality with BMP warns that it is ignored', async () => {
  const out = await scratchDir();
  const args = ['--levels', '3', '--beta', '0.5', '--smooth-kernel', '5', '--median-sizes', '9,5', '--quality', '80', '--format', 'bmp', '--threads', '1'];
  const run = await runCli(['--back', tiny.back, '--front', tiny.front, '--output', out, '--only', 'blending_mask', ...args, '--quiet']);
  assert.equal(run, { code: 0, stdout: '', stderr: 'warning: --quality applies to JPEG only; ignored for --format bmp\n' });
  assert.equal(await listTree(out), ['blending_mask.bmp']);
});

test('a front of another size: resized with a warning, shown even with --quiet', async () => {
  const out = await scratchDir();
  const run = await runCli(['--back', tiny.back, '--front', odd.front, '--output', out, '--only', 'direct', '--quiet']);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, /^warning: front image resized from 333x251 to 7x5[^\n]*\n$/);
  assert.equal(await listTree(out), ['focus_stacked_direct.jpg']);
});

// ---------------------------------------------------------------------------
// Bad input: one line on stderr, non-zero exit, nothing written.

interface BadCase {
  /** Arguments; `$W` is the scratch directory, `$OUT` the output directory (`$W/out`, not created). */
  args: string[];
  /** Files to create in `$W` first. */
  setup?: (w: string) => Promise<void>;
  /** Text the message must contain. */
  says: (string | RegExp)[];
  code: number;
}

const { USAGE, FAILURE } = ExitCode;
const io = ['--back', tiny.back, '--front', tiny.front, '--output', '$OUT'];
const pngHeader = () => readFile(tiny.back).then((b) => b.subarray(0, 60));

const bad: Record<string, BadCase> = {
  '--levels 0': { args: [...io, '--levels', '0'], says: ['--levels: expected an integer from 1 to 16 but received "0"'], code: USAGE },
  '--levels 17': { args: [...io, '--levels', '17'], says: ['--levels', '"17"'], code: USAGE },
  '--levels 2.5': { args: [...io, '--levels', '2.5'], says: ['--levels', '"2.5"'], code: USAGE },
  '--median-sizes 35,18 (even)': {
    args: [...io, '--median-sizes', '35,18'],
    says: ['--median-sizes: expected an odd integer from 1 to 255 but received "18" in "35,18"'],
    code: USAGE,
  },
  '--median-sizes -3': { args: [...io, '--median-sizes', '-3'], says: ['--median-sizes', 'odd integer', '"-3"'], code: USAGE },
  '--median-sizes 35,x': { args: [...io, '--median-sizes', '35,x'], says: ['--median-sizes: expected a number but received "x" in "35,x"'], code: USAGE },
  '--median-sizes 35,,3': { args: [...io, '--median-sizes', '35,,3'], says: ['--median-sizes', 'comma-separated', '"35,,3"'], code: USAGE },
  '--beta abc': { args: [...io, '--beta', 'abc'], says: ['--beta: expected a number but received "abc"'], code: USAGE },
  '--beta -1': { args: [...io, '--beta', '-1'], says: ['--beta', '"-1"'], code: USAGE },
  '--smooth-kernel 4': { args: [...io, '--smooth-kernel', '4'], says: ['--smooth-kernel', 'odd integer', '"4"'], code: USAGE },
  '--quality 0': { args: [...io, '--quality', '0'], says: ['--quality: expected an integer from 1 to 100 but received "0"'], code: USAGE },
  '--threads 0': { args: [...io, '--threads', '0'], says: ['--threads: expected an integer from 1 to 64 but received "0"'], code: USAGE },
  '--quality 101': { args: [...io, '--quality', '101'], says: ['--quality', '"101"'], code: USAGE },
  '--format gif': { args: [...io, '--format', 'gif'], says: ['--format: expected one of jpg, png, tif, bmp but received "gif"'], code: USAGE },
  '--codec foo': { args: [...io, '--codec', 'foo'], says: ['--codec: expected one of sharp, jimp but received "foo"'], code: USAGE },
  '--only foo': { args: [...io, '--only', 'direct,foo'], says: ['--only', '"foo"', 'all_channels'], code: USAGE },
  'an unknown flag': { args: [...io, '--bogus', '1'], says: ['unknown argument', 'bogus'], code: USAGE },
  'a stray argument': { args: [...io, 'extra.png'], says: ['unknown argument', 'extra.png'], code: USAGE },
  'a flag without its value': { args: [...io, '--levels'], says: ['--levels: missing value'], code: USAGE },
  'no --back': { args: ['--front', tiny.front, '--output', '$OUT'], says: ['missing required flag(s): --back'], code: USAGE },
  'an empty --back': { args: ['--back', '', '--front', tiny.front, '--output', '$OUT'], says: ['--back', 'empty'], code: USAGE },
  'a missing file': { args: ['--back', '$W/nope.png', '--front', tiny.front, '--output', '$OUT'], says: ['$W/nope.png', 'no such file'], code: FAILURE },
  'an empty file': {
    setup: (w) => writeFile(join(w, 'empty.png'), ''),
    args: ['--back', tiny.back, '--front', '$W/empty.png', '--output', '$OUT'],
    says: ['$W/empty.png', 'empty'],
    code: FAILURE,
  },
  'a truncated PNG': {
    setup: async (w) => writeFile(join(w, 'cut.png'), await pngHeader()),
    args: ['--back', '$W/cut.png', '--front', tiny.front, '--output', '$OUT'],
    says: ['$W/cut.png', 'truncated'],
    code: FAILURE,
  },
  'a file that is not an image': {
    setup: (w) => writeFile(join(w, 'notes.png'), 'hello\n'),
    args: ['--back', tiny.back, '--front', '$W/notes.png', '--output', '$OUT'],
    says: ['$W/notes.png', 'not an image'],
    code: FAILURE,
  },
  'a directory as image': {
    setup: async (w) => void (await mkdir(join(w, 'dir.png'))),
    args: ['--back', '$W/dir.png', '--front', tiny.front, '--output', '$OUT'],
    says: ['$W/dir.png', 'is a directory'],
    code: FAILURE,
  },
  'frames with different channel counts': {
    args: ['--back', tiny.back, '--front', gray.front, '--output', '$OUT', '--quiet'], // else the 'reading' lines come first
    says: [`--front "${gray.front}"`, '3 channel(s)', 'it has 1'],
    code: FAILURE,
  },
  '--output is a regular file': {
    setup: (w) => writeFile(join(w, 'file'), 'x'),
    args: ['--back', tiny.back, '--front', tiny.front, '--output', '$W/file'],
    says: ['--output "$W/file"', 'not a directory'],
    code: FAILURE,
  },
  '--output under a regular file': {
    setup: (w) => writeFile(join(w, 'file'), 'x'),
    args: ['--back', tiny.back, '--front', tiny.front, '--output', '$W/file/sub'],
    says: ['--output "$W/file/sub": "$W/file" is not a directory'],
    code: FAILURE,
  },
  'an output that is a directory': {
    setup: async (w) => void (await mkdir(join(w, 'out', 'focus_stacked_direct.jpg'), { recursive: true })),
    args: io,
    says: ['$OUT/focus_stacked_direct.jpg', 'is a directory'],
    code: FAILURE,
  },
  'an output that is the back input': {
    setup: async (w) => {
      await mkdir(join(w, 'out'));
      await copyFile(tiny.back, join(w, 'out', 'focus_stacked_direct.png'));
    },
    args: ['--back', '$OUT/focus_stacked_direct.png', '--front', tiny.front, '--output', '$OUT', '--format', 'png'],
    says: ['refusing to overwrite the input', '$OUT/focus_stacked_direct.png'],
    code: FAILURE,
  },
  'an output that is the front input, through a symlink': {
    setup: async (w) => {
      await mkdir(join(w, 'out'));
      await copyFile(tiny.front, join(w, 'front.png'));
      await symlink(join(w, 'out'), join(w, 'link'));
      await copyFile(tiny.front, join(w, 'out', 'blending_mask.png'));
    },
    args: ['--back', tiny.back, '--front', '$W/link/blending_mask.png', '--output', '$OUT', '--format', 'png', '--only', 'blending_mask'],
    says: ['refusing to overwrite the input', '$OUT/blending_mask.png'],
    code: FAILURE,
  },
};
if (process.getuid?.() !== 0) {
  bad['an unwritable --output'] = {
    setup: async (w) => void (await mkdir(join(w, 'out'), { mode: 0o555 })),
    args: io,
    says: ['--output "$OUT"', 'permission denied'],
    code: FAILURE,
  };
}

for (const [name, c] of Object.entries(bad)) {
  test(`bad input: ${name}`, async () => {
    const w = await scratchDir();
    const fill = (s: string) => s.replaceAll('$OUT', join(w, 'out')).replaceAll('$W', w);
    await c.setup?.(w);
    const before = await listTree(w);
    const inputs = await Promise.all(before.filter((f) => f.endsWith('.png')).map((f) => readFile(join(w, f)).catch(() => undefined)));
    const run = await runCli(c.args.map(fill));
    assert.is(run.code, c.code, run.stderr);
    assert.is(run.stdout, '');
    assert.match(run.stderr, /^focus-stacking: [^\n]+\n$/, 'exactly one line, prefixed');
    for (const s of c.says) {
      if (typeof s === 'string') assert.ok(run.stderr.includes(fill(s)), `expected ${JSON.stringify(fill(s))} in ${JSON.stringify(run.stderr)}`);
      else assert.match(run.stderr, s);
    }
    assert.equal(await listTree(w), before, 'no file written, no directory created');
    const after = await Promise.all(before.filter((f) => f.endsWith('.png')).map((f) => readFile(join(w, f)).catch(() => undefined)));
    assert.equal(after, inputs, 'inputs untouched');
  });
}

// ---------------------------------------------------------------------------
// Help and version

test('--help lists the flags, choices, examples and exit codes on stdout', async () => {
  const run = await runCli(['--help']);
  assert.is(run.code, 0);
  assert.is(run.stderr, '');
  for (const flag of ['--back', '--front', '--output', '--beta', '--smooth-kernel', '--levels', '--median-sizes', '--format', '--quality', '--only', '--codec', '--quiet', '--help', '--version']) {
    assert.ok(run.stdout.includes(flag), flag);
  }
  for (const v of [...Object.values(Output), 'png', 'tif', 'bmp', 'sharp', 'jimp', '35,19,9,5,3']) assert.ok(run.stdout.includes(v), v);
  assert.ok(run.stdout.includes('Examples:'));
  assert.ok(run.stdout.includes('focus-stacking --back b.jpg --front f.jpg --output out'));
  assert.ok(run.stdout.includes('--format png --only all_channels,direct'));
  assert.ok(run.stdout.includes('--codec jimp'));
  assert.match(run.stdout, /Exit status: 0 success; 1 [^;]+; 2 /);
});

test('--version prints the package version', async () => {
  const { version } = JSON.parse(await readFile(root('package.json'), 'utf8')) as { version: string };
  assert.equal(await runCli(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
});

test('the bin runs: node dist/bin/focus-stacking.js --help', async () => {
  const bin = fileURLToPath(new URL('../bin/focus-stacking.js', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [bin, '--help']);
  assert.ok(stdout.startsWith('Usage: focus-stacking --back B --front F --output DIR'), stdout);
  const failed = await promisify(execFile)(process.execPath, [bin, '--levels', '0']).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  assert.is(failed?.code, ExitCode.USAGE);
  assert.is(failed?.stderr, 'focus-stacking: missing required flag(s): --back, --front, --output\n');
});

test.run();
