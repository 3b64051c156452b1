// Cancelling a run with an AbortSignal: it rejects with the signal's reason,
// gives every pool buffer back, and the executor computes the right thing next.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FloatImage, Image } from '../../lib/image.js';
import { loadImage } from '../../lib/io.js';
import { closeExecutors, executorFor, SerialExecutor } from '../../lib/parallel/index.js';
import { ALL_OUTPUTS, outputName, stackPair, type StackResult } from '../../lib/stack.js';
import { assertImageClose } from '../helpers/compare.js';
import { fixture, readPng } from '../helpers/files.js';

const back = await loadImage(fixture('pcb-640x480/input/back.png'));
const front = await loadImage(fixture('pcb-640x480/input/front.png'));

/** Every output against the OpenCV references. */
function assertParity(result: StackResult): void {
  assert.equal(Object.keys(result).sort(), ALL_OUTPUTS.map(outputName).sort());
  for (const output of ALL_OUTPUTS) {
    const stem = outputName(output);
    const expected = readPng(readFileSync(fixture(`pcb-640x480/expected/${stem}.png`)));
    assertImageClose(result[stem] as Image, expected, {}, stem);
  }
}

for (const threads of [2, 1]) {
  test(`aborted after the first progress step (${threads} thread(s)): AbortError, no buffer held, next run right`, async () => {
    const exec = executorFor(threads);
    const controller = new AbortController();
    const steps: string[] = [];
    const outputs: string[] = [];
    const error = await stackPair(back, front, {
      threads,
      signal: controller.signal,
      onProgress: (step) => {
        steps.push(step);
        controller.abort();
      },
      onOutput: (name) => outputs.push(name),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, DOMException);
    assert.is((error as DOMException).name, 'AbortError');
    assert.equal(steps, ['converting to float']);
    assert.equal(outputs, []);
    assert.is(exec.pool.inUse, 0, 'bytes still in use');
    assertParity(await stackPair(back, front, { threads }));
    assert.is(exec.pool.inUse, 0, 'bytes still in use after a full run');
  });
}

test('aborted at a later step, with a reason of its own: rejects with that reason, gives everything back', async () => {
  const exec = executorFor(2);
  const controller = new AbortController();
  const reason = new Error('stop here');
  const outputs: string[] = [];
  const error = await stackPair(back, front, {
    threads: 2,
    signal: controller.signal,
    onProgress: (step) => {
      if (step.startsWith('fusing pyramid level 2')) controller.abort(reason);
    },
    onOutput: (name) => outputs.push(name),
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.is(error, reason);
  assert.equal(outputs, ['focus_stacked_direct'], 'direct runs first, before the pyramids');
  assert.is(exec.pool.inUse, 0);
});

test('a signal aborted before the call: nothing is computed', async () => {
  const error = await stackPair(back, front, { threads: 1, signal: AbortSignal.abort() }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.is((error as DOMException).name, 'AbortError');
  assert.is(executorFor(1).pool.inUse, 0);
});

test('signal must be an AbortSignal', async () => {
  const error = await stackPair(back, front, { signal: 'stop' as unknown as AbortSignal }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(error, TypeError);
  assert.is((error as TypeError).message, 'Expected an AbortSignal for signal but received "stop" (string)');
});

test('a session checks its signal before each kernel call and gives back what it took; nested sessions too', async () => {
  const exec = new SerialExecutor();
  const controller = new AbortController();
  const session = exec.session({ signal: controller.signal });
  const inner = session.session();
  const a = inner.pool.float32(1000).fill(100);
  const b = session.pool.float32(1000).fill(0);
  const out = await inner.sigmoidMask(a, b, 0.1, inner.pool.float32(1000));
  assert.ok(Math.abs(out[0] - 0.99330715) < 1e-6);
  assert.is(exec.pool.inUse, 3 * 4032); // three arrays of 4000 bytes, rounded up to 64
  assert.is(inner.pool.inUse, 2 * 4032);
  controller.abort();
  const error = await inner.sigmoidMask(a, b, 0.1, out).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.is((error as DOMException).name, 'AbortError');
  inner.end();
  assert.is(exec.pool.inUse, 4032);
  session[Symbol.dispose]();
  assert.is(exec.pool.inUse, 0);
});

test('an inner session inherits the signal; close() of a session ends it, not its executor; a failing kernel rejects', async () => {
  const exec = new SerialExecutor();
  const controller = new AbortController();
  const session = exec.session({ signal: controller.signal });
  assert.is(session.session().signal, controller.signal);
  assert.is(session.threads, 1);
  const plane = session.pool.float32(64);
  await session.close();
  assert.is(exec.pool.inUse, 0);
  assert.is(exec.pool.release(plane), undefined);
  assert.is(exec.pool.inUse, 0, 'a second release frees nothing');
  // A kernel that throws (no data to write into) rejects the call instead of throwing.
  const broken = exec.blend([new Float32Array(4)], image(1), image(2), { width: 4, height: 1, channels: 1 } as FloatImage);
  const error = await broken.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(error, TypeError);
  await exec.close();
  assert.is(exec.pool.bytes, 0);
});

function image(value: number): FloatImage {
  return { width: 4, height: 1, channels: 1, data: new Float32Array(4).fill(value) };
}

test.after(async () => {
  await closeExecutors();
});

test.run();
