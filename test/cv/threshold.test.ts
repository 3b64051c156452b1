import assert from 'node:assert/strict';
import { test } from 'uvu';
import { cv, deleteMat, liveMatCount, loadOpenCV, newMat, threshold } from '../../lib/cv/index.js';
import { matOf, valuesOf } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

const values = [0, 50, 100, 150, 200];

test('the five types, with thresh 100 and maxval 255 (strictly above thresh counts)', () => {
  const c = cv();
  const src = matOf(1, 5, c.CV_32FC1, values);
  const expected: [number, number[]][] = [
    [c.THRESH_BINARY, [0, 0, 0, 255, 255]],
    [c.THRESH_BINARY_INV, [255, 255, 255, 0, 0]],
    [c.THRESH_TRUNC, [0, 50, 100, 100, 100]],
    [c.THRESH_TOZERO, [0, 0, 0, 150, 200]],
    [c.THRESH_TOZERO_INV, [0, 50, 100, 0, 0]],
  ];
  try {
    for (const [type, want] of expected) {
      const { thresh, dst } = threshold(src, { thresh: 100, maxval: 255, type });
      try {
        assert.equal(thresh, 100);
        assert.deepEqual(valuesOf(dst), want, `type ${type}`);
      } finally {
        deleteMat(dst);
      }
    }
  } finally {
    deleteMat(src);
  }
});

test('THRESH_OTSU finds a threshold between two clusters and returns it', () => {
  const c = cv();
  const src = matOf(1, 8, c.CV_8UC1, [10, 12, 11, 10, 200, 205, 201, 199]);
  const { thresh, dst } = threshold(src, { thresh: 0, maxval: 1, type: c.THRESH_BINARY | c.THRESH_OTSU });
  try {
    assert.ok(thresh >= 12 && thresh < 199, `threshold ${thresh}`);
    assert.deepEqual(valuesOf(dst), [0, 0, 0, 0, 1, 1, 1, 1]);
  } finally {
    deleteMat(dst);
    deleteMat(src);
  }
});

test('writes into dst', () => {
  const c = cv();
  const src = matOf(1, 5, c.CV_8UC1, values);
  const out = newMat();
  try {
    assert.equal(threshold(src, { thresh: 99, maxval: 7, dst: out }).dst, out);
    assert.deepEqual(valuesOf(out), [0, 0, 7, 7, 7]);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('rejects what OpenCV would, with exact messages', () => {
  const c = cv();
  const color = newMat(2, 2, c.CV_8UC3);
  const deep = newMat(2, 2, c.CV_16UC1);
  const ints = newMat(2, 2, c.CV_32SC1);
  const typeMessage = 'Expected one of THRESH_BINARY, THRESH_BINARY_INV, THRESH_TRUNC, THRESH_TOZERO, THRESH_TOZERO_INV, optionally | THRESH_OTSU or | THRESH_TRIANGLE for type';
  try {
    const cases: [() => unknown, string, string][] = [
      [() => threshold(color, { thresh: 0, maxval: 255, type: c.THRESH_OTSU }), 'TypeError', 'Expected a CV_8UC1 or CV_16UC1 Mat for THRESH_OTSU for src but received "CV_8UC3" (string)'],
      [() => threshold(deep, { thresh: 0, maxval: 255, type: c.THRESH_TRIANGLE }), 'TypeError', 'Expected a CV_8UC1 Mat for THRESH_TRIANGLE for src but received "CV_16UC1" (string)'],
      [() => threshold(color, { thresh: 0, maxval: 255, type: c.THRESH_MASK }), 'RangeError', `${typeMessage} but received 7 (number)`],
      [() => threshold(color, { thresh: 0, maxval: 255, type: c.THRESH_OTSU | c.THRESH_TRIANGLE }), 'RangeError', `${typeMessage} but received 24 (number)`],
      // THRESH_DRYRUN (128) of OpenCV 5 is missing from the typings
      [() => threshold(color, { thresh: 0, maxval: 255, type: 128 }), 'RangeError', `${typeMessage} but received 128 (number)`],
      [() => threshold(color, { thresh: 0, maxval: 255, type: 'binary' as never }), 'TypeError', `${typeMessage} but received "binary" (string)`],
      [() => threshold(color, { thresh: NaN, maxval: 255 }), 'TypeError', 'Expected a finite number for thresh but received NaN (number)'],
      [() => threshold(color, { thresh: 1 } as never), 'TypeError', 'Expected a finite number for maxval but received undefined'],
      [() => threshold(ints, { thresh: 1, maxval: 2 }), 'TypeError', 'Expected a CV_8U, CV_16U, CV_16S, CV_32F or CV_64F Mat for src but received "CV_32SC1" (string)'],
    ];
    for (const [fn, name, message] of cases) assert.throws(fn, { name, message });
  } finally {
    [ints, deep, color].forEach(deleteMat);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
