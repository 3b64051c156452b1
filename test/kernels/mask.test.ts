// Masks and blending: the binary median against cv.medianBlur, the sigmoid table against Math.exp.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadOpenCV, medianBlur, MatScope, matFromImage, imageFromMat } from '../../lib/cv/index.js';
import { binaryMedian, greaterMask, sigmoidMask } from '../../lib/kernels/mask.js';
import { maxAbsDiff, rng } from '../helpers/random.js';

test.before(async () => {
  await loadOpenCV();
});

function randomMask(w: number, h: number, seed: number, p = 0.5): Uint8Array {
  const next = rng(seed);
  return Uint8Array.from({ length: w * h }, () => (next() < p ? 1 : 0));
}

test('binaryMedian equals cv.medianBlur on 0/1 masks (BORDER_REPLICATE), windows 3 to 35', () => {
  for (const [w, h] of [[1, 1], [7, 5], [40, 30], [13, 77], [120, 90]]) {
    for (const n of [3, 5, 9, 19, 35]) {
      for (const p of [0.3, 0.5, 0.7]) {
        const mask = randomMask(w, h, w * n + h, p);
        using scope = new MatScope();
        const ref = imageFromMat(scope.track(medianBlur(scope.track(matFromImage({ width: w, height: h, channels: 1, data: mask })), { ksize: n }))).data;
        assert.equal(Array.from(binaryMedian(mask, w, h, n)), Array.from(ref), `${w}x${h} n=${n} p=${p}`);
      }
    }
  }
});

test('sigmoidMask matches 1 / (1 + exp(-beta * clip(d, -50, 50))) within 1e-6', () => {
  const next = rng(5);
  const back = Float32Array.from({ length: 10000 }, () => (next() - 0.5) * 300);
  const front = Float32Array.from({ length: 10000 }, () => (next() - 0.5) * 300);
  for (const beta of [0.01, 0.1, 1, 5]) {
    const expected = back.map((b, i) => 1 / (1 + Math.exp(-beta * Math.min(50, Math.max(-50, b - front[i])))));
    assert.ok(maxAbsDiff(sigmoidMask(back, front, beta), expected) < 1e-6, `beta ${beta}`);
  }
  // The clip bounds the mask: [0.0067, 0.9933] for beta 0.1.
  const extreme = sigmoidMask(new Float32Array([1e6, -1e6]), new Float32Array([0, 0]), 0.1);
  assert.ok(Math.abs(extreme[0] - 0.99330715) < 1e-6 && Math.abs(extreme[1] - 0.00669285) < 1e-6);
});

test('greaterMask compares absolute values', () => {
  assert.equal(Array.from(greaterMask(new Float32Array([3, -5, 2, 1]), new Float32Array([2, 4, 2, -7]))), [1, 1, 0, 0]);
});

test.run();
