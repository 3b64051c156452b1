// The runtime: loaded once, shared, and reloadable into a fresh instance (as after WASM exceptions).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cv, heapSize, isOpenCVLoaded, loadOpenCV, MatScope, medianBlur, newMat, reloadOpenCV } from '../../lib/cv/index.js';

test('loadOpenCV resolves to one shared instance', async () => {
  const first = await loadOpenCV();
  assert.ok(isOpenCVLoaded());
  assert.is(await loadOpenCV(), first);
  assert.is(cv(), first);
  assert.ok(heapSize() >= 16 * 2 ** 20, 'the heap has its initial size');
});

test('reloadOpenCV gives a fresh instance that works', async () => {
  const old = await loadOpenCV();
  const fresh = await reloadOpenCV();
  assert.is.not(fresh, old);
  assert.is(cv(), fresh);
  using scope = new MatScope();
  const src = scope.track(newMat(3, 3, fresh.CV_8UC1));
  src.data.set([0, 0, 0, 0, 9, 0, 0, 0, 0]);
  const out = scope.track(medianBlur(src, { ksize: 3 }));
  assert.equal(Array.from(out.data), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test.run();
