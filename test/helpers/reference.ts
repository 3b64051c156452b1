/**
 * DIFFERENCES.md section 1 with the fixes of section 2, computed by OpenCV itself
 * (OpenCV.js, in float64): the same steps as the Python reference that made
 * fixtures/parity/ (`reference.py`), so that inputs of any size and colour
 * can be checked against OpenCV, not against the code under test. Every
 * filter, pyramid step and median is an OpenCV call; only the elementwise
 * arithmetic (abs, sigmoid, blend, clip) is plain JavaScript.
 */
import { cv, filter2D, medianBlur, MatScope, pyrDown, pyrUp, split, type Mat } from '../../lib/cv/index.js';
import type { Image } from '../../lib/image.js';

const H = [[-1, 2, -1]];
const HT = [[-1], [2], [-1]];

interface Plane64 {
  width: number;
  height: number;
  data: Float64Array;
}

/** A CV_64F copy of an image, as `img.astype(np.float64)`. */
function toMat(scope: MatScope, image: Image): Mat {
  const c = cv();
  const mat = scope.track(new c.Mat(image.height, image.width, image.channels === 1 ? c.CV_64FC1 : c.CV_64FC3));
  mat.data64F.set(image.data);
  return mat;
}

/** `sum_c |filter2D(x, h)| + |filter2D(x, h^T)|` (DIFFERENCES.md 1.1, summed over channels). */
function activitySum(scope: MatScope, x: Mat): Plane64 {
  const out = new Float64Array(x.rows * x.cols);
  for (const kernel of [H, HT]) {
    const response = scope.track(filter2D(x, { kernel }));
    for (const plane of split(response).map((m) => scope.track(m))) plane.data64F.forEach((v, i) => (out[i] += Math.abs(v)));
  }
  return { width: x.cols, height: x.rows, data: out };
}

/** Box sum over k x k, as `filter2D(a, -1, ones((k, k)))`. */
function boxSum(scope: MatScope, a: Plane64, k: number): Float64Array {
  const c = cv();
  const mat = scope.track(new c.Mat(a.height, a.width, c.CV_64FC1));
  mat.data64F.set(a.data);
  const ones = Array.from({ length: k }, () => new Array<number>(k).fill(1));
  return scope.track(filter2D(mat, { kernel: ones })).data64F.slice();
}

function blend(m: Float64Array, b: Mat, f: Mat): Float64Array {
  const cn = b.channels();
  const bd = b.data64F, fd = f.data64F;
  return bd.map((v, i) => m[Math.floor(i / cn)] * v + (1 - m[Math.floor(i / cn)]) * fd[i]);
}

function matLike(scope: MatScope, like: Mat, data: Float64Array): Mat {
  const mat = scope.track(new (cv().Mat)(like.rows, like.cols, like.type()));
  mat.data64F.set(data);
  return mat;
}

type Fuse = (scope: MatScope, b: Mat, f: Mat, level: number) => { fused: Float64Array; mask: Float64Array };

function gradientFuse(beta: number, k: number): Fuse {
  return (scope, b, f) => {
    const sb = boxSum(scope, activitySum(scope, b), k);
    const sf = boxSum(scope, activitySum(scope, f), k);
    const mask = sb.map((v, i) => 1 / (1 + Math.exp(-beta * Math.min(50, Math.max(-50, v - sf[i])))));
    return { fused: blend(mask, b, f), mask };
  };
}

function medianFuse(sizes: readonly number[], k: number): Fuse {
  return (scope, b, f, level) => {
    const sb = boxSum(scope, activitySum(scope, b), k);
    const sf = boxSum(scope, activitySum(scope, f), k);
    const c = cv();
    const hard = scope.track(new c.Mat(b.rows, b.cols, c.CV_8UC1));
    hard.data.set(sb.map((v, i) => (Math.abs(v) > Math.abs(sf[i]) ? 1 : 0)));
    const n = sizes[Math.min(level, sizes.length - 1)];
    const filtered = n === 1 ? hard : scope.track(medianBlur(hard, { ksize: n }));
    const mask = Float64Array.from(filtered.data);
    return { fused: blend(mask, b, f), mask };
  };
}

/** The Laplacian pyramid of DIFFERENCES.md 1.5, with pyrUp given the finer size (B3). */
function pyramid(scope: MatScope, image: Mat, levels: number): Mat[] {
  const gauss = [image];
  for (let k = 1; k < levels; k++) gauss.push(scope.track(pyrDown(gauss[k - 1])));
  return gauss.map((g, k) => {
    if (k === levels - 1) return g;
    const up = scope.track(pyrUp(gauss[k + 1], { dstsize: [g.cols, g.rows] }));
    return matLike(scope, g, g.data64F.map((v, i) => v - up.data64F[i]));
  });
}

function pyramidFuse(scope: MatScope, b: Mat, f: Mat, levels: number, fuse: Fuse): { out: Float64Array; mask0: Float64Array } {
  const pb = pyramid(scope, b, levels);
  const pf = pyramid(scope, f, levels);
  const fused = pb.map((lb, k) => fuse(scope, lb, pf[k], k));
  let acc = matLike(scope, pb[levels - 1], fused[levels - 1].fused);
  for (let k = levels - 2; k >= 0; k--) {
    const up = scope.track(pyrUp(acc, { dstsize: [pb[k].cols, pb[k].rows] }));
    acc = matLike(scope, pb[k], fused[k].fused.map((v, i) => v + up.data64F[i]));
  }
  return { out: acc.data64F.slice(), mask0: fused[0].mask };
}

function toU8(values: Float64Array, width: number, height: number, channels: 1 | 3): Image {
  return { width, height, channels, data: Uint8Array.from(values, (v) => Math.trunc(Math.min(255, Math.max(0, v)))) };
}

/**
 * The five outputs for two 8-bit frames of the same size, by OpenCV (float64).
 *
 * @returns Images by the original's file names (without extension).
 */
export function referenceOutputs(back: Image, front: Image, levels = 5, beta = 0.1, k = 3, sizes: readonly number[] = [35, 19, 9, 5, 3]): Record<string, Image> {
  using scope = new MatScope();
  const { width, height, channels } = back;
  const b = toMat(scope, back);
  const f = toMat(scope, front);
  const all = pyramidFuse(scope, b, f, levels, gradientFuse(beta, k));
  const median = pyramidFuse(scope, b, f, levels, medianFuse(sizes, k));
  let byChannel = all.out;
  if (channels === 3) {
    const [bs, fs] = [split(b).map((m) => scope.track(m)), split(f).map((m) => scope.track(m))];
    const planes = bs.map((bc, c) => pyramidFuse(scope, bc, fs[c], levels, gradientFuse(beta, k)).out);
    byChannel = Float64Array.from({ length: width * height * 3 }, (_, i) => planes[i % 3][Math.floor(i / 3)]);
  }
  return {
    focus_stacked_all_channels: toU8(all.out, width, height, channels),
    focus_stacked_by_channel: toU8(byChannel, width, height, channels),
    focus_stacked_new_method: toU8(median.out, width, height, channels),
    blending_mask: toU8(median.mask0.map((v) => v * 255), width, height, 1),
    focus_stacked_direct: toU8(gradientFuse(beta, k)(scope, b, f, 0).fused, width, height, channels),
  };
}
