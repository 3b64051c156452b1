import assert from 'node:assert/strict';
import { test } from 'uvu';
import { add, cv, deleteMat, liveMatCount, loadOpenCV, newMat } from '../../lib/cv/index.js';
import { matOf, valuesOf } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

test('8-bit sums saturate at 255; dtype CV_32F keeps them', () => {
  const c = cv();
  const a = matOf(1, 3, c.CV_8UC1, [10, 200, 50]);
  const b = matOf(1, 3, c.CV_8UC1, [20, 100, 250]);
  const narrow = add(a, b);
  const wide = add(a, b, { dtype: c.CV_32F });
  try {
    assert.deepEqual(valuesOf(narrow), [30, 255, 255]);
    assert.deepEqual([wide.type(), valuesOf(wide)], [c.CV_32FC1, [30, 300, 300]]);
  } finally {
    [wide, narrow, b, a].forEach(deleteMat);
  }
});

test('operands of different depths need a dtype; it applies to every channel', () => {
  const c = cv();
  const a = matOf(1, 1, c.CV_8UC3, [1, 2, 3]);
  const b = matOf(1, 1, c.CV_32FC3, [0.5, 0.25, -4]);
  const out = add(a, b, { dtype: c.CV_32F });
  try {
    assert.deepEqual([out.type(), valuesOf(out)], [c.CV_32FC3, [1.5, 2.25, -1]]);
    assert.throws(() => add(a, b), { name: 'TypeError', message: 'Expected a 1x1 CV_8UC3 Mat (as src1) for src2 but received "1x1 CV_32FC3" (string)' });
  } finally {
    [out, b, a].forEach(deleteMat);
  }
});

test('a mask writes only where it is non-zero: a new dst is 0 elsewhere, a given dst keeps its values', () => {
  const c = cv();
  const a = matOf(1, 4, c.CV_32FC1, [1, 2, 3, 4]);
  const b = matOf(1, 4, c.CV_32FC1, [10, 20, 30, 40]);
  const mask = matOf(1, 4, c.CV_8UC1, [1, 0, 255, 0]);
  const dst = matOf(1, 4, c.CV_32FC1, [-1, -1, -1, -1]);
  const fresh = add(a, b, { mask });
  try {
    assert.deepEqual(valuesOf(fresh), [11, 0, 33, 0]);
    assert.equal(add(a, b, { mask, dst }), dst);
    assert.deepEqual(valuesOf(dst), [11, -1, 33, -1]);
  } finally {
    [fresh, dst, mask, b, a].forEach(deleteMat);
  }
});

test('rejects a bad mask or dtype, with exact messages', () => {
  const c = cv();
  const a = newMat(2, 2, c.CV_8UC1);
  const floatMask = newMat(2, 2, c.CV_32FC1);
  const smallMask = newMat(1, 2, c.CV_8UC1);
  const colorMask = newMat(2, 2, c.CV_8UC3);
  try {
    const cases: [() => unknown, string, string][] = [
      [() => add(a, a, { mask: floatMask }), 'TypeError', 'Expected a CV_8U Mat for mask but received "CV_32FC1" (string)'],
      [() => add(a, a, { mask: smallMask }), 'TypeError', 'Expected a 2x2 Mat (as src1) for mask but received "2x1 CV_8UC1" (string)'],
      [() => add(a, a, { mask: colorMask }), 'TypeError', 'Expected a single-channel Mat for mask but received "CV_8UC3" (string)'],
      [() => add(a, a, { dtype: 99 }), 'RangeError', 'Expected -1 or a depth (CV_8U, CV_8S, CV_16U, CV_16S, CV_32S, CV_32F or CV_64F) for dtype but received 99 (number)'],
    ];
    for (const [fn, name, message] of cases) assert.throws(fn, { name, message });
  } finally {
    [colorMask, smallMask, floatMask, a].forEach(deleteMat);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
