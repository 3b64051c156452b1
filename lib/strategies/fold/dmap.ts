/**
 * Depth-map methods over N frames: decide per pixel which frame is sharpest
 * (a focus measure at full resolution, the argmax over frames, a majority
 * filter), then read the frames again and take the pixels decided on:
 * blended by guided-filter weights (`dmap`) or copied (`select`).
 */
import { assertNumber, assertOdd } from '../../errors.js';
import { copyWhere, divideBy, floatToSamples, grayPlane, guidedFilterScratch, guidedFilterStream, weightedAdd } from '../../kernels/fold.js';
import { framesNamed, sharpestFrame, type SharpestState } from './decision.js';
import type { FocusMeasure, FoldInfo, FoldResult, FoldRun, FoldStrategy, FrameRows, RunBuffers } from './fold.js';
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

type SecondPass = Omit<FoldRun, 'passes' | 'endPass' | 'addRows'> & Required<Pick<FoldRun, 'addRows'>>;

/** The first pass both methods share, and the second pass each does its own way (from whole frames, or from their rows). */
function twoPass(info: FoldInfo, { measure, majority, gate }: DepthDecision, second: (map: Uint16Array) => SecondPass): FoldRun {
  const decide = sharpestFrame(majority, gate);
  const state: SharpestState = decide.begin(info);
  let rest: SecondPass | undefined;
  let map: Uint16Array | undefined;
  return {
    passes: 2,
    async add(frame, index, pass, coverage) {
      if (pass === 1) return rest!.add(frame, index, pass, coverage);
      const values = await measure.compute(frame, info);
      decide.add(state, { measure: values, ...(coverage ? { coverage } : {}) }, index);
      info.buffers.free(values);
    },
    async addRows(frame, index, pass) {
      if (pass !== 1 || !rest) throw new Error('the depth-map methods read rows only in their second pass');
      return rest.addRows(frame, index, pass);
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
        const { width, height } = info;
        const r = Math.round(radius);
        /**
         * Fold a frame in row by row, so that it needs a few rows of scratch besides the state, not full planes:
         * the guide (the frame's gray), the weight (1 where chosen), the guided filter, the fold. `row(y)` and
         * `covered(y)` give the frame's rows as they arrive (`advance`), at most 2r rows behind the last one.
         */
        const blend = (index: number, row: (y: number) => Float32Array, covered: ((y: number) => Uint8Array) | undefined) => {
          const scratch = buffers.float32(guidedFilterScratch(width, r));
          const stream = guidedFilterStream(width, height, r, eps, scratch, {
            guide: (y, out) => grayPlane({ width, height: 1, channels, data: row(y) }, 1 / 255, out),
            input: (y, out) => {
              for (let x = 0, o = y * width; x < width; x++) out[x] = map[o + x] === index ? 1 : 0;
            },
            emit: (y, w) => {
              const o = y * width;
              const coverage = covered?.(y);
              for (let x = 0; x < width; x++) {
                const p = o + x;
                const q = w[x] > 0 ? w[x] : 0;
                // Uncovered: no weight, unless the (majority-filtered) map chose this frame there, where a
                // tiny one keeps the sum from being 0 (the warp's replicated edge then fills in).
                w[x] = coverage && coverage[x] === 0 ? (map[p] === index ? UNCOVERED_FLOOR : 0) : map[p] === index ? q + CHOSEN_FLOOR : q;
              }
              weightedAdd(acc.subarray(o * channels, (o + width) * channels), sum.subarray(o, o + width), row(y), w, channels);
            },
          });
          return { advance: (rows: number) => stream.advance(rows), end: () => buffers.free(scratch) };
        };
        return {
          async add(frame, index, _pass, coverage) {
            const data = frame.data;
            const rowLength = width * channels;
            const run = blend(index, (y) => data.subarray(y * rowLength, (y + 1) * rowLength), coverage && ((y) => coverage.subarray(y * width, (y + 1) * width)));
            run.advance(height);
            run.end();
          },
          async addRows(frame, index) {
            // Two bands of rows, read in turn: the guided filter emits rows at most 2r behind the last one read.
            const bands = new BandRows(frame, buffers, bandHeight(info, 2 * r + 2), 2, true);
            const run = blend(index, (y) => bands.row(y), frame.covered ? (y) => bands.coverage(y) : undefined);
            try {
              await bands.each((y1) => run.advance(y1));
            } finally {
              run.end();
              bands.end();
            }
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
          async addRows(frame, index) {
            const { width, channels } = info;
            const bands = new BandRows(frame, info.buffers, bandHeight(info, 1), 1, false);
            try {
              await bands.each((y1, y0) => copyWhere(map.subarray(y0 * width, y1 * width), index, bands.rows(y0, y1), out.subarray(y0 * width * channels, y1 * width * channels), channels));
            } finally {
              bands.end();
            }
          },
          async finish(sixteen) {
            return { image: toImage(out, info, sixteen) };
          },
        };
      }),
  };
}

/** Rows per band and per thread when a frame is read in bands: enough for each thread's share to be worth a message. */
const BAND_ROWS_PER_THREAD = 64;

/** Rows per band for a run: at least `least`, at most the height. */
function bandHeight(info: FoldInfo, least: number): number {
  return Math.min(info.height, Math.max(least, BAND_ROWS_PER_THREAD * info.exec.threads));
}

/**
 * A frame's rows read a band at a time into a few band buffers used in
 * turn (so that the last `slots - 1` bands stay readable while the next
 * one is read), with their coverage when wanted.
 */
class BandRows {
  readonly #frame: FrameRows;
  readonly #buffers: RunBuffers;
  readonly #band: number;
  readonly #data: Float32Array[];
  readonly #coverage: Uint8Array[];
  readonly #rowLength: number;

  constructor(frame: FrameRows, buffers: RunBuffers, band: number, slots: number, coverage: boolean) {
    this.#frame = frame;
    this.#buffers = buffers;
    this.#band = band;
    this.#rowLength = frame.width * frame.channels;
    this.#data = Array.from({ length: slots }, () => buffers.float32(band * this.#rowLength));
    this.#coverage = coverage && frame.covered ? Array.from({ length: slots }, () => buffers.uint8(band * frame.width)) : [];
  }

  /** Read every band in order, calling `then(y1, y0)` once rows `y0 .. y1-1` are in. */
  async each(then: (y1: number, y0: number) => void): Promise<void> {
    const { height, width } = this.#frame;
    for (let y0 = 0; y0 < height; y0 += this.#band) {
      const y1 = Math.min(height, y0 + this.#band);
      const slot = this.#slot(y0);
      const coverage = this.#coverage[slot];
      await this.#frame.read(y0, y1, this.#data[slot].subarray(0, (y1 - y0) * this.#rowLength), coverage?.subarray(0, (y1 - y0) * width));
      then(y1, y0);
    }
  }

  /** Rows `y0 .. y1-1`, all in one band. */
  rows(y0: number, y1: number): Float32Array {
    const o = (y0 % this.#band) * this.#rowLength;
    return this.#data[this.#slot(y0)].subarray(o, o + (y1 - y0) * this.#rowLength);
  }

  /** Row y (of a band still held). */
  row(y: number): Float32Array {
    return this.rows(y, y + 1);
  }

  /** Row y's coverage (of a band still held), when the frame has coverage and it was asked for. */
  coverage(y: number): Uint8Array {
    const o = (y % this.#band) * this.#frame.width;
    return this.#coverage[this.#slot(y)].subarray(o, o + this.#frame.width);
  }

  /** Give the band buffers back. */
  end(): void {
    this.#buffers.free(...this.#data, ...this.#coverage);
  }

  #slot(y: number): number {
    return Math.floor(y / this.#band) % this.#data.length;
  }
}

/** Float samples (0..255 scale) to a plain 8- or 16-bit image, rounded. */
function toImage(data: Float32Array, info: FoldInfo, sixteen: boolean) {
  const out = sixteen ? new Uint16Array(data.length) : new Uint8Array(data.length);
  floatToSamples(data, out, sixteen ? 257 : 1, true);
  return { width: info.width, height: info.height, channels: info.channels as 1 | 3, data: out };
}
