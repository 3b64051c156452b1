// The gradient strategy (DIFFERENCES.md 1.2) against its formula made of OpenCV.js calls.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadOpenCV } from '../../lib/cv/index.js';
import { gradientStrategy, Method } from '../../lib/strategies/index.js';
import { cvMeasure, H, HT, sigmoid } from '../helpers/opencv.js';
import { maxAbsDiff, randomImage } from '../helpers/random.js';

test.before(async () => {
  await loadOpenCV();
});

test('measure: box-summed second-difference activity over all channels, or one', async () => {
  const band = randomImage(23, 17, 3, 1, 40);
  const strategy = gradientStrategy();
  assert.is(strategy.method, Method.GRADIENT);
  assert.ok(maxAbsDiff(await strategy.measure.compute(band, 'all'), cvMeasure(band, [H, HT])) < 1e-2);
  assert.ok(maxAbsDiff(await strategy.measure.compute(band, 1), cvMeasure(band, [H, HT], 1)) < 1e-2);
  assert.ok(maxAbsDiff(await gradientStrategy({ smoothKernel: 5 }).measure.compute(band, 'all'), cvMeasure(band, [H, HT], 'all', 5)) < 1e-1);
});

test('mask: sigmoid(beta * clip(SB - SF, -50, 50)), for the default and another beta', async () => {
  const back = randomImage(31, 9, 3, 2, 60);
  const front = randomImage(31, 9, 3, 3, 60);
  for (const beta of [0.1, 0.5]) {
    const s = gradientStrategy({ beta });
    const mask = await s.mask(await s.measure.compute(back, 'all'), await s.measure.compute(front, 'all'), { width: 31, height: 9, level: 0 });
    const expected = sigmoid(cvMeasure(back, [H, HT]), cvMeasure(front, [H, HT]), beta);
    // Measures of a few thousand in float32 are good to ~1e-3, which moves the sigmoid by up to beta/4 times that.
    assert.ok(maxAbsDiff(mask, expected) < 1e-4, `beta ${beta}: ${maxAbsDiff(mask, expected)}`);
  }
});

test('bad options name themselves', async () => {
  assert.throws(() => gradientStrategy({ beta: -1 }), (e: Error) => e instanceof RangeError && e.message === 'Expected a number from 0 to 1000000 for beta but received -1 (number)');
  assert.throws(() => gradientStrategy({ smoothKernel: 2 }), (e: Error) => e.message === 'Expected an odd integer from 1 to 99 for smoothKernel but received 2 (number)');
});

test.run();
