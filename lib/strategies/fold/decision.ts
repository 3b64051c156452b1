/**
 * The decision the depth-map methods share: the index of the sharpest frame
 * per pixel (a fold keeping the best value and its frame), smoothed by a
 * majority filter.
 */
import { argmaxAdd, labelCounts, majorityFilter } from '../../kernels/fold.js';
import type { Fold, FoldInfo } from './fold.js';

/** The running state of {@link sharpestFrame}. */
export interface SharpestState {
  /** Best measure so far, per pixel. */
  readonly best: Float32Array;
  /** Frame of the best measure, per pixel. */
  readonly index: Uint16Array;
  /** Frames folded so far. */
  count: number;
  /** The run's information. */
  readonly info: FoldInfo;
}

/** A frame's measure, with where the frame has data. */
export interface MeasuredFrame {
  /** One value per pixel. */
  readonly measure: Float32Array;
  /** Where the frame has data (0: never chosen); everywhere if omitted. */
  readonly coverage?: Uint8Array;
}

/**
 * The fold of the sharpest frame: per pixel the frame with the largest
 * measure (ties to the lower index), then an `n x n` majority filter.
 *
 * @param n - Odd size of the majority window (1: no filter).
 * @returns The fold; its result is a buffer of the run.
 */
export function sharpestFrame(n: number): Fold<SharpestState, MeasuredFrame, Uint16Array> {
  return {
    begin: (info) => {
      const size = info.width * info.height;
      return { best: info.buffers.float32(size), index: info.buffers.uint16(size), count: 0, info };
    },
    add: (state, { measure, coverage }, index) => {
      argmaxAdd(state.best, state.index, measure, index, state.count++ === 0, coverage);
    },
    finish: (state) => {
      state.info.buffers.free(state.best);
      return smoothIndex(state.index, state.info, n, true);
    },
  };
}

/**
 * Majority-filter an index map.
 *
 * @param index - Frame index per pixel.
 * @param info - The run (size, frame count, buffers).
 * @param n - Odd window (1: the map itself).
 * @param consume - Give `index` back once filtered.
 * @returns The filtered map, a buffer of the run (`index` itself when n is 1).
 */
export function smoothIndex(index: Uint16Array, info: FoldInfo, n: number, consume: boolean): Uint16Array {
  if (n <= 1) return index;
  const out = majorityFilter(index, info.width, info.height, n, info.frames, info.buffers.uint16(index.length));
  if (consume) info.buffers.free(index);
  return out;
}

/**
 * Which frames an index map names.
 *
 * @param maps - Index maps.
 * @param frames - Number of frames.
 * @returns Whether each frame is named somewhere.
 */
export function framesNamed(maps: readonly Uint16Array[], frames: number): boolean[] {
  const named = new Array<boolean>(frames).fill(false);
  for (const map of maps) labelCounts(map, frames).forEach((c, i) => (named[i] ||= c > 0));
  return named;
}
