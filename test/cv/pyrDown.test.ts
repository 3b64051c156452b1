import assert from 'node:assert/strict';
import { test } from 'uvu';
import { cv, deleteMat, liveMatCount, loadOpenCV, newMat, pyrDown } from '../../lib/cv/index.js';
import { assertClose, correlate, matOf, matOfPlane, outer, planeOf, randomValues, valuesOf, type Plane } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

const b5 = [1, 4, 6, 4, 1].map((v) => v / 16);

/** Blur with the 5x5 binomial kernel (REFLECT_101) and keep the even rows and columns of a w x h result. */
function naivePyrDown(src: Plane, width: number, height: number): number[] {
  const blurred = correlate(src, outer(b5, b5));
  return planeOf(width, height, (x, y) => blurred.data[2 * y * src.width + 2 * x]).data;
}

const plane: Plane = { width: 9, height: 7, data: randomValues(63, 9, 0, 255) };

test('an odd 9x7 image goes to 5x4 (rounded up) with the binomial kernel', () => {
  const src = matOfPlane(plane);
  const out = pyrDown(src);
  try {
    assert.deepEqual([out.cols, out.rows], [5, 4]);
    assertClose(valuesOf(out), naivePyrDown(plane, 5, 4), 1e-3);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('dstsize [4, 3] (rounded down) gives the same samples; dst is reused', () => {
  const src = matOfPlane(plane);
  const dst = newMat();
  try {
    assert.equal(pyrDown(src, { dstsize: [4, 3], dst }), dst);
    assert.deepEqual([dst.cols, dst.rows], [4, 3]);
    assertClose(valuesOf(dst), naivePyrDown(plane, 4, 3), 1e-3);
  } finally {
    deleteMat(dst);
    deleteMat(src);
  }
});

test('a constant 3-channel 8-bit image stays constant, and 1x1 stays 1x1', () => {
  const c = cv();
  const src = matOf(6, 4, c.CV_8UC3, new Array(72).fill(200));
  const one = matOf(1, 1, c.CV_32FC1, [42]);
  const out = pyrDown(src);
  const outOne = pyrDown(one);
  try {
    assert.deepEqual([out.cols, out.rows, out.type()], [2, 3, c.CV_8UC3]);
    assert.deepEqual(valuesOf(out), new Array(18).fill(200));
    assert.deepEqual([outOne.cols, outOne.rows, valuesOf(outOne)], [1, 1, [42]]);
  } finally {
    [outOne, out, one, src].forEach(deleteMat);
  }
});

test('rejects what OpenCV would, with exact messages', () => {
  const c = cv();
  const src = matOfPlane(plane);
  const ints = newMat(2, 2, c.CV_32SC1);
  try {
    const cases: [() => unknown, string, string][] = [
      [() => pyrDown(src, { dstsize: [3, 4] }), 'RangeError', 'Expected a width within 1 of 4.5 for dstsize[0] but received 3 (number)'],
      [() => pyrDown(src, { dstsize: [5, 5] }), 'RangeError', 'Expected a height within 1 of 3.5 for dstsize[1] but received 5 (number)'],
      [() => pyrDown(src, { dstsize: [0, 4] }), 'RangeError', 'Expected an integer of at least 1 for dstsize[0] but received 0 (number)'],
      [() => pyrDown(src, { borderType: c.BORDER_CONSTANT }), 'RangeError', 'Expected one of BORDER_REPLICATE, BORDER_REFLECT, BORDER_WRAP, BORDER_REFLECT_101 for borderType but received 0 (number)'],
      [() => pyrDown(src, { borderType: c.BORDER_REFLECT_101 | c.BORDER_ISOLATED }), 'RangeError', 'Expected one of BORDER_REPLICATE, BORDER_REFLECT, BORDER_WRAP, BORDER_REFLECT_101 for borderType but received 20 (number)'],
      [() => pyrDown(ints), 'TypeError', 'Expected a CV_8U, CV_16U, CV_16S, CV_32F or CV_64F Mat for src but received "CV_32SC1" (string)'],
    ];
    for (const [fn, name, message] of cases) assert.throws(fn, { name, message });
  } finally {
    deleteMat(ints);
    deleteMat(src);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
