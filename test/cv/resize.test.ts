import assert from 'node:assert/strict';
import { test } from 'uvu';
import { cv, deleteMat, liveMatCount, loadOpenCV, newMat, resize } from '../../lib/cv/index.js';
import { assertClose, matOf, valuesOf } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

test('INTER_LINEAR (the default) samples at pixel centres: [0, 10] to 4 pixels is [0, 2.5, 7.5, 10]', () => {
  // dst x maps to src (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped at the ends
  const src = matOf(1, 2, cv().CV_32FC1, [0, 10]);
  const out = resize(src, { dsize: [4, 1] });
  try {
    assert.deepEqual([out.cols, out.rows], [4, 1]);
    assertClose(valuesOf(out), [0, 2.5, 7.5, 10], 1e-6);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('INTER_NEAREST doubles each pixel; 3 channels move together', () => {
  const c = cv();
  const src = matOf(1, 2, c.CV_8UC3, [1, 2, 3, 4, 5, 6]);
  const out = resize(src, { dsize: [4, 2], interpolation: c.INTER_NEAREST });
  try {
    const row = [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6];
    assert.deepEqual(valuesOf(out), [...row, ...row]);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('fx, fy 0.5 with INTER_AREA averages 2x2 blocks; dst is reused', () => {
  const c = cv();
  const src = matOf(4, 4, c.CV_32FC1, [1, 3, 10, 20, 5, 7, 30, 40, 0, 0, 2, 2, 0, 4, 2, 2]);
  const dst = newMat();
  try {
    assert.equal(resize(src, { fx: 0.5, fy: 0.5, interpolation: c.INTER_AREA, dst }), dst);
    assert.deepEqual([dst.cols, dst.rows], [2, 2]);
    assertClose(valuesOf(dst), [4, 25, 1, 2], 1e-6);
  } finally {
    deleteMat(dst);
    deleteMat(src);
  }
});

test('CV_32S works with INTER_NEAREST', () => {
  const c = cv();
  const src = matOf(1, 2, c.CV_32SC1, [-7, 100000]);
  const out = resize(src, { dsize: [4, 1], interpolation: c.INTER_NEAREST });
  try {
    assert.deepEqual(valuesOf(out), [-7, -7, 100000, 100000]);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('rejects what OpenCV would, with exact messages', () => {
  const c = cv();
  const src = newMat(4, 10, c.CV_8UC1);
  const ints = newMat(2, 2, c.CV_32SC1);
  try {
    const cases: [() => unknown, string, string][] = [
      [() => resize(src), 'RangeError', 'Expected a number above 0.05 (a width of at least 1) for fx but received 0 (number)'],
      [() => resize(src, { fx: 0.5, fy: 0.1 }), 'RangeError', 'Expected a number above 0.125 (a height of at least 1) for fy but received 0.1 (number)'],
      [() => resize(src, { dsize: [5, 0] }), 'RangeError', 'Expected a positive integer (or [0, 0] for dsize) for dsize[1] but received 0 (number)'],
      [() => resize(src, { dsize: [-1, 5] }), 'RangeError', 'Expected an integer of at least 0 for dsize[0] but received -1 (number)'],
      [() => resize(src, { dsize: [5, 5], fx: -1 }), 'RangeError', 'Expected a number of at least 0 for fx but received -1 (number)'],
      [() => resize(src, { dsize: [5, 5], interpolation: 9 }), 'RangeError', 'Expected one of INTER_NEAREST, INTER_LINEAR, INTER_CUBIC, INTER_AREA, INTER_LANCZOS4, INTER_LINEAR_EXACT, INTER_NEAREST_EXACT for interpolation but received 9 (number)'],
      [() => resize(ints, { dsize: [5, 5] }), 'RangeError', 'Expected one of INTER_NEAREST, INTER_LINEAR_EXACT, INTER_NEAREST_EXACT for interpolation (src is CV_32S) but received 1 (number)'],
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
