import assert from 'node:assert/strict';
import { test } from 'uvu';
import { OpenCVError, cv, cvCall, deleteMat, liveMatCount, loadOpenCV, newMat } from '../../lib/cv/index.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

test('returns what the call returns', () => {
  assert.equal(cvCall('answer', () => 42), 42);
});

test('turns a real OpenCV.js exception into an OpenCVError naming the op and carrying OpenCV\'s message', () => {
  const c = cv();
  const src = newMat(3, 3, c.CV_32F);
  const dst = newMat();
  try {
    // The only real OpenCV.js exception of the suite: pyrUp of a 3x3 Mat to 10x10 fails OpenCV's size assertion.
    assert.throws(
      () => cvCall('pyrUp', () => c.pyrUp(src, dst, new c.Size(10, 10))),
      (error: unknown) => {
        assert.ok(error instanceof OpenCVError);
        assert.equal(error.name, 'OpenCVError');
        assert.equal(error.operation, 'pyrUp');
        assert.match(error.message, /^pyrUp: OpenCV\(5\.0\.0\) .*pyramids\.cpp:\d+: error: \(-215:Assertion failed\) /);
        assert.ok(error.message.includes('std::abs(dsize.width - ssize.width*2) == dsize.width % 2'), error.message);
        assert.ok(error.message.endsWith("in function 'pyrUp_'"), error.message);
        return true;
      },
    );
  } finally {
    deleteMat(dst);
    deleteMat(src);
  }
});

test('wraps a JavaScript error of the binding (a deleted Mat) with the op name', () => {
  const c = cv();
  const gone = newMat(2, 2, c.CV_8U);
  deleteMat(gone);
  const dst = newMat();
  try {
    assert.throws(() => cvCall('medianBlur', () => c.medianBlur(gone, dst, 3)), {
      name: 'OpenCVError',
      message: 'medianBlur: Cannot pass deleted object as a pointer of type Mat',
    });
  } finally {
    deleteMat(dst);
  }
});

test('wraps a thrown non-Error value', () => {
  assert.throws(
    () =>
      cvCall('op', () => {
        throw 'plain string';
      }),
    { name: 'OpenCVError', message: 'op: plain string' },
  );
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
