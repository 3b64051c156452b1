/**
 * A worker thread of the `ThreadedExecutor`: runs one kernel on one band of
 * rows (or pixels) of buffers shared with the main thread, and says when done.
 */
import { parentPort } from 'node:worker_threads';
import { runBand, type BandTask } from './bands.js';

parentPort?.on('message', (task: BandTask) => parentPort?.postMessage(runBand(task)));
