// The fused activity loops against the same computation made of OpenCV.js calls.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boxFilter, floatImageFromMat, loadOpenCV, matFromImage, MatScope } from '../../lib/cv/index.js';
import { activity, boxSum } from '../../lib/kernels/activity.js';
import { cvActivity, H, HT, LAPLACE } from '../helpers/opencv.js';
import { maxAbsDiff, randomImage } from '../helpers/random.js';

test.before(async () => {
  await loadOpenCV();
});

for (const [w, h] of [[1, 1], [2, 3], [7, 5], [40, 31]]) {
  test(`second-difference activity equals |filter2D(h)| + |filter2D(h^T)| (${w}x${h})`, () => {
    const image = randomImage(w, h, 3, w * h);
    assert.ok(maxAbsDiff(activity(image, 'all', 'second-difference'), cvActivity(image, [H, HT], 'all')) < 1e-3);
    assert.ok(maxAbsDiff(activity(image, 1, 'second-difference'), cvActivity(image, [H, HT], 1)) < 1e-3);
    const gray = randomImage(w, h, 1, 7);
    assert.ok(maxAbsDiff(activity(gray, 'all', 'second-difference'), cvActivity(gray, [H, HT], 'all')) < 1e-3);
  });

  test(`Laplace activity equals |filter2D(laplace)| (${w}x${h})`, () => {
    const image = randomImage(w, h, 3, w + h);
    assert.ok(maxAbsDiff(activity(image, 'all', 'laplace'), cvActivity(image, [LAPLACE], 'all')) < 1e-3);
    assert.ok(maxAbsDiff(activity(image, 2, 'laplace'), cvActivity(image, [LAPLACE], 2)) < 1e-3);
  });
}

test('boxSum equals an unnormalised boxFilter (BORDER_REFLECT_101), any size and window', () => {
  for (const [w, h, k] of [[1, 1, 3], [5, 4, 3], [9, 30, 5], [64, 48, 3], [20, 11, 7], [3, 2, 5]] as const) {
    const image = randomImage(w, h, 1, w * k);
    using scope = new MatScope();
    const ref = floatImageFromMat(scope.track(boxFilter(scope.track(matFromImage(image)), { ksize: [k, k], normalize: false }))).data;
    const ours = boxSum(image.data.slice(), w, h, k);
    assert.ok(maxAbsDiff(ours, ref) < 1e-2, `${w}x${h} k=${k}: ${maxAbsDiff(ours, ref)}`);
  }
});

test('boxSum with k = 1 is the identity', () => {
  const plane = new Float32Array([1, 2, 3, 4]);
  assert.equal(Array.from(boxSum(plane, 2, 2, 1)), [1, 2, 3, 4]);
});

test.run();
