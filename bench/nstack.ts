/**
 * Peak memory and time of the N-frame engine against the number of frames:
 * flat memory means the peak does not grow with N.
 *
 *   node dist/bench/nstack.js                       # 8, 24, 48 frames, dmap
 *   node dist/bench/nstack.js --frames 8,24 --method all --threads 1
 *
 * Frames are the real 3 MP JPEGs of ../shared/datasets/pcb beside the
 * repository (or --dir; else the 4 of fixtures/pcb, see bench/datasets.ts),
 * cycled to make N frames, given to `stack` as paths: each is decoded when
 * the engine reads it. Each run is a child process of its own (MALLOC_ARENA_MAX=2
 * unless set, as the bin does), so that its
 * peak resident memory (maxRSS) is its own. "pool MB" is what the buffer
 * pool's arenas hold, "touched" the part of them ever handed out (what the
 * pool keeps resident); the rest of the peak is Node, OpenCV.js, libvips and
 * decoded frames waiting for the garbage collector.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BufferPool } from '../lib/kernels/pool.js';
import { jpegFrames, pcbDir } from './datasets.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

interface Figures {
  method: string;
  frames: number;
  size: string;
  seconds: number;
  perFrame: number;
  peakMB: number;
  poolMB: number;
  /** The part of the pool's arenas ever handed out: what the pool keeps resident. */
  touchedMB: number;
  reread: number;
}

/** One run, in this process. */
async function child(dir: string, n: number, method: string, threads: number): Promise<void> {
  const api = await import('../lib/index.js');
  const files = jpegFrames(dir);
  const frames = Array.from({ length: n }, (_, i) => files[i % files.length]);
  const t0 = performance.now();
  const { image, report } = await api.stack(frames, { method: method as 'dmap', threads, depthMap: true });
  const seconds = (performance.now() - t0) / 1000;
  const figures: Figures = {
    method,
    frames: n,
    size: `${image.width}x${image.height}`,
    seconds,
    perFrame: seconds / n,
    peakMB: process.resourceUsage().maxRSS / 1024,
    poolMB: (api.executorFor(threads).pool as BufferPool).bytes / 2 ** 20,
    touchedMB: (api.executorFor(threads).pool as BufferPool).touched / 2 ** 20,
    reread: report.reread,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0); // the worker threads need not be waited for
}

function main(): void {
  const dir = pcbDir(arg('dir', '') || undefined);
  const counts = arg('frames', '8,24,48').split(',').map(Number);
  const methodArg = arg('method', 'dmap');
  const methods = methodArg === 'all' ? ['gradient', 'pyramid', 'dmap', 'select'] : methodArg.split(',');
  const threads = Number(arg('threads', '2'));
  const rows: Figures[] = [];
  const self = fileURLToPath(import.meta.url);
  for (const method of methods) {
    for (const n of counts) {
      const out = execFileSync(process.execPath, [self, '--child', dir, String(n), method, String(threads)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' } });
      const figures = JSON.parse(out.trim().split('\n').pop()!) as Figures;
      rows.push(figures);
      process.stderr.write(`${method} ${n} frames: ${figures.seconds.toFixed(1)} s, peak ${figures.peakMB.toFixed(0)} MB\n`);
    }
  }
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  console.log(`\n${pad('method', 9)} ${pad('frames', 6)} ${pad('size', 10)} ${pad('time s', 8)} ${pad('s/frame', 8)} ${pad('reread', 6)} ${pad('peak MB', 8)} ${pad('pool MB', 8)} ${pad('touched', 8)} ${pad('vs first', 8)}`);
  for (const r of rows) {
    const first = rows.find((q) => q.method === r.method)!;
    console.log(
      `${pad(r.method, 9)} ${pad(r.frames, 6)} ${pad(r.size, 10)} ${pad(r.seconds.toFixed(1), 8)} ${pad(r.perFrame.toFixed(2), 8)} ${pad(r.reread, 6)} ${pad(r.peakMB.toFixed(0), 8)} ${pad(r.poolMB.toFixed(0), 8)} ${pad(r.touchedMB.toFixed(0), 8)} ${pad(`${((r.peakMB / first.peakMB - 1) * 100).toFixed(1)} %`, 8)}`,
    );
  }
  console.log(`\nthreads ${threads}; node ${process.version}`);
}

if (process.argv[2] === '--child') {
  const [, , , dir, n, method, threads] = process.argv;
  await child(dir, Number(n), method, Number(threads));
} else main();
