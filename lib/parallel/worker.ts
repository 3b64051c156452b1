/**
 * A worker thread of the `ThreadedExecutor`: runs one kernel on one band of
 * rows (or pixels) of buffers shared with the main thread, and says when done.
 */
import { parentPort } from 'node:worker_threads';
import { runKernel, type KernelName } from './kernels.js';

interface Task {
  id: number;
  name: KernelName;
  args: unknown[];
  start: number;
  end: number;
}

parentPort?.on('message', ({ id, name, args, start, end }: Task) => {
  try {
    runKernel(name, args, start, end);
    parentPort?.postMessage({ id });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
