import assert from 'node:assert/strict';
import { test } from 'uvu';
import { OpenCVError, cv, deleteMat, liveMatCount, loadOpenCV, newMat } from '../../lib/cv/index.js';
import { callInto } from '../../lib/cv/output.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

test('writes into a new Mat, counted as alive, when no dst is given', () => {
  const c = cv();
  const before = liveMatCount();
  const out = callInto('create', undefined, (mat) => mat.create(2, 3, c.CV_8UC1));
  assert.equal(liveMatCount(), before + 1);
  assert.deepEqual([out.rows, out.cols, out.type()], [2, 3, c.CV_8UC1]);
  deleteMat(out);
});

test('writes into the caller\'s dst and returns it', () => {
  const dst = newMat();
  assert.equal(callInto('noop', dst, () => undefined), dst);
  deleteMat(dst);
});

test('deletes the new Mat when the call fails, and names the op', () => {
  const before = liveMatCount();
  let seen: { isDeleted(): boolean } | undefined;
  assert.throws(
    () =>
      callInto('failing', undefined, (mat) => {
        seen = mat;
        throw new Error('boom');
      }),
    (error: unknown) => error instanceof OpenCVError && error.message === 'failing: boom',
  );
  assert.equal(seen?.isDeleted(), true);
  assert.equal(liveMatCount(), before);
});

test('keeps the caller\'s dst when the call fails', () => {
  const dst = newMat();
  assert.throws(() =>
    callInto('failing', dst, () => {
      throw new Error('boom');
    }),
  );
  assert.equal(dst.isDeleted(), false);
  deleteMat(dst);
});

test('rejects a deleted or non-Mat dst before calling', () => {
  const dst = newMat();
  deleteMat(dst);
  let called = false;
  const fn = (): void => {
    called = true;
  };
  assert.throws(() => callInto('op', dst, fn), {
    name: 'TypeError',
    message: 'Expected a Mat for dst but received a deleted Mat (call clone() before delete(), or keep it alive)',
  });
  assert.throws(() => callInto('op', {} as never, fn), { name: 'TypeError', message: 'Expected a Mat for dst but received a Object' });
  assert.equal(called, false);
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
