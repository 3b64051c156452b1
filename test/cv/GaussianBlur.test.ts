import assert from 'node:assert/strict';
import { test } from 'uvu';
import { GaussianBlur, cv, deleteMat, liveMatCount, loadOpenCV, newMat } from '../../lib/cv/index.js';
import { assertClose, correlate, matOf, matOfPlane, outer, planeOf, randomValues, valuesOf, type Plane } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

/** The sampled Gaussian of `size` taps, normalised to sum 1. */
function gaussian(size: number, sigma: number): number[] {
  const w = Array.from({ length: size }, (_, i) => Math.exp(-((i - (size - 1) / 2) ** 2) / (2 * sigma * sigma)));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / sum);
}

const plane: Plane = { width: 30, height: 20, data: randomValues(600, 6, 0, 255) };

test('ksize [0, 0], sigma 3 (DIFFERENCES.md 1.3) on CV_32F: a 25-tap Gaussian (8 sigma + 1), BORDER_REFLECT_101', () => {
  const src = matOfPlane(plane);
  const out = GaussianBlur(src, { sigmaX: 3 });
  try {
    const g = gaussian(25, 3);
    assertClose(valuesOf(out), correlate(plane, outer(g, g)).data, 1e-3);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('sigmaY differs from sigmaX: 9 taps across (sigma 1), 17 down (sigma 2)', () => {
  const src = matOfPlane(plane);
  const out = GaussianBlur(src, { sigmaX: 1, sigmaY: 2 });
  try {
    assertClose(valuesOf(out), correlate(plane, outer(gaussian(17, 2), gaussian(9, 1))).data, 1e-3);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('ksize 3 and 5 with sigma 0 are the binomial kernels [1 2 1]/4 and [1 4 6 4 1]/16', () => {
  const c = cv();
  const src = matOfPlane(plane);
  const three = GaussianBlur(src, { ksize: [3, 3] });
  const mixed = GaussianBlur(src, { ksize: [5, 3], borderType: c.BORDER_REPLICATE });
  try {
    const b3 = [1, 2, 1].map((v) => v / 4);
    const b5 = [1, 4, 6, 4, 1].map((v) => v / 16);
    assertClose(valuesOf(three), correlate(plane, outer(b3, b3)).data, 1e-3);
    assertClose(valuesOf(mixed), correlate(plane, outer(b3, b5), { border: 'replicate' }).data, 1e-3);
  } finally {
    deleteMat(mixed);
    deleteMat(three);
    deleteMat(src);
  }
});

test('a constant 8-bit image stays constant; dst is reused', () => {
  const c = cv();
  const src = matOf(6, 6, c.CV_8UC3, new Array(108).fill(77));
  const dst = newMat();
  try {
    assert.equal(GaussianBlur(src, { sigmaX: 2, dst }), dst);
    assert.equal(dst.type(), c.CV_8UC3);
    assert.deepEqual(valuesOf(dst), new Array(108).fill(77));
  } finally {
    deleteMat(dst);
    deleteMat(src);
  }
});

test('rejects what OpenCV would, with exact messages', () => {
  const c = cv();
  const src = matOfPlane(planeOf(4, 4, () => 0));
  const ints = newMat(4, 4, c.CV_32SC1);
  try {
    const cases: [() => unknown, string, string][] = [
      [() => GaussianBlur(src), 'RangeError', 'Expected a positive number when ksize[0] is 0 for sigmaX but received 0 (number)'],
      [() => GaussianBlur(src, { ksize: [4, 3] }), 'RangeError', 'Expected 0 or an odd integer of at least 1 for ksize[0] but received 4 (number)'],
      [() => GaussianBlur(src, { ksize: [3, -1] }), 'RangeError', 'Expected 0 or an odd integer of at least 1 for ksize[1] but received -1 (number)'],
      [() => GaussianBlur(src, { ksize: [3, 0] }), 'RangeError', 'Expected a positive number (or a positive sigmaX) when ksize[1] is 0 for sigmaY but received 0 (number)'],
      [() => GaussianBlur(src, { ksize: 3 as never }), 'TypeError', 'Expected a [width, height] pair or a cv.Size for ksize but received 3 (number)'],
      [() => GaussianBlur(src, { sigmaX: -Infinity }), 'RangeError', 'Expected a finite number for sigmaX but received -Infinity (number)'],
      [() => GaussianBlur(ints, { sigmaX: 1 }), 'TypeError', 'Expected a CV_8U, CV_16U, CV_16S, CV_32F or CV_64F Mat for src but received "CV_32SC1" (string)'],
      [() => GaussianBlur(src, { sigmaX: 1, borderType: c.BORDER_WRAP }), 'RangeError', 'Expected one of BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT, BORDER_REFLECT_101 (optionally | BORDER_ISOLATED) for borderType but received 3 (number)'],
    ];
    for (const [fn, name, message] of cases) assert.throws(fn, { name, message });
  } finally {
    deleteMat(ints);
    deleteMat(src);
  }
});

test('a zero ksize height takes its size from sigmaX when sigmaY is 0', () => {
  const src = matOfPlane(plane);
  const out = GaussianBlur(src, { ksize: [3, 0], sigmaX: 1 });
  try {
    // width 3 with sigma 1 (sigma is given, so the sampled Gaussian), height 9 from sigma 1
    assertClose(valuesOf(out), correlate(plane, outer(gaussian(9, 1), gaussian(3, 1))).data, 1e-3);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
