// Affine helpers: composition order, inverse, decomposition, corner distance, validation; thumbnails against
// cv.cvtColor + cv.resize(INTER_AREA); the gain/offset fit's edge cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  affineParameters, alignThumbnail, applyAffine, applyGainOffset, assertAffine, composeAffine, cornerDistance, fitGainOffset, IDENTITY_AFFINE, invertAffine, isIdentityAffine,
  type Affine,
} from '../../lib/align/index.js';
import { cv, floatImageFromMat, loadOpenCV, matFromImage, MatScope } from '../../lib/cv/index.js';
import type { FloatImage } from '../../lib/image.js';
import { maxAbsDiff, randomImage, rng } from '../helpers/random.js';

test.before(async () => {
  await loadOpenCV();
});

const close = (a: readonly number[], b: readonly number[], tol = 1e-9) => a.every((v, i) => Math.abs(v - b[i]) < tol);

test('composeAffine(outer, inner) applies inner first; invertAffine undoes; applyAffine', () => {
  const next = rng(3);
  for (let k = 0; k < 5; k++) {
    const m = (): Affine => [[0.9 + 0.2 * next(), next() - 0.5, 50 * next()], [next() - 0.5, 0.9 + 0.2 * next(), -50 * next()]];
    const [a, b] = [m(), m()];
    const [x, y] = [100 * next(), 100 * next()];
    const [ix, iy] = applyAffine(b, x, y);
    assert.ok(close(applyAffine(composeAffine(a, b), x, y), applyAffine(a, ix, iy)));
    assert.ok(close(applyAffine(invertAffine(a), ...applyAffine(a, x, y)), [x, y]));
    assert.ok(close(composeAffine(a, invertAffine(a)).flat(), IDENTITY_AFFINE.flat()));
  }
  assert.equal(applyAffine([[2, 0, 1], [0, 3, -1]], 4, 5), [9, 14]);
  assert.throws(() => invertAffine([[1, 2, 0], [2, 4, 0]]), /Expected an invertible affine matrix for matrix but received "determinant 0"/);
});

test('affineParameters: scale, scale range, rotation, shift; cornerDistance', () => {
  const r = (3 * Math.PI) / 180;
  const p = affineParameters([[1.02 * Math.cos(r), -1.02 * Math.sin(r), 5], [1.02 * Math.sin(r), 1.02 * Math.cos(r), -7]]);
  assert.ok(Math.abs(p.scale - 1.02) < 1e-12 && Math.abs(p.rotation - 3) < 1e-9);
  assert.ok(close(p.scaleRange, [1.02, 1.02]) && close(p.shift, [5, -7]));
  const s = affineParameters([[1.1, 0, 0], [0, 0.9, 0]]);
  assert.ok(close(s.scaleRange, [0.9, 1.1]) && s.rotation === 0);
  assert.is(cornerDistance(IDENTITY_AFFINE, [[1, 0, 3], [0, 1, 4]], 10, 10), 5);
  // A scale about the origin moves the far corner most.
  assert.ok(Math.abs(cornerDistance(IDENTITY_AFFINE, [[1.01, 0, 0], [0, 1.01, 0]], 101, 101) - Math.hypot(1, 1)) < 1e-9);
});

test('assertAffine names the bad element', () => {
  assertAffine('m', [[1, 0, 0], [0, 1, 0]]);
  assert.throws(() => assertAffine('m', [[1, 0, 0]]), /Expected a 2x3 matrix \[\[a, b, c\], \[d, e, f\]\] for m but received an array of length 1/);
  assert.throws(() => assertAffine('m', [[1, 0, 0], [0, 1]]), /Expected a row of 3 numbers for m\[1\]/);
  assert.throws(() => assertAffine('m', [[1, 0, Infinity], [0, 1, 0]]), /Expected a finite number for m\[0\]\[2\] but received Infinity/);
});

/** cv.cvtColor(RGB2GRAY) on float, then cv.resize(INTER_AREA). */
function cvThumb(image: FloatImage, w: number, h: number): Float32Array {
  const c = cv();
  using scope = new MatScope();
  let mat = scope.track(matFromImage(image));
  if (image.channels === 3) {
    const gray = scope.mat();
    c.cvtColor(mat, gray, c.COLOR_RGB2GRAY);
    mat = gray;
  }
  const small = scope.mat();
  c.resize(mat, small, new c.Size(w, h), 0, 0, c.INTER_AREA);
  return floatImageFromMat(small).data;
}

test('alignThumbnail = cv.cvtColor(RGB2GRAY) + cv.resize(INTER_AREA); 8/16-bit and float; no upscaling; thumbnails of thumbnails', () => {
  for (const [W, H, cn, size, w, h] of [[37, 29, 3, 16, 16, 13], [64, 48, 1, 32, 32, 24], [100, 61, 3, 64, 64, 39], [20, 30, 3, 50, 20, 30], [9, 300, 1, 16, 1, 16]] as const) {
    const f = randomImage(W, H, cn, W + H);
    const u8 = Uint8Array.from(f.data, Math.floor);
    const expected = cvThumb({ ...f, data: Float32Array.from(u8) }, w, h);
    for (const data of [u8, Uint16Array.from(u8, (v) => v * 257), Float32Array.from(u8)]) {
      const t = alignThumbnail({ width: W, height: H, channels: cn, data } as FloatImage, size);
      assert.equal([t.width, t.height, t.channels, t.fullWidth, t.fullHeight], [w, h, 1, W, H]);
      assert.ok(maxAbsDiff(t.data, expected) < 2e-3, `${W}x${H}x${cn} -> ${size} (${data.constructor.name}): off by ${maxAbsDiff(t.data, expected)}`);
    }
  }
  const t = alignThumbnail(randomImage(64, 48, 1, 9), 32);
  const tt = alignThumbnail(t, 16);
  assert.equal([tt.width, tt.height, tt.fullWidth, tt.fullHeight], [16, 12, 64, 48]);
  assert.ok(maxAbsDiff(tt.data, cvThumb(t, 16, 12)) < 1e-3);
  assert.throws(() => alignThumbnail({ width: 2, height: 2, channels: 1, data: new Uint8Array(3) }, 8), /Expected 4 samples \(2x2x1\) for image\.data/);
  assert.throws(() => alignThumbnail({ width: 0, height: 2, channels: 1, data: new Uint8Array(0) }, 8), /image\.width\/height/);
  assert.throws(() => alignThumbnail(null as unknown as FloatImage, 8), /Expected an image/);
});

test('fitGainOffset: a known line on random smooth data, 16-bit input, outliers ignored, too few windows', () => {
  // Smooth random data: a few gradients, 256x192, one channel.
  const [W, H] = [256, 192];
  const next = rng(11);
  const ref = new Float32Array(W * H).map((_, i) => 120 + 80 * Math.sin((i % W) / 17 + next() * 0.01) * Math.cos(Math.floor(i / W) / 23));
  const frame = ref.map((v) => (v - 5) / 0.9); // ref = 0.9 * frame + 5
  // Outliers: a bright patch in the frame only.
  for (let y = 10; y < 40; y++) for (let x = 10; x < 40; x++) frame[y * W + x] = 255;
  const fit = fitGainOffset({ width: W, height: H, channels: 1, data: ref }, { width: W, height: H, channels: 1, data: frame });
  assert.ok(Math.abs(fit.gain[0] - 0.9) < 1e-3 && Math.abs(fit.offset[0] - 5) < 0.1, JSON.stringify(fit));
  const u16 = { width: W, height: H, channels: 1 as const, data: Uint16Array.from(ref, (v) => Math.round(v * 257)) };
  const fit16 = fitGainOffset(u16, { width: W, height: H, channels: 1, data: frame });
  assert.ok(Math.abs(fit16.gain[0] - 0.9) < 1e-3, JSON.stringify(fit16));
  // Coverage: only the left half is covered; still the same line.
  const coverage = new Uint8Array(W * H).map((_, i) => (i % W < W / 2 ? 1 : 0));
  const half = fitGainOffset({ width: W, height: H, channels: 1, data: ref }, { width: W, height: H, channels: 1, data: frame }, { coverage });
  assert.ok(Math.abs(half.gain[0] - 0.9) < 2e-3, JSON.stringify(half));
  // Too small for 8 windows, or flat: gain 1, the median difference as offset (snapped when small).
  const flat = { width: 16, height: 16, channels: 1, data: new Float32Array(256).fill(100) };
  assert.equal(fitGainOffset(flat, { ...flat, data: new Float32Array(256).fill(90) }), { gain: [1], offset: [10] });
  assert.equal(fitGainOffset(flat, { ...flat, data: new Float32Array(256).fill(100.2) }), { gain: [1], offset: [0] });
  assert.throws(() => fitGainOffset(flat, flat, { block: 0 }), /Expected an integer of at least 1 for block but received 0/);
  assert.throws(() => fitGainOffset(flat, flat, { snap: -1 }), RangeError);
  assert.throws(() => fitGainOffset(flat, { ...flat, data: [1] } as unknown as FloatImage), /Expected an image \(\{ width, height, channels, data \}\) for warped/);
});

test('applyGainOffset: per channel or one for all, in place; isIdentityAffine', () => {
  const image = () => ({ width: 2, height: 1, channels: 3, data: Float32Array.from([10, 20, 30, 40, 50, 60]) });
  const colour = image();
  assert.is(applyGainOffset(colour, [1, 2, 0.5], [0, -5, 1]), colour);
  assert.equal([...colour.data], [10, 35, 16, 40, 95, 31]);
  const all = image();
  applyGainOffset(all, [2], [1]);
  assert.equal([...all.data], [21, 41, 61, 81, 101, 121]);
  const same = image();
  applyGainOffset(same, [1, 1, 1], [0]);
  assert.equal([...same.data], [...image().data]);
  assert.ok(isIdentityAffine(IDENTITY_AFFINE));
  assert.not.ok(isIdentityAffine([[1, 0, 0.5], [0, 1, 0]]));
  assert.not.ok(isIdentityAffine([[1, 0, 0], [0.01, 1, 0]]));
});

test.run();
