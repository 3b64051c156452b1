import assert from 'node:assert/strict';
import { test } from 'uvu';
import { absdiff, cv, deleteMat, liveMatCount, loadOpenCV, newMat } from '../../lib/cv/index.js';
import { matOf, valuesOf } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

test('|a - b| is exact on unsigned 8 bits (no wrap-around) and on floats', () => {
  const c = cv();
  const a = matOf(1, 3, c.CV_8UC1, [10, 200, 50]);
  const b = matOf(1, 3, c.CV_8UC1, [20, 100, 250]);
  const f = matOf(1, 2, c.CV_32FC2, [-1.5, 2, 3, -4]);
  const g = matOf(1, 2, c.CV_32FC2, [1.5, -2, 3, 4]);
  const bytes = absdiff(a, b);
  const floats = absdiff(f, g);
  try {
    assert.deepEqual(valuesOf(bytes), [10, 100, 200]);
    assert.deepEqual([floats.type(), valuesOf(floats)], [c.CV_32FC2, [3, 4, 0, 8]]);
  } finally {
    [floats, bytes, g, f, b, a].forEach(deleteMat);
  }
});

test('writes into dst', () => {
  const c = cv();
  const a = matOf(1, 1, c.CV_16SC1, [-30000]);
  const b = matOf(1, 1, c.CV_16SC1, [30000]);
  const dst = newMat();
  try {
    assert.equal(absdiff(a, b, { dst }), dst);
    assert.deepEqual(valuesOf(dst), [32767], 'saturated to CV_16S');
  } finally {
    [dst, b, a].forEach(deleteMat);
  }
});

test('rejects operands of different sizes or types, with exact messages', () => {
  const c = cv();
  const a = newMat(1, 3, c.CV_8UC1);
  const short = newMat(1, 2, c.CV_8UC1);
  const float = newMat(1, 3, c.CV_32FC1);
  const color = newMat(1, 3, c.CV_8UC3);
  try {
    assert.throws(() => absdiff(a, short), { name: 'TypeError', message: 'Expected a 3x1 CV_8UC1 Mat (as src1) for src2 but received "2x1 CV_8UC1" (string)' });
    assert.throws(() => absdiff(a, float), { name: 'TypeError', message: 'Expected a 3x1 CV_8UC1 Mat (as src1) for src2 but received "3x1 CV_32FC1" (string)' });
    assert.throws(() => absdiff(a, color), { name: 'TypeError', message: 'Expected a 3x1 CV_8UC1 Mat (as src1) for src2 but received "3x1 CV_8UC3" (string)' });
    assert.throws(() => absdiff(a, 5 as never), { name: 'TypeError', message: 'Expected a Mat for src2 but received 5 (number)' });
  } finally {
    [color, float, short, a].forEach(deleteMat);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
