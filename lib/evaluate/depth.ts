import { assertInteger, assertNumber, invalidParameter } from '../errors.js';
import { assertImage, maxValue, type Image } from '../image.js';
import { emptyRegion, resolveRegion, shapeText, type RegionOptions } from './region.js';

/**
 * The frame index of every pixel of a depth map of a stack of `frames`
 * frames. A depth map stores frame `i` as `round(M * i / (frames - 1))`,
 * M = 255 (8-bit) or 65535 (16-bit); this inverts it:
 * `i = round(value * (frames - 1) / M)`. A colour map must be gray (R = G = B).
 *
 * @param map - The depth map: 1 channel, or 3 equal ones.
 * @param frames - Frames in the stack: an integer from 2 to M + 1.
 * @param name - The map's name for error messages.
 * @returns One index a pixel, row-major; the caller owns it.
 * @throws TypeError when `map` is not an image; RangeError for a bad
 *   `frames` or a map that is not gray.
 */
export function depthIndices(map: Image, frames: number, name = 'map'): Uint16Array {
  assertImage(name, map);
  const top = maxValue(map);
  assertInteger('frames', frames, 2, top + 1);
  const { width, height, channels, data } = map;
  const n = width * height;
  const out = new Uint16Array(n);
  const scale = (frames - 1) / top;
  for (let p = 0, i = 0; p < n; p++, i += channels) {
    const v = data[i];
    if (channels === 3 && (data[i + 1] !== v || data[i + 2] !== v)) {
      throw new RangeError(`Expected ${name} to be a gray depth map (R = G = B) but pixel (${p % width}, ${Math.floor(p / width)}) is ${data[i]},${data[i + 1]},${data[i + 2]}`);
    }
    out[p] = Math.round(v * scale);
  }
  return out;
}

/** Options of {@link depthWithin}. */
export interface DepthWithinOptions extends RegionOptions {
  /**
   * A pixel counts when its frame index differs from the truth's by at most
   * this many frames: an integer of at least 0.
   * @default 1
   */
  tolerance?: number;
}

/**
 * The share of pixels of a depth map whose frame index is within
 * `tolerance` frames of the true one (both decoded by {@link depthIndices};
 * the two maps may differ in bit depth and channels, not in size).
 *
 * @param result - The depth map to judge.
 * @param truth - The true depth map.
 * @param frames - Frames in the stack (see {@link depthIndices}).
 * @param options - See {@link DepthWithinOptions}.
 * @returns A share from 0 to 1.
 * @throws TypeError when a map is not an image or a bad option; RangeError
 *   when the sizes differ, for a bad `frames` or `tolerance`, a colour map,
 *   a border too wide or a mask that selects no pixel.
 */
export function depthWithin(result: Image, truth: Image, frames: number, options: DepthWithinOptions = {}): number {
  const { tolerance = 1 } = options;
  assertImage('result', result);
  assertImage('truth', truth);
  if (result.width !== truth.width || result.height !== truth.height) {
    throw new RangeError(`Expected truth of the same size as result (${shapeText(result)}) but received ${shapeText(truth)}`);
  }
  assertInteger('tolerance', tolerance, 0);
  const region = resolveRegion(result.width, result.height, options);
  assertInteger('frames', frames, 2, Math.min(maxValue(result), maxValue(truth)) + 1);
  const r = depthIndices(result, frames, 'result');
  const t = depthIndices(truth, frames, 'truth');
  const { x0, y0, x1, y1, mask } = region;
  const { width } = result;
  let within = 0;
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = y * width + x;
      if (mask !== undefined && mask[p] === 0) continue;
      if (Math.abs(r[p] - t[p]) <= tolerance) within++;
      count++;
    }
  }
  if (count === 0) throw emptyRegion();
  return within / count;
}

/** Options of {@link bandAroundEdges}. */
export interface BandOptions {
  /**
   * Two 4-neighbours make an edge when their depths differ by more than
   * this: with frame indices, the default ignores the one-frame steps of a
   * smooth slope and keeps real discontinuities. A number of at least 0.
   * @default 1
   */
  jump?: number;
}

/**
 * A mask of the band around the depth discontinuities of a depth map: the
 * pixels within `radius` pixels (Euclidean distance) of an edge pixel, an
 * edge pixel being either pixel of a 4-neighbour pair whose depths differ by
 * more than `options.jump`. This is where fusion leaves halos; give the mask
 * to {@link psnr} to measure there alone.
 *
 * @param depth - One depth a pixel, row-major (frame indices from
 *   {@link depthIndices}, or any depth values).
 * @param width - Width of the map.
 * @param height - Height of the map.
 * @param radius - Half-width of the band in pixels, a number of at least 0.
 * @param options - See {@link BandOptions}.
 * @returns 1 in the band, 0 elsewhere, `width * height` values; the caller owns it.
 * @throws TypeError, RangeError for bad arguments.
 */
export function bandAroundEdges(depth: ArrayLike<number>, width: number, height: number, radius: number, options: BandOptions = {}): Uint8Array {
  const { jump = 1 } = options;
  assertInteger('width', width, 1);
  assertInteger('height', height, 1);
  if (depth === null || typeof depth !== 'object' || typeof depth.length !== 'number') throw invalidParameter('depth', 'an array of depths', depth, 'type');
  if (depth.length !== width * height) throw invalidParameter('depth', `${width * height} values (${width}x${height})`, depth, 'range');
  assertNumber('radius', radius, 0);
  assertNumber('jump', jump, 0);
  const n = width * height;
  // Squared distance to the nearest edge pixel: 0 on edges, and elsewhere
  // more than any distance within the map.
  const far = (width + height) ** 2;
  const dist = new Float64Array(n).fill(far);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (x + 1 < width && Math.abs(depth[p] - depth[p + 1]) > jump) dist[p] = dist[p + 1] = 0;
      if (y + 1 < height && Math.abs(depth[p] - depth[p + width]) > jump) dist[p] = dist[p + width] = 0;
    }
  }
  const mask = new Uint8Array(n);
  if (!dist.includes(0)) return mask; // no edge: "far" would not be far enough
  squaredDistanceTransform(dist, width, height);
  const r2 = radius * radius;
  for (let p = 0; p < n; p++) mask[p] = dist[p] <= r2 ? 1 : 0;
  return mask;
}

/**
 * Exact squared Euclidean distance transform, in place: columns then rows,
 * each by the lower envelope of parabolas (Felzenszwalb and Huttenlocher,
 * "Distance transforms of sampled functions", 2012).
 */
function squaredDistanceTransform(f: Float64Array, width: number, height: number): void {
  const longest = Math.max(width, height);
  const line = new Float64Array(longest);
  const out = new Float64Array(longest);
  const v = new Int32Array(longest);
  const z = new Float64Array(longest + 1);
  const pass = (n: number, get: (i: number) => number, set: (i: number, value: number) => void) => {
    for (let i = 0; i < n; i++) line[i] = get(i);
    let k = 0;
    v[0] = 0;
    z[0] = -Infinity;
    z[1] = Infinity;
    for (let q = 1; q < n; q++) {
      // z[0] is -Infinity: the loop stops at k = 0 at the latest.
      let s = (line[q] + q * q - (line[v[k]] + v[k] * v[k])) / (2 * (q - v[k]));
      while (s <= z[k]) {
        k--;
        s = (line[q] + q * q - (line[v[k]] + v[k] * v[k])) / (2 * (q - v[k]));
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Infinity;
    }
    k = 0;
    for (let q = 0; q < n; q++) {
      while (z[k + 1] < q) k++;
      const p = v[k];
      out[q] = (q - p) * (q - p) + line[p];
    }
    for (let i = 0; i < n; i++) set(i, out[i]);
  };
  for (let x = 0; x < width; x++) pass(height, (i) => f[i * width + x], (i, value) => (f[i * width + x] = value));
  for (let y = 0; y < height; y++) pass(width, (i) => f[y * width + i], (i, value) => (f[y * width + i] = value));
}
