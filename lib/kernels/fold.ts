/**
 * The loops of the N-frame methods (lib/strategies/fold/): each folds one
 * frame's band or measure into running per-pixel state, so that a stack of
 * any length needs the memory of one frame plus the state. Plain typed-array
 * loops; the callers own every buffer. test/engine/kernels.test.ts compares
 * them with straightforward implementations.
 */
import type { FloatImage } from '../image.js';
import { boxRow, boxSumRows } from './activity.js';
import { reflect101, replicate } from './border.js';
import { pyrUpRows } from './pyramid.js';

/** The clip of the softmax: an activity more than this below the pixel's maximum weighs as much as one exactly this far below. */
export const SOFTMAX_CLIP = 50;

/**
 * One step of the clipped softmax over frames (the N-frame form of docs/DIFFERENCES.md 1.2):
 * frame i weighs `exp(beta * max(a_i - max_j a_j, -50))`. The state holds per
 * pixel the running maximum `m`, the sum of weights `s` (relative to `m`) and
 * the weighted sum of the bands `acc`. A frame above the running maximum
 * rescales what was folded by `exp(beta * max(m - a, -50))`: exact for two
 * frames; with more, a frame folded while within 50 of the maximum and later
 * more than 50 below a new one keeps its smaller, unclipped weight.
 *
 * @param m - Running maximum, one per pixel.
 * @param s - Sum of weights, one per pixel.
 * @param acc - Weighted sum, `channels` per pixel.
 * @param a - The frame's activity, one per pixel.
 * @param band - The frame's band, `channels` per pixel.
 * @param channels - Samples per pixel.
 * @param beta - Steepness.
 * @param first - Whether this is the first frame (the state is then set, not read).
 * @param p0 - First pixel.
 * @param p1 - Pixel after the last.
 */
export function softmaxAdd(m: Float32Array, s: Float32Array, acc: Float32Array, a: Float32Array, band: Float32Array, channels: number, beta: number, first: boolean, p0 = 0, p1 = m.length): void {
  const cn = channels;
  if (first) {
    for (let p = p0; p < p1; p++) {
      m[p] = a[p];
      s[p] = 1;
    }
    acc.set(band.subarray(p0 * cn, p1 * cn), p0 * cn);
    return;
  }
  for (let p = p0, i = p0 * cn; p < p1; p++, i += cn) {
    const ap = a[p], mp = m[p];
    if (ap <= mp) {
      const d = ap - mp;
      const w = Math.exp(beta * (d < -SOFTMAX_CLIP ? -SOFTMAX_CLIP : d));
      s[p] += w;
      for (let k = i, e = i + cn; k < e; k++) acc[k] += w * band[k];
    } else {
      const d = mp - ap;
      const f = Math.exp(beta * (d < -SOFTMAX_CLIP ? -SOFTMAX_CLIP : d));
      s[p] = s[p] * f + 1;
      for (let k = i, e = i + cn; k < e; k++) acc[k] = acc[k] * f + band[k];
      m[p] = ap;
    }
  }
}

/**
 * `acc[p, c] /= s[p]` (the softmax fold's result), in place.
 *
 * @param acc - Weighted sums, `channels` per pixel.
 * @param s - Sums of weights, one per pixel.
 * @param channels - Samples per pixel.
 */
export function divideBy(acc: Float32Array, s: Float32Array, channels: number): void {
  for (let p = 0, i = 0; p < s.length; p++) {
    const inv = 1 / s[p];
    for (let e = i + channels; i < e; i++) acc[i] *= inv;
  }
}

/**
 * One step of a per-pixel argmax over frames: where `value` beats `best`
 * (larger, or equal with a lower frame index, so that the order in which
 * frames come does not matter), `best` and `index` take the frame's.
 *
 * @param best - Best value so far.
 * @param index - Frame of the best value.
 * @param value - The frame's measure.
 * @param frame - The frame's index.
 * @param first - Whether this is the first frame folded.
 * @param coverage - Where the frame has data (0: never chosen); everywhere if omitted.
 */
export function argmaxAdd(best: Float32Array, index: Uint16Array, value: Float32Array, frame: number, first: boolean, coverage?: Uint8Array): void {
  const n = best.length;
  if (first) {
    for (let p = 0; p < n; p++) {
      best[p] = coverage && coverage[p] === 0 ? -Infinity : value[p];
      index[p] = frame;
    }
    return;
  }
  for (let p = 0; p < n; p++) {
    if (coverage && coverage[p] === 0) continue;
    const v = value[p], b = best[p];
    if (v > b || (v === b && frame < index[p])) {
      best[p] = v;
      index[p] = frame;
    }
  }
}

/**
 * Majority (mode) filter of a label map over an n x n window
 * (BORDER_REPLICATE): each pixel gets the most frequent label of its window;
 * its own label when that is among the most frequent, else the lowest such.
 * A sliding histogram: about 2n updates per pixel whatever the label count.
 *
 * @param src - Labels 0 .. labels-1.
 * @param width - Width of the map.
 * @param height - Height of the map.
 * @param n - Odd window size.
 * @param labels - Number of labels.
 * @param out - Where to write (not `src`).
 * @returns `out`.
 */
export function majorityFilter(src: Uint16Array, width: number, height: number, n: number, labels: number, out: Uint16Array): Uint16Array {
  // Few labels: histograms per column, slid in O(labels) per pixel; many: O(n) per pixel.
  return labels <= 2 * n ? majorityByColumns(src, width, height, n, labels, out) : majorityByPixels(src, width, height, n, labels, out);
}

/** {@link majorityFilter} with a histogram per column of the window, updated per row. */
export function majorityByColumns(src: Uint16Array, width: number, height: number, n: number, labels: number, out: Uint16Array): Uint16Array {
  const r = n >> 1;
  const L = labels;
  const cols = new Int32Array(width * L);
  const counts = new Int32Array(L);
  for (let dy = -r; dy <= r; dy++) {
    const o = replicate(dy, height) * width;
    for (let x = 0; x < width; x++) cols[x * L + src[o + x]]++;
  }
  for (let y = 0; y < height; y++) {
    counts.fill(0);
    for (let dx = -r; dx <= r; dx++) {
      const c = replicate(dx, width) * L;
      for (let l = 0; l < L; l++) counts[l] += cols[c + l];
    }
    const o = y * width;
    for (let x = 0; ; x++) {
      let best = 0;
      for (let l = 1; l < L; l++) if (counts[l] > counts[best]) best = l;
      const own = src[o + x];
      out[o + x] = counts[own] === counts[best] ? own : best;
      if (x + 1 >= width) break;
      const cin = replicate(x + r + 1, width) * L, cout = replicate(x - r, width) * L;
      for (let l = 0; l < L; l++) counts[l] += cols[cin + l] - cols[cout + l];
    }
    if (y + 1 < height) {
      const add = replicate(y + r + 1, height) * width;
      const sub = replicate(y - r, height) * width;
      for (let x = 0; x < width; x++) {
        cols[x * L + src[add + x]]++;
        cols[x * L + src[sub + x]]--;
      }
    }
  }
  return out;
}

/** {@link majorityFilter} with one histogram, slid by the pixels entering and leaving. */
export function majorityByPixels(src: Uint16Array, width: number, height: number, n: number, labels: number, out: Uint16Array): Uint16Array {
  const r = n >> 1;
  const counts = new Int32Array(labels);
  const rows = new Int32Array(n);
  for (let y = 0; y < height; y++) {
    for (let dy = -r; dy <= r; dy++) rows[dy + r] = replicate(y + dy, height) * width;
    counts.fill(0);
    for (let dx = -r; dx <= r; dx++) {
      const x = replicate(dx, width);
      for (let k = 0; k < n; k++) counts[src[rows[k] + x]]++;
    }
    let best = 0;
    for (let l = 1; l < labels; l++) if (counts[l] > counts[best]) best = l;
    let bestCount = counts[best];
    const o = y * width;
    for (let x = 0; ; x++) {
      const own = src[o + x];
      out[o + x] = counts[own] === bestCount ? own : best;
      if (x + 1 >= width) break;
      // Slide: the column x+r+1 comes in, the column x-r goes out.
      const cin = replicate(x + r + 1, width), cout = replicate(x - r, width);
      if (cin === cout) continue;
      for (let k = 0; k < n; k++) counts[src[rows[k] + cin]]++;
      for (let k = 0; k < n; k++) counts[src[rows[k] + cout]]--;
      if (counts[best] < bestCount) {
        best = 0;
        for (let l = 1; l < labels; l++) if (counts[l] > counts[best]) best = l;
        bestCount = counts[best];
      } else {
        bestCount = counts[best];
        for (let k = 0; k < n; k++) {
          const l = src[rows[k] + cin];
          const c = counts[l];
          if (c > bestCount || (c === bestCount && l < best)) {
            best = l;
            bestCount = c;
          }
        }
      }
    }
  }
  return out;
}

/**
 * How many pixels of a label map carry each label.
 *
 * @param map - Labels 0 .. labels-1.
 * @param labels - Number of labels.
 * @returns The counts.
 */
export function labelCounts(map: Uint16Array, labels: number): Int32Array {
  const counts = new Int32Array(labels);
  for (let p = 0; p < map.length; p++) counts[map[p]]++;
  return counts;
}

/**
 * Copy the samples of the pixels whose label is `label` from `src` to `dst`.
 *
 * @param map - One label per pixel.
 * @param label - The label to copy.
 * @param src - `channels` samples per pixel.
 * @param dst - Same shape.
 * @param channels - Samples per pixel.
 */
export function copyWhere(map: Uint16Array, label: number, src: Float32Array, dst: Float32Array, channels: number): void {
  for (let p = 0, i = 0; p < map.length; p++, i += channels) {
    if (map[p] !== label) continue;
    for (let k = i, e = i + channels; k < e; k++) dst[k] = src[k];
  }
}

/**
 * Sum of squared samples over channels, per pixel (the energy of a band).
 *
 * @param band - The band.
 * @param out - One value per pixel.
 * @returns `out`.
 */
export function squaredSum(band: FloatImage, out: Float32Array): Float32Array {
  const { channels: cn, data } = band;
  for (let p = 0, i = 0; p < out.length; p++) {
    let acc = 0;
    for (let e = i + cn; i < e; i++) acc += data[i] * data[i];
    out[p] = acc;
  }
  return out;
}

/**
 * Mean of the channels per pixel, scaled: the guide of the guided filter.
 *
 * @param image - Any channel count.
 * @param scale - Factor (1/255 for intensities in 0..1).
 * @param out - One value per pixel.
 * @returns `out`.
 */
export function grayPlane(image: FloatImage, scale: number, out: Float32Array): Float32Array {
  const { channels: cn, data } = image;
  const f = scale / cn;
  for (let p = 0, i = 0; p < out.length; p++) {
    let acc = 0;
    for (let e = i + cn; i < e; i++) acc += data[i];
    out[p] = acc * f;
  }
  return out;
}

/**
 * Unnormalised k x k box sum (BORDER_REFLECT_101) with running sums in both
 * directions: O(1) per pixel whatever k (`kernels.boxSum` is O(k) per pixel
 * down the columns). `plane` is overwritten with its row sums.
 *
 * @param plane - One value per pixel.
 * @param width - Width.
 * @param height - Height.
 * @param k - Odd window size.
 * @param out - Where the sums go (not `plane`).
 * @param scale - Factor applied to the sums.
 * @returns `out`.
 */
export function boxSumRunning(plane: Float32Array, width: number, height: number, k: number, out: Float32Array, scale = 1): Float32Array {
  boxSumRows(plane, width, height, k);
  const r = k >> 1;
  const acc = new Float64Array(width);
  for (let dy = -r; dy <= r; dy++) {
    const o = reflect101(dy, height) * width;
    for (let x = 0; x < width; x++) acc[x] += plane[o + x];
  }
  for (let y = 0; ; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) out[o + x] = acc[x] * scale;
    if (y + 1 >= height) break;
    const add = reflect101(y + r + 1, height) * width;
    const sub = reflect101(y - r, height) * width;
    for (let x = 0; x < width; x++) acc[x] += plane[add + x] - plane[sub + x];
  }
  return out;
}

/**
 * Scratch values {@link windowSumsInPlace} needs: two rings of `2 max(r) + 2`
 * rows and a padded row.
 *
 * @param width - Width.
 * @param k - Odd window of the first sum.
 * @param wide - Odd window of the second sum.
 * @returns How many float32 values.
 */
export function windowSumsScratch(width: number, k: number, wide: number): number {
  const r = Math.max(k >> 1, wide >> 1);
  return 2 * (2 * r + 2) * width + width + Math.max(k, wide);
}

/**
 * Two box sums of one plane, combined, in place and streamed over rows:
 * each value becomes `fround(S_k) + scale * fround(S_wide)` (or `S_k` alone
 * when `scale` is 0), where `S_n` is the unnormalised n x n box sum
 * (BORDER_REFLECT_101). The same sums in the same order as
 * {@link boxSumRunning} over the plane and over a copy of it, then
 * `local += scale * wide`: the same float32 values bit for bit, with a few
 * rows of scratch instead of two more planes (the sum-modified-Laplacian
 * measure's local and wide terms).
 *
 * @param plane - One value per pixel; overwritten with the result.
 * @param width - Width.
 * @param height - Height.
 * @param k - Odd window of the first sum.
 * @param wide - Odd window of the second sum (ignored when `scale` is 0).
 * @param scale - Weight of the second sum.
 * @param scratch - At least {@link windowSumsScratch}`(width, k, wide)` values, overwritten.
 * @returns `plane`.
 */
export function windowSumsInPlace(plane: Float32Array, width: number, height: number, k: number, wide: number, scale: number, scratch: Float32Array): Float32Array {
  const both = scale !== 0;
  const rk = k >> 1, rw = both ? wide >> 1 : 0;
  // Rings of row sums, indexed by row % R: rows are read up to max(rk, rw) + 1 ahead of the row written, and kept until the window of either sum leaves them.
  const R = 2 * Math.max(rk, rw) + 2;
  const ringK = scratch.subarray(0, R * width), ringW = scratch.subarray(R * width, 2 * R * width);
  const padded = scratch.subarray(2 * R * width, 2 * R * width + width + Math.max(k, wide));
  const accK = new Float64Array(width), accW = new Float64Array(width);
  let read = 0; // next row of the plane to read (rows below it may be overwritten)
  const input = (i: number): number => {
    for (; read <= i; read++) {
      const o = (read % R) * width;
      boxRow(plane, read * width, ringK, o, width, k, padded);
      if (both) boxRow(plane, read * width, ringW, o, width, wide, padded);
    }
    return (i % R) * width;
  };
  const start = (acc: Float64Array, ring: Float32Array, r: number) => {
    for (let dy = -r; dy <= r; dy++) {
      const o = input(reflect101(dy, height));
      for (let x = 0; x < width; x++) acc[x] += ring[o + x];
    }
  };
  const step = (acc: Float64Array, ring: Float32Array, r: number, y: number) => {
    // From row y-1 to row y, as boxSumRunning: the row entering less the row leaving.
    const add = input(reflect101(y + r, height));
    const sub = input(reflect101(y - 1 - r, height));
    for (let x = 0; x < width; x++) acc[x] += ring[add + x] - ring[sub + x];
  };
  for (let y = 0; y < height; y++) {
    if (y === 0) {
      start(accK, ringK, rk);
      if (both) start(accW, ringW, rw);
    } else {
      step(accK, ringK, rk, y);
      if (both) step(accW, ringW, rw, y);
    }
    input(y);
    const o = y * width;
    if (both) for (let x = 0; x < width; x++) plane[o + x] = Math.fround(accK[x]) + scale * Math.fround(accW[x]);
    else for (let x = 0; x < width; x++) plane[o + x] = accK[x];
  }
  return plane;
}

/**
 * The guided filter (He, Sun and Tang 2010) of `p` guided by `guide`, with
 * box means of radius `r` (BORDER_REFLECT_101) and regularisation `eps`:
 * `q = mean(a) * I + mean(b)`, `a = cov(I, p) / (var(I) + eps)`, `b = mean(p) - a mean(I)`.
 * Full planes in and out; the work is {@link guidedFilterRows}'s, so the
 * only scratch is {@link guidedFilterScratch} values (a few rows).
 *
 * @param guide - The guide I, one value per pixel (intensities in 0..1 for the usual eps).
 * @param p - The input, one value per pixel.
 * @param width - Width.
 * @param height - Height.
 * @param r - Radius (window 2r+1).
 * @param eps - Regularisation.
 * @param scratch - At least `guidedFilterScratch(width, r)` values, overwritten.
 * @param out - Where q goes (may be `p`, not `guide`).
 * @returns `out`.
 */
export function guidedFilter(guide: Float32Array, p: Float32Array, width: number, height: number, r: number, eps: number, scratch: Float32Array, out: Float32Array): Float32Array {
  guidedFilterRows(width, height, r, eps, scratch, {
    guide: (y, row) => row.set(guide.subarray(y * width, (y + 1) * width)),
    input: (y, row) => row.set(p.subarray(y * width, (y + 1) * width)),
    emit: (y, q) => out.set(q, y * width),
  });
  return out;
}

/** Where {@link guidedFilterRows} reads its rows and hands over the filtered ones. */
export interface GuidedFilterRowSource {
  /** Write row `y` of the guide into `row` (`width` values). Called once per row, in order. */
  guide(y: number, row: Float32Array): void;
  /** Write row `y` of the input p into `row`. Called once per row, in order, right after `guide(y)`. */
  input(y: number, row: Float32Array): void;
  /**
   * Row `y` of the result q, rows in order; `q` and `guide` (that row of the
   * guide) are scratch, valid until the callback returns (`q` may be changed).
   * By then rows up to `y + 2r` (at most) have been read, row `y` among them,
   * so that the caller may overwrite the input's row `y`.
   */
  emit(y: number, q: Float32Array, guide: Float32Array): void;
}

/**
 * Scratch values {@link guidedFilterRows} needs, a
 * few rows (the box sums' columns run over rings of 2r+2 rows): `(14 r + 17) * width + 2 r + 1`.
 *
 * @param width - Width.
 * @param r - Radius.
 * @returns How many float32 values.
 */
export function guidedFilterScratch(width: number, r: number): number {
  return (7 * (2 * r + 2) + 3) * width + 2 * r + 1;
}

/**
 * The guided filter streamed over rows: the same sums in the same order as
 * box means over full planes ({@link boxSumRunning}'s running column sums,
 * in float64, over float32 row sums; float32 means, `a` and `b`), so the
 * same float32 results bit for bit, with a few rows of scratch instead of
 * five planes. Reads the guide and input rows once each, in order, and
 * emits the rows of q in order, about 2r rows behind.
 *
 * @param width - Width.
 * @param height - Height.
 * @param r - Radius (window 2r+1).
 * @param eps - Regularisation.
 * @param scratch - At least {@link guidedFilterScratch}`(width, r)` values, overwritten.
 * @param rows - Where the rows come from and go to.
 */
export function guidedFilterRows(width: number, height: number, r: number, eps: number, scratch: Float32Array, rows: GuidedFilterRowSource): void {
  guidedFilterStream(width, height, r, eps, scratch, rows).advance(height);
}

/** A {@link guidedFilterStream}: the guided filter fed as rows become available. */
export interface GuidedFilterStream {
  /**
   * Emit every row of q that rows `0 .. available-1` of the guide and the
   * input decide: row y once rows up to `min(height - 1, y + 2r)` are
   * available (all of them once `available` is the height). Only rows below
   * `available` are read, each once, in order.
   *
   * @param available - How many rows (from the top) can be read now.
   */
  advance(available: number): void;
}

/**
 * {@link guidedFilterRows} in steps, for rows that arrive in bands: the
 * same reads, sums and emitted rows in the same order, whatever the steps.
 * Row y of q is emitted once rows up to `min(height - 1, y + 2r)` of the
 * guide and the input may be read, so that a caller holding bands of at
 * least 2r rows needs only the band being read and the one before.
 *
 * @param width - Width.
 * @param height - Height.
 * @param r - Radius (window 2r+1).
 * @param eps - Regularisation.
 * @param scratch - At least {@link guidedFilterScratch}`(width, r)` values, overwritten; in use until the last row is emitted.
 * @param rows - Where the rows come from and go to.
 * @returns The stream; call `advance` as rows become available.
 */
export function guidedFilterStream(width: number, height: number, r: number, eps: number, scratch: Float32Array, rows: GuidedFilterRowSource): GuidedFilterStream {
  const k = 2 * r + 1;
  const R = 2 * r + 2; // rows in each ring: every window (2r+1 rows) plus the row leaving it
  const scale = 1 / (k * k);
  const plane = R * width;
  let at = 0;
  const take = (n: number) => scratch.subarray(at, (at += n));
  // Rings, indexed by row % R: the guide; row sums of I, p, I p, I I; row sums of a and b.
  const G = take(plane), sI = take(plane), sP = take(plane), sIp = take(plane), sII = take(plane), sA = take(plane), sB = take(plane);
  const t = take(width), u = take(width), padded = take(width + k);
  const accI = new Float64Array(width), accP = new Float64Array(width), accIp = new Float64Array(width), accII = new Float64Array(width);
  const accA = new Float64Array(width), accB = new Float64Array(width);

  let read = 0; // next input row to read
  const input = (i: number): number => {
    for (; read <= i; read++) {
      const o = (read % R) * width;
      const g = G.subarray(o, o + width);
      rows.guide(read, g);
      rows.input(read, t);
      boxRow(g, 0, sI, o, width, k, padded);
      boxRow(t, 0, sP, o, width, k, padded);
      for (let x = 0; x < width; x++) u[x] = g[x] * t[x];
      boxRow(u, 0, sIp, o, width, k, padded);
      for (let x = 0; x < width; x++) u[x] = g[x] * g[x];
      boxRow(u, 0, sII, o, width, k, padded);
    }
    return (i % R) * width;
  };

  let made = 0; // next row of a and b to make
  const ab = (j: number): number => {
    for (; made <= j; made++) {
      const y = made;
      if (y === 0) {
        for (let dy = -r; dy <= r; dy++) {
          const o = input(reflect101(dy, height));
          for (let x = 0; x < width; x++) accI[x] += sI[o + x];
          for (let x = 0; x < width; x++) accP[x] += sP[o + x];
          for (let x = 0; x < width; x++) accIp[x] += sIp[o + x];
          for (let x = 0; x < width; x++) accII[x] += sII[o + x];
        }
      } else {
        const add = input(reflect101(y + r, height));
        const sub = input(reflect101(y - 1 - r, height));
        for (let x = 0; x < width; x++) accI[x] += sI[add + x] - sI[sub + x];
        for (let x = 0; x < width; x++) accP[x] += sP[add + x] - sP[sub + x];
        for (let x = 0; x < width; x++) accIp[x] += sIp[add + x] - sIp[sub + x];
        for (let x = 0; x < width; x++) accII[x] += sII[add + x] - sII[sub + x];
      }
      // The means as float32, as box means into planes would hold them; a into t, b into u.
      for (let x = 0; x < width; x++) {
        const mi = Math.fround(accI[x] * scale);
        const a = (Math.fround(accIp[x] * scale) - mi * Math.fround(accP[x] * scale)) / (Math.fround(accII[x] * scale) - mi * mi + eps);
        t[x] = a;
        u[x] = Math.fround(accP[x] * scale) - a * mi;
      }
      const o = (y % R) * width;
      boxRow(t, 0, sA, o, width, k, padded);
      boxRow(u, 0, sB, o, width, k, padded);
    }
    return (j % R) * width;
  };

  let y = 0; // next row of q to emit
  return {
    advance(available: number): void {
      // Row y reads guide and input rows up to min(height - 1, y + 2r) (its a and b rows up to y + r, each of those up to r further).
      for (; y < height && Math.min(height - 1, y + 2 * r) < available; y++) {
        if (y === 0) {
          for (let dy = -r; dy <= r; dy++) {
            const o = ab(reflect101(dy, height));
            for (let x = 0; x < width; x++) accA[x] += sA[o + x];
            for (let x = 0; x < width; x++) accB[x] += sB[o + x];
          }
        } else {
          const add = ab(reflect101(y + r, height));
          const sub = ab(reflect101(y - 1 - r, height));
          for (let x = 0; x < width; x++) accA[x] += sA[add + x] - sA[sub + x];
          for (let x = 0; x < width; x++) accB[x] += sB[add + x] - sB[sub + x];
        }
        const o = input(y);
        const g = G.subarray(o, o + width);
        for (let x = 0; x < width; x++) t[x] = Math.fround(accA[x] * scale) * g[x] + Math.fround(accB[x] * scale);
        rows.emit(y, t, g);
      }
    },
  };
}

/**
 * `acc += w * frame`, `sum += w` per pixel (the weighted-average fold).
 *
 * @param acc - Weighted sum, `channels` per pixel.
 * @param sum - Sum of weights, one per pixel.
 * @param frame - `channels` samples per pixel.
 * @param w - Weight per pixel.
 * @param channels - Samples per pixel.
 */
export function weightedAdd(acc: Float32Array, sum: Float32Array, frame: Float32Array, w: Float32Array, channels: number): void {
  for (let p = 0, i = 0; p < w.length; p++) {
    const wp = w[p];
    sum[p] += wp;
    for (let e = i + channels; i < e; i++) acc[i] += wp * frame[i];
  }
}

/**
 * Float samples on the 0..255 scale to 8- or 16-bit samples:
 * `clip(src * scale, 0, max)`, rounded to the nearest integer or truncated.
 *
 * @param src - Float samples.
 * @param out - As many 8- or 16-bit samples.
 * @param scale - 1, or 257 for 16 bits.
 * @param round - Round to nearest (else truncate, as the seed's `astype`).
 */
export function floatToSamples(src: Float32Array, out: Uint8Array | Uint16Array, scale: number, round: boolean): void {
  const max = out instanceof Uint8Array ? 255 : 65535;
  const add = round ? 0.5 : 0;
  for (let i = 0; i < src.length; i++) {
    const v = src[i] * scale + add;
    out[i] = v <= 0 ? 0 : v >= max ? max : v;
  }
}

/**
 * The last step of collapsing a pyramid, fused:
 * `out = clip((band + pyrUp(coarser)) * scale, 0, max)`, truncated as the
 * seed's `astype(np.uint8)`.
 *
 * @param band - The finest level, fused.
 * @param coarser - The collapsed coarser levels; none for a one-level pyramid.
 * @param out - 8- or 16-bit samples, as many as the band's.
 * @param scale - 1, or 65535/255 for 16 bits.
 */
export function addUpClip(band: FloatImage, coarser: FloatImage | undefined, out: Uint8Array | Uint16Array, scale: number): void {
  const { width, height, channels, data } = band;
  const max = out instanceof Uint8Array ? 255 : 65535;
  const rowLen = width * channels;
  const emit = (up: Float32Array | undefined, y: number): void => {
    const o = y * rowLen;
    for (let i = 0; i < rowLen; i++) {
      const v = (data[o + i] + (up ? up[i] : 0)) * scale;
      out[o + i] = v <= 0 ? 0 : v >= max ? max : v;
    }
  };
  if (coarser) pyrUpRows(coarser, width, height, 0, coarser.height, emit);
  else for (let y = 0; y < height; y++) emit(undefined, y);
}

/**
 * A frame-index map as depth samples: `round(max * index / (frames - 1))`.
 *
 * @param map - Frame index per pixel.
 * @param frames - Number of frames, at least 2.
 * @param out - 8- or 16-bit samples, one per pixel.
 */
export function indexToDepth(map: Uint16Array, frames: number, out: Uint8Array | Uint16Array): void {
  const max = out instanceof Uint8Array ? 255 : 65535;
  const lut = new Float64Array(frames);
  for (let i = 0; i < frames; i++) lut[i] = Math.round((max * i) / (frames - 1));
  for (let p = 0; p < map.length; p++) out[p] = lut[map[p]];
}

/**
 * Where a label map jumps: 1 where the labels within the `(2r+1) x (2r+1)`
 * window (BORDER_REPLICATE) span more than `jump` (max - min > jump), else 0.
 * Separable running min and max: O(r) per pixel and direction.
 *
 * @param map - Labels, one per pixel.
 * @param width - Width.
 * @param height - Height.
 * @param r - Radius of the window, 0 or more.
 * @param jump - The span that does not count.
 * @param out - One value per pixel.
 * @returns `out`.
 */
export function jumpMask(map: Uint16Array, width: number, height: number, r: number, jump: number, out: Uint8Array): Uint8Array {
  const n = width * height;
  const lo = new Uint16Array(n), hi = new Uint16Array(n);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) {
      let a = 65535, b = 0;
      for (let dx = -r; dx <= r; dx++) {
        const v = map[o + replicate(x + dx, width)];
        if (v < a) a = v;
        if (v > b) b = v;
      }
      lo[o + x] = a;
      hi[o + x] = b;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let a = 65535, b = 0;
      for (let dy = -r; dy <= r; dy++) {
        const q = replicate(y + dy, height) * width + x;
        if (lo[q] < a) a = lo[q];
        if (hi[q] > b) b = hi[q];
      }
      out[y * width + x] = b - a > jump ? 1 : 0;
    }
  }
  return out;
}

/**
 * `out = round(alpha * a + (1 - alpha) * b)` per sample, alpha one value
 * per pixel in 0..1 (alpha 0 gives `b` exactly).
 *
 * @param a - Samples where alpha is 1.
 * @param b - Samples where alpha is 0.
 * @param alpha - One weight per pixel.
 * @param channels - Samples per pixel.
 * @param out - As many samples (may be `a` or `b`).
 */
export function blendByAlpha(a: Uint8Array | Uint16Array, b: Uint8Array | Uint16Array, alpha: Float32Array, channels: number, out: Uint8Array | Uint16Array): void {
  for (let p = 0, i = 0; p < alpha.length; p++) {
    const t = alpha[p];
    if (t <= 0) {
      for (let e = i + channels; i < e; i++) out[i] = b[i];
      continue;
    }
    for (let e = i + channels; i < e; i++) out[i] = Math.round(t * a[i] + (1 - t) * b[i]);
  }
}
