import assert from 'node:assert/strict';
import { test } from 'uvu';
import { convertTo, cv, deleteMat, liveMatCount, loadOpenCV, newMat } from '../../lib/cv/index.js';
import { matOf, valuesOf } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

test('8 bits to float, scaled: alpha * x + beta', () => {
  const c = cv();
  const src = matOf(1, 3, c.CV_8UC1, [10, 200, 50]);
  const out = convertTo(src, { rtype: c.CV_32F, alpha: 0.5, beta: 1 });
  try {
    assert.deepEqual([out.type(), valuesOf(out)], [c.CV_32FC1, [6, 101, 26]]);
  } finally {
    [out, src].forEach(deleteMat);
  }
});

test('float to 8 bits rounds to nearest, ties to even, and saturates', () => {
  const c = cv();
  const src = matOf(1, 8, c.CV_32FC1, [-3, 300, 2.4, 2.6, 0.5, 1.5, 2.5, 254.5]);
  const out = convertTo(src, { rtype: c.CV_8U });
  try {
    assert.deepEqual(valuesOf(out), [0, 255, 2, 3, 0, 2, 2, 254]);
  } finally {
    [out, src].forEach(deleteMat);
  }
});

test('rtype -1 (the default) keeps the depth and the channels; dst is reused', () => {
  const c = cv();
  const src = matOf(1, 1, c.CV_8UC3, [100, 150, 3]);
  const dst = newMat();
  try {
    assert.equal(convertTo(src, { alpha: 2, dst }), dst);
    assert.deepEqual([dst.type(), valuesOf(dst)], [c.CV_8UC3, [200, 255, 6]]);
  } finally {
    [dst, src].forEach(deleteMat);
  }
});

test('rejects a bad rtype, alpha or beta, with exact messages', () => {
  const src = newMat(1, 1, cv().CV_8UC1);
  try {
    assert.throws(() => convertTo(src, { rtype: 99 }), {
      name: 'RangeError',
      message: 'Expected -1 or a depth (CV_8U, CV_8S, CV_16U, CV_16S, CV_32S, CV_32F or CV_64F) for rtype but received 99 (number)',
    });
    assert.throws(() => convertTo(src, { alpha: NaN }), { name: 'TypeError', message: 'Expected a finite number for alpha but received NaN (number)' });
    assert.throws(() => convertTo(src, { beta: '1' as never }), { name: 'TypeError', message: 'Expected a finite number for beta but received "1" (string)' });
  } finally {
    deleteMat(src);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
