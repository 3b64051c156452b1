// A synthetic focus stack with a known answer: a textured image, and N
// frames each sharp in its own vertical stripe and blurred elsewhere.
import type { Image } from '../../lib/image.js';
import { rng } from '../helpers/random.js';

/** A textured colour image: random 3x3 blocks over smooth gradients. */
export function texture(width: number, height: number, seed = 1, channels: 1 | 3 = 3): Image {
  const next = rng(seed);
  const bw = Math.ceil(width / 3), bh = Math.ceil(height / 3);
  const blocks = Array.from({ length: bw * bh * channels }, () => next());
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const b = blocks[(Math.floor(y / 3) * bw + Math.floor(x / 3)) * channels + c];
        data[(y * width + x) * channels + c] = Math.round(40 + 60 * (x / width) + 20 * c + 130 * b);
      }
    }
  }
  return { width, height, channels, data };
}

/** A box blur of radius r (clamped borders), applied `times` times: an independent defocus. */
export function boxBlur(image: Image, r: number, times = 2): Image {
  const { width: w, height: h, channels: cn } = image;
  let src = Float64Array.from(image.data);
  for (let t = 0; t < times; t++) {
    const tmp = new Float64Array(src.length);
    const out = new Float64Array(src.length);
    const clamp = (v: number, n: number) => (v < 0 ? 0 : v >= n ? n - 1 : v);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < cn; c++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += src[(y * w + clamp(x + d, w)) * cn + c];
      tmp[(y * w + x) * cn + c] = s / (2 * r + 1);
    }
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < cn; c++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += tmp[(clamp(y + d, h) * w + x) * cn + c];
      out[(y * w + x) * cn + c] = s / (2 * r + 1);
    }
    src = out;
  }
  const data = image.data instanceof Uint16Array ? new Uint16Array(src.length) : new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) data[i] = Math.round(src[i]);
  return { ...image, data };
}

/** The stripe of frame i: columns [x0, x1). */
export function stripe(i: number, frames: number, width: number): [number, number] {
  return [Math.round((i * width) / frames), Math.round(((i + 1) * width) / frames)];
}

/** N frames of `sharp`: frame i keeps its stripe, the rest is blurred. */
export function stripeStack(sharp: Image, frames: number, r = 2): Image[] {
  const blurred = boxBlur(sharp, r);
  const { width, height, channels } = sharp;
  return Array.from({ length: frames }, (_, i) => {
    const [x0, x1] = stripe(i, frames, width);
    const data = blurred.data.slice();
    for (let y = 0; y < height; y++) {
      const o = (y * width + x0) * channels;
      data.set(sharp.data.subarray(o, o + (x1 - x0) * channels), o);
    }
    return { ...sharp, data };
  });
}

/** PSNR of two images of the same shape (peak 255). */
export function psnr(a: Image, b: Image): number {
  let sq = 0;
  for (let i = 0; i < a.data.length; i++) sq += (a.data[i] - b.data[i]) ** 2;
  return sq === 0 ? Infinity : 10 * Math.log10((255 * 255) / (sq / a.data.length));
}

/** The mean of the frames, rounded (the baseline a method must beat). */
export function mean(frames: Image[]): Image {
  const data = new Uint8Array(frames[0].data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(frames.reduce((s, f) => s + f.data[i], 0) / frames.length);
  return { ...frames[0], data };
}
