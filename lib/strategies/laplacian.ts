import { GaussianBlur } from '../cv/GaussianBlur.js';
import { matFromImage } from '../cv/convert.js';
import { loadOpenCV } from '../cv/runtime.js';
import { MatScope } from '../cv/scope.js';
import { assertKnownKeys, assertNumber } from '../errors.js';
import { serialExecutor } from '../parallel/executor.js';
import { laplaceMeasure } from './measures.js';
import { resolveStrategyOptions, type StrategyOptions } from './options.js';
import { Method, type Strategy } from './strategy.js';

/** Options of {@link laplacianStrategy}. */
export interface LaplacianStrategyOptions extends Pick<StrategyOptions, 'beta' | 'smoothKernel'> {
  /**
   * Sigma of the Gaussian that smooths the mask (kernel size chosen by OpenCV), 0.01 to 1000.
   * @default 3
   */
  sigma?: number;
}

/**
 * Laplacian filter-based blending (`reconstr_old`, DIFFERENCES.md 1.3, with fix B4):
 * the sigmoid mask of the gradient method computed on absolute Laplace-kernel
 * responses, then smoothed with `GaussianBlur(mask, (0, 0), sigma)`.
 * Needs OpenCV.js loaded (`await loadOpenCV()`).
 *
 * @param options - `beta` (0.1), `smoothKernel` (3), `sigma` (3).
 * @returns The strategy.
 * @throws TypeError, RangeError for a bad option.
 */
export function laplacianStrategy(options: LaplacianStrategyOptions = {}): Strategy {
  assertKnownKeys('laplacianStrategy', options, ['beta', 'smoothKernel', 'medianSizes', 'sigma']);
  const { beta, smoothKernel } = resolveStrategyOptions(options);
  const { sigma = 3 } = options;
  assertNumber('sigma', sigma, 0.01, 1000);
  return {
    method: Method.LAPLACIAN,
    measure: laplaceMeasure(smoothKernel),
    mask: async (back, front, { width, height, exec = serialExecutor() }) => {
      const soft = await exec.sigmoidMask(back, front, beta, exec.pool.float32(back.length));
      await loadOpenCV();
      using scope = new MatScope();
      const src = scope.track(matFromImage({ width, height, channels: 1, data: soft }));
      soft.set(scope.track(GaussianBlur(src, { sigmaX: sigma })).data32F);
      return soft;
    },
  };
}
