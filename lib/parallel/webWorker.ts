/**
 * A Web Worker of the {@link WebWorkerExecutor}: runs one kernel on one band
 * of rows (or pixels) of buffers shared with the thread that started it, and
 * says when done. Loaded as a module worker.
 */
import { runKernel, type KernelName } from './kernels.js';
export type { WebWorkerExecutor } from './web.js';

interface Task {
  id: number;
  name: KernelName;
  args: unknown[];
  start: number;
  end: number;
}

const scope = globalThis as unknown as { onmessage: ((event: { data: Task }) => void) | null; postMessage(message: unknown): void };

scope.onmessage = ({ data: { id, name, args, start, end } }) => {
  try {
    runKernel(name, args, start, end);
    scope.postMessage({ id });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
