/**
 * The page's side of the engine worker: {@link StackWorker} starts it, loads
 * OpenCV.js in it, and runs stacks there, so that the page's main thread
 * never computes and never freezes.
 */
import type { StackProgress } from '../engine/options.js';
import type { EngineReply, EngineRequest, WebStackOptions, WebStackResult } from './protocol.js';

/** Options of {@link StackWorker}. */
export interface StackWorkerOptions {
  /** Where opencv.js is served (resolved against the page). @default 'opencv.js' */
  opencvUrl?: string;
  /** The engine worker script. @default `engineWorker.js` beside this file */
  workerUrl?: string | URL;
  /** Threads for the kernels (Web Workers need a cross-origin isolated page). @default the cores, at most 4 */
  threads?: number;
}

/** What the engine worker says once OpenCV.js is loaded. */
export interface EngineReady {
  /** Milliseconds to load OpenCV.js in the worker. */
  readonly ms: number;
  /** Threads the kernels run on. */
  readonly threads: number;
  /** Whether memory is shared between the workers (cross-origin isolated). */
  readonly shared: boolean;
}

/** Callbacks of {@link StackWorker.stack}. */
export interface StackCallbacks {
  /** Before each frame is read and before the final step; `name` is the frame's file name. */
  onProgress?: (progress: StackProgress, name: string) => void;
  /** Warnings of the engine. */
  onWarning?: (message: string) => void;
}

interface Pending {
  resolve: (result: WebStackResult) => void;
  reject: (error: Error) => void;
  callbacks: StackCallbacks;
}

interface WorkerLike {
  postMessage(message: EngineRequest): void;
  terminate(): void;
  onmessage: ((event: { data: EngineReply }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
}

/** An engine worker: one module Web Worker that runs every stack of the page. */
export class StackWorker {
  /** Resolves once OpenCV.js is loaded in the worker. */
  readonly ready: Promise<EngineReady>;
  readonly #worker: WorkerLike;
  readonly #pending = new Map<number, Pending>();
  #next = 1;

  /**
   * Start the worker and load OpenCV.js in it.
   *
   * @param options - See {@link StackWorkerOptions}.
   * @throws Error when the host has no `Worker`.
   */
  constructor(options: StackWorkerOptions = {}) {
    const { opencvUrl = 'opencv.js', workerUrl = new URL('./engineWorker.js', import.meta.url), threads } = options;
    const WorkerClass = (globalThis as { Worker?: new (url: string | URL, options: object) => WorkerLike }).Worker;
    const base = (globalThis as { location?: { href: string } }).location?.href;
    if (typeof WorkerClass !== 'function') throw new Error('this host has no Web Workers');
    this.#worker = new WorkerClass(workerUrl, { type: 'module', name: 'focus-stacking engine' });
    let readyResolve: (ready: EngineReady) => void = () => undefined;
    let readyReject: (error: Error) => void = () => undefined;
    this.ready = new Promise<EngineReady>((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    this.#worker.onmessage = ({ data }) => {
      if (data.type === 'ready') return readyResolve({ ms: data.ms, threads: data.threads, shared: data.shared });
      if (data.type === 'error' && data.id === -1) return readyReject(new Error(data.message));
      const pending = this.#pending.get(data.id);
      if (!pending) return;
      switch (data.type) {
        case 'progress':
          return pending.callbacks.onProgress?.(data.progress, data.name);
        case 'warning':
          return pending.callbacks.onWarning?.(data.message);
        case 'done':
          this.#pending.delete(data.id);
          return pending.resolve(data.result);
        case 'error': {
          this.#pending.delete(data.id);
          const error = new Error(data.message);
          error.name = data.name;
          return pending.reject(error);
        }
      }
    };
    this.#worker.onerror = (event) => {
      const error = new Error(`the engine worker stopped: ${event.message ?? 'unknown error'} (out of memory?)`);
      readyReject(error);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    this.#worker.postMessage({ type: 'init', opencvUrl: base ? new URL(opencvUrl, base).href : opencvUrl, ...(threads ? { threads } : {}) });
  }

  /**
   * Stack frames in the worker.
   *
   * @param files - The frames' files, in stack order (at least 2).
   * @param options - See {@link WebStackOptions}.
   * @param callbacks - See {@link StackCallbacks}.
   * @param signal - Aborting cancels the run.
   * @returns The encoded result and depth map, the transforms file, the report.
   * @throws What the engine throws, with its name (`FrameSizeError`, `NotAnImageError`, ...).
   */
  stack(files: readonly (Blob & { name?: string })[], options: WebStackOptions = {}, callbacks: StackCallbacks = {}, signal?: AbortSignal): Promise<WebStackResult> {
    const id = this.#next++;
    const names = files.map((f, i) => f.name ?? `frame ${i}`);
    return new Promise<WebStackResult>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, callbacks });
      signal?.addEventListener('abort', () => this.#worker.postMessage({ type: 'cancel', id }), { once: true });
      this.#worker.postMessage({ type: 'stack', id, files, names, options });
    });
  }

  /** Stop the worker; pending runs are rejected. */
  terminate(): void {
    this.#worker.terminate();
    const error = new Error('the engine worker was terminated');
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
