// Where OpenCV.js comes from: useOpenCV (a namespace, a promise, a loader), the `cv` global of
// a <script>, else the package (Node.js). Every test puts the default back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cv, isOpenCVLoaded, loadOpenCV, reloadOpenCV, useOpenCV, type CV } from '../../lib/cv/index.js';

const host = globalThis as { cv?: unknown };
let real: CV;

test.before(async () => {
  real = await loadOpenCV();
});

test.after.each(async () => {
  delete host.cv;
  useOpenCV();
  await loadOpenCV();
});

test('useOpenCV(namespace) is used as it is; useOpenCV() goes back to the package', async () => {
  const fake = { Mat: function Mat() {} } as unknown as CV;
  useOpenCV(fake);
  assert.is(isOpenCVLoaded(), false, 'the old instance is dropped');
  assert.is(await loadOpenCV(), fake);
  assert.is(cv(), fake);
  useOpenCV();
  assert.is(await loadOpenCV(), real, 'the package again: the same instance as before (require caches it)');
});

test('a loader may resolve to a module still initialising; reloadOpenCV calls it again with fresh', async () => {
  const calls: boolean[] = [];
  const made: object[] = [];
  useOpenCV((fresh) => {
    calls.push(fresh);
    const mod: { Mat?: unknown; onRuntimeInitialized?: () => void } = {};
    made.push(mod);
    setTimeout(() => {
      mod.Mat = function Mat() {};
      mod.onRuntimeInitialized?.();
    }, 5);
    return mod;
  });
  const first = await loadOpenCV();
  assert.is(first, made[0]);
  assert.is(await loadOpenCV(), first, 'loaded once');
  const second = await reloadOpenCV();
  assert.is(second, made[1]);
  assert.equal(calls, [false, true]);
});

test('a loader that fails gives one clear error, and a later call tries again', async () => {
  let fail = true;
  useOpenCV(async () => {
    if (fail) throw new Error('no network');
    return real;
  });
  await loadOpenCV().then(
    () => assert.unreachable(),
    (error: Error) => assert.is(error.message, 'Cannot load OpenCV.js: no network'),
  );
  fail = false;
  assert.is(await loadOpenCV(), real);
  useOpenCV(() => null);
  await loadOpenCV().then(
    () => assert.unreachable(),
    (error: Error) => assert.is(error.message, 'Cannot load OpenCV.js: the source gave null, not OpenCV.js'),
  );
  assert.throws(() => useOpenCV(42 as never), (error: Error) => error instanceof TypeError && /received number/.test(error.message));
});

test('the cv global of a <script> comes before the package', async () => {
  const fake = { Mat: function Mat() {} };
  host.cv = Promise.resolve(fake);
  useOpenCV();
  assert.is(await loadOpenCV(), fake);
  delete host.cv;
  useOpenCV();
  assert.is(await loadOpenCV(), real, 'without it, the package');
});

test.run();
