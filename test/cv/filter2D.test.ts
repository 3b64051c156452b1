import assert from 'node:assert/strict';
import { test } from 'uvu';
import { cv, deleteMat, filter2D, liveMatCount, loadOpenCV, newMat, type Mat } from '../../lib/cv/index.js';
import { assertClose, channel, correlate, matOf, matOfPlane, planeOf, randomValues, valuesOf, type Plane } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

const plane: Plane = { width: 9, height: 7, data: randomValues(63, 1, -10, 10) };
const kernel = [0, 1, 2].map((i) => randomValues(5, 10 + i, -1, 1)); // 3 rows x 5 columns, asymmetric

/** Run `fn` with Mats that are deleted afterwards. */
function using(mats: Mat[], fn: () => void): void {
  try {
    fn();
  } finally {
    mats.forEach(deleteMat);
  }
}

test('matches a naive correlation with BORDER_REFLECT_101 (an asymmetric 3x5 kernel)', () => {
  const src = matOfPlane(plane);
  const out = filter2D(src, { kernel });
  using([src, out], () => {
    assert.equal(out.type(), cv().CV_32FC1);
    assertClose(valuesOf(out), correlate(plane, kernel).data);
  });
});

test('honours anchor, delta and BORDER_CONSTANT', () => {
  const c = cv();
  const src = matOfPlane(plane);
  const out = filter2D(src, { kernel, anchor: [0, 2], delta: 0.5, borderType: c.BORDER_CONSTANT });
  using([src, out], () => {
    assertClose(valuesOf(out), correlate(plane, kernel, { anchor: [0, 2], delta: 0.5, border: 'constant' }).data);
  });
});

test('a kernel Mat (CV_64F) gives the same result as the array', () => {
  const c = cv();
  const src = matOfPlane(plane);
  const k = matOf(3, 5, c.CV_64FC1, kernel.flat());
  const out = filter2D(src, { kernel: k });
  using([src, k, out], () => {
    assert.equal(k.isDeleted(), false, 'the caller\'s kernel is not deleted');
    assertClose(valuesOf(out), correlate(plane, kernel).data);
  });
});

test('filters each channel alone', () => {
  const c = cv();
  const values = randomValues(4 * 5 * 3, 5, 0, 100);
  const src = matOf(4, 5, c.CV_32FC3, values);
  const out = filter2D(src, { kernel });
  using([src, out], () => {
    assert.equal(out.type(), c.CV_32FC3);
    for (let k = 0; k < 3; k++) {
      const expected = correlate({ width: 5, height: 4, data: channel(values, 3, k) }, kernel).data;
      assertClose(channel(valuesOf(out), 3, k), expected, 1e-3, `channel ${k}`);
    }
  });
});

test('a 1x3 kernel is horizontal and a 3x1 kernel vertical (DIFFERENCES.md B2)', () => {
  // src(x, y) = y^2: constant along rows, so the row kernel gives 0 and the
  // column kernel -(y-1)^2 + 2y^2 - (y+1)^2 = -2, also on the top border
  // (reflected), and 2((H-1)^2 - (H-2)^2) = 2(2H - 3) on the bottom one.
  const H = 6;
  const ramp = planeOf(4, H, (_x, y) => y * y);
  const src = matOfPlane(ramp);
  const row = filter2D(src, { kernel: [[-1, 2, -1]] });
  const column = filter2D(src, { kernel: [[-1], [2], [-1]] });
  using([src, row, column], () => {
    assert.deepEqual(valuesOf(row), new Array(4 * H).fill(0));
    const bottom = 2 * (2 * H - 3);
    assert.deepEqual(valuesOf(column), planeOf(4, H, (_x, y) => (y === H - 1 ? bottom : -2)).data);
  });
});

test('ddepth CV_16S keeps the negative responses of an 8-bit image; ddepth -1 saturates', () => {
  const c = cv();
  const bytes = [0, 200, 0, 255, 10, 100];
  const src = matOf(1, 6, c.CV_8UC1, bytes);
  const wide = filter2D(src, { kernel: [[-1, 2, -1]], ddepth: c.CV_16S });
  const narrow = filter2D(src, { kernel: [[-1, 2, -1]] });
  using([src, wide, narrow], () => {
    const expected = correlate({ width: 6, height: 1, data: bytes }, [[-1, 2, -1]]).data;
    assert.deepEqual(expected, [-400, 400, -455, 500, -335, 180]);
    assert.equal(wide.type(), c.CV_16SC1);
    assert.deepEqual(valuesOf(wide), expected);
    assert.deepEqual(valuesOf(narrow), [0, 255, 0, 255, 0, 180]);
  });
});

test('writes into dst', () => {
  const src = matOfPlane(plane);
  const dst = newMat();
  using([src, dst], () => {
    assert.equal(filter2D(src, { kernel, dst }), dst);
    assertClose(valuesOf(dst), correlate(plane, kernel).data);
  });
});

test('rejects bad input with exact messages, before calling OpenCV', () => {
  const c = cv();
  const src = newMat(4, 4, c.CV_32FC1);
  const bytes = newMat(4, 4, c.CV_8SC1);
  const threeChannelKernel = newMat(3, 3, c.CV_32FC3);
  const gone = newMat(4, 4, c.CV_32FC1);
  deleteMat(gone);
  const empty = newMat();
  const cases: [() => unknown, string, string][] = [
    [() => filter2D(src, {} as never), 'TypeError', 'Expected a non-empty array of rows of numbers, or a Mat for kernel but received undefined'],
    [() => filter2D(src, { kernel: [] }), 'TypeError', 'Expected a non-empty array of rows of numbers, or a Mat for kernel but received an array of length 0'],
    [() => filter2D(src, { kernel: [[1, 2, 3], [4, 5]] }), 'TypeError', 'Expected a row of 3 numbers (as kernel[0]) for kernel[1] but received an array of length 2'],
    [() => filter2D(src, { kernel: [[1, NaN]] }), 'TypeError', 'Expected a finite number for kernel[0][1] but received NaN (number)'],
    [() => filter2D(src, { kernel: threeChannelKernel }), 'TypeError', 'Expected a single-channel Mat for kernel but received "CV_32FC3" (string)'],
    [() => filter2D(src, { kernel: [[1, 1, 1]], anchor: [3, 0] }), 'RangeError', 'Expected an integer from -1 to 2 for anchor[0] but received 3 (number)'],
    [() => filter2D(src, { kernel: [[1, 1, 1]], anchor: [0, 1] }), 'RangeError', 'Expected an integer from -1 to 0 for anchor[1] but received 1 (number)'],
    [() => filter2D(src, { kernel, ddepth: c.CV_64F }), 'RangeError', 'Expected -1 or CV_32F for a CV_32F src for ddepth but received 6 (number)'],
    [() => filter2D(src, { kernel, borderType: c.BORDER_WRAP }), 'RangeError', 'Expected one of BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT, BORDER_REFLECT_101 (optionally | BORDER_ISOLATED) for borderType but received 3 (number)'],
    [() => filter2D(src, { kernel, delta: Infinity }), 'RangeError', 'Expected a finite number for delta but received Infinity (number)'],
    [() => filter2D(bytes, { kernel }), 'TypeError', 'Expected a CV_8U, CV_16U, CV_16S, CV_32F or CV_64F Mat for src but received "CV_8SC1" (string)'],
    [() => filter2D(gone, { kernel }), 'TypeError', 'Expected a Mat for src but received a deleted Mat (call clone() before delete(), or keep it alive)'],
    [() => filter2D(empty, { kernel }), 'TypeError', 'Expected a non-empty Mat for src but received "an empty Mat" (string)'],
    [() => filter2D([[1]] as never, { kernel }), 'TypeError', 'Expected a Mat for src but received an array of length 1'],
  ];
  using([src, bytes, threeChannelKernel, empty], () => {
    const before = liveMatCount();
    for (const [fn, name, message] of cases) assert.throws(fn, { name, message });
    assert.equal(liveMatCount(), before, 'no kernel Mat left by a rejected call');
  });
});

test('an ISOLATED border is accepted', () => {
  const c = cv();
  const src = matOfPlane(plane);
  const out = filter2D(src, { kernel, borderType: c.BORDER_REFLECT_101 | c.BORDER_ISOLATED });
  using([src, out], () => assertClose(valuesOf(out), correlate(plane, kernel).data));
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
