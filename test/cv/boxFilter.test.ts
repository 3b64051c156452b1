import assert from 'node:assert/strict';
import { test } from 'uvu';
import { boxFilter, cv, deleteMat, liveMatCount, loadOpenCV, newMat } from '../../lib/cv/index.js';
import { assertClose, correlate, matOf, matOfPlane, planeOf, randomValues, valuesOf, type Plane } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

const ones = planeOf(5, 4, () => 1);

test('unnormalised 3x3 of ones is 9 everywhere with BORDER_REFLECT_101 (DIFFERENCES.md 1.2 box sum)', () => {
  const src = matOfPlane(ones);
  const out = boxFilter(src, { normalize: false });
  try {
    assert.deepEqual(valuesOf(out), new Array(20).fill(9));
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('with BORDER_CONSTANT it counts the pixels inside: 4 at corners, 6 on edges, 9 inside', () => {
  const c = cv();
  const src = matOfPlane(ones);
  const out = boxFilter(src, { normalize: false, borderType: c.BORDER_CONSTANT });
  try {
    const edge = (i: number, n: number): number => (i === 0 || i === n - 1 ? 2 : 3);
    assert.deepEqual(valuesOf(out), planeOf(5, 4, (x, y) => edge(x, 5) * edge(y, 4)).data);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('normalised is the mean; an even ksize [2, 3] centres at floor(size / 2)', () => {
  const plane: Plane = { width: 7, height: 5, data: randomValues(35, 8, -5, 5) };
  const src = matOfPlane(plane);
  const mean = boxFilter(src);
  const even = boxFilter(src, { ksize: [2, 3], normalize: false, anchor: [-1, 0] });
  try {
    const k3 = [0, 1, 2].map(() => [1, 1, 1].map((v) => v / 9));
    assertClose(valuesOf(mean), correlate(plane, k3).data);
    assertClose(valuesOf(even), correlate(plane, [[1, 1], [1, 1], [1, 1]], { anchor: [1, 0] }).data);
  } finally {
    deleteMat(even);
    deleteMat(mean);
    deleteMat(src);
  }
});

test('ddepth CV_32S holds the sums of an 8-bit image exactly; dst is reused', () => {
  const c = cv();
  const src = matOf(3, 3, c.CV_8UC1, new Array(9).fill(255));
  const dst = newMat();
  try {
    assert.equal(boxFilter(src, { normalize: false, ddepth: c.CV_32S, dst }), dst);
    assert.equal(dst.type(), c.CV_32SC1);
    assert.deepEqual(valuesOf(dst), new Array(9).fill(2295));
  } finally {
    deleteMat(dst);
    deleteMat(src);
  }
});

test('rejects what OpenCV would, with exact messages', () => {
  const c = cv();
  const src = matOfPlane(ones);
  const bytes = newMat(2, 2, c.CV_8SC1);
  try {
    const cases: [() => unknown, string, string][] = [
      [() => boxFilter(src, { ddepth: c.CV_32S }), 'RangeError', 'Expected -1, CV_8U, CV_16U, CV_16S, CV_32F or CV_64F for a CV_32F src for ddepth but received 4 (number)'],
      [() => boxFilter(bytes), 'TypeError', 'Expected a CV_8U, CV_16U, CV_16S, CV_32S, CV_32F or CV_64F Mat for src but received "CV_8SC1" (string)'],
      [() => boxFilter(src, { ksize: [0, 3] }), 'RangeError', 'Expected an integer of at least 1 for ksize[0] but received 0 (number)'],
      [() => boxFilter(src, { ksize: [3] as never }), 'TypeError', 'Expected a [width, height] pair or a cv.Size for ksize but received an array of length 1'],
      [() => boxFilter(src, { anchor: [-2, 0] }), 'RangeError', 'Expected an integer from -1 to 2 for anchor[0] but received -2 (number)'],
      [() => boxFilter(src, { normalize: 'yes' as never }), 'TypeError', 'Expected a boolean for normalize but received "yes" (string)'],
      [() => boxFilter(src, { borderType: c.BORDER_TRANSPARENT }), 'RangeError', 'Expected one of BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT, BORDER_WRAP, BORDER_REFLECT_101 (optionally | BORDER_ISOLATED) for borderType but received 5 (number)'],
    ];
    for (const [fn, name, message] of cases) assert.throws(fn, { name, message });
  } finally {
    deleteMat(bytes);
    deleteMat(src);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
