// Kernels split between worker threads give exactly what one thread gives, at band edges included.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FloatImage } from '../../lib/image.js';
import { SerialExecutor, ThreadedExecutor, type Executor } from '../../lib/parallel/index.js';
import { stackPair } from '../../lib/stack.js';
import { randomImage, rng } from '../helpers/random.js';

const serial = new SerialExecutor();
const threaded = new ThreadedExecutor(3);

test.after(async () => {
  await threaded.close();
});

/** A copy of an image in the executor's pool (shared memory for the threaded one). */
function into(exec: Executor, image: FloatImage): FloatImage {
  const data = exec.pool.float32(image.data.length);
  data.set(image.data);
  return { ...image, data };
}

/** Run `work` on both executors and compare what it returns. */
async function same(label: string, work: (exec: Executor) => Promise<ArrayLike<number>>): Promise<void> {
  const a = Array.from(await work(serial));
  const b = Array.from(await work(threaded));
  assert.equal(b.length, a.length, label);
  const i = a.findIndex((v, k) => v !== b[k]);
  assert.is(i, -1, `${label}: first difference at ${i}: ${a[i]} vs ${b[i]}`);
}

for (const [w, h, cn] of [[300, 257, 3], [129, 200, 1], [7, 500, 3]] as const) {
  const back = randomImage(w, h, cn, 1);
  const front = randomImage(w, h, cn, 2);
  const label = `${w}x${h}x${cn}`;
  const next = rng(w);
  const plane = Float32Array.from({ length: w * h }, next);
  /** A copy of an array in the executor's pool. */
  const copy = (e: Executor, values: Float32Array) => {
    const out = e.pool.float32(values.length);
    out.set(values);
    return out;
  };

  test(`measures, masks and blends (${label})`, async () => {
    await same(`activity ${label}`, (e) => e.activity(into(e, back), 'all', 'second-difference', e.pool.float32(w * h)));
    await same(`laplace ${label}`, (e) => e.activity(into(e, back), 0, 'laplace', e.pool.float32(w * h)));
    await same(`boxedActivity ${label}`, (e) => e.boxedActivity(into(e, back), cn === 3 ? 1 : 'all', 'laplace', 3, e.pool.float32(w * h)));
    await same(`boxSum ${label}`, async (e) => e.boxSum(await e.activity(into(e, back), 'all', 'second-difference', e.pool.float32(w * h)), w, h, 5, e.pool.float32(w * h)));
    const a = back.data.subarray(0, w * h);
    const b = front.data.subarray(0, w * h);
    await same(`sigmoid ${label}`, (e) => e.sigmoidMask(copy(e, a), copy(e, b), 0.1, e.pool.float32(w * h)));
    await same(`median ${label}`, async (e) => e.binaryMedian(await e.greaterMask(copy(e, a), copy(e, b), e.pool.uint8(w * h)), w, h, 9, e.pool.uint8(w * h)));
    await same(`blend ${label}`, async (e) => (await e.blend([copy(e, plane)], into(e, back), into(e, front), { ...back, data: e.pool.float32(back.data.length) })).data);
    await same(`maskToSamples ${label}`, async (e) => (await e.maskToSamples(copy(e, plane), w, h, false)).data);
  });

  test(`pyramid steps and the fused last step (${label})`, async () => {
    await same(`pyrDown ${label}`, async (e) => (await e.pyrDown(into(e, back), e.pool.float32(((w + 1) >> 1) * ((h + 1) >> 1) * cn))).data);
    const coarser = randomImage((w + 1) >> 1, (h + 1) >> 1, cn, 3);
    await same(`pyrUpApply ${label}`, async (e) => {
      const dst = into(e, back);
      await e.pyrUpApply(into(e, coarser), dst, 'subtract');
      return dst.data;
    });
    const masks = (e: Executor) => (cn === 1 ? [copy(e, plane)] : [copy(e, plane), copy(e, plane.map((v) => 1 - v)), copy(e, plane)]);
    await same(`blendUpClip ${label}`, async (e) => (await e.blendUpClip(masks(e), into(e, back), into(e, front), into(e, coarser), false)).data);
    await same(`toFloat ${label}`, async (e) => (await e.toFloat({ width: w, height: h, channels: cn, data: Uint8Array.from(back.data) }, e.pool.float32(back.data.length))).data);
  });
}

test('a call with an array that is not shared runs on this thread, and still writes its output', async () => {
  const out = new Float32Array(300 * 300);
  await threaded.sigmoidMask(new Float32Array(300 * 300).fill(100), new Float32Array(300 * 300), 0.1, out);
  assert.ok(out.every((v) => Math.abs(v - 0.99330715) < 1e-6));
});

test('after its workers stop, an executor runs everything on this thread', async () => {
  const stopping = new ThreadedExecutor(2);
  await stopping.close();
  const back = stopping.pool.float32(200 * 200).fill(100);
  const out = await stopping.sigmoidMask(back, stopping.pool.float32(200 * 200).fill(0), 0.1, stopping.pool.float32(200 * 200));
  assert.ok(out.every((v) => Math.abs(v - 0.99330715) < 1e-6));
});

test('stackPair gives the same outputs on 1 and 3 threads', async () => {
  const make = (seed: number) => ({ width: 123, height: 301, channels: 3 as const, data: Uint8Array.from(randomImage(123, 301, 3, seed).data) });
  const [back, front] = [make(5), make(6)];
  const one = await stackPair(back, front, { threads: 1 });
  const three = await stackPair(back, front, { threads: 3 });
  for (const [name, image] of Object.entries(one)) assert.equal(Array.from(three[name as keyof typeof three]!.data), Array.from(image!.data), name);
});

test.run();
