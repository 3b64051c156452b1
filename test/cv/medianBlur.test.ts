import assert from 'node:assert/strict';
import { test } from 'uvu';
import { cv, deleteMat, liveMatCount, loadOpenCV, medianBlur, newMat } from '../../lib/cv/index.js';
import { at, matOf, randomValues, valuesOf, type Plane } from './support.js';

let live = 0;
test.before(async () => {
  await loadOpenCV();
  live = liveMatCount();
});

/** Median of the ksize x ksize window, border replicated (OpenCV's medianBlur border). */
function naiveMedian(src: Plane, ksize: number): number[] {
  const r = (ksize - 1) / 2;
  const out: number[] = [];
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      const window: number[] = [];
      for (let i = -r; i <= r; i++) for (let j = -r; j <= r; j++) window.push(at(src, x + j, y + i, 'replicate'));
      window.sort((a, b) => a - b);
      out.push(window[(window.length - 1) / 2]);
    }
  }
  return out;
}

for (const ksize of [3, 5, 7]) {
  test(`ksize ${ksize} on 8-bit data matches a naive median with replicated border`, () => {
    const plane: Plane = { width: 9, height: 8, data: randomValues(72, ksize, 0, 256, true) };
    const src = matOf(8, 9, cv().CV_8UC1, plane.data);
    const out = medianBlur(src, { ksize });
    try {
      assert.deepEqual(valuesOf(out), naiveMedian(plane, ksize));
    } finally {
      deleteMat(out);
      deleteMat(src);
    }
  });
}

test('defaults to ksize 3 and writes into dst', () => {
  const c = cv();
  const src = matOf(1, 5, c.CV_32FC1, [1, 9, 2, 8, 3]);
  const dst = newMat();
  try {
    assert.equal(medianBlur(src, { dst }), dst);
    // rows replicate, so each window is 3 copies of the row triple: the median of the triple
    assert.deepEqual(valuesOf(dst), [1, 2, 8, 3, 3]);
  } finally {
    deleteMat(dst);
    deleteMat(src);
  }
});

test('rejects an even ksize and a non-8-bit image for ksize > 5, with exact messages', () => {
  const src = newMat(3, 3, cv().CV_32FC1);
  try {
    assert.throws(() => medianBlur(src, { ksize: 4 }), {
      name: 'RangeError',
      message: 'Expected an odd integer of at least 3 for ksize but received 4 (number)',
    });
    assert.throws(() => medianBlur(src, { ksize: 7 }), {
      name: 'TypeError',
      message: 'Expected a CV_8U Mat for src but received "CV_32FC1" (string)',
    });
  } finally {
    deleteMat(src);
  }
});

test('leaves no Mat alive', () => {
  assert.equal(liveMatCount(), live);
});

test.run();
