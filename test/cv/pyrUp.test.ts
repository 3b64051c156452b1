import assert from 'node:assert/strict';
import { test } from 'uvu';
import { cv, deleteMat, liveMatCount, loadOpenCV, newMat, pyrUp } from '../../lib/cv/index.js';
import { assertClose, correlate, matOf, matOfPlane, outer, planeOf, randomValues, valuesOf, type Plane } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

test('upsampling with zeros then filtering with 4 x the binomial kernel (REFLECT_101 on the result grid)', () => {
  const plane: Plane = { width: 5, height: 4, data: randomValues(20, 12, 0, 255) };
  const zeros = planeOf(10, 8, (x, y) => (x % 2 === 0 && y % 2 === 0 ? plane.data[(y / 2) * 5 + x / 2] : 0));
  const b = [1, 4, 6, 4, 1].map((v) => v / 8); // [1 4 6 4 1] / 16, times 2 per axis
  const src = matOfPlane(plane);
  const out = pyrUp(src);
  try {
    assert.deepEqual([out.cols, out.rows], [10, 8]);
    assertClose(valuesOf(out), correlate(zeros, outer(b, b)).data, 1e-3);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('a constant image stays constant, at every size OpenCV allows (2n - 1, 2n, 2n + 1)', () => {
  const c = cv();
  const src = matOf(3, 3, c.CV_32FC3, new Array(27).fill(12.5));
  try {
    for (const dstsize of [[5, 5], [6, 7], [7, 6], [5, 7]] as const) {
      const out = pyrUp(src, { dstsize });
      try {
        assert.deepEqual([out.cols, out.rows, out.type()], [dstsize[0], dstsize[1], c.CV_32FC3]);
        assert.deepEqual(valuesOf(out), new Array(dstsize[0] * dstsize[1] * 3).fill(12.5), `dstsize ${dstsize}`);
      } finally {
        deleteMat(out);
      }
    }
  } finally {
    deleteMat(src);
  }
});

test('1x1 goes to 1x1 with dstsize [1, 1] (DIFFERENCES.md B3), and to 2x2 by default; dst is reused', () => {
  const c = cv();
  const one = matOf(1, 1, c.CV_8UC1, [99]);
  const dst = newMat();
  try {
    assert.equal(pyrUp(one, { dstsize: [1, 1], dst }), dst);
    assert.deepEqual([dst.cols, dst.rows, valuesOf(dst)], [1, 1, [99]]);
    pyrUp(one, { dst });
    assert.deepEqual([dst.cols, dst.rows, valuesOf(dst)], [2, 2, [99, 99, 99, 99]]);
  } finally {
    deleteMat(dst);
    deleteMat(one);
  }
});

test('rejects a dstsize OpenCV would (|dst - 2 src| > dst % 2) before calling it, with exact messages', () => {
  const c = cv();
  const src = matOf(3, 3, c.CV_32FC1, new Array(9).fill(0));
  const bytes = newMat(3, 3, c.CV_8SC1);
  try {
    const cases: [() => unknown, string, string][] = [
      [() => pyrUp(src, { dstsize: [4, 6] }), 'RangeError', 'Expected 5, 6 or 7 (about twice the width 3) for dstsize[0] but received 4 (number)'],
      [() => pyrUp(src, { dstsize: [6, 8] }), 'RangeError', 'Expected 5, 6 or 7 (about twice the height 3) for dstsize[1] but received 8 (number)'],
      [() => pyrUp(src, { dstsize: [10, 10] }), 'RangeError', 'Expected 5, 6 or 7 (about twice the width 3) for dstsize[0] but received 10 (number)'],
      [() => pyrUp(src, { dstsize: [6.5, 6] }), 'RangeError', 'Expected an integer of at least 1 for dstsize[0] but received 6.5 (number)'],
      [() => pyrUp(bytes), 'TypeError', 'Expected a CV_8U, CV_16U, CV_16S, CV_32F or CV_64F Mat for src but received "CV_8SC1" (string)'],
    ];
    for (const [fn, name, message] of cases) assert.throws(fn, { name, message });
  } finally {
    deleteMat(bytes);
    deleteMat(src);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
