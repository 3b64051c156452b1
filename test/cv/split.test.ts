import assert from 'node:assert/strict';
import { test } from 'uvu';
import { cv, deleteMat, liveMatCount, loadOpenCV, newMat, split } from '../../lib/cv/index.js';
import { matOf, valuesOf } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

test('splits interleaved channels into planes; each is a new, counted Mat', () => {
  const c = cv();
  const src = matOf(2, 2, c.CV_16UC3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const before = liveMatCount();
  const planes = split(src);
  try {
    assert.equal(liveMatCount(), before + 3);
    assert.deepEqual(planes.map((p) => [p.rows, p.cols, p.type()]), new Array(3).fill([2, 2, c.CV_16UC1]));
    assert.deepEqual(planes.map(valuesOf), [[1, 4, 7, 10], [2, 5, 8, 11], [3, 6, 9, 12]]);
  } finally {
    planes.forEach(deleteMat);
    deleteMat(src);
  }
});

test('the planes outlive the source', () => {
  const c = cv();
  const src = matOf(1, 2, c.CV_32FC2, [0.5, -1, 2, 3]);
  const planes = split(src);
  deleteMat(src);
  try {
    assert.deepEqual(planes.map(valuesOf), [[0.5, 2], [-1, 3]]);
  } finally {
    planes.forEach(deleteMat);
  }
});

test('a single-channel Mat gives one plane', () => {
  const src = matOf(1, 3, cv().CV_8UC1, [4, 5, 6]);
  const planes = split(src);
  try {
    assert.equal(planes.length, 1);
    assert.notEqual(planes[0], src);
    assert.deepEqual(valuesOf(planes[0]), [4, 5, 6]);
  } finally {
    planes.forEach(deleteMat);
    deleteMat(src);
  }
});

test('rejects an empty or deleted Mat', () => {
  const empty = newMat();
  try {
    assert.throws(() => split(empty), { name: 'TypeError', message: 'Expected a non-empty Mat for src but received "an empty Mat" (string)' });
  } finally {
    deleteMat(empty);
  }
  assert.throws(() => split(empty), { name: 'TypeError', message: 'Expected a Mat for src but received a deleted Mat (call clone() before delete(), or keep it alive)' });
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
