import assert from 'node:assert/strict';
import { test } from 'uvu';
import * as lib from '../../lib/cv/index.js';
import { cv, deleteMat, heapSize, liveMatCount, loadOpenCV, type Mat } from '../../lib/cv/index.js';
import { matOf, randomValues } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

/** One call of every wrapper on `src` (a CV_32FC3 Mat) and its 8-bit twin, deleting what each returns. */
function runAll(src: Mat, bytes: Mat): void {
  const c = cv();
  const gray = lib.cvtColor(bytes, { code: c.COLOR_BGR2GRAY });
  const outs: Mat[] = [
    gray,
    lib.filter2D(src, { kernel: [[-1, 2, -1]] }),
    lib.Sobel(src, { dx: 1, dy: 0 }),
    lib.Laplacian(src, { ksize: 3 }),
    lib.GaussianBlur(src, { sigmaX: 3 }),
    lib.boxFilter(src, { normalize: false }),
    lib.medianBlur(bytes, { ksize: 5 }),
    lib.pyrDown(src),
    lib.pyrUp(src, { dstsize: [2 * src.cols - 1, 2 * src.rows + 1] }),
    lib.resize(src, { fx: 0.7, fy: 1.3 }),
    ...lib.split(src),
    lib.absdiff(src, src),
    lib.add(bytes, bytes, { mask: gray }),
    lib.subtract(src, src, { dtype: c.CV_64F }),
    lib.multiply(src, src, { scale: 0.5 }),
    lib.convertTo(bytes, { rtype: c.CV_32F }),
    lib.threshold(gray, { thresh: 0, maxval: 255, type: c.THRESH_BINARY | c.THRESH_OTSU }).dst,
  ];
  outs.push(lib.merge([outs[1], outs[2]]));
  outs.forEach(deleteMat);
  // rejected calls allocate nothing either
  assert.throws(() => lib.filter2D(src, { kernel: [[1, 2], [3]] }));
  assert.throws(() => lib.add(src, bytes));
}

test('every wrapper, run 40 times on 512x384 images, leaves no Mat alive and does not grow the WebAssembly heap', () => {
  const c = cv();
  const values = randomValues(512 * 384 * 3, 2024, 0, 256, true);
  const src = matOf(384, 512, c.CV_32FC3, values);
  const bytes = matOf(384, 512, c.CV_8UC3, values);
  try {
    const before = liveMatCount();
    for (let i = 0; i < 5; i++) runAll(src, bytes); // let the heap reach its working size
    const heap = heapSize();
    for (let i = 0; i < 35; i++) runAll(src, bytes);
    assert.equal(liveMatCount(), before);
    assert.equal(heapSize(), heap);
  } finally {
    deleteMat(bytes);
    deleteMat(src);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
