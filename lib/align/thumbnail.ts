/**
 * Gray float thumbnails for alignment, made in plain JavaScript (the
 * full-resolution image never enters the WebAssembly heap).
 */
import { assertInteger, invalidParameter } from '../errors.js';
import type { FloatImage, Image } from '../image.js';

/**
 * A gray float32 thumbnail of a frame (0..255 scale) that remembers the size
 * of the frame it was made from, so that matrices can be converted between
 * its pixel coordinates and the frame's.
 *
 * Thumbnail pixel `(u, v)` covers the frame's points around
 * `(sx * (u + 0.5) - 0.5, sy * (v + 0.5) - 0.5)`, with `sx = fullWidth / width`
 * and `sy = fullHeight / height` (OpenCV's `resize` convention).
 */
export interface Thumbnail extends FloatImage {
  /** Always 1. */
  readonly channels: 1;
  /** Width of the full-resolution frame. */
  readonly fullWidth: number;
  /** Height of the full-resolution frame. */
  readonly fullHeight: number;
}

/** Luma weights of ITU-R BT.601 (OpenCV's RGB2GRAY), for R, G, B. */
const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * Make a gray thumbnail whose longest side is `size` pixels (or the image
 * itself, in gray, when it is not larger): the channels are mixed with the
 * BT.601 luma weights, 16-bit samples divided by 257, and the image shrunk
 * by area averaging (as `cv.resize` with INTER_AREA). One pass over the
 * image; the result is `4 * size² * 3/4` bytes or so (3 MB at 1024 px), cheap
 * enough to keep for every frame of a stack.
 *
 * Given a {@link Thumbnail}, makes a smaller thumbnail of the same frame.
 *
 * @param image - An 8/16-bit {@link Image}, a {@link FloatImage} with 1 or 3
 *   channels (0..255 scale), or a {@link Thumbnail}.
 * @param size - The longest side of the result, at least 8.
 * @param into - An array to write the thumbnail's samples into, used when
 *   it has their number (e.g. the samples of a thumbnail no longer needed);
 *   else a new one.
 * @returns A new thumbnail (on `into`'s samples if used); the caller owns it.
 * @throws TypeError for a malformed image; RangeError for a bad size.
 */
export function alignThumbnail(image: Image | FloatImage | Thumbnail, size: number, into?: Float32Array): Thumbnail {
  assertInteger('size', size, 8);
  if (typeof image !== 'object' || image === null || !(image.data instanceof Uint8Array || image.data instanceof Uint16Array || image.data instanceof Float32Array)) {
    throw invalidParameter('image', 'an image ({ width, height, channels, data })', image, 'type');
  }
  const { width: W, height: H, channels, data } = image;
  if (!Number.isInteger(W) || W < 1 || !Number.isInteger(H) || H < 1) throw invalidParameter('image.width/height', 'positive integers', `${W}x${H}`, 'type');
  if (channels !== 1 && channels !== 3) throw invalidParameter('image.channels', '1 or 3', channels, 'type');
  if (data.length !== W * H * channels) throw invalidParameter('image.data', `${W * H * channels} samples (${W}x${H}x${channels})`, data, 'type');
  const fullWidth = 'fullWidth' in image && typeof image.fullWidth === 'number' ? image.fullWidth : W;
  const fullHeight = 'fullHeight' in image && typeof image.fullHeight === 'number' ? image.fullHeight : H;
  const ratio = Math.min(1, size / Math.max(W, H));
  const w = Math.max(1, Math.round(W * ratio));
  const h = Math.max(1, Math.round(H * ratio));
  const unit = data instanceof Uint16Array ? 1 / 257 : 1;
  const cols = areaWeights(W, w);
  const rows = areaWeights(H, h);
  const out = into?.length === w * h ? into.fill(0) : new Float32Array(w * h);
  const gray = new Float32Array(W);
  const shrunk = new Float32Array(w);
  // Each source row: to gray, shrunk horizontally, added to the output rows it overlaps.
  for (let y = 0; y < H; y++) {
    const base = y * W * channels;
    if (channels === 1) for (let x = 0; x < W; x++) gray[x] = data[base + x] * unit;
    else {
      const r = LUMA[0] * unit, g = LUMA[1] * unit, b = LUMA[2] * unit;
      for (let x = 0, i = base; x < W; x++, i += 3) gray[x] = r * data[i] + g * data[i + 1] + b * data[i + 2];
    }
    shrunk.fill(0);
    for (let x = 0; x < W; x++) {
      shrunk[cols.first[x]] += cols.firstWeight[x] * gray[x];
      if (cols.firstWeight[x] < 1) shrunk[cols.first[x] + 1] += (1 - cols.firstWeight[x]) * gray[x];
    }
    const v = rows.first[y], wv = rows.firstWeight[y];
    for (let u = 0, o = v * w; u < w; u++) out[o + u] += wv * shrunk[u];
    if (wv < 1) for (let u = 0, o = (v + 1) * w; u < w; u++) out[o + u] += (1 - wv) * shrunk[u];
  }
  // Every output sample received weights summing to W/w * H/h source pixels.
  const norm = (w / W) * (h / H);
  for (let i = 0; i < out.length; i++) out[i] *= norm;
  return { width: w, height: h, channels: 1, data: out, fullWidth, fullHeight };
}

/**
 * Area weights of shrinking `n` samples to `m` (m <= n): each source sample
 * k covers [k, k+1) and falls into at most two output cells of width n/m;
 * `first[k]` is the first cell and `firstWeight[k]` the part of the sample
 * inside it (the rest goes to the next cell).
 */
function areaWeights(n: number, m: number): { first: Int32Array; firstWeight: Float32Array } {
  const first = new Int32Array(n);
  const firstWeight = new Float32Array(n);
  const step = n / m;
  for (let k = 0; k < n; k++) {
    const cell = Math.min(m - 1, Math.floor((k * m) / n));
    const end = (cell + 1) * step; // where the cell ends, in source units
    first[k] = cell;
    firstWeight[k] = cell === m - 1 ? 1 : Math.min(1, Math.max(0, end - k));
  }
  return { first, firstWeight };
}
