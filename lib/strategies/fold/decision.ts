/**
 * The decision the depth-map methods share: the index of the sharpest frame
 * per pixel (a fold keeping the best value and its frame), smoothed by a
 * majority filter.
 */
import { argmaxAdd, labelCounts, majorityFilter } from '../../kernels/fold.js';
import { cellMeans, gateIndex, wideMeans } from '../../kernels/gate.js';
import type { Fold, FoldInfo } from './fold.js';

/** The wide decision's cells: the measure is averaged over `CELL x CELL` pixels... */
export const GATE_CELL = 8;
/** ...and then over the cells within this many cells (7 x 7 cells: 56 x 56 pixels). */
export const GATE_RADIUS = 3;

/** The wide decision's running state, on cells of {@link GATE_CELL} pixels. */
export interface WideState {
  /** The best wide mean so far, per cell. */
  readonly best: Float32Array;
  /** Its frame, per cell. */
  readonly index: Uint16Array;
  /** Scratch: the frame's cell means. */
  readonly cells: Float32Array;
  /** Scratch: the frame's wide means. */
  readonly means: Float32Array;
  /** Cells a row. */
  readonly cellsX: number;
  /** Rows of cells. */
  readonly cellsY: number;
}

/** The running state of {@link sharpestFrame}. */
export interface SharpestState {
  /** Best measure so far, per pixel. */
  readonly best: Float32Array;
  /** Frame of the best measure, per pixel. */
  readonly index: Uint16Array;
  /** Frames folded so far. */
  count: number;
  /** The wide decision, on cells (absent when the gate is 0). */
  readonly wide?: WideState;
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
 * measure (ties to the lower index); where that largest measure is below
 * `gate` times the largest mean of a frame's measure over the 56 x 56
 * pixels around (on cells of 8 x 8), the frame of that mean instead; then
 * an `n x n` majority filter.
 *
 * @param n - Odd size of the majority window (1: no filter).
 * @param gate - Share of the wide mean below which the local measure is not trusted (0: no wide decision).
 * @returns The fold; its result is a buffer of the run.
 */
export function sharpestFrame(n: number, gate = 0): Fold<SharpestState, MeasuredFrame, Uint16Array> {
  return {
    begin: (info) => {
      const size = info.width * info.height;
      const cellsX = Math.ceil(info.width / GATE_CELL);
      const cellsY = Math.ceil(info.height / GATE_CELL);
      const b = info.buffers;
      const wide = gate > 0 ? { best: b.float32(cellsX * cellsY), index: b.uint16(cellsX * cellsY), cells: b.float32(cellsX * cellsY), means: b.float32(cellsX * cellsY), cellsX, cellsY } : undefined;
      return { best: b.float32(size), index: b.uint16(size), count: 0, info, ...(wide ? { wide } : {}) };
    },
    add: (state, { measure, coverage }, index) => {
      const first = state.count++ === 0;
      argmaxAdd(state.best, state.index, measure, index, first, coverage);
      const { wide, info } = state;
      if (wide) {
        cellMeans(measure, info.width, info.height, GATE_CELL, wide.cells, coverage);
        wideMeans(wide.cells, wide.cellsX, wide.cellsY, GATE_RADIUS, wide.means);
        argmaxAdd(wide.best, wide.index, wide.means, index, first);
      }
    },
    finish: (state) => {
      const { wide, info } = state;
      if (wide) {
        gateIndex(state.best, state.index, info.width, info.height, GATE_CELL, wide.best, wide.index, gate);
        info.buffers.free(wide.best, wide.index, wide.cells, wide.means);
      }
      info.buffers.free(state.best);
      return smoothIndex(state.index, info, n, true);
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
