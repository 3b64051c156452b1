/**
 * Choosing where kernels run: {@link executorFor} gives a shared executor
 * for a thread count (worker threads are started once and reused).
 */
import { serialExecutor, type Executor } from './executor.js';
import { defaultThreads, ThreadedExecutor } from './threads.js';

export { Executor, SerialExecutor, serialExecutor } from './executor.js';
export { ThreadedExecutor, defaultThreads } from './threads.js';

const executors = new Map<number, Executor>();

/**
 * The executor for `threads` threads, created on first use and kept.
 *
 * @param threads - 1 for this thread only; more adds worker threads.
 * @returns The executor.
 */
export function executorFor(threads = defaultThreads()): Executor {
  let executor = executors.get(threads);
  if (!executor) {
    executor = threads <= 1 ? serialExecutor() : new ThreadedExecutor(threads);
    executors.set(threads, executor);
  }
  return executor;
}
