/**
 * Phase correlation (OpenCV.js has no `phaseCorrelate`): the translation
 * between two images of one size from the peak of the inverse DFT of their
 * normalised cross-power spectrum, on OpenCV.js's `dft`.
 */
import { invalidParameter } from '../errors.js';
import type { FloatImage } from '../image.js';
import { cvCall } from '../cv/call.js';
import { matFromImage } from '../cv/convert.js';
import { cv } from '../cv/runtime.js';
import { MatScope } from '../cv/scope.js';

/** What {@link phaseCorrelate} finds. */
export interface PhaseCorrelation {
  /**
   * `[dx, dy]`: the frame shows the reference's content moved by this much,
   * `frame(x + dx, y + dy) ≈ reference(x, y)`; so the matrix
   * `[[1, 0, dx], [0, 1, dy]]` maps the reference's grid onto the frame.
   * Sub-pixel, from the weighted centroid of the 5x5 neighbourhood of the peak.
   */
  shift: [number, number];
  /** Height of the peak (the 5x5 sum, as OpenCV's `phaseCorrelate`): near 1 for a clean translation, near 0 for unrelated images. */
  response: number;
}

/**
 * Phase correlation of two one-channel float images of the same size, as
 * OpenCV's `phaseCorrelate(reference, frame, hanningWindow)`: each image
 * has its mean removed and is multiplied by a Hanning window, both are
 * transformed with `cv.dft`, the cross-power spectrum `F·conj(R)/|F·conj(R)|`
 * is transformed back, and the peak is located with sub-pixel precision.
 * Shifts are found modulo the image size, in (-size/2, size/2].
 *
 * Requires OpenCV.js to be loaded. Copies only the two images into the heap
 * and deletes every Mat it makes.
 *
 * @param reference - One channel.
 * @param frame - One channel, same size, at least 4x4.
 * @returns The shift and the peak's height.
 * @throws TypeError when the images are not one-channel float images of one size of at least 4x4.
 */
export function phaseCorrelate(reference: FloatImage, frame: FloatImage): PhaseCorrelation {
  const { width: W, height: H } = reference;
  for (const [name, img] of [['reference', reference], ['frame', frame]] as const) {
    if (img.channels !== 1 || !(img.data instanceof Float32Array) || img.data.length !== img.width * img.height) {
      throw invalidParameter(name, 'a one-channel float image', img, 'type');
    }
  }
  if (frame.width !== W || frame.height !== H || W < 4 || H < 4) {
    throw invalidParameter('frame', `an image of the reference's size ${W}x${H} (at least 4x4)`, `${frame.width}x${frame.height}`, 'type');
  }
  const c = cv();
  using scope = new MatScope();
  const spectrum = (img: FloatImage): Float32Array => {
    const src = scope.track(matFromImage({ width: W, height: H, channels: 1, data: windowed(img) }));
    const dst = scope.mat();
    cvCall('phaseCorrelate', () => c.dft(src, dst, c.DFT_COMPLEX_OUTPUT, 0));
    return dst.data32F.slice();
  };
  const r = spectrum(reference);
  const f = spectrum(frame);
  const cross = new Float32Array(r.length);
  for (let i = 0; i < r.length; i += 2) {
    // F * conj(R), normalised.
    const re = f[i] * r[i] + f[i + 1] * r[i + 1];
    const im = f[i + 1] * r[i] - f[i] * r[i + 1];
    const mag = Math.hypot(re, im);
    if (mag > 1e-12) {
      cross[i] = re / mag;
      cross[i + 1] = im / mag;
    }
  }
  const crossMat = scope.track(matFromImage({ width: W, height: H, channels: 2, data: cross }));
  const back = scope.mat();
  cvCall('phaseCorrelate', () => c.dft(crossMat, back, c.DFT_INVERSE | c.DFT_REAL_OUTPUT | c.DFT_SCALE, 0));
  const surface = back.data32F;
  let peak = 0;
  for (let i = 1; i < surface.length; i++) if (surface[i] > surface[peak]) peak = i;
  const px = peak % W, py = Math.floor(peak / W);
  // Weighted centroid of the 5x5 neighbourhood, wrapping around (the surface is periodic).
  let sum = 0, sx = 0, sy = 0;
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++) {
      const v = surface[((py + dy + H) % H) * W + ((px + dx + W) % W)];
      sum += v;
      sx += v * dx;
      sy += v * dy;
    }
  }
  const wrap = (v: number, n: number) => (v > n / 2 ? v - n : v);
  const cx = sum > 0 ? sx / sum : 0, cy = sum > 0 ? sy / sum : 0;
  return { shift: [wrap(px, W) + cx, wrap(py, H) + cy], response: sum };
}

/** The image minus its mean, times a Hanning window (as `cv.createHanningWindow`). */
function windowed(img: FloatImage): Float32Array {
  const { width: W, height: H, data } = img;
  let mean = 0;
  for (let i = 0; i < data.length; i++) mean += data[i];
  mean /= data.length;
  const hann = (n: number) => Float64Array.from({ length: n }, (_, i) => (n === 1 ? 1 : 0.5 * (1 - Math.cos((2 * Math.PI * i) / (n - 1)))));
  const wx = hann(W), wy = hann(H);
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[y * W + x] = (data[y * W + x] - mean) * wx[x] * wy[y];
  return out;
}
