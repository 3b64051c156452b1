import { assertKnownKeys } from '../errors.js';
import { serialExecutor } from '../parallel/executor.js';
import { activityMeasure } from './measures.js';
import { resolveStrategyOptions, type StrategyOptions } from './options.js';
import { Method, type Strategy } from './strategy.js';

/** Options of {@link gradientStrategy}. */
export type GradientStrategyOptions = Pick<StrategyOptions, 'beta' | 'smoothKernel'>;

/**
 * Gradient-based blending, the original's main method (`reconstr`, DIFFERENCES.md 1.2):
 * the mask is `sigmoid(beta * clip(SB - SF, -50, 50))` where `SX` is the
 * box-summed second-difference activity of frame X, summed over channels.
 *
 * @param options - `beta` (default 0.1) and `smoothKernel` (default 3).
 * @returns The strategy.
 * @throws TypeError, RangeError for a bad option.
 */
export function gradientStrategy(options: GradientStrategyOptions = {}): Strategy {
  assertKnownKeys('gradientStrategy', options, ['beta', 'smoothKernel', 'medianSizes']);
  const { beta, smoothKernel } = resolveStrategyOptions(options);
  return {
    method: Method.GRADIENT,
    measure: activityMeasure(smoothKernel),
    mask: (back, front, { exec = serialExecutor() }) => exec.sigmoidMask(back, front, beta, exec.pool.float32(back.length)),
  };
}
