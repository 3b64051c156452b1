/**
 * How both multi-threaded executors (worker threads in Node.js, Web Workers
 * in a page) split one kernel call: the first band runs on the calling
 * thread, one band on each worker, and the call settles only once no worker
 * writes into its buffers any more. No Node.js here.
 */
import { runKernel, type KernelName } from './kernels.js';

/** Fewer units than this a band is not worth a worker's round trip. */
export const MIN_UNITS_PER_THREAD = 64;

/**
 * Whether every typed array among `args` (and in objects and arrays among
 * them, two levels deep) lives in a SharedArrayBuffer: a worker would
 * otherwise write into a copy (and copying a view copies its whole buffer).
 *
 * @param args - A kernel's arguments.
 * @param depth - How deep this call looks (internal).
 * @returns Whether a worker can share them.
 */
export function allShared(args: readonly unknown[], depth = 0): boolean {
  return args.every((arg) => {
    if (ArrayBuffer.isView(arg)) return arg.buffer instanceof SharedArrayBuffer;
    if (depth > 1 || typeof arg !== 'object' || arg === null) return true;
    return allShared(Array.isArray(arg) ? arg : Object.values(arg), depth + 1);
  });
}

/**
 * Run one kernel over `units` (rows or pixels) in bands: the first here,
 * one each on `workers` (at most as many bands as workers + 1, and none of
 * fewer than {@link MIN_UNITS_PER_THREAD} units).
 *
 * @param name - The kernel.
 * @param args - Its arguments, less its range.
 * @param units - How many units its range covers.
 * @param workers - The workers free to take a band (none: all here).
 * @param post - Sends one band to a worker; settles when the worker is done with it.
 * @param running - The calls in flight with workers, for a `close()` that must wait for them.
 * @throws The first error of a band (this thread's first), once every band has settled.
 */
export async function runInBands<W>(name: KernelName, args: unknown[], units: number, workers: readonly W[], post: (worker: W, start: number, end: number) => Promise<void>, running: Set<Promise<unknown>>): Promise<void> {
  const bands = Math.max(1, Math.min(workers.length + 1, Math.floor(units / MIN_UNITS_PER_THREAD)));
  const cut = (i: number) => Math.round((units * i) / bands);
  const done: Promise<void>[] = [];
  for (let i = 1; i < bands; i++) done.push(post(workers[i - 1], cut(i), cut(i + 1)));
  let failed: { error: unknown } | undefined;
  try {
    runKernel(name, args, 0, cut(1));
  } catch (error) {
    failed = { error };
  }
  if (done.length > 0) {
    // Whatever happened here, wait until no worker writes into the buffers any more.
    const settled = Promise.allSettled(done);
    running.add(settled);
    const results = await settled;
    running.delete(settled);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    failed ??= rejected && { error: rejected.reason };
  }
  if (failed) throw failed.error;
}

/** One band of a kernel call, as sent to a worker. */
export interface BandTask {
  /** The call's id, echoed in the reply. */
  id: number;
  /** The kernel. */
  name: KernelName;
  /** Its arguments, less its range. */
  args: unknown[];
  /** First unit of the band. */
  start: number;
  /** One past its last unit. */
  end: number;
}

/** A worker's reply to a {@link BandTask}: its id, and the error's message if it failed. */
export interface BandReply {
  /** The task's id. */
  id: number;
  /** What went wrong, if anything. */
  error?: string;
}

/**
 * Run one band in a worker (what both kinds of worker do with a task).
 *
 * @param task - The band.
 * @returns The reply to send back.
 */
export function runBand({ id, name, args, start, end }: BandTask): BandReply {
  try {
    runKernel(name, args, start, end);
    return { id };
  } catch (error) {
    return { id, error: error instanceof Error ? error.message : String(error) };
  }
}
