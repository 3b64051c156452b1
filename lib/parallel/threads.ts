/**
 * Splitting kernels between worker threads (Node.js `worker_threads`). Each
 * kernel's range is cut into one band per thread; the workers take all but
 * the first, this thread does the first, and the call resolves when all are
 * done. The buffers are `SharedArrayBuffer`s, so nothing is copied.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BufferPool } from '../kernels/pool.js';
import { Executor } from './executor.js';
import { runKernel, type KernelName } from './kernels.js';

/** Bands smaller than this many units are not worth a message to a worker. */
const MIN_UNITS_PER_THREAD = 64;

/** The number of threads used by default: the cores, at most 4. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Runs kernels on this thread and `threads - 1` workers. */
export class ThreadedExecutor extends Executor {
  readonly threads: number;
  readonly #workers: Worker[];
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  /** A worker stopped (crashed, or was terminated): from then on everything runs here. */
  #stopped = false;

  /**
   * @param threads - Threads in all, this one included; at least 2.
   */
  constructor(threads: number) {
    super(new BufferPool({ shared: true }));
    this.threads = threads;
    this.#workers = Array.from({ length: threads - 1 }, () => {
      const worker = new Worker(new URL('./worker.js', import.meta.url));
      worker.on('message', ({ id, error }: { id: number; error?: string }) => {
        const pending = this.#pending.get(id);
        this.#pending.delete(id);
        if (this.#pending.size === 0) for (const w of this.#workers) w.unref();
        if (error === undefined) pending?.resolve();
        else pending?.reject(new Error(`worker thread: ${error}`));
      });
      worker.on('error', (error) => {
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
      });
      worker.on('exit', () => {
        this.#stopped = true;
      });
      worker.unref(); // idle workers do not keep the process alive; busy ones do (see run)
      return worker;
    });
  }

  protected async run(name: KernelName, args: unknown[], units: number): Promise<void> {
    // A worker would write into a copy of an array that is not shared, and
    // copying a view copies its whole buffer: such calls run here.
    const bands = allShared(args) && !this.#stopped ? Math.max(1, Math.min(this.threads, Math.floor(units / MIN_UNITS_PER_THREAD))) : 1;
    const cut = (i: number) => Math.round((units * i) / bands);
    const done = [];
    for (let i = 1; i < bands; i++) {
      const id = this.#next++;
      done.push(
        new Promise<void>((resolve, reject) => {
          this.#pending.set(id, { resolve, reject });
          this.#workers[i - 1].ref();
          this.#workers[i - 1].postMessage({ id, name, args, start: cut(i), end: cut(i + 1) });
        }),
      );
    }
    // This thread's band; a failure here still waits for (and handles) the workers'.
    const here = (async () => runKernel(name, args, 0, cut(1)))();
    await Promise.all([here, ...done]);
  }

  /** Stop the worker threads. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}

/** Whether every typed array in `args` (and in the objects and arrays they hold, one level down) is backed by a SharedArrayBuffer. */
function allShared(args: readonly unknown[], depth = 0): boolean {
  return args.every((arg) => {
    if (ArrayBuffer.isView(arg)) return arg.buffer instanceof SharedArrayBuffer;
    if (depth > 1 || typeof arg !== 'object' || arg === null) return true;
    return allShared(Array.isArray(arg) ? arg : Object.values(arg), depth + 1);
  });
}
