// The Laplacian strategy (DIFFERENCES.md 1.3 with fix B4) against its formula made of OpenCV.js calls.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { floatImageFromMat, GaussianBlur, liveMatCount, loadOpenCV, matFromImage, MatScope } from '../../lib/cv/index.js';
import { laplacianStrategy, Method } from '../../lib/strategies/index.js';
import { cvMeasure, LAPLACE, sigmoid } from '../helpers/opencv.js';
import { maxAbsDiff, randomImage } from '../helpers/random.js';

test.before(async () => {
  await loadOpenCV();
});

test('mask: GaussianBlur(sigmoid(beta * clip(|lap B| - |lap F|, box-summed)), sigma 3)', async () => {
  const [w, h] = [45, 38];
  const back = randomImage(w, h, 3, 8, 50);
  const front = randomImage(w, h, 3, 9, 50);
  const s = laplacianStrategy();
  assert.is(s.method, Method.LAPLACIAN);
  const before = liveMatCount();
  const mask = await s.mask(await s.measure.compute(back, 'all'), await s.measure.compute(front, 'all'), { width: w, height: h, level: 0 });
  assert.is(liveMatCount(), before, 'no Mat left alive');
  const soft = sigmoid(cvMeasure(back, [LAPLACE]), cvMeasure(front, [LAPLACE]), 0.1);
  using scope = new MatScope();
  const expected = floatImageFromMat(scope.track(GaussianBlur(scope.track(matFromImage({ width: w, height: h, channels: 1, data: soft })), { ksize: [0, 0], sigmaX: 3 }))).data;
  assert.ok(maxAbsDiff(mask, expected) < 1e-5);
  // B4: absolute responses, so a frame with stronger edges of either sign wins.
  const flat = { width: w, height: h, channels: 3, data: new Float32Array(w * h * 3).fill(100) };
  const wins = await s.mask(await s.measure.compute(back, 'all'), await s.measure.compute(flat, 'all'), { width: w, height: h, level: 0 });
  assert.ok(wins.every((v) => v > 0.9), 'the textured back frame wins everywhere over a flat front frame');
});

test('sigma is checked', async () => {
  assert.throws(() => laplacianStrategy({ sigma: 0 }), (e: Error) => e instanceof RangeError && e.message === 'Expected a number from 0.01 to 1000 for sigma but received 0 (number)');
});

test.run();
