import assert from 'node:assert/strict';
import { test } from 'uvu';
import { Sobel, cv, deleteMat, liveMatCount, loadOpenCV, newMat } from '../../lib/cv/index.js';
import { assertClose, correlate, matOf, matOfPlane, outer, planeOf, randomValues, valuesOf, type Plane } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

const plane: Plane = { width: 8, height: 6, data: randomValues(48, 3, 0, 50) };

// Sobel kernels as outer products of smoothing [1 2 1] and differences.
const cases: [string, Parameters<typeof Sobel>[1], number[][]][] = [
  ['dx=1, ksize 3', { dx: 1, dy: 0 }, outer([1, 2, 1], [-1, 0, 1])],
  ['dy=1, ksize 3', { dx: 0, dy: 1 }, outer([-1, 0, 1], [1, 2, 1])],
  ['dx=2, ksize 3', { dx: 2, dy: 0 }, outer([1, 2, 1], [1, -2, 1])],
  ['dx=1, dy=1, ksize 3', { dx: 1, dy: 1 }, outer([-1, 0, 1], [-1, 0, 1])],
  ['dx=1, ksize 1 (no smoothing)', { dx: 1, dy: 0, ksize: 1 }, [[-1, 0, 1]]],
  ['dx=1, ksize 5', { dx: 1, dy: 0, ksize: 5 }, outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1])],
  ['Scharr dx=1 (ksize -1)', { dx: 1, dy: 0, ksize: -1 }, outer([3, 10, 3], [-1, 0, 1])],
];
for (const [name, options, kernel] of cases) {
  test(`${name} matches a naive correlation with its kernel`, () => {
    const src = matOfPlane(plane);
    const out = Sobel(src, options);
    try {
      assertClose(valuesOf(out), correlate(plane, kernel).data, 1e-3);
    } finally {
      deleteMat(out);
      deleteMat(src);
    }
  });
}

test('scale, delta and BORDER_REPLICATE', () => {
  const c = cv();
  const src = matOfPlane(plane);
  const out = Sobel(src, { dx: 1, dy: 0, scale: 0.5, delta: 2, borderType: c.BORDER_REPLICATE });
  try {
    const expected = correlate(plane, outer([1, 2, 1], [-1, 0, 1]), { border: 'replicate' }).data.map((v) => 0.5 * v + 2);
    assertClose(valuesOf(out), expected, 1e-3);
  } finally {
    deleteMat(out);
    deleteMat(src);
  }
});

test('a ramp of slope -3 gives -24 inside and 0 on the reflected left/right borders; CV_16S keeps the sign', () => {
  const c = cv();
  const ramp = planeOf(5, 3, (x) => 200 - 3 * x);
  const src = matOfPlane(ramp, c.CV_8UC1);
  const wide = Sobel(src, { dx: 1, dy: 0, ddepth: c.CV_16S });
  const narrow = Sobel(src, { dx: 1, dy: 0 });
  try {
    assert.equal(wide.type(), c.CV_16SC1);
    assert.deepEqual(valuesOf(wide), planeOf(5, 3, (x) => (x === 0 || x === 4 ? 0 : -24)).data);
    assert.deepEqual(valuesOf(narrow), new Array(15).fill(0), 'ddepth -1 saturates negatives to 0');
  } finally {
    deleteMat(narrow);
    deleteMat(wide);
    deleteMat(src);
  }
});

test('writes into dst', () => {
  const src = matOf(1, 3, cv().CV_32FC1, [1, 2, 4]);
  const dst = newMat();
  try {
    assert.equal(Sobel(src, { dx: 1, dy: 0, ksize: 1, dst }), dst);
    assert.deepEqual(valuesOf(dst), [0, 3, 0]);
  } finally {
    deleteMat(dst);
    deleteMat(src);
  }
});

test('rejects what OpenCV would, with exact messages', () => {
  const c = cv();
  const src = newMat(4, 4, c.CV_32FC1);
  const doubles = newMat(4, 4, c.CV_64FC1);
  try {
    const cases: [() => unknown, string, string][] = [
      [() => Sobel(src, { dx: 1, dy: 0, ksize: 4 }), 'RangeError', 'Expected -1 or an odd integer from 1 to 31 for ksize but received 4 (number)'],
      [() => Sobel(src, { dx: 1, dy: 0, ksize: 33 }), 'RangeError', 'Expected -1 or an odd integer from 1 to 31 for ksize but received 33 (number)'],
      [() => Sobel(src, { dx: 1, dy: 0, ksize: '3' as never }), 'TypeError', 'Expected -1 or an odd integer from 1 to 31 for ksize but received "3" (string)'],
      [() => Sobel(src, { dx: 3, dy: 0 }), 'RangeError', 'Expected an integer from 0 to 2 for dx but received 3 (number)'],
      [() => Sobel(src, { dx: 0, dy: 5, ksize: 5 }), 'RangeError', 'Expected an integer from 0 to 4 for dy but received 5 (number)'],
      [() => Sobel(src, { dx: 0, dy: 0 }), 'RangeError', 'Expected at least 1 for dx + dy but received 0 (number)'],
      [() => Sobel(src, { dx: 1, dy: 1, ksize: -1 }), 'RangeError', 'Expected exactly 1 for the Scharr filter (ksize -1) for dx + dy but received 2 (number)'],
      [() => Sobel(src, {} as never), 'TypeError', 'Expected an integer from 0 to 2 for dx but received undefined'],
      [() => Sobel(doubles, { dx: 1, dy: 0, ddepth: c.CV_32F }), 'RangeError', 'Expected -1, CV_8U, CV_16U, CV_16S or CV_64F for a CV_64F src for ddepth but received 5 (number)'],
      [() => Sobel(src, { dx: 1, dy: 0, ddepth: c.CV_8S }), 'RangeError', 'Expected -1, CV_8U, CV_16U, CV_16S, CV_32F or CV_64F for a CV_32F src for ddepth but received 1 (number)'],
      [() => Sobel(src, { dx: 1, dy: 0, borderType: c.BORDER_TRANSPARENT }), 'RangeError', 'Expected one of BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT, BORDER_REFLECT_101 (optionally | BORDER_ISOLATED) for borderType but received 5 (number)'],
    ];
    for (const [fn, name, message] of cases) assert.throws(fn, { name, message });
  } finally {
    deleteMat(doubles);
    deleteMat(src);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
