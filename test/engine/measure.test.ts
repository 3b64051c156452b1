// A user's focus measure written with the Mat-level wrappers, as a cv2 user
// would (Laplacian, squared, then GaussianBlur), runs through the engine.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cv, GaussianBlur, Laplacian, liveMatCount, MatScope, multiply, newMat, type Mat } from '../../lib/cv/index.js';
import { stackFrames } from '../../lib/engine/stack.js';
import { matMeasure } from '../../lib/strategies/fold/matMeasure.js';
import { psnr, stripe, stripeStack, texture } from './synthetic.js';

test('Laplacian + GaussianBlur as a focus measure picks the sharp stripes', async () => {
  const sharp = texture(120, 48, 11);
  const frames = stripeStack(sharp, 4);
  let calls = 0;
  const measure = matMeasure((m: Mat) => {
    calls++;
    using scope = new MatScope();
    const lap = scope.track(Laplacian(m));
    return GaussianBlur(scope.track(multiply(lap, lap)), { ksize: [9, 9], sigmaX: 3 });
  }, 'laplacian energy');
  const before = liveMatCount();
  for (const method of ['select', 'dmap', 'pyramid'] as const) {
    const { image, depth } = await stackFrames(frames, { method, measure, depthMap: true });
    const p = psnr(image, sharp);
    // As the built-in measures (test/engine/stack.test.ts): 30 dB means every stripe came from its sharp frame.
    assert.ok(p >= 30, `${method}: PSNR ${p.toFixed(2)} dB`);
    for (let i = 0; i < 4; i++) {
      const [x0, x1] = stripe(i, 4, 120);
      const x = (x0 + x1) >> 1;
      assert.is(depth!.data[24 * 120 + x], Math.round((255 * i) / 3), `${method}: stripe ${i}`);
    }
  }
  assert.ok(calls >= 4);
  assert.is(liveMatCount(), before, 'every Mat deleted');
});

test('a measure that returns a Mat of the wrong size is refused', async () => {
  const frames = stripeStack(texture(20, 10, 1), 2);
  const measure = matMeasure(() => newMat(3, 3, cv().CV_32F));
  await stackFrames(frames, { method: 'select', measure }).then(
    () => assert.unreachable('should reject'),
    (error: Error) => assert.is(error.message, 'Expected a Mat of 20x10 for measure result but received a Mat of 3x3'),
  );
});

test('a measure that returns something else than a Mat is refused, and its input Mat is deleted', async () => {
  const frames = stripeStack(texture(20, 10, 1), 2);
  const measure = matMeasure(() => 42 as never);
  const before = liveMatCount();
  await stackFrames(frames, { method: 'select', measure }).then(
    () => assert.unreachable('should reject'),
    (error: Error) => {
      assert.instance(error, TypeError);
      assert.is(error.message, 'Expected a Mat of 20x10 for measure result but received 42 (number)');
    },
  );
  assert.is(liveMatCount(), before, 'every Mat deleted');
});

test.run();
