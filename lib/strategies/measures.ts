/**
 * The focus measures the methods share: activity maps box-summed over a
 * `k x k` window (DIFFERENCES.md 1.2 to 1.4).
 */
import type { FloatImage } from '../image.js';
import { Stencil, type ChannelSelection } from '../kernels/activity.js';
import { serialExecutor } from '../parallel/executor.js';
import type { Measure } from './strategy.js';

function boxedActivity(stencil: Stencil, k: number): Measure['compute'] {
  return (band: FloatImage, channels: ChannelSelection, exec = serialExecutor()) =>
    exec.boxedActivity(band, channels, stencil, k, exec.pool.float32(band.width * band.height));
}

/**
 * Second-difference activity (DIFFERENCES.md 1.1) box-summed over `k x k`: the measure
 * of the gradient and median methods.
 *
 * @param k - Odd window size (the original's smoothing kernel, 3).
 * @returns The measure.
 */
export function activityMeasure(k: number): Measure {
  return { key: `activity/${k}`, compute: boxedActivity(Stencil.SECOND_DIFFERENCE, k) };
}

/**
 * Absolute Laplace-kernel response box-summed over `k x k`: the measure of
 * the Laplacian method.
 *
 * @param k - Odd window size.
 * @returns The measure.
 */
export function laplaceMeasure(k: number): Measure {
  return { key: `laplace/${k}`, compute: boxedActivity(Stencil.LAPLACE, k) };
}
