// The fused activity loops against the same computation made of OpenCV.js calls.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { absdiff, add, boxFilter, filter2D, floatImageFromMat, loadOpenCV, matFromImage, MatScope, split, newMat, cv, type Mat } from '../../lib/cv/index.js';
import type { FloatImage } from '../../lib/image.js';
import { activity, boxSum } from '../../lib/kernels/activity.js';
import { maxAbsDiff, randomImage } from '../helpers/random.js';

test.before(async () => {
  await loadOpenCV();
});

const H = [[-1, 2, -1]];
const HT = [[-1], [2], [-1]];
const LAPLACE = [[0, 1, 0], [1, -4, 1], [0, 1, 0]];

/** |src * k| per kernel, summed over kernels and the selected channels, all with OpenCV.js. */
function opencvActivity(image: FloatImage, kernels: number[][][], channel: number | 'all'): Float32Array {
  using scope = new MatScope();
  const planes = split(scope.track(matFromImage(image))).map((m) => scope.track(m));
  const chosen = channel === 'all' ? planes : [planes[channel]];
  const zero = scope.track(newMat(image.height, image.width, cv().CV_32FC1));
  zero.setTo(new (cv().Scalar)(0));
  let acc: Mat = scope.track(zero.clone());
  for (const plane of chosen) {
    for (const kernel of kernels) {
      const response = scope.track(filter2D(plane, { kernel }));
      acc = scope.track(add(acc, scope.track(absdiff(response, zero))));
    }
  }
  return floatImageFromMat(acc).data;
}

for (const [w, h] of [[1, 1], [2, 3], [7, 5], [40, 31]]) {
  test(`second-difference activity equals |filter2D(h)| + |filter2D(h^T)| (${w}x${h})`, () => {
    const image = randomImage(w, h, 3, w * h);
    assert.ok(maxAbsDiff(activity(image, 'all', 'second-difference'), opencvActivity(image, [H, HT], 'all')) < 1e-3);
    assert.ok(maxAbsDiff(activity(image, 1, 'second-difference'), opencvActivity(image, [H, HT], 1)) < 1e-3);
    const gray = randomImage(w, h, 1, 7);
    assert.ok(maxAbsDiff(activity(gray, 'all', 'second-difference'), opencvActivity(gray, [H, HT], 'all')) < 1e-3);
  });

  test(`Laplace activity equals |filter2D(laplace)| (${w}x${h})`, () => {
    const image = randomImage(w, h, 3, w + h);
    assert.ok(maxAbsDiff(activity(image, 'all', 'laplace'), opencvActivity(image, [LAPLACE], 'all')) < 1e-3);
    assert.ok(maxAbsDiff(activity(image, 2, 'laplace'), opencvActivity(image, [LAPLACE], 2)) < 1e-3);
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
