// The Web Worker executor, run in Node.js: a `Worker` global that starts the real worker
// script (lib/parallel/webWorker.ts) in a worker thread with a Web Worker's globals, and
// crossOriginIsolated set. Its results must be those of this thread alone, sample for sample.
import { Worker as NodeWorker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stackFrames } from '../../lib/engine/stack.js';
import { serialExecutor } from '../../lib/parallel/executor.js';
import { canShareMemory, defaultWebThreads, webExecutor, WebWorkerExecutor } from '../../lib/parallel/web.js';
import { stripeStack, texture } from '../engine/synthetic.js';
import { memoryMessage, MAX_WEB_PIXELS } from '../../lib/web/limits.js';

const SHIM = new URL('../helpers/web-worker-shim.js', import.meta.url);

/** A Web Worker made of a Node.js worker thread (see web-worker-shim.ts). */
class ShimWorker {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null = null;
  readonly #thread: NodeWorker;
  constructor(url: string | URL) {
    this.#thread = new NodeWorker(SHIM, { workerData: String(url) });
    this.#thread.on('message', (data) => this.onmessage?.({ data }));
    this.#thread.on('error', (error) => this.onerror?.({ message: error.message }));
    this.#thread.on('exit', (code) => this.onerror?.({ message: `exited with code ${code}` }));
  }
  postMessage(message: unknown): void {
    this.#thread.postMessage(message);
  }
  terminate(): void {
    this.#thread.removeAllListeners('exit');
    void this.#thread.terminate();
  }
}

const host = globalThis as { Worker?: unknown; crossOriginIsolated?: boolean };

async function isolated<T>(body: () => Promise<T>): Promise<T> {
  const saved = { Worker: host.Worker, crossOriginIsolated: host.crossOriginIsolated };
  host.Worker = ShimWorker;
  host.crossOriginIsolated = true;
  try {
    return await body();
  } finally {
    host.Worker = saved.Worker;
    host.crossOriginIsolated = saved.crossOriginIsolated;
  }
}

test('without cross-origin isolation the page runs kernels on its own thread', () => {
  assert.is(canShareMemory(), false);
  assert.is(webExecutor(4), serialExecutor());
  assert.throws(() => new WebWorkerExecutor(2), /cross-origin isolated page \(COOP\/COEP headers\)/);
  const threads = defaultWebThreads();
  assert.ok(Number.isInteger(threads) && threads >= 1 && threads <= 4, String(threads));
});

test('stackFrames on Web Workers gives the same result and depth map as on one thread', async () => {
  const frames = stripeStack(texture(160, 120, 7), 4);
  const expected = await stackFrames(frames, { method: 'dmap', depthMap: true, align: false });
  await isolated(async () => {
    assert.ok(canShareMemory());
    const executor = webExecutor(3);
    assert.instance(executor, WebWorkerExecutor);
    assert.is(executor.threads, 3);
    try {
      for (const method of ['dmap', 'pyramid'] as const) {
        const serial = method === 'dmap' ? expected : await stackFrames(frames, { method, depthMap: true, align: false });
        const got = await stackFrames(frames, { method, depthMap: true, align: false, executor });
        assert.equal(Array.from(got.image.data), Array.from(serial.image.data), `${method}: image`);
        assert.equal(Array.from(got.depth!.data), Array.from(serial.depth!.data), `${method}: depth map`);
      }
    } finally {
      await executor.close();
    }
    // Closed: later calls run on this thread, and still give the same result.
    const after = await stackFrames(frames, { method: 'dmap', depthMap: true, align: false, executor });
    assert.equal(Array.from(after.image.data), Array.from(expected.image.data));
  });
});

test('a kernel that fails on the workers fails the call, and the executor goes on', async () => {
  await isolated(async () => {
    const executor = new WebWorkerExecutor(2);
    try {
      const shared = new Float32Array(new SharedArrayBuffer(4 * 256));
      const run = (executor as unknown as { run(name: string, args: unknown[], units: number): Promise<void> }).run.bind(executor);
      const error = await run('noSuchKernel', [shared], 256).then(() => undefined, (e: Error) => e);
      assert.match(String(error), /not a function/);
      await run('touchPages', [shared], 256); // the worker is still there
      assert.is(shared[0], 0);
    } finally {
      await executor.close();
    }
  });
});

test('memoryMessage words an allocation failure for the user, and nothing else', () => {
  assert.is(memoryMessage(new TypeError('bad')), undefined);
  const text = memoryMessage(new RangeError('Array buffer allocation failed'));
  assert.ok(text?.startsWith("This stack is too large for this tab's memory (RangeError: Array buffer allocation failed)"), text);
  assert.ok(text?.includes(`${MAX_WEB_PIXELS / 1e6} MP`));
  assert.ok(memoryMessage('Aborted(OOM)'));
});

test.run();
