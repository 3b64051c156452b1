/**
 * The knobs of the methods (DIFFERENCES.md section 4), their defaults (the original's),
 * and their validation.
 */
import { assertNumber, assertOdd, invalidParameter } from '../errors.js';

/** Options shared by the methods. */
export interface StrategyOptions {
  /**
   * Steepness of the sigmoid mask (gradient and Laplacian methods).
   * @default 0.1
   */
  beta?: number;
  /**
   * Size of the box window that sums activity: an odd integer from 1 to 99.
   * @default 3
   */
  smoothKernel?: number;
  /**
   * Median window per pyramid level, finest first (median method): odd
   * integers from 1 to 255; levels past the end use the last size. (The
   * original raised an even size by one; here it is an error.)
   * @default [35, 19, 9, 5, 3]
   */
  medianSizes?: readonly number[];
}

/** Defaults of {@link StrategyOptions}. */
export const DEFAULT_STRATEGY_OPTIONS: Required<StrategyOptions> = Object.freeze({
  beta: 0.1,
  smoothKernel: 3,
  medianSizes: Object.freeze([35, 19, 9, 5, 3]),
});

/**
 * Apply defaults and validate.
 *
 * @param options - As given by the caller.
 * @returns Complete options.
 * @throws TypeError, RangeError naming the bad option.
 */
export function resolveStrategyOptions(options: StrategyOptions = {}): Required<StrategyOptions> {
  const { beta, smoothKernel, medianSizes } = { ...DEFAULT_STRATEGY_OPTIONS, ...stripUndefined(options) };
  assertNumber('beta', beta, 0, 1e6);
  assertOdd('smoothKernel', smoothKernel, 1, 99);
  if (!Array.isArray(medianSizes) || medianSizes.length === 0) {
    throw invalidParameter('medianSizes', 'a non-empty array of odd integers from 1 to 255', medianSizes, 'type');
  }
  medianSizes.forEach((n, i) => assertOdd(`medianSizes[${i}]`, n, 1, 255));
  return { beta, smoothKernel, medianSizes: [...medianSizes] };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
