import assert from 'node:assert/strict';
import { test } from 'uvu';
import { MatScope, cv, deleteMat, liveMatCount, loadOpenCV, newMat, registerMat, type Mat } from '../../lib/cv/index.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

/** A Mat whose deletion is logged under `name`. */
function logged(log: string[], name: string): Mat {
  const mat = newMat(1, 1, cv().CV_8U);
  const original = mat.delete.bind(mat);
  mat.delete = () => {
    log.push(name);
    original();
  };
  return mat;
}

test('newMat counts a Mat alive until it is deleted', () => {
  const before = liveMatCount();
  const mat = newMat(2, 2, cv().CV_32FC1);
  assert.equal(liveMatCount(), before + 1);
  assert.deepEqual([mat.rows, mat.cols, mat.type()], [2, 2, cv().CV_32FC1]);
  mat.delete(); // deleted directly, not through deleteMat: still noticed
  assert.equal(liveMatCount(), before);
});

test('deleteMat twice is safe, and ignores undefined and null', () => {
  const mat = newMat();
  deleteMat(mat);
  assert.equal(mat.isDeleted(), true);
  assert.doesNotThrow(() => deleteMat(mat));
  assert.doesNotThrow(() => deleteMat(undefined));
  assert.doesNotThrow(() => deleteMat(null));
});

test('registerMat counts a Mat made elsewhere (a clone)', () => {
  const mat = newMat(1, 1, cv().CV_8U);
  const before = liveMatCount();
  const copy = registerMat(mat.clone());
  assert.equal(liveMatCount(), before + 1);
  deleteMat(copy);
  deleteMat(mat);
});

test('dispose deletes the tracked Mats newest first', () => {
  const log: string[] = [];
  const scope = new MatScope();
  scope.track(logged(log, 'a'));
  scope.track(logged(log, 'b'));
  scope.track(logged(log, 'c'));
  scope.dispose();
  assert.deepEqual(log, ['c', 'b', 'a']);
});

test('keep hands a Mat to the caller; the others are deleted', () => {
  const log: string[] = [];
  const scope = new MatScope();
  scope.track(logged(log, 'a'));
  const kept = scope.track(logged(log, 'b'));
  scope.track(logged(log, 'c'));
  assert.equal(scope.keep(kept), kept);
  scope.dispose();
  assert.deepEqual(log, ['c', 'a']);
  assert.equal(kept.isDeleted(), false);
  deleteMat(kept);
});

test('dispose skips Mats already deleted, and a second dispose does nothing', () => {
  const log: string[] = [];
  const scope = new MatScope();
  const a = scope.track(logged(log, 'a'));
  scope.track(logged(log, 'b'));
  deleteMat(a);
  assert.doesNotThrow(() => scope.dispose());
  assert.doesNotThrow(() => scope.dispose());
  assert.deepEqual(log, ['a', 'b']);
});

test('scope.mat creates tracked Mats', () => {
  const before = liveMatCount();
  const scope = new MatScope();
  const mat = scope.mat(2, 2, cv().CV_8U);
  scope.mat();
  assert.equal(liveMatCount(), before + 2);
  scope.dispose();
  assert.equal(mat.isDeleted(), true);
  assert.equal(liveMatCount(), before);
});

test('`using` disposes at the end of the block, also when it throws', () => {
  const log: string[] = [];
  assert.throws(() => {
    using scope = new MatScope();
    scope.track(logged(log, 'a'));
    scope.track(logged(log, 'b'));
    throw new Error('inside');
  }, /inside/);
  assert.deepEqual(log, ['b', 'a']);
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
