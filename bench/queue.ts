/**
 * Many stacks: the queue against a direct call, workers against `batch`,
 * and a worker killed mid-job. Starts its own redis-server (Debian package
 * redis-server) on a free loopback port in a temporary folder.
 *
 *   npx tsc -p tsconfig.json
 *   node dist/bench/queue.js                       # 24 stacks of 8 frames, 2 MP
 *   node dist/bench/queue.js --stacks 6 --mp 0.3   # smaller, to check that it runs
 *   node dist/bench/queue.js --overhead-only       # part 1 alone
 *
 * 1. Overhead per job: the same small stacks (4 frames, 320x240), each by
 *    `stackToFiles` directly and then through the queue (add, then wait for
 *    completion) with a worker in this process, 20 pairs one job at a time;
 *    the medians, and the median of the pairs' differences.
 * 2. `--stacks` stacks of `--frames` frames (`--mp` megapixels, cut from the
 *    pcb frames) through 1 and 2 worker processes (`enqueue --wait`), and
 *    through `batch`: wall time, and each worker's peak RSS (VmHWM) after its
 *    first and its last job.
 * 3. A worker SIGKILLed mid-job (with `--lock-duration`, `--stalled-interval`,
 *    default 30000 each, BullMQ's defaults): the time until the job starts on the other worker.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { stackToFiles } from '../lib/batch/index.js';
import type { Image } from '../lib/image.js';
import { encodeImage, loadImage } from '../lib/io.js';
import { closeExecutors } from '../lib/parallel/index.js';
import { createWorker, stackQueue } from '../lib/queue/index.js';
import { BIN, killAll, redisAvailable, startRedis, startWorker, type WorkerProcess } from '../test/queue/redis.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const STACKS = flag('stacks', 24);
const FRAMES = flag('frames', 8);
const MP = flag('mp', 2);
const LOCK = flag('lock-duration', 30_000);
const STALLED = flag('stalled-interval', 30_000);
const PCB = ['pcb_001', 'pcb_003', 'pcb_004', 'pcb_007'];
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/pcb/${name}.jpg`, import.meta.url));

/** `image` cut to width x height at (x0, y0). */
function cut(image: Image, x0: number, y0: number, width: number, height: number): Image {
  const cn = image.channels;
  const data = new Uint8Array(width * height * cn);
  for (let y = 0; y < height; y++) data.set(image.data.subarray(((y0 + y) * image.width + x0) * cn, ((y0 + y) * image.width + x0 + width) * cn), y * width * cn);
  return { width, height, channels: cn, data };
}

/** A k-times box reduction. */
function reduce(image: Image, k: number): Image {
  const w = Math.floor(image.width / k), h = Math.floor(image.height / k), cn = image.channels;
  const data = new Uint8Array(w * h * cn);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < cn; c++) {
    let s = 0;
    for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) s += image.data[((y * k + dy) * image.width + x * k + dx) * cn + c];
    data[(y * w + x) * cn + c] = Math.round(s / (k * k));
  }
  return { width: w, height: h, channels: cn, data };
}

/** One set of frames (JPEG, quality 95) in `dir/frames`, and `count` stack folders of symbolic links to them. */
async function makeStacks(dir: string, count: number, frames: number, width: number, height: number, scale = 1): Promise<string[]> {
  const pcb = await Promise.all(PCB.map(async (n) => (scale > 1 ? reduce(await loadImage(fixture(n)), scale) : loadImage(fixture(n)))));
  const framesDir = join(dir, 'frames');
  await mkdir(framesDir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < frames; i++) {
    const src = await pcb[i % 4];
    const shift = Math.floor(i / 4) * 4;
    const file = join(framesDir, `f${String(i).padStart(2, '0')}.jpg`);
    await writeFile(file, (await encodeImage(cut(src, shift, shift, width, height), { format: 'jpg', quality: 95 })).bytes);
    files.push(file);
  }
  const folders: string[] = [];
  for (let s = 0; s < count; s++) {
    const folder = join(dir, 'stacks', `s${String(s).padStart(2, '0')}`);
    await mkdir(folder, { recursive: true });
    for (const f of files) await symlink(f, join(folder, f.split('/').pop()!));
    folders.push(folder);
  }
  return folders;
}

/** Peak and current RSS of a process, MiB. */
function memory(pid: number): { hwm: number; rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Watch a process's output for "wrote" lines; record its peak RSS at its first and its last. */
function watchJobs(child: WorkerProcess['child'], record: { jobs: number; first?: number; last?: number }) {
  const pid = child.pid!;
  const on = (d: Buffer) => {
    for (const _ of String(d).matchAll(/wrote /g)) {
      record.jobs++;
      const { hwm } = memory(pid);
      if (record.jobs === 1) record.first = hwm;
      record.last = hwm;
    }
  };
  child.stdout!.on('data', on);
}

async function main(): Promise<void> {
  if (!redisAvailable()) {
    console.log('SKIP: redis-server not found (Debian package redis-server)');
    return;
  }
  const redis = await startRedis();
  const dir = await mkdtemp(join(tmpdir(), 'focus-stacking-bench-queue-'));
  try {
    console.log(`node ${process.version}, redis-server on loopback; ${STACKS} stacks of ${FRAMES} frames, ${MP} MP`);

    // 1. Overhead per job.
    const small = await makeStacks(join(dir, 'small'), 10, 4, 320, 240, 6);
    const outSmall = join(dir, 'out-small');
    await mkdir(outSmall);
    const framesOf = async (folder: string) => (await readdir(folder)).sort().map((f) => join(folder, f));
    const worker = createWorker(redis.url, { queue: 'overhead' });
    const queue = await stackQueue(redis.url, { queue: 'overhead' });
    // Interleaved (direct, queued, direct, queued...), so that the machine's load weighs on both alike; the first pair warms up.
    const direct: number[] = [];
    const queued: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (const [i, folder] of small.entries()) {
        let t = performance.now();
        await stackToFiles(await framesOf(folder), { output: join(outSmall, `d${round}-${i}.jpg`) });
        direct.push(performance.now() - t);
        t = performance.now();
        const id = await queue.add({ name: `q${i}`, frames: await framesOf(folder), output: join(outSmall, `q${round}-${i}.jpg`) });
        const [o] = await queue.wait([id]);
        if (o.state !== 'completed') throw new Error(`job ${id} failed: ${o.reason}`);
        queued.push(performance.now() - t);
      }
    }
    await queue.close();
    await worker.close();
    await closeExecutors();
    const diffs = queued.slice(1).map((q, i) => q - direct[i + 1]);
    const [d, q] = [median(direct.slice(1)), median(queued.slice(1))];
    console.log(`\n1. overhead per job (4 frames 320x240, ${diffs.length} pairs after a warm-up, one job at a time, interleaved):`);
    console.log(`   median stackToFiles ${d.toFixed(1)} ms, through the queue (add -> completed) ${q.toFixed(1)} ms; median of the differences ${median(diffs).toFixed(1)} ms`);
    if (args.includes('--overhead-only')) return;

    // 2. Many stacks.
    const width = Math.round(Math.sqrt((MP * 1e6 * 4) / 3) / 4) * 4;
    const height = Math.round((width * 3) / 4);
    const big = await makeStacks(join(dir, 'big'), STACKS, FRAMES, width, height);
    console.log(`\n2. ${STACKS} stacks of ${FRAMES} frames ${width}x${height}:`);
    console.log('   how                wall s   per worker: jobs, peak RSS after 1st / last job (MiB)');
    for (const n of [1, 2]) {
      const workers = await Promise.all(Array.from({ length: n }, () => startWorker(redis.url, ['--queue', `many${n}`])));
      const records = workers.map((w) => {
        const r = { jobs: 0 } as { jobs: number; first?: number; last?: number };
        watchJobs(w.child, r);
        return r;
      });
      const t = performance.now();
      const run = spawn(process.execPath, [BIN, 'enqueue', join(dir, 'big', 'stacks'), '--redis', redis.url, '--queue', `many${n}`, '-o', join(dir, `out-w${n}`), '--wait', '-q'], {
        env: { ...process.env, MALLOC_ARENA_MAX: '2' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const code = await new Promise((r) => run.on('exit', r));
      const wall = (performance.now() - t) / 1000;
      if (code !== 0) throw new Error(`enqueue --wait exited ${code}`);
      for (const w of workers) {
        w.child.kill('SIGTERM');
        await w.exited;
      }
      console.log(`   ${n} worker${n === 1 ? ' ' : 's'}          ${wall.toFixed(1).padStart(7)}   ${records.map((r) => `${r.jobs}: ${r.first?.toFixed(0)} / ${r.last?.toFixed(0)}`).join('; ')}`);
    }
    {
      const t = performance.now();
      const run = spawn(process.execPath, [BIN, 'batch', join(dir, 'big', 'stacks'), '-o', join(dir, 'out-batch')], { env: { ...process.env, MALLOC_ARENA_MAX: '2' }, stdio: ['ignore', 'pipe', 'inherit'] });
      const record = { jobs: 0 } as { jobs: number; first?: number; last?: number };
      watchJobs(run, record);
      const code = await new Promise((r) => run.on('exit', r));
      if (code !== 0) throw new Error(`batch exited ${code}`);
      console.log(`   batch (1 process)  ${((performance.now() - t) / 1000).toFixed(1).padStart(7)}   ${record.jobs}: ${record.first?.toFixed(0)} / ${record.last?.toFixed(0)}`);
    }

    // 3. A worker killed mid-job.
    const opts = ['--queue', 'kill', '--lock-duration', String(LOCK), '--stalled-interval', String(STALLED)];
    const doomed = await startWorker(redis.url, opts);
    const survivor = await startWorker(redis.url, opts);
    const queue3 = await stackQueue(redis.url, { queue: 'kill' });
    const id1 = await queue3.add({ name: 'k1', frames: await framesOf(big[0]), output: join(dir, 'k1.jpg') });
    // One job: one worker takes it, and is killed half a second after it starts; the other is idle.
    const which = await Promise.race([doomed.waitFor(/k1: started/, 120_000).then(() => doomed), survivor.waitFor(/k1: started/, 120_000).then(() => survivor)]);
    const other = which === doomed ? survivor : doomed;
    await new Promise((r) => setTimeout(r, 500));
    which.child.kill('SIGKILL');
    const killed = performance.now();
    await other.waitFor(/k1: started/, 600_000);
    const again = (performance.now() - killed) / 1000;
    await queue3.wait([id1]);
    await queue3.close();
    other.child.kill('SIGTERM');
    await other.exited;
    console.log(`\n3. a worker SIGKILLed mid-job (lock ${LOCK} ms, stalled check every ${STALLED} ms): the job started on the other worker ${again.toFixed(1)} s later`);
  } finally {
    killAll();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
