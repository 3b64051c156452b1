// The fold kernels against straightforward implementations written here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boxSum } from '../../lib/kernels/activity.js';
import {
  argmaxAdd,
  blendByAlpha,
  boxSumRunning,
  guidedFilter,
  guidedFilterRows,
  guidedFilterScratch,
  guidedFilterStream,
  indexToDepth,
  jumpMask,
  majorityByColumns,
  majorityByPixels,
  softmaxAdd,
  windowSumsInPlace,
  windowSumsScratch,
} from '../../lib/kernels/fold.js';
import { maxAbsDiff, rng } from '../helpers/random.js';

const clamp = (v: number, n: number) => (v < 0 ? 0 : v >= n ? n - 1 : v);

/** The mode of each n x n window (replicated border): own label if among the most frequent, else the lowest. */
function naiveMajority(src: Uint16Array, w: number, h: number, n: number, labels: number): Uint16Array {
  const out = new Uint16Array(src.length);
  const r = n >> 1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const counts = new Array<number>(labels).fill(0);
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) counts[src[clamp(y + dy, h) * w + clamp(x + dx, w)]]++;
    const max = Math.max(...counts);
    const own = src[y * w + x];
    out[y * w + x] = counts[own] === max ? own : counts.indexOf(max);
  }
  return out;
}

test('majority filters, both ways, equal the mode of each window', () => {
  const next = rng(3);
  for (const [w, h, n, labels] of [[23, 17, 5, 3], [9, 30, 7, 12], [4, 3, 9, 5], [31, 11, 3, 40]]) {
    // Blobs, so that windows have clear and unclear majorities.
    const src = Uint16Array.from({ length: w * h }, (_, i) => (next() < 0.3 ? Math.floor(next() * labels) : Math.floor(((i % w) * labels) / w)));
    const expected = Array.from(naiveMajority(src, w, h, n, labels));
    assert.equal(Array.from(majorityByColumns(src, w, h, n, labels, new Uint16Array(w * h))), expected, `columns ${w}x${h} n=${n} L=${labels}`);
    assert.equal(Array.from(majorityByPixels(src, w, h, n, labels, new Uint16Array(w * h))), expected, `pixels ${w}x${h} n=${n} L=${labels}`);
  }
});

test('boxSumRunning equals the box sum of kernels (O(k) columns)', () => {
  const next = rng(4);
  for (const [w, h, k] of [[40, 30, 9], [13, 70, 61], [5, 4, 3]]) {
    const plane = Float32Array.from({ length: w * h }, () => next() * 100);
    const expected = boxSum(plane.slice(), w, h, k);
    const actual = boxSumRunning(plane.slice(), w, h, k, new Float32Array(w * h));
    // float32 sums of up to 61 x 61 values of up to 100: a few ulps of 4e5.
    assert.ok(maxAbsDiff(actual, expected) <= 1e-6 * k * k * 100, `${w}x${h} k=${k}: ${maxAbsDiff(actual, expected)}`);
  }
});

test('the guided filter equals its definition with plain box means', () => {
  const next = rng(5);
  const w = 20, h = 15, r = 2, eps = 0.1;
  const I = Float32Array.from({ length: w * h }, () => next());
  const p = Float32Array.from({ length: w * h }, (_, i) => (i % w < 8 ? 1 : 0));
  const reflect = (v: number, n: number) => (v < 0 ? -v : v >= n ? 2 * n - 2 - v : v);
  const mean = (f: (i: number) => number) => Float64Array.from({ length: w * h }, (_, i) => {
    const x = i % w, y = Math.floor(i / w);
    let s = 0;
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) s += f(reflect(y + dy, h) * w + reflect(x + dx, w));
    return s / (2 * r + 1) ** 2;
  });
  const mI = mean((i) => I[i]), mP = mean((i) => p[i]), mIp = mean((i) => I[i] * p[i]), mII = mean((i) => I[i] * I[i]);
  const a = mI.map((_, i) => (mIp[i] - mI[i] * mP[i]) / (mII[i] - mI[i] * mI[i] + eps));
  const b = mP.map((v, i) => v - a[i] * mI[i]);
  const ma = mean((i) => a[i]), mb = mean((i) => b[i]);
  const expected = I.map((v, i) => ma[i] * v + mb[i]);
  const actual = guidedFilter(I, p.slice(), w, h, r, eps, new Float32Array(guidedFilterScratch(w, r)), new Float32Array(w * h));
  assert.ok(maxAbsDiff(actual, expected) < 1e-5, `max diff ${maxAbsDiff(actual, expected)}`);
});

/**
 * The guided filter over full planes, as the kernel was before it streamed rows
 * (1.x): five float32 planes, box means by boxSumRunning (float64 running sums
 * down the columns of float32 row sums).
 */
function planeGuidedFilter(guide: Float32Array, p: Float32Array, width: number, height: number, r: number, eps: number): Float32Array {
  const k = 2 * r + 1, n = guide.length;
  const [t, meanI, meanP, corrIp, corrII] = [0, 1, 2, 3, 4].map(() => new Float32Array(n));
  const boxMean = (plane: Float32Array, out: Float32Array) => boxSumRunning(plane, width, height, k, out, 1 / (k * k));
  t.set(guide);
  boxMean(t, meanI);
  t.set(p);
  boxMean(t, meanP);
  for (let i = 0; i < n; i++) t[i] = guide[i] * p[i];
  boxMean(t, corrIp);
  for (let i = 0; i < n; i++) t[i] = guide[i] * guide[i];
  boxMean(t, corrII);
  for (let i = 0; i < n; i++) {
    const mi = meanI[i];
    const a = (corrIp[i] - mi * meanP[i]) / (corrII[i] - mi * mi + eps);
    corrIp[i] = a;
    meanP[i] -= a * mi;
  }
  boxMean(corrIp, meanI);
  boxMean(meanP, corrII);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = meanI[i] * guide[i] + corrII[i];
  return out;
}

test('the guided filter streamed over rows equals it over full planes, bit for bit', () => {
  const next = rng(6);
  // Heights below, at and above the rings (2r+2 rows), one row, one column, windows wider than the image.
  const sizes: [number, number, number][] = [[20, 15, 2], [7, 1, 2], [1, 9, 1], [5, 4, 3], [13, 6, 2], [9, 7, 0], [31, 40, 5], [16, 11, 4], [3, 50, 2], [64, 48, 2]];
  for (const [w, h, r] of sizes) for (const eps of [0.01, 0.5]) {
    const I = Float32Array.from({ length: w * h }, () => next());
    // A weight map as dmap gives it (0/1 blobs) and noise.
    const p = Float32Array.from({ length: w * h }, (_, i) => ((i % w) + next() * 4 < w / 2 ? 1 : next() < 0.1 ? next() : 0));
    const expected = planeGuidedFilter(I, p, w, h, r, eps);
    // In place (out = p) with scratch of the announced size, left-over values in it.
    const q = p.slice();
    const scratch = Float32Array.from({ length: guidedFilterScratch(w, r) }, () => next() * 1e6);
    const actual = guidedFilter(I, q, w, h, r, eps, scratch, q);
    const differ = actual.findIndex((v, i) => !Object.is(v, expected[i]));
    assert.is(differ, -1, `${w}x${h} r=${r} eps=${eps}: first difference at ${differ}`);
  }
});

test('guidedFilterRows reads each row once, in order, and emits rows in order at most 2r rows behind', () => {
  const w = 6, h = 23, r = 3;
  const I = Float32Array.from({ length: w * h }, (_, i) => (i * 37 % 11) / 11);
  const p = Float32Array.from({ length: w * h }, (_, i) => (i % 5 < 2 ? 1 : 0));
  const events: string[] = [];
  let read = -1;
  const out = new Float32Array(w * h);
  guidedFilterRows(w, h, r, 0.01, new Float32Array(guidedFilterScratch(w, r)), {
    guide: (y, row) => { events.push(`g${y}`); row.set(I.subarray(y * w, (y + 1) * w)); },
    input: (y, row) => { events.push(`p${y}`); read = y; row.set(p.subarray(y * w, (y + 1) * w)); },
    emit: (y, q, g) => {
      events.push(`q${y}`);
      assert.ok(read >= y && read <= y + 2 * r, `row ${y} emitted with rows read up to ${read}`);
      assert.equal(Array.from(g), Array.from(I.subarray(y * w, (y + 1) * w)));
      out.set(q, y * w);
    },
  });
  const order = (c: string) => events.filter((e) => e[0] === c).map((e) => Number(e.slice(1)));
  const rows = Array.from({ length: h }, (_, y) => y);
  assert.equal(order('g'), rows);
  assert.equal(order('p'), rows);
  assert.equal(order('q'), rows);
  assert.equal(Array.from(out), Array.from(planeGuidedFilter(I, p, w, h, r, 0.01)));
});

test('windowSumsInPlace equals two box sums over planes (boxSumRunning), combined, bit for bit', () => {
  const next = rng(11);
  // The measure's windows (3 and 61) on images smaller and larger than the wide window, one row, one column.
  const cases: [number, number, number, number, number][] = [[40, 70, 3, 61, 0.01 * 9 / 3721], [70, 40, 3, 61, 0.5], [9, 1, 3, 61, 0.2], [1, 12, 3, 5, 1], [33, 29, 9, 61, 0.02], [17, 23, 5, 7, 0], [64, 130, 3, 61, 0.001], [12, 10, 1, 3, 0.3]];
  for (const [w, h, k, wide, scale] of cases) {
    const plane = Float32Array.from({ length: w * h }, () => (next() < 0.2 ? 0 : next() * 500));
    // The measure as it was: the local sum over the plane, the wide one over a copy, then local += scale * wide.
    const local = boxSumRunning(plane.slice(), w, h, k, new Float32Array(w * h));
    if (scale !== 0) {
      const wideSums = boxSumRunning(plane.slice(), w, h, wide, new Float32Array(w * h));
      for (let i = 0; i < w * h; i++) local[i] += scale * wideSums[i];
    }
    const scratch = Float32Array.from({ length: windowSumsScratch(w, k, wide) }, () => next() * 1e6);
    const actual = windowSumsInPlace(plane, w, h, k, wide, scale, scratch);
    assert.is(actual, plane);
    const differ = actual.findIndex((v, i) => !Object.is(v, local[i]));
    assert.is(differ, -1, `${w}x${h} k=${k} wide=${wide}: first difference at ${differ}`);
  }
});

test('guidedFilterStream fed in bands of any size equals guidedFilterRows, and reads only rows made available', () => {
  const next = rng(12);
  for (const [w, h, r] of [[11, 37, 2], [8, 5, 2], [6, 20, 0], [9, 64, 4]] as const) {
    const I = Float32Array.from({ length: w * h }, () => next());
    const p = Float32Array.from({ length: w * h }, (_, i) => ((i % w) + next() * 3 < w / 2 ? 1 : 0));
    const expected = new Float32Array(w * h);
    guidedFilterRows(w, h, r, 0.01, new Float32Array(guidedFilterScratch(w, r)), {
      guide: (y, row) => row.set(I.subarray(y * w, (y + 1) * w)),
      input: (y, row) => row.set(p.subarray(y * w, (y + 1) * w)),
      emit: (y, q) => expected.set(q, y * w),
    });
    for (const band of [1, 2 * r + 1, 5, h]) {
      let available = 0;
      let emitted = 0;
      const out = new Float32Array(w * h);
      const stream = guidedFilterStream(w, h, r, 0.01, new Float32Array(guidedFilterScratch(w, r)), {
        guide: (y, row) => {
          assert.ok(y < available, `guide row ${y} read with ${available} available`);
          row.set(I.subarray(y * w, (y + 1) * w));
        },
        input: (y, row) => {
          assert.ok(y < available, `input row ${y} read with ${available} available`);
          row.set(p.subarray(y * w, (y + 1) * w));
        },
        emit: (y, q) => {
          assert.is(y, emitted++);
          out.set(q, y * w);
        },
      });
      for (available = Math.min(h, band); ; available = Math.min(h, available + band)) {
        stream.advance(available);
        // Each row as soon as the rows it needs (up to 2r below it) are there.
        assert.is(emitted, Math.max(0, available === h ? h : available - 2 * r), `${w}x${h} r=${r} band ${band}: rows emitted with ${available} available`);
        if (available === h) break;
      }
      assert.equal(Array.from(out), Array.from(expected), `${w}x${h} r=${r} band ${band}`);
    }
  }
});

test('the streamed softmax is the clipped softmax: exactly for two frames, and when no clip moves', () => {
  const beta = 0.1;
  const weights = (acts: number[]) => {
    const m = Math.max(...acts);
    return acts.map((a) => Math.exp(beta * Math.max(a - m, -50)));
  };
  const fold = (acts: number[], values: number[]) => {
    const m = new Float32Array(1), s = new Float32Array(1), acc = new Float32Array(1);
    acts.forEach((a, i) => softmaxAdd(m, s, acc, Float32Array.of(a), Float32Array.of(values[i]), 1, beta, i === 0));
    return acc[0] / s[0];
  };
  const exact = (acts: number[], values: number[]) => {
    const w = weights(acts);
    return w.reduce((t, wi, i) => t + wi * values[i], 0) / w.reduce((t, wi) => t + wi, 0);
  };
  for (const acts of [[0, 10], [10, 0], [0, 200], [200, 0], [5, 5], [3, 40, 20, 41], [100, 0, 60, 30]]) {
    const values = acts.map((_, i) => 10 + 37 * i);
    assert.ok(Math.abs(fold(acts, values) - exact(acts, values)) < 1e-3, `${acts}: ${fold(acts, values)} vs ${exact(acts, values)}`);
  }
  // N = 2 is the seed's sigmoid: 1 / (1 + exp(-beta clip(d, -50, 50))).
  for (const d of [-80, -50, -3, 0, 7, 50, 120]) {
    const m = 1 / (1 + Math.exp(-beta * Math.max(-50, Math.min(50, d))));
    assert.ok(Math.abs(fold([d, 0], [1, 0]) - m) < 1e-6, `d = ${d}`);
  }
});

test('argmax ties go to the lower frame whatever the order; coverage excludes; depth values', () => {
  const best = new Float32Array(3), index = new Uint16Array(3);
  argmaxAdd(best, index, Float32Array.of(1, 5, 2), 2, true);
  argmaxAdd(best, index, Float32Array.of(1, 4, 9), 0, false, Uint8Array.of(1, 1, 0));
  argmaxAdd(best, index, Float32Array.of(0, 5, 1), 1, false);
  assert.equal(Array.from(index), [0, 1, 2]);
  const depth = new Uint8Array(3);
  indexToDepth(Uint16Array.of(0, 1, 2), 3, depth);
  assert.equal(Array.from(depth), [0, 128, 255]);
});

test('jumpMask marks where the labels of the window span more than the jump', () => {
  const next = rng(6);
  for (const [w, h, r, jump] of [[23, 17, 2, 1], [9, 30, 0, 0], [31, 11, 4, 2], [5, 4, 6, 1]]) {
    const src = Uint16Array.from({ length: w * h }, () => Math.floor(next() * next() * 6));
    const expected = Array.from({ length: w * h }, (_, i) => {
      const x = i % w, y = Math.floor(i / w);
      let lo = Infinity, hi = -Infinity;
      for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
        const v = src[clamp(y + dy, h) * w + clamp(x + dx, w)];
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      return hi - lo > jump ? 1 : 0;
    });
    assert.equal(Array.from(jumpMask(src, w, h, r, jump, new Uint8Array(w * h))), expected, `${w}x${h} r=${r} jump=${jump}`);
  }
});

test('blendByAlpha: alpha 0 gives b exactly, 1 gives a, between rounds the mix', () => {
  const a = Uint16Array.from([1000, 2000, 3000, 4000, 5000, 6000]);
  const b = Uint16Array.from([0, 10, 20, 30, 40, 50]);
  const out = new Uint16Array(6);
  blendByAlpha(a, b, Float32Array.from([0, 1, 0.25]), 2, out);
  assert.equal(Array.from(out), [0, 10, 3000, 4000, Math.round(0.25 * 5000 + 0.75 * 40), Math.round(0.25 * 6000 + 0.75 * 50)]);
  const b8 = Uint8Array.from([7, 8, 9]);
  blendByAlpha(Uint8Array.from([255, 255, 255]), b8, Float32Array.from([0.5, 0, -1]), 1, b8);
  assert.equal(Array.from(b8), [131, 8, 9]);
});

test.run();
