/**
 * References made of OpenCV.js calls (through the thin wrappers), for
 * checking the fused typed-array loops and the strategies built on them.
 */
import { absdiff, add, boxFilter, cv, filter2D, floatImageFromMat, matFromImage, MatScope, newMat, split, type Mat } from '../../lib/cv/index.js';
import type { FloatImage } from '../../lib/image.js';

export const H = [[-1, 2, -1]];
export const HT = [[-1], [2], [-1]];
export const LAPLACE = [[0, 1, 0], [1, -4, 1], [0, 1, 0]];

/** Sum over kernels and the selected channels of `|filter2D(channel, kernel)|`. */
export function cvActivity(image: FloatImage, kernels: number[][][], channel: number | 'all' = 'all'): Float32Array {
  using scope = new MatScope();
  const planes = split(scope.track(matFromImage(image))).map((m) => scope.track(m));
  const chosen = channel === 'all' ? planes : [planes[channel]];
  const zero = scope.track(newMat(image.height, image.width, cv().CV_32FC1));
  zero.setTo(new (cv().Scalar)(0));
  let acc: Mat = scope.track(zero.clone());
  for (const plane of chosen) {
    for (const kernel of kernels) {
      const response = scope.track(filter2D(plane, { kernel }));
      acc = scope.track(add(acc, scope.track(absdiff(response, zero))));
    }
  }
  return floatImageFromMat(acc).data;
}

/** Unnormalised k x k box sum with `boxFilter` (BORDER_REFLECT_101). */
export function cvBoxSum(plane: Float32Array, width: number, height: number, k = 3): Float32Array {
  using scope = new MatScope();
  const src = scope.track(matFromImage({ width, height, channels: 1, data: plane }));
  return floatImageFromMat(scope.track(boxFilter(src, { ksize: [k, k], normalize: false }))).data;
}

/** The box-summed activity measure of DIFFERENCES.md 1.2 to 1.4, made of OpenCV calls. */
export function cvMeasure(image: FloatImage, kernels: number[][][], channel: number | 'all' = 'all', k = 3): Float32Array {
  return cvBoxSum(cvActivity(image, kernels, channel), image.width, image.height, k);
}

/** `1 / (1 + exp(-beta * clip(b - f, -50, 50)))` with Math.exp. */
export function sigmoid(b: Float32Array, f: Float32Array, beta: number): Float32Array {
  return b.map((v, i) => 1 / (1 + Math.exp(-beta * Math.min(50, Math.max(-50, v - f[i])))));
}
