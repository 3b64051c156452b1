/**
 * Depth-map methods over N frames: decide per pixel which frame is sharpest
 * (a focus measure at full resolution, the argmax over frames, a majority
 * filter), then read the frames again and take the pixels decided on:
 * blended by guided-filter weights (`dmap`) or copied (`select`).
 */
import { assertNumber, assertOdd } from '../../errors.js';
import { copyWhere, divideBy, floatToSamples, grayPlane, guidedFilterRows, guidedFilterScratch, weightedAdd } from '../../kernels/fold.js';
import { framesNamed, sharpestFrame, type SharpestState } from './decision.js';
import type { FocusMeasure, FoldInfo, FoldResult, FoldRun, FoldStrategy } from './fold.js';
import { smlFocusMeasure } from './measures.js';

/** Options of {@link dmapFold} and {@link selectFold}. */
export interface DepthMapFoldOptions {
  /**
   * The focus measure at full resolution.
   * @default sum-modified-Laplacian over 5x5 plus a 61x61 term weighted 0.01 (`smlFocusMeasure({ window: 5 })`)
   */
  measure?: FocusMeasure;
  /**
   * Majority window on the index of the sharpest frame, an odd integer from 1 to 255.
   * @default 13
   */
  majority?: number;
  /**
   * Where the sharpest frame's measure is below this share of the largest
   * mean of a frame's measure over the 56 x 56 pixels around, that frame
   * decides instead (wide flat areas, where a defocused frame's blur
   * spreading from an edge outscores the sharp frame's flat texture); 0
   * leaves the local decision alone. From 0 to 1.
   * @default 0.3
   */
  gate?: number;
}

/** Options of {@link dmapFold}. */
export interface DmapFoldOptions extends DepthMapFoldOptions {
  /**
   * Radius of the guided filter that refines each frame's weight, an integer from 0 to 100.
   * @default 2
   */
  radius?: number;
  /**
   * Regularisation of the guided filter, on intensities in 0..1 (larger: smoother weights), above 0.
   * @default 0.01
   */
  eps?: number;
}

/** Defaults of {@link DmapFoldOptions}. */
export const DEFAULT_DMAP_OPTIONS: Readonly<Required<Pick<DmapFoldOptions, 'majority' | 'gate' | 'radius' | 'eps'>>> = Object.freeze({ majority: 13, gate: 0.3, radius: 2, eps: 0.01 });

/**
 * Window of the focus measure's local term (sum-modified-Laplacian) in both
 * depth-map methods: 5x5, measured on the ground-truth scenes
 * (bench/quality.ts): with the gate (see {@link DepthMapFoldOptions.gate}),
 * the decision is right everywhere on smooth surfaces, and wrong only within
 * a few pixels of depth steps, where a wider window straddles two depths.
 */
export const DEPTH_MAP_WINDOW = 5;

/** The weight every frame keeps where it is chosen, so that no pixel's weights sum to 0. */
const CHOSEN_FLOOR = 1e-4;
/** The weight of a chosen frame where it has no data (aligned frames): any covered frame's weight outweighs it. */
const UNCOVERED_FLOOR = 1e-12;

/** The first pass both methods share, and the second pass each does its own way. */
function twoPass(info: FoldInfo, { measure, majority, gate }: DepthDecision, second: (map: Uint16Array) => Omit<FoldRun, 'passes' | 'endPass'>): FoldRun {
  const decide = sharpestFrame(majority, gate);
  const state: SharpestState = decide.begin(info);
  let rest: Omit<FoldRun, 'passes' | 'endPass'> | undefined;
  let map: Uint16Array | undefined;
  return {
    passes: 2,
    async add(frame, index, pass, coverage) {
      if (pass === 1) return rest!.add(frame, index, pass, coverage);
      const values = await measure.compute(frame, info);
      decide.add(state, { measure: values, ...(coverage ? { coverage } : {}) }, index);
      info.buffers.free(values);
    },
    async endPass() {
      map = await decide.finish(state);
      rest = second(map);
      return framesNamed([map], info.frames);
    },
    async finish(sixteen): Promise<FoldResult> {
      const result = await rest!.finish(sixteen);
      if (info.depthMap) return { ...result, index: map! };
      info.buffers.free(map);
      return result;
    },
  };
}

/** The checked options of the decision both depth-map methods share. */
interface DepthDecision {
  measure: FocusMeasure;
  majority: number;
  gate: number;
}

function checkDepthOptions(options: DepthMapFoldOptions): DepthDecision {
  const { measure = smlFocusMeasure({ window: DEPTH_MAP_WINDOW }), majority = DEFAULT_DMAP_OPTIONS.majority, gate = DEFAULT_DMAP_OPTIONS.gate } = options;
  assertOdd('majority', majority, 1, 255);
  assertNumber('gate', gate, 0, 1);
  return { measure, majority, gate };
}

/**
 * The depth-map method: the sharpest frame per pixel by the focus measure,
 * majority-filtered (the depth map), then per frame a weight, 1 where the
 * frame was chosen, refined by a guided filter guided by the frame itself
 * (so that the seams follow its edges), and the frames blended in the image
 * domain, `sum w_i frame_i / sum w_i`, on a second reading. Frames chosen
 * nowhere are not read again.
 *
 * @param options - See {@link DmapFoldOptions}.
 * @returns The strategy.
 * @throws RangeError for a bad option.
 */
export function dmapFold(options: DmapFoldOptions = {}): FoldStrategy {
  const decision = checkDepthOptions(options);
  const { radius = DEFAULT_DMAP_OPTIONS.radius, eps = DEFAULT_DMAP_OPTIONS.eps } = options;
  assertNumber('radius', radius, 0, 100);
  assertNumber('eps', eps, 1e-9, 1e6);
  return {
    name: 'dmap',
    begin: (info) =>
      twoPass(info, decision, (map) => {
        const { buffers, channels } = info;
        const n = info.width * info.height;
        const acc = buffers.float32(n * channels).fill(0);
        const sum = buffers.float32(n).fill(0);
        return {
          async add(frame, index, _pass, coverage) {
            // Row by row, so that a frame needs a few rows of scratch besides the state, not full planes:
            // the guide (the frame's gray), the weight (1 where chosen), the guided filter, the fold.
            const { width, height } = info;
            const data = frame.data;
            const r = Math.round(radius);
            const scratch = buffers.float32(guidedFilterScratch(width, r));
            guidedFilterRows(width, height, r, eps, scratch, {
              guide: (y, row) => grayPlane({ width, height: 1, channels, data: data.subarray(y * width * channels, (y + 1) * width * channels) }, 1 / 255, row),
              input: (y, row) => {
                for (let x = 0, o = y * width; x < width; x++) row[x] = map[o + x] === index ? 1 : 0;
              },
              emit: (y, w) => {
                for (let x = 0, o = y * width; x < width; x++) {
                  const p = o + x;
                  const q = w[x] > 0 ? w[x] : 0;
                  // Uncovered: no weight, unless the (majority-filtered) map chose this frame there, where a
                  // tiny one keeps the sum from being 0 (the warp's replicated edge then fills in).
                  w[x] = coverage && coverage[p] === 0 ? (map[p] === index ? UNCOVERED_FLOOR : 0) : map[p] === index ? q + CHOSEN_FLOOR : q;
                }
                const o = y * width;
                weightedAdd(acc.subarray(o * channels, (o + width) * channels), sum.subarray(o, o + width), data.subarray(o * channels, (o + width) * channels), w, channels);
              },
            });
            buffers.free(scratch);
          },
          async finish(sixteen) {
            divideBy(acc, sum, channels);
            return { image: toImage(acc, info, sixteen) };
          },
        };
      }),
  };
}

/**
 * The selection method: the depth map's decision as {@link dmapFold}, then
 * each pixel copied from the frame it names (no blending: every output pixel
 * is a pixel of one frame).
 *
 * @param options - See {@link DepthMapFoldOptions}.
 * @returns The strategy.
 * @throws RangeError for a bad option.
 */
export function selectFold(options: DepthMapFoldOptions = {}): FoldStrategy {
  const decision = checkDepthOptions(options);
  return {
    name: 'select',
    begin: (info) =>
      twoPass(info, decision, (map) => {
        const out = info.buffers.float32(info.width * info.height * info.channels).fill(0);
        return {
          async add(frame, index) {
            copyWhere(map, index, frame.data, out, info.channels);
          },
          async finish(sixteen) {
            return { image: toImage(out, info, sixteen) };
          },
        };
      }),
  };
}

/** Float samples (0..255 scale) to a plain 8- or 16-bit image, rounded. */
function toImage(data: Float32Array, info: FoldInfo, sixteen: boolean) {
  const out = sixteen ? new Uint16Array(data.length) : new Uint8Array(data.length);
  floatToSamples(data, out, sixteen ? 257 : 1, true);
  return { width: info.width, height: info.height, channels: info.channels as 1 | 3, data: out };
}
