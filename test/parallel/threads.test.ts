// The threaded executor when something goes wrong: a band that fails on this
// thread, a worker that exits in the middle of a call.
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FloatImage } from '../../lib/image.js';
import { ThreadedExecutor } from '../../lib/parallel/index.js';

type Post = typeof Worker.prototype.postMessage;
const originalPost: Post = Worker.prototype.postMessage;

/** Replace Worker#postMessage for the length of `body` (the executor's workers are Workers of this module). */
async function withPost(post: (this: Worker, original: Post, ...args: Parameters<Post>) => void, body: () => Promise<void>): Promise<void> {
  Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Post>) {
    post.call(this, originalPost, ...args);
  };
  try {
    await body();
  } finally {
    Worker.prototype.postMessage = originalPost;
  }
}

/**
 * The outcome of `promise`, or a failure if it is still pending after a
 * minute (a guard against a hang, not a measure of speed: the process would
 * otherwise simply exit with the promise pending).
 */
async function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('still pending after 60 s')), 60_000);
  });
  try {
    return await Promise.race([promise.then((value) => ({ value }), (error: unknown) => ({ error })), hang]);
  } finally {
    clearTimeout(timer);
  }
}

test("when this thread's band fails, the call rejects only once every worker band is done", async () => {
  const exec = new ThreadedExecutor(3);
  const [w, h] = [1500, 1200];
  const n = w * h;
  const frame = (value: number): FloatImage => ({ width: w, height: h, channels: 3, data: exec.pool.float32(n * 3).fill(value) });
  const mask = exec.pool.float32(n).fill(0.25);
  const out = exec.pool.float32(n * 3).fill(Number.NaN);
  let posted = 0;
  // Workers get a copy of `target` made when their band is posted; on this
  // thread, once both are posted, reading its data fails.
  const target = {
    width: w,
    height: h,
    channels: 3,
    get data(): Float32Array {
      if (posted === 2) throw new Error('this band failed');
      return out;
    },
  };
  try {
    await withPost(
      function (original, ...args) {
        original.apply(this, args);
        posted++;
      },
      async () => {
        const { error } = await outcome(exec.blend([mask], frame(100), frame(20), target));
        // Checked at once: no worker may still be writing.
        const workerBands = out.subarray(Math.round(n / 3) * 3);
        const unwritten = workerBands.findIndex((v) => v !== 40); // 0.25 * 100 + 0.75 * 20
        assert.is((error as Error | undefined)?.message, 'this band failed');
        assert.is(unwritten, -1, `worker bands not done when the call rejected: value ${workerBands[unwritten]} at ${unwritten}`);
      },
    );
  } finally {
    await exec.close();
  }
});

test('a worker that exits during a call fails that call, and later calls still work', async () => {
  const exec = new ThreadedExecutor(2);
  const n = 2000 * 1000;
  const a = exec.pool.float32(n).fill(100);
  const b = exec.pool.float32(n).fill(0);
  let stopped = false;
  try {
    await withPost(
      function (original, ...args) {
        original.apply(this, args);
        if (!stopped) {
          stopped = true;
          void this.terminate(); // exits without an error
        }
      },
      async () => {
        const { error } = await outcome(exec.sigmoidMask(a, b, 0.1, exec.pool.float32(n)));
        assert.match(String((error as Error | undefined)?.message), /worker thread exited/);
      },
    );
    const { value, error } = await outcome(exec.sigmoidMask(a, b, 0.1, exec.pool.float32(n)));
    assert.is(error, undefined);
    const wrong = value!.findIndex((v) => Math.abs(v - 0.99330715) > 1e-6);
    assert.is(wrong, -1, `value ${value![wrong]} at ${wrong}`);
  } finally {
    await exec.close();
  }
});

test('a band that fails on a worker, or cannot be posted, fails the call; the executor goes on', async () => {
  const exec = new ThreadedExecutor(2);
  const n = 1000;
  const out = exec.pool.float32(n).fill(Number.NaN);
  let posting = false;
  // The worker's copy of `target` is made while posting: without data, its band fails there.
  const target = {
    width: n,
    height: 1,
    channels: 1,
    get data(): Float32Array | undefined {
      return posting ? undefined : out;
    },
  } as FloatImage;
  try {
    await withPost(
      function (original, ...args) {
        posting = true;
        try {
          original.apply(this, args);
        } finally {
          posting = false;
        }
      },
      async () => {
        const { error } = await outcome(exec.blend([exec.pool.float32(n).fill(1)], image(exec, n, 1), image(exec, n, 2), target));
        assert.match(String((error as Error | undefined)?.message), /^worker thread: /);
        assert.ok(out.subarray(0, n / 2).every((v) => v === 1), "this thread's band is done");
      },
    );
    // A function cannot be copied to a worker: posting fails, this thread's band still runs.
    const uncopyable = { ...image(exec, n, 0), extra: () => 0 } as FloatImage;
    const { error } = await outcome(exec.blend([exec.pool.float32(n).fill(1)], image(exec, n, 3), image(exec, n, 2), uncopyable));
    assert.is((error as Error | undefined)?.name, 'DataCloneError');
    assert.ok(uncopyable.data.subarray(0, n / 2).every((v) => v === 3));
    const mask = await exec.sigmoidMask(exec.pool.float32(n).fill(100), exec.pool.float32(n), 0.1, exec.pool.float32(n));
    assert.ok(mask.every((v) => Math.abs(v - 0.99330715) < 1e-6));
  } finally {
    await exec.close();
  }
});

function image(exec: ThreadedExecutor, n: number, value: number): FloatImage {
  return { width: n, height: 1, channels: 1, data: exec.pool.float32(n).fill(value) };
}

test('results handed to the caller are not shared memory; every scratch buffer goes back to the pool', async () => {
  const exec = new ThreadedExecutor(2);
  try {
    const n = 300 * 200;
    const mask = exec.pool.float32(n).fill(0.5);
    const before = exec.pool.inUse;
    const samples = await exec.maskToSamples(mask, 300, 200, true);
    assert.instance(samples.data, Uint16Array);
    assert.not.instance(samples.data.buffer, SharedArrayBuffer);
    assert.ok(samples.data.every((v) => v === 32767), 'mask * 65535, truncated');
    const back = { width: 300, height: 200, channels: 1 as const, data: exec.pool.float32(n).fill(200) };
    const front = { ...back, data: exec.pool.float32(n).fill(100) };
    const fused = await exec.blendUpClip([mask], back, front, undefined, false);
    assert.not.instance(fused.data.buffer, SharedArrayBuffer);
    assert.ok(fused.data.every((v) => v === 150));
    exec.pool.release(back.data, front.data);
    assert.is(exec.pool.inUse, before);
  } finally {
    await exec.close();
  }
});

test.run();
