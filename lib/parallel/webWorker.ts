/**
 * A Web Worker of the {@link WebWorkerExecutor}: runs one kernel on one band
 * of rows (or pixels) of buffers shared with the thread that started it, and
 * says when done. Loaded as a module worker.
 */
import { runBand, type BandReply, type BandTask } from './bands.js';
export type { WebWorkerExecutor } from './web.js';

const scope = globalThis as unknown as { onmessage: ((event: { data: BandTask }) => void) | null; postMessage(message: BandReply): void };

scope.onmessage = ({ data }) => scope.postMessage(runBand(data));
