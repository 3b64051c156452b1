/**
 * The 2.0 issue's speed and memory figures for `focus-stacking stack`, each
 * run a child process of its own (its CPU time and peak RSS are its own), in the
 * environment the bin gives it (MALLOC_ARENA_MAX=2 unless set; set it to compare):
 *
 *   node dist/bench/pcb.js                  # the 7 pcb frames (3 MP), aligned, JPEG + depth map, 3 runs
 *   node dist/bench/pcb.js --runs 1 --big   # also 20 frames of 24 MP (made by upscaling the pcb frames)
 *
 * Beside each run of the stack, the same child process kind runs the seed's
 * two-frame job on two of the frames: a baseline of this machine's speed at
 * that moment (timings here vary from one day to the next), so that wall
 * times can be compared against it. The peers' figures are the issue's:
 * focus-stack (C++, native OpenCV, threads) spends 12-18 CPU-seconds and
 * 820-1060 MB on the 7-frame stack; enfuse without alignment 3.3 s and 229 MB.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jpegFrames, pcbDir } from './datasets.js';

/** What one child process measured. */
interface Figures {
  what: string;
  wall: number;
  cpu: number;
  peakMB: number;
  code: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** The child: run the command line in this process, then report its own resources. */
async function child(what: string, argv: string[]): Promise<void> {
  const { main } = await import('../lib/cli/index.js');
  const started = performance.now();
  const code = await main(argv, { stdout: { write: () => true }, stderr: process.stderr });
  const usage = process.resourceUsage();
  const figures: Figures = { what, wall: (performance.now() - started) / 1000, cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakMB: usage.maxRSS / 1024, code };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0); // worker threads need not be waited for
}

/** The environment the command line runs in: bin/focus-stacking.ts sets MALLOC_ARENA_MAX=2 on Linux. */
function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
}

function run(what: string, argv: string[]): Figures {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, [script, '--child', what, JSON.stringify(argv)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20, env: cliEnv() });
  return JSON.parse(out.trim().split('\n').pop()!) as Figures;
}

/** The pcb frames: --dir, else the shared dataset beside the repository, else the fixtures. */
function pcbFrames(): string[] {
  return jpegFrames(pcbDir(arg('dir', '') || undefined));
}

/** 24 MP JPEG frames made from the pcb frames (upscaled), `n` of them, cycling. */
async function bigFrames(dir: string, n: number): Promise<string[]> {
  const { default: sharp } = await import('sharp');
  const sources = pcbFrames();
  const made = await Promise.all(
    sources.map(async (file, i) => {
      const path = join(dir, `big_${String(i).padStart(2, '0')}.jpg`);
      await sharp(file).resize(5664, 4248).jpeg({ quality: 95 }).toFile(path);
      return path;
    }),
  );
  return Array.from({ length: n }, (_, i) => made[i % made.length]);
}

function line(f: Figures): string {
  return `${f.what.padEnd(34)} ${f.wall.toFixed(2).padStart(7)} s wall ${f.cpu.toFixed(2).padStart(7)} s CPU ${f.peakMB.toFixed(0).padStart(6)} MB peak${f.code === 0 ? '' : `  (exit ${f.code})`}`;
}

async function parent(): Promise<void> {
  const runs = Number(arg('runs', '3'));
  const frames = pcbFrames();
  const scratch = mkdtempSync(join(tmpdir(), 'focus-stacking-bench-'));
  try {
    const stack = (extra: string[], list = frames) => ['stack', ...list, '--output', join(scratch, 'out.jpg'), '--depthmap', join(scratch, 'depth.png'), '--quiet', ...extra];
    const seed = ['--back', frames[frames.length - 1], '--front', frames[0], '--output', join(scratch, 'seed'), '--only', 'all_channels', '--quiet'];
    process.stdout.write(`${frames.length} frames from ${frames[0].replace(/[^/]+$/, '')}, ${runs} run(s)\n`);
    for (let r = 0; r < runs; r++) {
      process.stdout.write(`${line(run('stack, aligned (default)', stack([])))}\n`);
      process.stdout.write(`${line(run('stack --no-align', stack(['--no-align'])))}\n`);
      process.stdout.write(`${line(run('baseline: the seed pair job', seed))}\n`);
    }
    process.stdout.write('peers (the issue): focus-stack 12-18 s CPU, 820-1060 MB; enfuse (no alignment) 3.3 s CPU, 229 MB\n');
    if (process.argv.includes('--big')) {
      const big = await bigFrames(scratch, Number(arg('big-frames', '20')));
      process.stdout.write(`${line(run(`stack, ${big.length} frames of 24 MP`, stack([], big)))}\n`);
      process.stdout.write('target (the issue): 20 frames of 24 MP within 1.5 GB\n');
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1], JSON.parse(process.argv[at + 2]) as string[]);
else await parent();
