import { assertKnownKeys } from '../errors.js';
import { serialExecutor } from '../parallel/executor.js';
import { activityMeasure } from './measures.js';
import { resolveStrategyOptions, type StrategyOptions } from './options.js';
import { Method, type Strategy } from './strategy.js';

/** Options of {@link medianStrategy}. */
export type MedianStrategyOptions = Pick<StrategyOptions, 'smoothKernel' | 'medianSizes'>;

/**
 * Explicit mask with median filtering (`reconstr_new`, DIFFERENCES.md 1.4, with fix B1):
 * 1 where the back frame's box-summed activity is larger, then a median filter
 * of the level's size; the mask stays 0/1, so the method really blends.
 *
 * @param options - `smoothKernel` (default 3) and `medianSizes` (default 35, 19, 9, 5, 3).
 * @returns The strategy.
 * @throws TypeError, RangeError for a bad option.
 */
export function medianStrategy(options: MedianStrategyOptions = {}): Strategy {
  assertKnownKeys('medianStrategy', options, ['beta', 'smoothKernel', 'medianSizes']);
  const { smoothKernel, medianSizes } = resolveStrategyOptions(options);
  return {
    method: Method.MEDIAN,
    measure: activityMeasure(smoothKernel),
    mask: async (back, front, { width, height, level, exec = serialExecutor() }) => {
      const n = medianSizes[Math.min(level, medianSizes.length - 1)];
      const hard = await exec.greaterMask(back, front, exec.pool.uint8(back.length));
      if (n === 1) return hard;
      const filtered = await exec.binaryMedian(hard, width, height, n, exec.pool.uint8(back.length));
      exec.pool.release(hard);
      return filtered;
    },
  };
}
