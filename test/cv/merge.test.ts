import assert from 'node:assert/strict';
import { test } from 'uvu';
import { cv, deleteMat, liveMatCount, loadOpenCV, merge, newMat, split } from '../../lib/cv/index.js';
import { matOf, valuesOf } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

test('interleaves planes, in order, without deleting them', () => {
  const c = cv();
  const planes = [[1, 2, 3, 4], [10, 20, 30, 40], [100, 110, 120, 130]].map((v) => matOf(2, 2, c.CV_8UC1, v));
  const out = merge(planes);
  try {
    assert.deepEqual([out.rows, out.cols, out.type()], [2, 2, c.CV_8UC3]);
    assert.deepEqual(valuesOf(out), [1, 10, 100, 2, 20, 110, 3, 30, 120, 4, 40, 130]);
    assert.ok(planes.every((p) => !p.isDeleted()));
  } finally {
    [out, ...planes].forEach(deleteMat);
  }
});

test('Mats with several channels contribute all of theirs; merge(split(x)) is x', () => {
  const c = cv();
  const two = matOf(1, 2, c.CV_32FC2, [1, 2, 3, 4]);
  const one = matOf(1, 2, c.CV_32FC1, [5, 6]);
  const out = merge([two, one]);
  const planes = split(out);
  const back = merge(planes);
  try {
    assert.equal(out.type(), c.CV_32FC3);
    assert.deepEqual(valuesOf(out), [1, 2, 5, 3, 4, 6]);
    assert.deepEqual([back.type(), valuesOf(back)], [out.type(), valuesOf(out)]);
  } finally {
    [back, ...planes, out, one, two].forEach(deleteMat);
  }
});

test('writes into dst', () => {
  const c = cv();
  const a = matOf(1, 1, c.CV_16SC1, [-3]);
  const dst = newMat();
  try {
    assert.equal(merge([a, a], { dst }), dst);
    assert.deepEqual([dst.type(), valuesOf(dst)], [c.CV_16SC2, [-3, -3]]);
  } finally {
    deleteMat(dst);
    deleteMat(a);
  }
});

test('rejects what OpenCV would, with exact messages', () => {
  const c = cv();
  const a = newMat(2, 2, c.CV_8UC1);
  const wide = newMat(2, 3, c.CV_8UC1);
  const float = newMat(2, 2, c.CV_32FC1);
  try {
    const cases: [() => unknown, string, string][] = [
      [() => merge([]), 'TypeError', 'Expected a non-empty array of Mats for mv but received an array of length 0'],
      [() => merge([a, wide]), 'TypeError', 'Expected a 2x2 CV_8U Mat (as mv[0]) for mv[1] but received "3x2 CV_8UC1" (string)'],
      [() => merge([a, float]), 'TypeError', 'Expected a 2x2 CV_8U Mat (as mv[0]) for mv[1] but received "2x2 CV_32FC1" (string)'],
      [() => merge([a, 3 as never]), 'TypeError', 'Expected a Mat for mv[1] but received 3 (number)'],
      [() => merge(new Array(129).fill(a)), 'RangeError', 'Expected at most 128 channels in all for mv but received 129 (number)'],
    ];
    for (const [fn, name, message] of cases) assert.throws(fn, { name, message });
    const max = merge(new Array(128).fill(a));
    assert.equal(max.channels(), 128);
    deleteMat(max);
  } finally {
    [float, wide, a].forEach(deleteMat);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
