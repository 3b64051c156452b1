/**
 * Image comparison for tests: the tolerance of DIFFERENCES.md section 3, with a report
 * that names the first differing sample and the PSNR.
 */
import assert from 'node:assert/strict';

/** Anything with interleaved samples. */
export interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

/** Tolerance of {@link assertImageClose}. */
export interface Tolerance {
  /** Largest allowed absolute difference of any sample. @default 3 */
  maxDiff?: number;
  /** Samples allowed to differ by more than `nearDiff`, as a fraction. @default 0.001 */
  farFraction?: number;
  /** What counts as near. @default 1 */
  nearDiff?: number;
  /** Lowest allowed PSNR in dB (for the given peak). @default 50 */
  minPsnr?: number;
  /** Peak value for PSNR. @default 255 */
  peak?: number;
}

/** Statistics of the difference of two images. */
export interface DiffStats {
  maxDiff: number;
  farFraction: number;
  psnr: number;
  firstFar: string | undefined;
}

/** Compare two images sample by sample. */
export function diffStats(actual: Pixels, expected: Pixels, nearDiff = 1, peak = 255): DiffStats {
  assert.equal(`${actual.width}x${actual.height}x${actual.channels}`, `${expected.width}x${expected.height}x${expected.channels}`, 'image shape');
  let max = 0;
  let far = 0;
  let sq = 0;
  let firstFar: string | undefined;
  const n = expected.data.length;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(actual.data[i] - expected.data[i]);
    sq += d * d;
    if (d > max) max = d;
    if (d > nearDiff) {
      far++;
      if (firstFar === undefined) {
        const px = Math.floor(i / expected.channels);
        firstFar = `(x=${px % expected.width}, y=${Math.floor(px / expected.width)}, c=${i % expected.channels}): ${actual.data[i]} vs ${expected.data[i]}`;
      }
    }
  }
  const mse = sq / n;
  const psnr = mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
  return { maxDiff: max, farFraction: far / n, psnr, firstFar };
}

/** Assert that `actual` matches `expected` within the tolerance (DIFFERENCES.md section 3 by default). */
export function assertImageClose(actual: Pixels, expected: Pixels, tolerance: Tolerance = {}, label = 'image'): DiffStats {
  const { maxDiff = 3, farFraction = 0.001, nearDiff = 1, minPsnr = 50, peak = 255 } = tolerance;
  const s = diffStats(actual, expected, nearDiff, peak);
  const report = `${label}: max diff ${s.maxDiff}, ${(s.farFraction * 100).toFixed(4)} % beyond ${nearDiff}, PSNR ${s.psnr.toFixed(2)} dB, first far sample ${s.firstFar ?? 'none'}`;
  assert.ok(s.maxDiff <= maxDiff && s.farFraction <= farFraction && s.psnr >= minPsnr, report);
  return s;
}
