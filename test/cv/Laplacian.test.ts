import assert from 'node:assert/strict';
import { test } from 'uvu';
import { Laplacian, cv, deleteMat, liveMatCount, loadOpenCV, newMat } from '../../lib/cv/index.js';
import { assertClose, correlate, matOfPlane, planeOf, randomValues, valuesOf, type Plane } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

const plane: Plane = { width: 7, height: 6, data: randomValues(42, 4, -20, 20) };

test('ksize 1 (the default) is the 4-neighbour kernel', () => {
  const src = matOfPlane(plane);
  const out = Laplacian(src);
  try {
    assertClose(valuesOf(out), correlate(plane, [[0, 1, 0], [1, -4, 1], [0, 1, 0]]).data);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('ksize 3 is [[2, 0, 2], [0, -8, 0], [2, 0, 2]]; scale, delta and BORDER_CONSTANT apply', () => {
  const c = cv();
  const src = matOfPlane(plane);
  const out = Laplacian(src, { ksize: 3, scale: 2, delta: 1, borderType: c.BORDER_CONSTANT });
  try {
    const expected = correlate(plane, [[2, 0, 2], [0, -8, 0], [2, 0, 2]], { border: 'constant' }).data.map((v) => 2 * v + 1);
    assertClose(valuesOf(out), expected, 1e-3);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('x^2 + y^2 gives sum k(i, j) (i^2 + j^2) inside: 4, 16 and 256 for ksize 1, 3 and 5', () => {
  // ksize 3: four corners of weight 2 at distance^2 2; ksize 5: the second
  // difference [1, 0, -2, 0, 1] gives 8 on x^2, times 16 for the smoothing
  // [1, 4, 6, 4, 1], for each of the two axes.
  const src = matOfPlane(planeOf(12, 12, (x, y) => x * x + y * y));
  const inside = planeOf(12, 12, (x, y) => (x >= 3 && x <= 8 && y >= 3 && y <= 8 ? 1 : 0)).data;
  const expected = { 1: 4, 3: 16, 5: 256 };
  for (const [ksize, value] of Object.entries(expected)) {
    const out = Laplacian(src, { ksize: Number(ksize) });
    try {
      assert.deepEqual(valuesOf(out).filter((_, j) => inside[j] === 1), new Array(36).fill(value), `ksize ${ksize}`);
    } finally {
      deleteMat(out);
    }
  }
  deleteMat(src);
});

test('ksize above 3 accepts any ddepth (OpenCV computes it through Sobel), and writes into dst', () => {
  const c = cv();
  const src = matOfPlane(planeOf(5, 5, () => 7));
  const dst = newMat();
  try {
    assert.equal(Laplacian(src, { ksize: 5, ddepth: c.CV_8S, dst }), dst);
    assert.equal(dst.type(), c.CV_8SC1);
    assert.deepEqual(valuesOf(dst), new Array(25).fill(0));
  } finally {
    deleteMat(dst);
    deleteMat(src);
  }
});

test('rejects what OpenCV would, with exact messages', () => {
  const c = cv();
  const src = newMat(4, 4, c.CV_32FC1);
  try {
    assert.throws(() => Laplacian(src, { ksize: 2 }), { name: 'RangeError', message: 'Expected an odd integer from 1 to 31 for ksize but received 2 (number)' });
    assert.throws(() => Laplacian(src, { ksize: 33 }), { name: 'RangeError', message: 'Expected an odd integer from 1 to 31 for ksize but received 33 (number)' });
    assert.throws(() => Laplacian(src, { ksize: 3, ddepth: c.CV_64F }), {
      name: 'RangeError',
      message: 'Expected -1 or CV_32F for a CV_32F src for ddepth but received 6 (number)',
    });
    assert.throws(() => Laplacian(src, { scale: NaN }), { name: 'TypeError', message: 'Expected a finite number for scale but received NaN (number)' });
  } finally {
    deleteMat(src);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
