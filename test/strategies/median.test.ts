// The median-mask strategy (DIFFERENCES.md 1.4 with fix B1) against cv.medianBlur of the hard mask.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { imageFromMat, loadOpenCV, matFromImage, MatScope, medianBlur } from '../../lib/cv/index.js';
import { medianStrategy, Method } from '../../lib/strategies/index.js';
import { cvMeasure, H, HT } from '../helpers/opencv.js';
import { randomImage } from '../helpers/random.js';

test.before(async () => {
  await loadOpenCV();
});

function reference(back: Float32Array, front: Float32Array, width: number, height: number, n: number): number[] {
  const hard = Uint8Array.from(back, (b, i) => (Math.abs(b) > Math.abs(front[i]) ? 1 : 0));
  if (n === 1) return Array.from(hard);
  using scope = new MatScope();
  return Array.from(imageFromMat(scope.track(medianBlur(scope.track(matFromImage({ width, height, channels: 1, data: hard })), { ksize: n }))).data);
}

test('mask: medianBlur(|SB| > |SF|, n) with n per level, finest first, the last size repeated', async () => {
  const [w, h] = [57, 41];
  const back = randomImage(w, h, 3, 4, 80);
  const front = randomImage(w, h, 3, 5, 80);
  const s = medianStrategy({ medianSizes: [9, 5, 1] });
  assert.is(s.method, Method.MEDIAN);
  const mb = await s.measure.compute(back, 'all');
  const mf = await s.measure.compute(front, 'all');
  const cvB = cvMeasure(back, [H, HT]);
  const cvF = cvMeasure(front, [H, HT]);
  for (const [level, n] of [[0, 9], [1, 5], [2, 1], [5, 1]]) {
    const mask = Array.from(await s.mask(mb, mf, { width: w, height: h, level }));
    assert.equal(mask, reference(cvB, cvF, w, h, n), `level ${level}`);
    assert.ok(mask.every((v) => v === 0 || v === 1), 'the mask stays 0/1 (fix B1)');
  }
});

test('default sizes are 35, 19, 9, 5, 3', async () => {
  const [w, h] = [64, 48];
  const back = randomImage(w, h, 1, 6);
  const front = randomImage(w, h, 1, 7);
  const s = medianStrategy();
  const mb = await s.measure.compute(back, 'all');
  const mf = await s.measure.compute(front, 'all');
  for (const [level, n] of [35, 19, 9, 5, 3].entries()) {
    assert.equal(Array.from(await s.mask(mb, mf, { width: w, height: h, level })), reference(mb, mf, w, h, n), `level ${level}`);
  }
});

test('an even or negative median size is refused', async () => {
  assert.throws(() => medianStrategy({ medianSizes: [35, 4] }), (e: Error) => e instanceof RangeError && e.message === 'Expected an odd integer from 1 to 255 for medianSizes[1] but received 4 (number)');
  assert.throws(() => medianStrategy({ medianSizes: [] }), (e: Error) => e instanceof TypeError && e.message.startsWith('Expected a non-empty array of odd integers from 1 to 255 for medianSizes'));
});

test.run();
