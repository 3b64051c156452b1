/**
 * Splitting kernels between worker threads (Node.js `worker_threads`). Each
 * kernel's range is cut into one band per thread; the workers take all but
 * the first, this thread does the first, and the call settles when all are
 * done. The buffers are `SharedArrayBuffer`s, so nothing is copied.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { BufferPool } from '../kernels/pool.js';
import { Executor } from './executor.js';
import { allShared, runInBands, type BandTask } from './bands.js';
import type { KernelName } from './kernels.js';

/** The number of threads used by default: the cores, at most 4. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

interface Band {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** A worker thread and the bands it has not answered yet. */
interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Band>;
  /** False once it has exited (crashed, or was terminated): it gets no more bands. */
  alive: boolean;
}

/**
 * Runs kernels on this thread and `threads - 1` workers. A worker that
 * fails or exits fails the calls it was running (each call still waits for
 * all its other bands); later calls run on the workers left, or here.
 * {@link ThreadedExecutor.close} stops the workers and drops the pool's arenas.
 */
export class ThreadedExecutor extends Executor {
  readonly threads: number;
  declare readonly pool: BufferPool;
  readonly #slots: Slot[];
  /** Calls that have bands on workers, not settled yet. */
  readonly #running = new Set<Promise<unknown>>();
  #next = 0;
  #closing: Promise<void> | undefined;

  /**
   * @param threads - Threads in all, this one included; at least 2.
   */
  constructor(threads: number) {
    super(new BufferPool({ shared: true }));
    this.threads = threads;
    this.#slots = Array.from({ length: threads - 1 }, () => this.#spawn());
  }

  #spawn(): Slot {
    const worker = new Worker(new URL('./worker.js', import.meta.url));
    const slot: Slot = { worker, pending: new Map(), alive: true };
    const settle = (id: number, error?: Error) => {
      const band = slot.pending.get(id);
      slot.pending.delete(id);
      if (slot.pending.size === 0) worker.unref();
      if (error) band?.reject(error);
      else band?.resolve();
    };
    const stop = (error: Error) => {
      slot.alive = false;
      for (const id of [...slot.pending.keys()]) settle(id, error);
    };
    worker.on('message', ({ id, error }: { id: number; error?: string }) => settle(id, error === undefined ? undefined : new Error(`worker thread: ${error}`)));
    worker.on('error', stop);
    worker.on('exit', (code) => stop(new Error(`worker thread exited (code ${code}) before finishing its band`)));
    worker.unref(); // idle workers do not keep the process alive; busy ones do (see #post)
    return slot;
  }

  /** Give `slot` a band; resolves when it is done, rejects if it fails or the worker stops. */
  #post(slot: Slot, message: BandTask): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      slot.pending.set(message.id, { resolve, reject });
      slot.worker.ref();
      try {
        slot.worker.postMessage(message);
      } catch (error) {
        slot.pending.delete(message.id);
        if (slot.pending.size === 0) slot.worker.unref();
        reject(error as Error);
      }
    });
  }

  protected async run(name: KernelName, args: unknown[], units: number): Promise<void> {
    // A worker would write into a copy of an array that is not shared, and
    // copying a view copies its whole buffer: such calls run here. So do
    // calls made once close() has begun.
    const workers = this.#closing || !allShared(args) ? [] : this.#slots.filter((slot) => slot.alive);
    await runInBands(name, args, units, workers, (slot, start, end) => this.#post(slot, { id: this.#next++, name, args, start, end }), this.#running);
  }

  /**
   * Stop the worker threads, once the kernel calls they are running are
   * done, and drop the pool's arenas, giving the memory back to the system.
   * Calls made meanwhile, and afterwards, run on this thread. Calling it
   * again returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#running]);
      await Promise.all(
        this.#slots.map(async ({ worker }) => {
          worker.ref(); // an unref'd worker might not keep the process alive until it has exited
          await worker.terminate();
        }),
      );
      this.pool.clear();
    })();
    return this.#closing;
  }
}
