/**
 * Blending two frames' bands with masks: `mask * back + (1 - mask) * front`,
 * with one mask for every channel or one mask per channel; and the last step
 * of a pyramid, fused: blend, add the expanded coarser result, clip to 8 or
 * 16 bits, in one pass and without a float image of the result.
 */
import type { FloatImage } from '../image.js';
import { pyrUpRows } from './pyramid.js';

/** A mask: the weight of the back frame per pixel, float in [0, 1] or 0/1 bytes. */
export type Mask = Float32Array | Uint8Array;

/** One mask for all channels, or one per channel. */
export type Masks = readonly Mask[];

/**
 * `out = mask * back + (1 - mask) * front` per pixel: the same mask for every
 * channel when `masks` has one, channel c's own mask when it has one per channel.
 *
 * @param masks - One mask, or one per channel.
 * @param back - The back frame's band.
 * @param front - The front frame's band, same shape.
 * @param out - Where to write, same shape; a new image if omitted.
 * @param p0 - First pixel (for splitting the work between threads).
 * @param p1 - Pixel after the last.
 * @returns The blended image (`out` if given).
 */
export function blend(masks: Masks, back: FloatImage, front: FloatImage, out?: FloatImage, p0 = 0, p1 = back.width * back.height): FloatImage {
  const { width, height, channels } = back;
  const target = out ?? { width, height, channels, data: new Float32Array(back.data.length) };
  if (masks.length === 1) blendRange(masks[0], back.data, front.data, target.data, channels, 0, channels, p0, p1);
  else masks.forEach((mask, c) => blendRange(mask, back.data, front.data, target.data, channels, c, 1, p0, p1));
  return target;
}

function blendRange(mask: Mask, b: Float32Array, f: Float32Array, out: Float32Array, cn: number, first: number, count: number, p0: number, p1: number): void {
  if (mask instanceof Uint8Array) blendBytes(mask, b, f, out, cn, first, count, p0, p1);
  else blendFloats(mask, b, f, out, cn, first, count, p0, p1);
}

// Two copies of one loop, so that each reads one array type only (V8 keeps
// monomorphic element access fast).
function blendFloats(mask: Float32Array, b: Float32Array, f: Float32Array, out: Float32Array, cn: number, first: number, count: number, p0: number, p1: number): void {
  if (count === 3) {
    for (let p = p0, i = p0 * 3; p < p1; p++, i += 3) {
      const m = mask[p], n = 1 - m;
      out[i] = m * b[i] + n * f[i];
      out[i + 1] = m * b[i + 1] + n * f[i + 1];
      out[i + 2] = m * b[i + 2] + n * f[i + 2];
    }
    return;
  }
  for (let p = p0, i = p0 * cn + first; p < p1; p++, i += cn) {
    const m = mask[p], n = 1 - m;
    for (let k = i, e = i + count; k < e; k++) out[k] = m * b[k] + n * f[k];
  }
}

function blendBytes(mask: Uint8Array, b: Float32Array, f: Float32Array, out: Float32Array, cn: number, first: number, count: number, p0: number, p1: number): void {
  for (let p = p0, i = p0 * cn + first; p < p1; p++, i += cn) {
    const src = mask[p] ? b : f;
    for (let k = i, e = i + count; k < e; k++) out[k] = src[k];
  }
}

/**
 * The finest level of a pyramid (or the whole image), fused into one pass:
 * `out = clip((blend(masks, back, front) + pyrUp(coarser)) * scale, 0, max)`,
 * truncated to integers as `np.clip(x, 0, 255).astype(np.uint8)` does.
 *
 * @param masks - One mask, or one per channel.
 * @param back - The back frame's band.
 * @param front - The front frame's band, same shape.
 * @param coarser - The collapsed coarser levels, expanded to the band's size
 *   on the fly; none for a single-level pyramid or the `direct` mode.
 * @param out - 8- or 16-bit samples, as many as the band's.
 * @param scale - Factor before clipping (1, or 257 for 16-bit results).
 * @param y0 - First row: of `coarser` when given (row y gives rows 2y and
 *   2y+1), else of the band. For splitting the work between threads.
 * @param y1 - Row after the last.
 */
export function blendUpClip(masks: Masks, back: FloatImage, front: FloatImage, coarser: FloatImage | undefined, out: Uint8Array | Uint16Array, scale: number, y0 = 0, y1 = coarser ? coarser.height : back.height): void {
  const { width, height, channels: cn } = back;
  const max = out instanceof Uint8Array ? 255 : 65535;
  const rowLen = width * cn;
  const b = back.data, f = front.data;
  const none = new Float32Array(rowLen); // the expansion of no coarser level
  const emit = (up: Float32Array, y: number): void => {
    const o = y * rowLen;
    const p = y * width;
    // One mask for every channel, or channel c's own: the weight of sample i
    // is masks[k][p + x], k = 0 or c.
    for (let c = 0; c < cn; c++) {
      const mask = masks.length === 1 ? masks[0] : masks[c];
      for (let x = 0, i = o + c, u = c; x < width; x++, i += cn, u += cn) {
        const m = mask[p + x];
        const v = (m * b[i] + (1 - m) * f[i] + up[u]) * scale;
        out[i] = v <= 0 ? 0 : v >= max ? max : v; // typed-array assignment truncates
      }
    }
  };
  if (coarser) pyrUpRows(coarser, width, height, y0, y1, emit);
  else for (let y = y0; y < y1; y++) emit(none, y);
}
