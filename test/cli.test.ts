import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getCodec } from '../lib/codecs/index.js';
import { ExitCode, main } from '../lib/cli/index.js';
import { ALL_OUTPUTS, Output, outputName } from '../lib/stack.js';
import { assertImageClose } from './helpers/compare.js';
import { listTree, removeScratch, runCli, scratchDir } from './helpers/cli.js';
import { pngFile, readPng, type Raster } from './helpers/files.js';

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

/** The same picture in 16 bits (each 8-bit sample v becomes v * 257). */
function to16Bit(r: Raster): Raster {
  return { ...r, data: Uint16Array.from(r.data as ArrayLike<number>, (v) => v * 257) };
}

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

test('a gray front with a colour back: converted to colour with a warning, as the original runs it', async () => {
  const out = await scratchDir();
  const run = await runCli(['--back', tiny.back, '--front', gray.front, '--output', out, '--only', 'direct', '--quiet']);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, /^warning: front image converted from 8-bit gray to 8-bit RGB to match the back image\nwarning: front image resized from 256x192 to 7x5[^\n]*\n$/);
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
  // Item 4: a repeated single-value flag.
  'a repeated --front (a third frame)': {
    args: ['--back', tiny.back, '--front', tiny.front, '--front', odd.front, '--output', '$OUT'],
    says: ['--front: given 2 times, but it takes one file (to stack more than two frames, use "focus-stacking stack")'],
    code: USAGE,
  },
  'a repeated --back, short and long': {
    args: ['-b', tiny.back, '--back', odd.back, '--front', tiny.front, '--output', '$OUT'],
    says: ['--back: given 2 times, but it takes one file (to stack more than two frames, use "focus-stacking stack")'],
    code: USAGE,
  },
  'a repeated --levels': { args: [...io, '--levels', '3', '--levels=4'], says: ['--levels: given 2 times, but it takes one value'], code: USAGE },
  'a repeated --output': { args: [...io, '-o', '$W/other'], says: ['--output: given 2 times, but it takes one directory'], code: USAGE },
  // Item 5: unknown short options.
  'an unknown short option -x': { args: [...io, '-x'], says: [/^focus-stacking: unknown option -x\n$/], code: USAGE },
  'an unknown short option in a group, -qx': { args: [...io, '-qx'], says: [/^focus-stacking: unknown option -x\n$/], code: USAGE },
  // Item 7: errors echo what was typed.
  '--beta 1e7 (echoed as typed)': { args: [...io, '--beta', '1e7'], says: ['--beta: expected a number from 0 to 1000000 but received "1e7"'], code: USAGE },
  '--quality 1e3 (echoed as typed)': { args: [...io, '--quality', '1e3'], says: ['--quality: expected an integer from 1 to 100 but received "1e3"'], code: USAGE },
  '--levels 0x10 (not a decimal number)': { args: [...io, '--levels', '0x10'], says: ['--levels: expected a number but received "0x10"'], code: USAGE },
  '--smooth-kernel 4.0e0 (echoed as typed)': { args: [...io, '--smooth-kernel', '4.0e0'], says: ['--smooth-kernel: expected an odd integer from 1 to 99 but received "4.0e0"'], code: USAGE },
  // Items 1 and 2: the output folder is vetted before any image is read (the
  // back file does not exist: reading it first would report that instead).
  'a dangling symbolic link on the --output path': {
    setup: (w) => symlink(join(w, 'nonexistent'), join(w, 'dang')),
    args: ['--back', '$W/nope.png', '--front', tiny.front, '--output', '$W/dang/out'],
    says: ['--output "$W/dang/out": "$W/dang" is a dangling symbolic link (to "$W/nonexistent")'],
    code: FAILURE,
  },
  '--output is a dangling symbolic link': {
    setup: (w) => symlink(join(w, 'nonexistent'), join(w, 'dang')),
    args: ['--back', '$W/nope.png', '--front', tiny.front, '--output', '$W/dang'],
    says: ['--output "$W/dang": a dangling symbolic link (to "$W/nonexistent")'],
    code: FAILURE,
  },
  'an --output under a regular file, checked before reading': {
    setup: (w) => writeFile(join(w, 'file'), 'x'),
    args: ['--back', '$W/nope.png', '--front', tiny.front, '--output', '$W/file/a/b'],
    says: ['--output "$W/file/a/b": "$W/file" is not a directory'],
    code: FAILURE,
  },
  'a run that fails after creating --output removes the directories it made': {
    setup: async (w) => writeFile(join(w, 'cut.png'), await pngHeader()),
    args: ['--back', '$W/cut.png', '--front', tiny.front, '--output', '$W/new/deeper/out'],
    says: ['$W/cut.png', 'truncated'],
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

// Item 1: procfs takes no new directory, and no file; Node's recursive mkdir spins forever on it.
if (existsSync('/proc/self/stat')) {
  bad['--output /proc/nope (procfs), refused before any read'] = {
    args: ['--back', '$W/nope.png', '--front', tiny.front, '--output', '/proc/nope'],
    says: ['--output "/proc/nope": cannot create "/proc/nope": this file system does not allow it'],
    code: FAILURE,
  };
  bad['--output /proc/nope/deeper (procfs)'] = {
    args: ['--back', tiny.back, '--front', tiny.front, '--output', '/proc/nope/deeper'],
    says: ['--output "/proc/nope/deeper": cannot create "/proc/nope": this file system does not allow it'],
    code: FAILURE,
  };
  bad['--output /proc (procfs, exists), refused before any read'] = {
    args: ['--back', '$W/nope.png', '--front', tiny.front, '--output', '/proc'],
    says: ['--output "/proc": cannot create files there: this file system does not allow it'],
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
// Short flags, warnings (items 5 and 7)

test('short flags: -b -f -o -q run the seed form', async () => {
  const out = join(await scratchDir(), 'out');
  const run = await runCli(['-b', tiny.back, '-f', tiny.front, '-o', out, '-q', '--only', 'direct']);
  assert.equal(run, { code: 0, stdout: '', stderr: '' });
  assert.equal(await listTree(out), ['focus_stacked_direct.jpg']);
});

test('--quality with a lossless format warns once that it is ignored; with JPEG it does not', async () => {
  const dir = await scratchDir();
  const png = await runCli(['-b', tiny.back, '-f', tiny.front, '-o', join(dir, 'png'), '--only', 'direct', '--format', 'png', '--quality', '50', '-q']);
  assert.equal(png, { code: 0, stdout: '', stderr: 'warning: --quality applies to JPEG only; ignored for --format png\n' });
  const tif = await runCli(['-b', tiny.back, '-f', tiny.front, '-o', join(dir, 'tif'), '--only', 'direct', '--format', 'tif', '--quality', '50', '-q']);
  assert.equal(tif, { code: 0, stdout: '', stderr: 'warning: --quality applies to JPEG only; ignored for --format tif\n' });
  const jpg = await runCli(['-b', tiny.back, '-f', tiny.front, '-o', join(dir, 'jpg'), '--only', 'direct', '--quality', '50', '-q']);
  assert.equal(jpg, { code: 0, stdout: '', stderr: '' });
});

if (hasSharp) {
  test('16-bit inputs written as JPEG or BMP: a warning that the outputs are 8-bit; PNG keeps 16 bits, no warning', async () => {
    const dir = await scratchDir();
    const back = join(dir, 'back16.png');
    const front = join(dir, 'front16.png');
    await writeFile(back, pngFile(to16Bit(readPng(await readFile(tiny.back))), 16));
    await writeFile(front, pngFile(to16Bit(readPng(await readFile(tiny.front))), 16));
    const say = (name: string) => `warning: the inputs are 16-bit but ${name} holds 8 bits: the outputs are written as 8-bit (--format png or tif keeps 16 bits)\n`;
    for (const [format, name] of [['jpg', 'JPEG'], ['bmp', 'BMP']]) {
      const run = await runCli(['-b', back, '-f', front, '-o', join(dir, format), '--only', 'direct', '--format', format, '-q']);
      assert.equal(run, { code: 0, stdout: '', stderr: say(name) }, format);
    }
    const png = await runCli(['-b', back, '-f', front, '-o', join(dir, 'png'), '--only', 'direct', '--format', 'png', '-q']);
    assert.equal(png, { code: 0, stdout: '', stderr: '' });
    assert.is(readPng(await readFile(join(dir, 'png', 'focus_stacked_direct.png'))).data.BYTES_PER_ELEMENT, 2, 'the PNG is 16-bit');
  });
}

if (hasSharp) {
  test('an 8-bit back with a 16-bit front: converted to 16 bits with a warning, as the original runs it', async () => {
    const dir = await scratchDir();
    const front = join(dir, 'front16.png');
    await writeFile(front, pngFile(to16Bit(readPng(await readFile(tiny.front))), 16));
    const run = await runCli(['-b', tiny.back, '-f', front, '-o', join(dir, 'out'), '--only', 'direct', '--format', 'png', '-q']);
    assert.equal(run, { code: 0, stdout: '', stderr: 'warning: back image converted from 8-bit RGB to 16-bit RGB to match the front image\n' });
    assert.is(readPng(await readFile(join(dir, 'out', 'focus_stacked_direct.png'))).data.BYTES_PER_ELEMENT, 2, 'the PNG is 16-bit');
  });
}

// ---------------------------------------------------------------------------
// Signals (item 3): run the built bin, interrupt it while a temporary file is open.

const bin = fileURLToPath(new URL('../bin/focus-stacking.js', import.meta.url));

/**
 * Run the bin on a job whose temporary file is held open (FOCUS_STACKING_TEST_HOLD_WRITE_MS),
 * wait for the "writing" line and for the temporary file to exist, send `signal`,
 * and return the exit code, stderr and the temporary file seen.
 */
async function interruptWhileWriting(out: string, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; temp: string }> {
  const child = spawn(process.execPath, [bin, '-b', tiny.back, '-f', tiny.front, '-o', out, '--only', 'direct', '--format', 'png'], {
    env: { ...process.env, FOCUS_STACKING_TEST_HOLD_WRITE_MS: '60000' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  let ended = false;
  void exited.then(() => (ended = true));
  const safety = setTimeout(() => child.kill('SIGKILL'), 60_000); // a hung run fails the test instead of hanging it
  try {
    const writing = new Promise<void>((done) => {
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => {
        stderr += text;
        if (/^writing /m.test(stderr)) done();
      });
    });
    await Promise.race([writing, exited]);
    let temp: string | undefined;
    while (!ended && temp === undefined) {
      temp = (await readdir(out).catch(() => [] as string[])).find((f) => f.endsWith('.tmp'));
      if (temp === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    if (temp === undefined) throw new Error(`the run ended before a temporary file was seen: ${stderr}`);
    child.kill(signal);
    const code = await exited;
    return { code, stderr, temp };
  } finally {
    clearTimeout(safety);
  }
}

test('SIGINT while writing: exit 130, the temporary file and the new output folder removed', async () => {
  const w = await scratchDir();
  const { code, stderr, temp } = await interruptWhileWriting(join(w, 'out'), 'SIGINT');
  assert.match(temp, /^\.focus_stacked_direct\.png\.\d+\.[0-9a-f]+\.tmp$/);
  assert.is(code, ExitCode.INTERRUPTED, stderr);
  assert.ok(stderr.endsWith('focus-stacking: interrupted (SIGINT); temporary files removed\n'), stderr);
  assert.equal(await listTree(w), [], 'nothing left: no temporary file, no directory');
});

test('SIGTERM while writing: exit 143, the temporary file removed, an existing folder kept as it was', async () => {
  const w = await scratchDir();
  await writeFile(join(w, 'keep.txt'), 'x');
  const { code, stderr } = await interruptWhileWriting(w, 'SIGTERM');
  assert.is(code, ExitCode.TERMINATED, stderr);
  assert.ok(stderr.endsWith('focus-stacking: terminated (SIGTERM); temporary files removed\n'), stderr);
  assert.equal(await listTree(w), ['keep.txt']);
});

test('main installs its signal handlers only while it runs', async () => {
  const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
  const run = main(['--back', tiny.back, '--front', tiny.front, '--output', await scratchDir(), '--only', 'direct', '-q'], { stderr: { write: () => undefined } });
  const during = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]; // main installs them before its first await
  assert.is(await run, 0);
  assert.equal(during, [before[0] + 1, before[1] + 1]);
  assert.equal([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')], before);
});

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

test('--help gives the short forms, the reuse of the last median size, the signals', async () => {
  const { stdout } = await runCli(['-h']);
  for (const flag of ['-b, --back', '-f, --front', '-o, --output', '-q, --quiet', '-h, --help']) assert.ok(stdout.includes(flag), flag);
  assert.ok(stdout.replace(/\s+/g, ' ').includes('levels past the end of the list reuse its last size'), 'median sizes');
  assert.ok(stdout.replace(/\s+/g, ' ').includes('130 interrupted (SIGINT), 143 terminated (SIGTERM)'), 'signals');
});

test('--version prints the package version', async () => {
  const { version } = JSON.parse(await readFile(root('package.json'), 'utf8')) as { version: string };
  assert.equal(await runCli(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
});

test('the bin runs: node dist/bin/focus-stacking.js --help', async () => {
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
