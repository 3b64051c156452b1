// The warp kernel against cv.warpAffine (WARP_INVERSE_MAP | INTER_LINEAR, BORDER_REPLICATE) and against a
// straightforward float64 bilinear written here; in bands, serially and on two threads.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Affine } from '../../lib/align/affine.js';
import { cv, floatImageFromMat, loadOpenCV, matFromImage, MatScope } from '../../lib/cv/index.js';
import type { FloatImage, Image } from '../../lib/image.js';
import { warpAffine, type WarpBand } from '../../lib/kernels/warp.js';
import { SerialExecutor } from '../../lib/parallel/executor.js';
import { ThreadedExecutor } from '../../lib/parallel/threads.js';
import { maxAbsDiff, randomImage, rng } from '../helpers/random.js';

test.before(async () => {
  await loadOpenCV();
});

/** The warp written out plainly: float64 bilinear, neighbours clamped into the frame. */
function reference(src: FloatImage | Image, m: Affine, gain: number[], offset: number[], w: number, h: number): { data: Float64Array; coverage: Uint8Array } {
  const { width: W, height: H, channels: cn } = src;
  const unit = src.data instanceof Uint16Array ? 1 / 257 : 1;
  const data = new Float64Array(w * h * cn);
  const coverage = new Uint8Array(w * h);
  const at = (x: number, y: number, k: number) => src.data[(Math.min(H - 1, Math.max(0, y)) * W + Math.min(W - 1, Math.max(0, x))) * cn + k] * unit;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = m[0][0] * x + m[0][1] * y + m[0][2];
      const sy = m[1][0] * x + m[1][1] * y + m[1][2];
      coverage[y * w + x] = sx >= -1e-3 && sx <= W - 1 + 1e-3 && sy >= -1e-3 && sy <= H - 1 + 1e-3 ? 1 : 0;
      const x0 = Math.floor(sx), y0 = Math.floor(sy), fx = sx - x0, fy = sy - y0;
      for (let k = 0; k < cn; k++) {
        const v = (1 - fy) * ((1 - fx) * at(x0, y0, k) + fx * at(x0 + 1, y0, k)) + fy * ((1 - fx) * at(x0, y0 + 1, k) + fx * at(x0 + 1, y0 + 1, k));
        data[(y * w + x) * cn + k] = gain[k] * v + offset[k];
      }
    }
  }
  return { data, coverage };
}

/** cv.warpAffine with the inverse map, bilinear, edges replicated. */
function cvWarp(src: FloatImage, m: Affine, w: number, h: number): Float32Array {
  const c = cv();
  using scope = new MatScope();
  const mat = scope.track(matFromImage(src));
  const matrix = scope.mat(2, 3, c.CV_64FC1);
  matrix.data64F.set([...m[0], ...m[1]]);
  const dst = scope.mat();
  c.warpAffine(mat, dst, matrix, new c.Size(w, h), c.WARP_INVERSE_MAP | c.INTER_LINEAR, c.BORDER_REPLICATE, new c.Scalar());
  return floatImageFromMat(dst).data;
}

function randomAffine(seed: number, W: number, H: number, grid: boolean): Affine {
  const next = rng(seed);
  const q = (v: number) => (grid ? Math.round(v * 32) / 32 : v);
  const s = 0.8 + 0.4 * next(), r = (next() - 0.5) * 0.4, sh = (next() - 0.5) * 0.1;
  return [
    [q(s * Math.cos(r)), q(-s * Math.sin(r) + sh), q((next() - 0.3) * W * 0.3)],
    [q(s * Math.sin(r)), q(s * Math.cos(r)), q((next() - 0.3) * H * 0.3)],
  ];
}

test('equals a float64 bilinear written out plainly, with gain, offset and coverage; 8/16-bit and float sources, 1 and 3 channels', () => {
  for (const [cn, seed] of [[1, 1], [3, 2], [3, 3]] as const) {
    const [W, H, w, h] = [37, 29, 41, 23];
    const f = randomImage(W, H, cn, seed);
    const sources: (FloatImage | Image)[] = [f, { width: W, height: H, channels: cn, data: Uint8Array.from(f.data, Math.round) }, { width: W, height: H, channels: cn, data: Uint16Array.from(f.data, (v) => Math.round(v * 257)) }];
    for (const src of sources) {
      for (const [k, m] of [randomAffine(seed * 10, W, H, false), randomAffine(seed * 10 + 1, W, H, false), [[1, 0, 0], [0, 1, 0]] as Affine].entries()) {
        const gain = cn === 1 ? [1.1] : [0.9, 1, 1.2];
        const offset = cn === 1 ? [-8] : [3, 0, -5];
        const out = { width: w, height: h, channels: cn, data: new Float32Array(w * h * cn) };
        const coverage = new Uint8Array(w * h);
        warpAffine(src, m, gain, offset, out, coverage);
        const expected = reference(src, m, gain, offset, w, h);
        assert.ok(maxAbsDiff(out.data, expected.data) < 1e-3, `cn ${cn} ${src.data.constructor.name} matrix ${k}: off by ${maxAbsDiff(out.data, expected.data)}`);
        assert.equal(Array.from(coverage), Array.from(expected.coverage));
        const covered = coverage.reduce((a, b) => a + b, 0);
        assert.ok(covered > 0 && (k === 2 || covered < w * h), `matrix ${k} covers ${covered} of ${w * h}`);
      }
    }
  }
});

test('equals cv.warpAffine (WARP_INVERSE_MAP | INTER_LINEAR, BORDER_REPLICATE) within 1e-3 everywhere when coordinates fall on its 1/32-pixel grid', () => {
  for (const cn of [1, 3]) {
    const [W, H] = [64, 48];
    const src = randomImage(W, H, cn, 20 + cn);
    for (let seed = 0; seed < 4; seed++) {
      const m = randomAffine(100 + seed, W, H, true);
      const out = { width: W, height: H, channels: cn, data: new Float32Array(W * H * cn) };
      warpAffine(src, m, Array(cn).fill(1), Array(cn).fill(0), out);
      const diff = maxAbsDiff(out.data, cvWarp(src, m, W, H));
      assert.ok(diff < 1e-3, `cn ${cn} seed ${seed}: off by ${diff}`);
    }
  }
});

test('within OpenCV\'s 1/32-pixel weight quantisation of cv.warpAffine for arbitrary matrices', () => {
  const [W, H] = [64, 48];
  const src = randomImage(W, H, 3, 30);
  for (let seed = 0; seed < 3; seed++) {
    const m = randomAffine(200 + seed, W, H, false);
    const out = { width: W, height: H, channels: 3, data: new Float32Array(W * H * 3) };
    warpAffine(src, m, [1, 1, 1], [0, 0, 0], out);
    const expected = cvWarp(src, m, W, H);
    // Each weight is off by at most 1/64, so a sample by at most (1/64 + 1/64) * 255 on random data.
    let sum = 0;
    for (let i = 0; i < expected.length; i++) sum += Math.abs(out.data[i] - expected[i]);
    assert.ok(maxAbsDiff(out.data, expected) <= 8.5, `max ${maxAbsDiff(out.data, expected)}`);
    assert.ok(sum / expected.length < 2, `mean ${sum / expected.length}`);
  }
});

test('in bands: row ranges, the serial executor and a ThreadedExecutor(2) give one result', async () => {
  const [W, H, w, h] = [120, 90, 130, 150];
  const m = randomAffine(7, W, H, false);
  const whole = { width: w, height: h, channels: 3, data: new Float32Array(w * h * 3) };
  const wholeCoverage = new Uint8Array(w * h);
  const src = randomImage(W, H, 3, 8);
  warpAffine(src, m, [1, 2, 3], [0, 1, 2], whole, wholeCoverage);
  const parts = { width: w, height: h, channels: 3, data: new Float32Array(w * h * 3) };
  const partsCoverage = new Uint8Array(w * h);
  for (const [y0, y1] of [[0, 1], [1, 77], [77, 150]]) warpAffine(src, m, [1, 2, 3], [0, 1, 2], parts, partsCoverage, y0, y1);
  assert.equal(Array.from(parts.data), Array.from(whole.data));
  assert.equal(Array.from(partsCoverage), Array.from(wholeCoverage));

  const serial = new SerialExecutor();
  const out = { width: w, height: h, channels: 3, data: new Float32Array(w * h * 3) };
  const coverage = new Uint8Array(w * h);
  assert.is(await serial.warpAffine(src, m, [1, 2, 3], [0, 1, 2], out, coverage), out);
  assert.equal(Array.from(out.data), Array.from(whole.data));
  assert.equal(Array.from(coverage), Array.from(wholeCoverage));

  const threaded = new ThreadedExecutor(2);
  try {
    const pool = threaded.pool;
    const shared = { ...src, data: pool.float32(src.data.length) };
    shared.data.set(src.data);
    const tOut = { width: w, height: h, channels: 3, data: pool.float32(w * h * 3) };
    const tCoverage = pool.uint8(w * h);
    await threaded.warpAffine(shared, m, [1, 2, 3], [0, 1, 2], tOut, tCoverage);
    assert.equal(Array.from(tOut.data), Array.from(whole.data));
    assert.equal(Array.from(tCoverage), Array.from(wholeCoverage));
    pool.release(shared.data, tOut.data, tCoverage);
  } finally {
    await threaded.close();
  }
});

test('a band of the output grid (WarpBand) holds those rows of the whole warp, serially and on two threads', async () => {
  const [W, H, w, h] = [120, 90, 130, 301];
  const m = randomAffine(8, W, H, false);
  // 8-bit samples, as the engine warps them.
  const src: Image = { width: W, height: H, channels: 3, data: Uint8Array.from(randomImage(W, H, 3, 8).data, Math.round) };
  const whole = { width: w, height: h, channels: 3, data: new Float32Array(w * h * 3) };
  const wholeCoverage = new Uint8Array(w * h);
  warpAffine(src, m, [1, 1, 1], [0, 0, 0], whole, wholeCoverage);
  const threaded = new ThreadedExecutor(2);
  try {
    const pool = threaded.pool;
    const shared: Image = { ...src, data: pool.uint8(src.data.length) };
    shared.data.set(src.data);
    for (const exec of [new SerialExecutor(), threaded]) {
      // Bands of 1, 128 (split between the threads) and the rest of the rows, each written at the start of its buffers.
      for (const [y0, y1] of [[0, 1], [1, 129], [129, 301]]) {
        const band: WarpBand = { width: w, height: y1 - y0, channels: 3, data: pool.float32((y1 - y0) * w * 3), top: y0 };
        const coverage = pool.uint8((y1 - y0) * w);
        await exec.warpAffine(shared, m, [1, 1, 1], [0, 0, 0], band, coverage);
        assert.equal(Array.from(band.data), Array.from(whole.data.subarray(y0 * w * 3, y1 * w * 3)), `rows ${y0}..${y1}, ${exec.threads} thread(s)`);
        assert.equal(Array.from(coverage), Array.from(wholeCoverage.subarray(y0 * w, y1 * w)));
        pool.release(band.data, coverage);
      }
    }
    pool.release(shared.data);
  } finally {
    await threaded.close();
  }
});

test.run();
