// A Node.js worker thread that looks like a Web Worker to the script it runs
// (global onmessage and postMessage), so that the WebWorkerExecutor and its
// worker script (lib/parallel/webWorker.ts) run in Node.js tests as they do in a page.
// As in a browser, messages that arrive before the script has run wait for it.
import { parentPort, workerData } from 'node:worker_threads';

const scope = globalThis as unknown as { onmessage: ((event: { data: unknown }) => void) | null; postMessage: (message: unknown) => void };
scope.postMessage = (message) => parentPort!.postMessage(message);
const early: unknown[] = [];
let loaded = false;
parentPort!.on('message', (data) => (loaded ? scope.onmessage?.({ data }) : early.push(data)));
await import(workerData as string);
loaded = true;
for (const data of early.splice(0)) scope.onmessage?.({ data });
