/**
 * Memory growth across repeated runs, for the leak tests and bench/leak.ts.
 *
 * {@link memoryGrowth} runs a callback K times in this process and reports
 * the resident set and the `ArrayBuffer` bytes after the 2nd and the Kth
 * call. Every call is followed by a full garbage collection, so that the
 * figures show what is kept, not how lazily the collector runs (left to
 * itself, V8 lets tens of MB of dead results pile up before collecting, and
 * the allocator keeps those pages afterwards); the peak RSS is reported too.
 * It needs `node --expose-gc`.
 * {@link measureInChild} runs a script in a child process started with
 * `--expose-gc` and returns the JSON it prints last, so that a test's own
 * process (and its other tests' memory) does not blur the figures.
 * {@link assertFlat} is the leak tests' check on those figures.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import * as assert from 'uvu/assert';

/** Memory of the process at one point, in bytes. */
export interface Usage {
  rss: number;
  arrayBuffers: number;
}

/** What {@link memoryGrowth} measured. */
export interface Growth {
  /** Calls made in all. */
  calls: number;
  /** After the 2nd call (the first one fills pools and caches). */
  after2: Usage;
  /** After the last call. */
  afterK: Usage;
  /** Mean wall time of a call (without the collections), in milliseconds. */
  msPerCall: number;
  /** The largest resident set of the process so far, in bytes. */
  peakRss: number;
}

function usage(): Usage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('memoryGrowth needs node --expose-gc');
  gc();
  gc();
  const { rss, arrayBuffers } = process.memoryUsage();
  return { rss, arrayBuffers };
}

/**
 * Run `call` `calls` times, one after the other, each followed by gc, and
 * report the memory after the 2nd and after the last call.
 *
 * @param call - One run of the operation under test.
 * @param calls - How many runs, at least 2.
 * @returns The figures.
 */
export async function memoryGrowth(call: (i: number) => Promise<unknown>, calls = 20): Promise<Growth> {
  let after2 = usage();
  let afterK = after2;
  let ms = 0;
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await call(i);
    ms += performance.now() - t0;
    afterK = usage();
    if (i === 1) after2 = afterK;
  }
  return { calls, after2, afterK, msPerCall: ms / calls, peakRss: process.resourceUsage().maxRSS * 1024 };
}

/**
 * Run `node --expose-gc script ...args` and parse the last line it prints as JSON.
 *
 * @param script - Path of the script.
 * @param args - Its arguments.
 * @returns What it printed last, parsed.
 * @throws Error if the script fails (its stderr is in the message).
 */
export function measureInChild<T = Growth>(script: string, args: readonly string[] = []): T {
  const out = execFileSync(process.execPath, ['--expose-gc', script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** Megabytes (MiB), for messages. */
export function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

/**
 * Assert that `growth` made `calls` calls and that the resident set and the
 * `ArrayBuffer` bytes after the last one are within `bound` bytes of those
 * after the 2nd.
 *
 * @param growth - What {@link memoryGrowth} measured.
 * @param calls - The calls it should have made.
 * @param bound - The growth allowed, in bytes.
 */
export function assertFlat(growth: Growth, calls: number, bound: number): void {
  const { after2, afterK } = growth;
  assert.is(growth.calls, calls);
  const detail = `rss ${mb(after2.rss)} -> ${mb(afterK.rss)} MB, arrayBuffers ${mb(after2.arrayBuffers)} -> ${mb(afterK.arrayBuffers)} MB`;
  assert.ok(afterK.rss - after2.rss < bound, `RSS grew by ${mb(afterK.rss - after2.rss)} MB (${detail})`);
  assert.ok(afterK.arrayBuffers - after2.arrayBuffers < bound, `arrayBuffers grew (${detail})`);
}
