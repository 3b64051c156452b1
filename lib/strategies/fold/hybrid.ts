/**
 * The hybrid method: selection where the depth map is flat, pyramid fusion
 * at its jumps. Selection copies each pixel from its sharpest frame, the
 * best there is where each point is seen sharply in some frame; at a depth
 * edge no frame shows the far side next to the near object's edge sharply
 * (the near object's blur spreads over it), and the pyramid's blend of the
 * frames' detail does better there.
 */
import { assertInteger } from '../../errors.js';
import type { Image } from '../../image.js';
import { blendByAlpha, boxSumRunning, jumpMask } from '../../kernels/fold.js';
import { selectFold, type DepthMapFoldOptions } from './dmap.js';
import type { FoldResult, FoldStrategy } from './fold.js';
import { pyramidFold } from './pyramid.js';

/** Options of {@link hybridFold}. */
export interface HybridFoldOptions extends DepthMapFoldOptions {
  /**
   * Pixels within this radius of a jump of the depth map of more than
   * `jump` frames take the pyramid's result; an integer from 0 to 255.
   * @default 12
   */
  edge?: number;
  /**
   * Width of the ramp from one result to the other, pixels; an integer from 0 to 255.
   * @default 8
   */
  feather?: number;
  /**
   * Jumps of at most this many frames do not count; an integer of at least 0.
   * @default 1
   */
  jump?: number;
}

/** Defaults of {@link HybridFoldOptions}. */
export const DEFAULT_HYBRID_OPTIONS: Readonly<Required<Pick<HybridFoldOptions, 'edge' | 'feather' | 'jump'>>> = Object.freeze({ edge: 12, feather: 8, jump: 1 });

/**
 * Hybrid: the `select` method's result (see {@link selectFold}) and the
 * `pyramid` method's ({@link pyramidFold}) from the same two readings,
 * blended by a weight that is 1 within `edge` px of the depth map's jumps
 * of more than `jump` frames, 0 elsewhere, ramped over `feather` px (a box
 * mean of the mask). Where the weight is 0 the result is exactly the
 * selection's.
 *
 * @param options - See {@link HybridFoldOptions}.
 * @returns The strategy.
 * @throws RangeError for a bad option.
 */
export function hybridFold(options: HybridFoldOptions = {}): FoldStrategy {
  const { edge = DEFAULT_HYBRID_OPTIONS.edge, feather = DEFAULT_HYBRID_OPTIONS.feather, jump = DEFAULT_HYBRID_OPTIONS.jump, ...rest } = options;
  assertInteger('edge', edge, 0, 255);
  assertInteger('feather', feather, 0, 255);
  assertInteger('jump', jump, 0);
  const select = selectFold(rest);
  const pyramid = pyramidFold();
  return {
    name: 'hybrid',
    begin(info) {
      const sel = select.begin({ ...info, depthMap: true });
      const pyr = pyramid.begin({ ...info, depthMap: false });
      return {
        passes: 2,
        async add(frame, index, pass, coverage) {
          await sel.add(frame, index, pass, coverage); // reads the frame
          await pyr.add(frame, index, pass, coverage); // consumes it
        },
        async endPass() {
          const a = await sel.endPass!();
          const b = await pyr.endPass!();
          return a.map((x, i) => x || b[i]);
        },
        async finish(sixteen): Promise<FoldResult> {
          const { image, index } = await sel.finish(sixteen);
          const { image: fused } = await pyr.finish(sixteen);
          const { width, height, buffers } = info;
          const n = width * height;
          const mask = jumpMask(index!, width, height, edge, jump, buffers.uint8(n));
          const alpha = buffers.float32(n);
          for (let p = 0; p < n; p++) alpha[p] = mask[p];
          if (feather > 0) {
            const k = 2 * Math.floor(feather / 2) + 1;
            const t = buffers.float32(n);
            t.set(alpha);
            boxSumRunning(t, width, height, k, alpha, 1 / (k * k));
            buffers.free(t);
          }
          blendByAlpha(fused.data, image.data, alpha, info.channels, image.data);
          buffers.free(mask, alpha);
          const out: Image = image;
          if (info.depthMap) return { image: out, index: index! };
          buffers.free(index);
          return { image: out };
        },
      };
    },
  };
}
