/**
 * Many stacks on one machine (Node only): {@link runBatch} runs the stacks
 * of {@link listStacks} one after another (or `jobs` at a time), each to
 * `OUT_DIR/NAME.<format>`, skips those whose results are up to date, and
 * goes on when one fails.
 */
import { performance } from 'node:perf_hooks';
import type { Format } from '../codecs/index.js';
import { assertInteger } from '../errors.js';
import { isUpToDate, resultPaths, stackToFiles, type StackJobOptions, type StackTarget } from './files.js';
import type { StackFolder } from './stacks.js';

/** Options of {@link runBatch}. */
export interface BatchOptions extends StackJobOptions {
  /** The folder the results go to (it must exist). */
  outDir: string;
  /**
   * The results' format (their extension).
   * @default 'jpg'
   */
  format?: Format;
  /**
   * Also write each stack's depth map, `NAME-depth.png`.
   * @default false
   */
  depthmap?: boolean;
  /**
   * Stacks run at a time, 1 to 64.
   * @default 1
   */
  jobs?: number;
  /**
   * Stack again even when the results are newer than the frames.
   * @default false
   */
  force?: boolean;
  /** Aborting starts no more stacks and stops those running (they write nothing). */
  signal?: AbortSignal;
  /** Called when a stack starts. */
  onStart?: (stack: StackFolder) => void;
  /** Called when a stack ends, however. */
  onDone?: (outcome: BatchOutcome) => void;
  /** Called with a stack's warnings. */
  onWarning?: (stack: StackFolder, message: string) => void;
}

/** How one stack of a batch ended. */
export interface BatchOutcome extends StackTarget {
  /** The stack's name. */
  readonly name: string;
  /** Its folder. */
  readonly dir: string;
  /** Its number of frames. */
  readonly frames: number;
  /** `'stacked'`, `'skipped'` (up to date) or `'failed'`. */
  readonly status: 'stacked' | 'skipped' | 'failed';
  /** Milliseconds it took (0 when skipped). */
  readonly ms: number;
  /** Why it failed, one line. */
  readonly error?: string;
}

/** What {@link runBatch} resolves to. */
export interface BatchSummary {
  /** Per stack, in the order given. */
  readonly stacks: readonly BatchOutcome[];
  /** Stacks stacked. */
  readonly stacked: number;
  /** Stacks skipped, their results up to date. */
  readonly skipped: number;
  /** Stacks that failed. */
  readonly failed: number;
  /** Milliseconds for the whole batch. */
  readonly ms: number;
}

/** An error's message on one line. */
function oneLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

/**
 * Run stacks, each to `outDir/NAME.<format>` (and `NAME-depth.png`): `jobs`
 * at a time, a stack whose results exist and are newer than its frames
 * skipped unless `force`, a stack that fails reported and the others run.
 *
 * @param stacks - From {@link listStacks}; one with a `problem` fails at once.
 * @param options - See {@link BatchOptions}.
 * @returns The outcome of each stack and the counts; rejects only when `signal` aborts.
 * @throws RangeError for a bad `jobs`; the signal's reason when aborted.
 */
export async function runBatch(stacks: readonly StackFolder[], options: BatchOptions): Promise<BatchSummary> {
  const { outDir, format = 'jpg', depthmap = false, jobs = 1, force = false, signal, onStart, onDone, onWarning, ...stackOptions } = options;
  assertInteger('jobs', jobs, 1, 64);
  const started = performance.now();
  const outcomes: BatchOutcome[] = new Array(stacks.length);
  let next = 0;
  const one = async (folder: StackFolder): Promise<BatchOutcome> => {
    const target = resultPaths(outDir, folder.name, format, depthmap);
    const base = { name: folder.name, dir: folder.dir, frames: folder.frames.length, ...target };
    if (folder.problem !== undefined) return { ...base, status: 'failed', ms: 0, error: folder.problem };
    const results = [target.output, ...(target.depthmap === undefined ? [] : [target.depthmap])];
    if (!force && (await isUpToDate(folder.frames, results))) return { ...base, status: 'skipped', ms: 0 };
    onStart?.(folder);
    const t0 = performance.now();
    try {
      await stackToFiles(folder.frames, target, { ...stackOptions, ...(signal ? { signal } : {}), onWarning: (message) => onWarning?.(folder, message) });
      return { ...base, status: 'stacked', ms: performance.now() - t0 };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return { ...base, status: 'failed', ms: performance.now() - t0, error: oneLine(error) };
    }
  };
  const lane = async () => {
    while (next < stacks.length) {
      signal?.throwIfAborted();
      const i = next++;
      outcomes[i] = await one(stacks[i]);
      onDone?.(outcomes[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, stacks.length)) }, lane));
  const count = (status: BatchOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  return { stacks: outcomes, stacked: count('stacked'), skipped: count('skipped'), failed: count('failed'), ms: performance.now() - started };
}
