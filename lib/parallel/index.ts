/**
 * Choosing where kernels run: {@link executorFor} gives a shared executor
 * for a thread count (worker threads are started once and reused), and
 * {@link closeExecutors} gives their memory back to the system.
 */
import { serialExecutor, type Executor } from './executor.js';
import { defaultThreads, ThreadedExecutor } from './threads.js';

export { Executor, ExecutorSession, SerialExecutor, serialExecutor, type SessionOptions } from './executor.js';
export { ThreadedExecutor, defaultThreads } from './threads.js';

const executors = new Map<number, Executor>();

/**
 * The executor for `threads` threads, created on first use and kept (with
 * its worker threads and its pool's arenas) until {@link closeExecutors}.
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

/**
 * Close every executor {@link executorFor} made (see {@link Executor.close}):
 * stop their worker threads, once the kernel calls running on them are done,
 * and drop their pools' arenas. Later calls on those executors run on the
 * calling thread; later calls of `executorFor` make new executors.
 *
 * @returns When every worker thread has stopped.
 */
export async function closeExecutors(): Promise<void> {
  const closing = [...executors.values()];
  executors.clear();
  await Promise.all(closing.map((executor) => executor.close()));
}
