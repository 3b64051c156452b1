import assert from 'node:assert/strict';
import { test } from 'uvu';
import { cv, deleteMat, liveMatCount, loadOpenCV, multiply, newMat } from '../../lib/cv/index.js';
import { matOf, valuesOf } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

test('products saturate on 8 bits; scale applies before rounding, ties to even', () => {
  const c = cv();
  const a = matOf(1, 4, c.CV_8UC1, [1, 7, 5, 30]);
  const b = matOf(1, 4, c.CV_8UC1, [5, 1, 1, 10]);
  const plain = multiply(a, b);
  const half = multiply(a, b, { scale: 0.5 });
  try {
    assert.deepEqual(valuesOf(plain), [5, 7, 5, 255]);
    assert.deepEqual(valuesOf(half), [2, 4, 2, 150], '2.5 -> 2, 3.5 -> 4, 2.5 -> 2');
  } finally {
    [half, plain, b, a].forEach(deleteMat);
  }
});

test('dtype CV_32F keeps large products; dst is reused', () => {
  const c = cv();
  const a = matOf(1, 3, c.CV_8UC1, [10, 200, 50]);
  const b = matOf(1, 3, c.CV_8UC1, [20, 100, 250]);
  const dst = newMat();
  try {
    assert.equal(multiply(a, b, { dtype: c.CV_32F, dst }), dst);
    assert.deepEqual([dst.type(), valuesOf(dst)], [c.CV_32FC1, [200, 20000, 12500]]);
  } finally {
    [dst, b, a].forEach(deleteMat);
  }
});

test('floats, element by element on each channel', () => {
  const c = cv();
  const a = matOf(1, 1, c.CV_32FC3, [0.5, -2, 3]);
  const b = matOf(1, 1, c.CV_32FC3, [4, 0.25, -1]);
  const out = multiply(a, b, { scale: 2 });
  try {
    assert.deepEqual(valuesOf(out), [4, -1, -6]);
  } finally {
    [out, b, a].forEach(deleteMat);
  }
});

test('rejects a bad scale or operands, with exact messages', () => {
  const c = cv();
  const a = newMat(1, 1, c.CV_8UC1);
  const b = newMat(1, 1, c.CV_16UC1);
  try {
    assert.throws(() => multiply(a, a, { scale: Infinity }), { name: 'RangeError', message: 'Expected a finite number for scale but received Infinity (number)' });
    assert.throws(() => multiply(a, b), { name: 'TypeError', message: 'Expected a 1x1 CV_8UC1 Mat (as src1) for src2 but received "1x1 CV_16UC1" (string)' });
  } finally {
    [b, a].forEach(deleteMat);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
