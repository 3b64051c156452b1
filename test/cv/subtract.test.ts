import assert from 'node:assert/strict';
import { test } from 'uvu';
import { cv, deleteMat, liveMatCount, loadOpenCV, newMat, subtract } from '../../lib/cv/index.js';
import { matOf, valuesOf } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

test('8-bit differences saturate at 0; dtype CV_16S keeps the sign', () => {
  const c = cv();
  const a = matOf(1, 3, c.CV_8UC1, [10, 200, 50]);
  const b = matOf(1, 3, c.CV_8UC1, [20, 100, 250]);
  const narrow = subtract(a, b);
  const signed = subtract(a, b, { dtype: c.CV_16S });
  try {
    assert.deepEqual(valuesOf(narrow), [0, 100, 0]);
    assert.deepEqual([signed.type(), valuesOf(signed)], [c.CV_16SC1, [-10, 100, -200]]);
  } finally {
    [signed, narrow, b, a].forEach(deleteMat);
  }
});

test('floats, 3 channels, a mask, and dst', () => {
  const c = cv();
  const a = matOf(1, 2, c.CV_32FC3, [1, 2, 3, 4, 5, 6]);
  const b = matOf(1, 2, c.CV_32FC3, [0.5, 0.5, 0.5, 10, 10, 10]);
  const mask = matOf(1, 2, c.CV_8UC1, [0, 1]);
  const dst = newMat();
  try {
    assert.equal(subtract(a, b, { mask, dst }), dst);
    assert.deepEqual(valuesOf(dst), [0, 0, 0, -6, -5, -4]);
  } finally {
    [dst, mask, b, a].forEach(deleteMat);
  }
});

test('rejects operands that do not match, with exact messages', () => {
  const c = cv();
  const a = newMat(2, 2, c.CV_8UC1);
  const b = newMat(2, 2, c.CV_8UC3);
  try {
    assert.throws(() => subtract(a, b, { dtype: c.CV_32F }), {
      name: 'TypeError',
      message: 'Expected a 2x2 1-channel Mat (as src1) for src2 but received "2x2 CV_8UC3" (string)',
    });
  } finally {
    [b, a].forEach(deleteMat);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
