/**
 * Laplacian-pyramid selection over N frames: at each level each pixel takes
 * the coefficient of the frame with the most local energy, the choice made
 * consistent by a majority filter; the coarsest level is the frames' mean.
 */
import { shrinkCoverage } from '../../kernels/coverage.js';
import { argmaxAdd, copyWhere } from '../../kernels/fold.js';
import { assertOdd } from '../../errors.js';
import type { FloatImage } from '../../image.js';
import { framesNamed, sharpestFrame, smoothIndex } from './decision.js';
import type { FocusMeasure, FoldStrategy } from './fold.js';
import { energyFocusMeasure } from './measures.js';
import { collapsePyramid, framePyramid, levelSizes } from './pyramidal.js';

/** Options of {@link pyramidFold}. */
export interface PyramidFoldOptions {
  /**
   * The measure of each band.
   * @default the sum of squared coefficients over 5x5
   */
  measure?: FocusMeasure;
  /**
   * Majority window on each level's choice, an odd integer from 1 to 99.
   * @default 3
   */
  majority?: number;
  /**
   * Majority window of the depth map (when one is asked for), an odd integer.
   * @default 21
   */
  depthMajority?: number;
}

/**
 * Pyramid selection, in two passes: the first folds, per level, the frame of
 * largest local energy (and the sum of the coarsest levels); a `majority x
 * majority` majority filter then smooths each level's choice; the second
 * pass gathers each frame's chosen coefficients. With one level the whole
 * image is selected that way (nothing is averaged). The depth map is the
 * finest level's choice, majority-filtered over `depthMajority`.
 *
 * @param options - See {@link PyramidFoldOptions}.
 * @returns The strategy.
 * @throws RangeError for a bad option.
 */
export function pyramidFold(options: PyramidFoldOptions = {}): FoldStrategy {
  const { measure = energyFocusMeasure(5), majority = 3, depthMajority = 21 } = options;
  assertOdd('majority', majority, 1, 99);
  assertOdd('depthMajority', depthMajority, 1, 255);
  const choice = sharpestFrame(1);
  return {
    name: 'pyramid',
    begin(info) {
      const { buffers, channels } = info;
      const sizes = levelSizes(info.width, info.height, info.levels);
      const detail = info.levels > 1 ? info.levels - 1 : 1; // levels chosen by energy
      const sub = sizes.map(({ width, height }) => ({ ...info, width, height }));
      const choices = sizes.slice(0, detail).map((_, k) => choice.begin(sub[k]));
      const top = sizes.length > detail ? sizes[detail] : undefined;
      const mean = top ? buffers.float32(top.width * top.height * channels) : undefined;
      let maps: Uint16Array[] = [];
      let depth: Uint16Array | undefined;
      let fused: FloatImage[] = [];
      let count = 0;
      return {
        passes: 2,
        async add(frame, index, pass, coverage) {
          const pyramid = await framePyramid(frame, info);
          // Where the aligned frame has no data it is never the sharpest (coverage shrunk per level).
          let cover = pass === 0 ? coverage : undefined;
          for (const [k, band] of pyramid.entries()) {
            if (cover && k > 0 && k < detail) {
              const finer = cover;
              cover = shrinkCoverage(finer, sizes[k - 1].width, sizes[k - 1].height, buffers.uint8(band.width * band.height));
              if (k > 1) buffers.free(finer);
            }
            if (pass === 1) {
              if (k < detail) copyWhere(maps[k], index, band.data, fused[k].data, channels);
            } else if (k < detail) {
              const a = await measure.compute(band, info);
              argmaxAdd(choices[k].best, choices[k].index, a, index, count === 0, cover);
              buffers.free(a, ...(k > 0 && k === detail - 1 ? [cover] : []));
            } else if (count === 0) mean!.set(band.data);
            else for (let i = 0; i < band.data.length; i++) mean![i] += band.data[i];
            if (k > 0) buffers.free(band.data);
          }
          if (pass === 0) count++;
        },
        async endPass() {
          if (info.depthMap) {
            // A copy when not filtered: the level's own map is filtered in place of it below.
            depth = depthMajority > 1 ? smoothIndex(choices[0].index, info, depthMajority, false) : buffers.uint16(choices[0].index.length);
            if (depthMajority === 1) depth.set(choices[0].index);
          }
          maps = choices.map((state, k) => {
            buffers.free(state.best);
            return smoothIndex(state.index, sub[k], majority, true);
          });
          fused = sizes.slice(0, detail).map(({ width, height }) => ({ width, height, channels, data: buffers.float32(width * height * channels) }));
          if (top && mean) {
            for (let i = 0; i < mean.length; i++) mean[i] /= count;
            fused.push({ ...top, channels, data: mean });
          }
          return framesNamed(maps, info.frames);
        },
        async finish(sixteen) {
          buffers.free(...maps);
          return { image: await collapsePyramid(fused, info, sixteen), ...(depth ? { index: depth } : {}) };
        },
      };
    },
  };
}
