/**
 * Coverage masks (1 where an aligned frame has data, 0 where the warp left
 * none) for the pyramid methods: shrunk level by level, and applied to a
 * focus measure so that an uncovered pixel is never the sharpest.
 */

/**
 * The coverage of the next coarser pyramid level (`ceil` halving, as
 * pyrDown): a pixel is covered when every pixel of the finer level under it
 * is (conservative: the border values replicated by the warp never count).
 *
 * @param coverage - The finer level's mask, `width * height` bytes.
 * @param width - The finer level's width.
 * @param height - The finer level's height.
 * @param out - `ceil(width / 2) * ceil(height / 2)` bytes, written.
 * @returns `out`.
 */
export function shrinkCoverage(coverage: Uint8Array, width: number, height: number, out: Uint8Array): Uint8Array {
  const w = (width + 1) >> 1, h = (height + 1) >> 1;
  for (let y = 0; y < h; y++) {
    const y0 = 2 * y, y1 = Math.min(2 * y + 1, height - 1);
    for (let x = 0; x < w; x++) {
      const x0 = 2 * x, x1 = Math.min(2 * x + 1, width - 1);
      out[y * w + x] = coverage[y0 * width + x0] & coverage[y0 * width + x1] & coverage[y1 * width + x0] & coverage[y1 * width + x1];
    }
  }
  return out;
}

/**
 * Make a focus measure `-Infinity` where the frame has no data, in place.
 *
 * @param measure - One value per pixel.
 * @param coverage - One byte per pixel, 0 where uncovered.
 * @returns `measure`.
 */
export function excludeUncovered(measure: Float32Array, coverage: Uint8Array): Float32Array {
  for (let p = 0; p < measure.length; p++) if (coverage[p] === 0) measure[p] = -Infinity;
  return measure;
}
