/**
 * The focus measures the methods share: activity maps box-summed over a
 * `k x k` window (SPEC 1.2 to 1.4).
 */
import { boxSum, laplaceActivity, secondDifferenceActivity } from '../kernels/activity.js';
import type { Measure } from './strategy.js';

/**
 * Second-difference activity (SPEC 1.1) box-summed over `k x k`: the measure
 * of the gradient and median methods.
 *
 * @param k - Odd window size (the original's smoothing kernel, 3).
 */
export function activityMeasure(k: number): Measure {
  return {
    key: `activity/${k}`,
    compute: (band, channels, out) => boxSum(secondDifferenceActivity(band, channels, out), band.width, band.height, k),
  };
}

/**
 * Absolute Laplace-kernel response box-summed over `k x k`: the measure of
 * the Laplacian method.
 *
 * @param k - Odd window size.
 */
export function laplaceMeasure(k: number): Measure {
  return {
    key: `laplace/${k}`,
    compute: (band, channels, out) => boxSum(laplaceActivity(band, channels, out), band.width, band.height, k),
  };
}
