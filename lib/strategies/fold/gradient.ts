/**
 * The seed's gradient method for N frames: per pyramid level, a softmax over
 * frames of beta times the box-summed second-difference activity, each
 * activity clipped at 50 below the pixel's maximum (docs/DIFFERENCES.md 1.2 is the case N = 2).
 */
import { assertOdd } from '../../errors.js';
import { excludeUncovered, shrinkCoverage } from '../../kernels/coverage.js';
import { divideBy, softmaxAdd } from '../../kernels/fold.js';
import { resolveStrategyOptions } from '../options.js';
import { sharpestFrame } from './decision.js';
import type { FocusMeasure, FoldStrategy } from './fold.js';
import { activityFocusMeasure } from './measures.js';
import { collapsePyramid, framePyramid, levelSizes } from './pyramidal.js';

/** Options of {@link gradientFold}. */
export interface GradientFoldOptions {
  /**
   * Steepness of the softmax, 0 to 1e6.
   * @default 0.1
   */
  beta?: number;
  /**
   * Box window of the activity, an odd integer from 1 to 99.
   * @default 3
   */
  smoothKernel?: number;
  /**
   * The measure of each band.
   * @default the activity box-summed over smoothKernel
   */
  measure?: FocusMeasure;
  /**
   * Majority window of the depth map (when one is asked for), an odd integer.
   * @default 21
   */
  depthMajority?: number;
}

/**
 * The gradient method over N frames, in one pass. At each level each frame
 * weighs `exp(beta * max(a_i - max_j a_j, -50))`; at N = 2 this is the seed's
 * clipped sigmoid exactly. Streamed with a running maximum (see
 * `kernels.softmaxAdd`): exact for two frames; beyond, a frame folded while
 * within 50 of the running maximum and later left more than 50 below a new
 * maximum keeps its (smaller) unclipped weight instead of the clip's.
 * The depth map, when asked for, is the argmax of the finest level's measure,
 * majority-filtered.
 *
 * @param options - See {@link GradientFoldOptions}.
 * @returns The strategy.
 * @throws TypeError, RangeError for a bad option.
 */
export function gradientFold(options: GradientFoldOptions = {}): FoldStrategy {
  const { beta, smoothKernel } = resolveStrategyOptions({ beta: options.beta, smoothKernel: options.smoothKernel });
  const measure = options.measure ?? activityFocusMeasure(smoothKernel);
  const depth = sharpestFrame(assertOdd('depthMajority', options.depthMajority ?? 21, 1, 255));
  return {
    name: 'gradient',
    begin(info) {
      const { buffers, channels } = info;
      const levels = levelSizes(info.width, info.height, info.levels).map(({ width, height }) => ({
        width,
        height,
        channels,
        m: buffers.float32(width * height),
        s: buffers.float32(width * height),
        acc: buffers.float32(width * height * channels),
      }));
      const sharpest = info.depthMap ? depth.begin(info) : undefined;
      let count = 0;
      return {
        passes: 1,
        async add(frame, index, _pass, coverage) {
          const pyramid = await framePyramid(frame, info);
          // Where the aligned frame has no data its measure is -Infinity: the softmax's clip leaves it exp(-50 beta).
          let cover = coverage;
          for (const [k, band] of pyramid.entries()) {
            if (cover && k > 0) {
              const finer = cover;
              cover = shrinkCoverage(finer, levels[k - 1].width, levels[k - 1].height, buffers.uint8(band.width * band.height));
              if (k > 1) buffers.free(finer);
            }
            const a = await measure.compute(band, info);
            if (cover) excludeUncovered(a, cover);
            if (cover && k > 0 && k === levels.length - 1) buffers.free(cover);
            const level = levels[k];
            softmaxAdd(level.m, level.s, level.acc, a, band.data, channels, beta, count === 0);
            if (k === 0 && sharpest) depth.add(sharpest, { measure: a }, index);
            buffers.free(a, ...(k > 0 ? [band.data] : []));
          }
          count++;
        },
        async finish(sixteen) {
          const fused = levels.map(({ width, height, m, s, acc }) => {
            divideBy(acc, s, channels);
            buffers.free(m, s);
            return { width, height, channels, data: acc };
          });
          const index = sharpest ? await depth.finish(sharpest) : undefined;
          return { image: await collapsePyramid(fused, info, sixteen), ...(index ? { index } : {}) };
        },
      };
    },
  };
}
