// Alignment recovers known affines: frames made from a real pcb frame by cv.warpAffine (an independent
// generator), estimated by phase correlation + ECC; brightness by the gain/offset fit; and a real neighbour pair.
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  alignThumbnail, composeAffine, cornerDistance, estimateTransform, fitGainOffset, invertAffine, phaseCorrelate,
  type Affine, type Thumbnail,
} from '../../lib/align/index.js';
import { cv, floatImageFromMat, liveMatCount, loadOpenCV, matFromImage, MatScope, resize, type Mat } from '../../lib/cv/index.js';
import type { FloatImage, Image } from '../../lib/image.js';
import { loadImage } from '../../lib/io.js';
import { warpAffine } from '../../lib/kernels/warp.js';
import { rng } from '../helpers/random.js';

const pcb = (name: string) => fileURLToPath(new URL(`../../../fixtures/pcb/${name}`, import.meta.url));
const [W, H, MARGIN] = [896, 672, 64];
let base: FloatImage; // pcb_007 at 1024x768, float RGB

test.before(async () => {
  await loadOpenCV();
  const full = await loadImage(pcb('pcb_007.jpg'));
  using scope = new MatScope();
  const small = scope.track(resize(scope.track(matFromImage(full)), { dsize: [1024, 768], interpolation: cv().INTER_AREA }));
  const f = scope.mat();
  small.convertTo(f, cv().CV_32F);
  base = floatImageFromMat(f);
});

/** `cv.warpAffine(src, m, WARP_INVERSE_MAP | INTER_LINEAR)`: out(x) = src(m(x)), W x H. */
function cvWarp(src: FloatImage, m: Affine, w = W, h = H): FloatImage {
  const c = cv();
  using scope = new MatScope();
  const matrix = scope.mat(2, 3, c.CV_64FC1);
  matrix.data64F.set([...m[0], ...m[1]]);
  const dst = scope.mat();
  c.warpAffine(scope.track(matFromImage(src)), dst, matrix, new c.Size(w, h), c.WARP_INVERSE_MAP | c.INTER_LINEAR, c.BORDER_REPLICATE, new c.Scalar());
  return floatImageFromMat(dst);
}

/**
 * A generating map around the centre of a W x H frame: scale, rotation, a little shear and a shift, sampling
 * `base` at an offset of MARGIN so that it never leaves it.
 */
function generator(scale: number, degrees: number, shear: number, dx: number, dy: number): Affine {
  const r = (degrees * Math.PI) / 180;
  const [cx, cy] = [(W - 1) / 2, (H - 1) / 2];
  const a = scale * Math.cos(r), b = -scale * Math.sin(r) + shear, d = scale * Math.sin(r), e = scale * Math.cos(r);
  return [
    [a, b, cx + MARGIN + dx - a * cx - b * cy],
    [d, e, cy + MARGIN + dy - d * cx - e * cy],
  ];
}

/** The reference: `base` cropped at MARGIN (an integer shift, exact). */
const CROP: Affine = [[1, 0, MARGIN], [0, 1, MARGIN]];

/** Frame = base ∘ G, reference = base ∘ CROP, so frame(M x) = reference(x) for M = G⁻¹ ∘ CROP. */
function truth(g: Affine): Affine {
  return composeAffine(invertAffine(g), CROP);
}

function thumb(image: FloatImage): Thumbnail {
  return alignThumbnail(image, 1024);
}

test('recovers known affines (shift up to 20 px, scale 0.97-1.03, rotation up to 1°, shear) within 0.3 px at every corner', () => {
  const next = rng(2024);
  const reference = cvWarp(base, CROP);
  const refThumb = thumb(reference);
  const mats = liveMatCount();
  for (let k = 0; k < 4; k++) {
    const g = generator(0.97 + 0.06 * next(), 2 * next() - 1, 0.01 * (next() - 0.5), 40 * next() - 20, 40 * next() - 20);
    const est = estimateTransform(refThumb, thumb(cvWarp(base, g)), { name: `case ${k}` });
    const off = cornerDistance(est.matrix, truth(g), W, H);
    assert.is(est.method, 'affine', est.warning);
    assert.ok(est.correlation >= 0.98, `case ${k}: correlation ${est.correlation}`);
    assert.ok(off < 0.3, `case ${k}: corners off by ${off.toFixed(3)} px; ${JSON.stringify(est.matrix)} vs ${JSON.stringify(truth(g))}`);
    assert.is(est.warning, undefined);
  }
  assert.is(liveMatCount(), mats, 'every Mat deleted');
});

test('phaseCorrelate finds a pure shift to a tenth of a pixel, in the documented direction', () => {
  const reference = alignThumbnail(cvWarp(base, CROP), 256);
  const shifted = alignThumbnail(cvWarp(base, [[1, 0, MARGIN + 12.5], [0, 1, MARGIN - 7.25]]), 256);
  const { shift, response } = phaseCorrelate(reference, shifted);
  const s = W / 256; // thumbnail pixels per frame pixel
  // shifted(x - 12.5, y + 7.25) = reference(x, y): the matrix [[1, 0, -12.5], [0, 1, 7.25]] maps the reference onto it.
  assert.ok(Math.abs(shift[0] + 12.5 / s) < 0.1 && Math.abs(shift[1] - 7.25 / s) < 0.1, `shift ${shift}`);
  assert.ok(response > 0.2, `response ${response}`);
  assert.throws(() => phaseCorrelate(reference, alignThumbnail(reference, 128)), /Expected an image of the reference's size 256x192/);
});

test('a brightness change (gain 1.1, offset -8) is recovered within 1 % by fitGainOffset; none is snapped to exactly 1, 0', () => {
  const g = generator(1.02, 0.5, 0, 9, -6);
  const reference = cvWarp(base, CROP);
  const frame = cvWarp(base, g);
  // The frame as a camera would have taken it darker: reference = 1.1 * frame - 8.
  const darker = { ...frame, data: frame.data.map((v) => (v + 8) / 1.1) };
  const est = estimateTransform(thumb(reference), thumb(darker));
  assert.ok(cornerDistance(est.matrix, truth(g), W, H) < 0.3);
  const warped = { width: W, height: H, channels: 3, data: new Float32Array(W * H * 3) };
  const coverage = new Uint8Array(W * H);
  warpAffine(darker, est.matrix, [1, 1, 1], [0, 0, 0], warped, coverage);
  const fit = fitGainOffset(reference, warped, { coverage });
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(fit.gain[c] - 1.1) < 0.011, `gain ${fit.gain}`);
    // Over 0..255 the corrected values are within 1 % of full scale of the truth.
    for (const v of [0, 255]) assert.ok(Math.abs(fit.gain[c] * v + fit.offset[c] - (1.1 * v - 8)) < 2.55, `at ${v}: ${fit.gain[c]}, ${fit.offset[c]}`);
  }
  // The same frame without the change, and even blurred (another focus), fits gain 1, offset 0 exactly.
  warpAffine(frame, est.matrix, [1, 1, 1], [0, 0, 0], warped, coverage);
  assert.equal(fitGainOffset(reference, warped, { coverage }), { gain: [1, 1, 1], offset: [0, 0, 0] });
  using scope = new MatScope();
  const blurred = scope.mat();
  cv().GaussianBlur(scope.track(matFromImage(warped)), blurred, new (cv().Size)(0, 0), 2.5, 2.5, cv().BORDER_REPLICATE);
  assert.equal(fitGainOffset(reference, floatImageFromMat(blurred), { coverage }), { gain: [1, 1, 1], offset: [0, 0, 0] });
});

test('implausible: pure noise against a frame falls back to the identity with a warning naming the frame', () => {
  const next = rng(5);
  const reference = thumb(cvWarp(base, CROP));
  const noise: Thumbnail = { ...reference, data: reference.data.map(() => next() * 255) };
  const mats = liveMatCount();
  const est = estimateTransform(reference, noise, { name: 'noise.jpg' });
  assert.is(est.method, 'identity');
  assert.equal(est.matrix, [[1, 0, 0], [0, 1, 0]]);
  assert.match(est.warning ?? '', /^noise\.jpg: alignment failed \(from the phase-correlation shift, the thumbnails correlate -?0\.0\d+ \(< 0\.5\): ECC not tried/);
  assert.ok(Math.abs(est.correlation) < 0.1);
  assert.is(liveMatCount(), mats);
});

test('implausible: an ECC result beyond the limits falls back to the phase-correlation shift, with a warning', () => {
  const g = generator(1, 1, 0, 10.5, -4);
  const est = estimateTransform(thumb(cvWarp(base, CROP)), thumb(cvWarp(base, g)), { name: 'f.jpg', maxRotation: 0.1 });
  assert.is(est.method, 'translation');
  assert.match(est.warning ?? '', /^f\.jpg: affine alignment failed \(from the phase-correlation shift, ECC gave an implausible result \(rotation -1\.00° beyond 0\.1°\)\); aligned by translation only \(/);
  // The shift of the centre is right to a pixel or so; the rotation is left out.
  const [cx, cy] = [(W - 1) / 2, (H - 1) / 2];
  const t = truth(g);
  assert.ok(Math.abs(est.matrix[0][2] - (t[0][0] * cx + t[0][1] * cy + t[0][2] - cx)) < 1.5, JSON.stringify(est.matrix));
  assert.ok(Math.abs(est.matrix[1][2] - (t[1][0] * cx + t[1][1] * cy + t[1][2] - cy)) < 1.5, JSON.stringify(est.matrix));
  assert.ok(est.correlation > 0.5);
});

test('init: ECC starts from the given matrix; a bad start falls back to the phase-correlation shift', () => {
  const g = generator(1.015, -0.4, 0.002, -14, 11);
  const refThumb = thumb(cvWarp(base, CROP));
  const frameThumb = thumb(cvWarp(base, g));
  const good = estimateTransform(refThumb, frameThumb, { init: truth(generator(1.01, 0, 0, -12, 10)) });
  assert.ok(cornerDistance(good.matrix, truth(g), W, H) < 0.3);
  const far: Affine = [[1, 0, 300], [0, 1, -200]];
  const recovered = estimateTransform(refThumb, frameThumb, { init: far });
  assert.is(recovered.method, 'affine');
  assert.ok(cornerDistance(recovered.matrix, truth(g), W, H) < 0.3);
});

test('real neighbours pcb_003 / pcb_004: plausible, and full-resolution ECC from the estimate moves no corner by 0.3 px', async () => {
  const [a, b] = [await loadImage(pcb('pcb_004.jpg')), await loadImage(pcb('pcb_003.jpg'))];
  const est = estimateTransform(alignThumbnail(a, 1024), alignThumbnail(b, 1024), { name: 'pcb_003.jpg' });
  assert.is(est.method, 'affine', est.warning);
  assert.ok(est.correlation >= 0.9, `correlation ${est.correlation}`);
  // Independent check: OpenCV's ECC on the whole 2048x1536 gray frames, started from the estimate.
  const c = cv();
  using scope = new MatScope();
  const gray = (img: Image): Mat => {
    const g8 = scope.mat();
    c.cvtColor(scope.track(matFromImage(img)), g8, c.COLOR_RGB2GRAY);
    const g = scope.mat();
    g8.convertTo(g, c.CV_32F);
    return g;
  };
  const warp = scope.mat(2, 3, c.CV_32FC1);
  warp.data32F.set([...est.matrix[0], ...est.matrix[1]]);
  const criteria = new c.TermCriteria(c.TermCriteria_COUNT + c.TermCriteria_EPS, 15, 1e-5);
  const rho = c.findTransformECC(gray(a), gray(b), warp, c.MOTION_AFFINE, criteria, scope.mat(), 5);
  const w = warp.data32F;
  const refined: Affine = [[w[0], w[1], w[2]], [w[3], w[4], w[5]]];
  const moved = cornerDistance(refined, est.matrix, a.width, a.height);
  assert.ok(rho > 0.9, `full-resolution correlation ${rho}`);
  assert.ok(moved < 0.3, `full-resolution ECC moved a corner by ${moved.toFixed(3)} px`);
});

test('validation before any OpenCV call', () => {
  const t = thumb(cvWarp(base, CROP));
  const small = alignThumbnail(t, 256);
  assert.throws(() => estimateTransform(t, small), /Expected a thumbnail of the reference's sizes \(896x672 of 896x672\) for frame but received "256x192 of 896x672"/);
  assert.throws(() => estimateTransform(t, { ...t, data: new Float32Array(3) }), /Expected a thumbnail of at least 8x8 made by alignThumbnail for frame/);
  assert.throws(() => estimateTransform(t, t, { init: [[1, 0, 0], [0, 1, NaN]] as unknown as Affine }), /Expected a finite number for init\[1\]\[2\] but received NaN/);
  assert.throws(() => estimateTransform(t, t, { gaussFiltSize: 4 }), /Expected 0 or an odd integer from 1 to 31 for gaussFiltSize but received 4/);
  assert.throws(() => estimateTransform(t, t, { eccSizes: [512, 2.5] }), /eccSizes\[1\]/);
  assert.throws(() => estimateTransform(t, t, { minCorrelation: 2 }), RangeError);
  assert.throws(() => alignThumbnail(t, 4), /Expected an integer of at least 8 for size but received 4/);
  assert.throws(() => alignThumbnail({ width: 2, height: 2, channels: 2, data: new Uint8Array(8) } as unknown as Image, 8), /for image\.channels/);
  assert.throws(() => fitGainOffset(t, small), /Expected an image of the reference's shape 896x672x1 for warped but received "256x192x1"/);
  assert.throws(() => fitGainOffset(t, t, { coverage: new Uint8Array(5) }), /Expected a Uint8Array of 602112 bytes for coverage/);
});

test.run();
