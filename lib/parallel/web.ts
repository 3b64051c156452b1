/**
 * Splitting kernels between Web Workers, in a page or a worker of one. As
 * `ThreadedExecutor` in Node.js: each kernel's range is cut into one band per
 * thread, the workers take all but the first, this thread does the first,
 * and the buffers are `SharedArrayBuffer`s, so nothing is copied. Shared
 * memory needs a cross-origin isolated page (COOP/COEP headers):
 * {@link webExecutor} falls back to this thread alone when it is not.
 * Host-free: no Node.js module, no DOM beyond `Worker`.
 */
import { BufferPool } from '../kernels/pool.js';
import { Executor, serialExecutor } from './executor.js';
import { allShared, runInBands, type BandTask } from './bands.js';
import type { KernelName } from './kernels.js';

/** The smallest part of the `Worker` class this file uses (the DOM's, without the DOM's types). */
interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null;
}

type WorkerConstructor = new (url: string | URL, options?: { type?: 'module' | 'classic'; name?: string }) => WorkerLike;

interface Band {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface Slot {
  readonly worker: WorkerLike;
  readonly pending: Map<number, Band>;
  alive: boolean;
}

/** What the host offers: `Worker`, `SharedArrayBuffer` and cross-origin isolation. */
function host(): { Worker?: WorkerConstructor; crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } } {
  return globalThis as never;
}

/**
 * Whether kernels can run on Web Workers here: `Worker` and
 * `SharedArrayBuffer` exist and the page is cross-origin isolated.
 *
 * @returns True when {@link WebWorkerExecutor} can be used.
 */
export function canShareMemory(): boolean {
  const h = host();
  return typeof h.Worker === 'function' && typeof SharedArrayBuffer === 'function' && h.crossOriginIsolated === true;
}

/** Threads by default in a page: the logical cores (`navigator.hardwareConcurrency`), at most 4. */
export function defaultWebThreads(): number {
  const cores = host().navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(4, Math.floor(cores)));
}

/**
 * Runs kernels on this thread and `threads - 1` Web Workers (module workers
 * running `webWorker.js`). A worker that fails fails the calls it was running;
 * later calls run on the workers left, or here.
 */
export class WebWorkerExecutor extends Executor {
  readonly threads: number;
  declare readonly pool: BufferPool;
  readonly #slots: Slot[];
  readonly #running = new Set<Promise<unknown>>();
  #next = 0;
  #closing: Promise<void> | undefined;

  /**
   * @param threads - Threads in all, this one included; at least 2.
   * @param workerUrl - The worker script.
   * @default workerUrl `webWorker.js` beside this file
   * @throws Error when the host has no `Worker` or no shared memory (see {@link canShareMemory}).
   */
  constructor(threads: number, workerUrl: string | URL = new URL('./webWorker.js', import.meta.url)) {
    if (!canShareMemory()) throw new Error('Web Workers with shared memory need a cross-origin isolated page (COOP/COEP headers)');
    super(new BufferPool({ shared: true }));
    this.threads = threads;
    const WorkerClass = host().Worker!;
    this.#slots = Array.from({ length: threads - 1 }, (_, i) => this.#spawn(new WorkerClass(workerUrl, { type: 'module', name: `focus-stacking band ${i + 1}` })));
  }

  #spawn(worker: WorkerLike): Slot {
    const slot: Slot = { worker, pending: new Map(), alive: true };
    worker.onmessage = ({ data }) => {
      const { id, error } = data as { id: number; error?: string };
      const band = slot.pending.get(id);
      slot.pending.delete(id);
      if (error === undefined) band?.resolve();
      else band?.reject(new Error(`web worker: ${error}`));
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      slot.alive = false;
      const error = new Error(`web worker failed: ${event.message ?? 'unknown error'}`);
      for (const [id, band] of slot.pending) {
        slot.pending.delete(id);
        band.reject(error);
      }
    };
    return slot;
  }

  #post(slot: Slot, message: BandTask): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      slot.pending.set(message.id, { resolve, reject });
      try {
        slot.worker.postMessage(message);
      } catch (error) {
        slot.pending.delete(message.id);
        reject(error as Error);
      }
    });
  }

  protected async run(name: KernelName, args: unknown[], units: number): Promise<void> {
    const workers = this.#closing || !allShared(args) ? [] : this.#slots.filter((slot) => slot.alive);
    await runInBands(name, args, units, workers, (slot, start, end) => this.#post(slot, { id: this.#next++, name, args, start, end }), this.#running);
  }

  /**
   * Stop the workers once the calls they run are done, and drop the pool's
   * arenas. Calls made meanwhile, and afterwards, run on this thread.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#running]);
      for (const { worker } of this.#slots) worker.terminate();
      this.pool.clear();
    })();
    return this.#closing;
  }
}

/**
 * The executor for a page or a worker: kernels on `threads` threads (Web
 * Workers) when memory can be shared ({@link canShareMemory}), else on this
 * thread alone.
 *
 * @param threads - Threads in all, 1 to 64.
 * @default threads {@link defaultWebThreads}
 * @returns The executor; close it when done with it.
 */
export function webExecutor(threads = defaultWebThreads()): Executor {
  return threads > 1 && canShareMemory() ? new WebWorkerExecutor(threads) : serialExecutor();
}
