/**
 * Applying strategies to a pair of frames: through a Laplacian pyramid with
 * one mask for all channels, through the pyramid channel by channel, or once
 * at full resolution. Several jobs run in one pass, so that the pyramids and
 * the focus measures they share are computed once; every large buffer comes
 * from a {@link BufferPool} and goes back to it as soon as it is dead.
 */
import type { FloatImage } from './image.js';
import type { ChannelSelection } from './kernels/activity.js';
import { blend } from './kernels/mask.js';
import { BufferPool } from './kernels/pool.js';
import { pyrDown, pyrUpApply } from './kernels/pyramid.js';
import type { Measure, Strategy } from './strategies/strategy.js';

/** How a strategy is applied. */
export const Mode = {
  /** Through the Laplacian pyramid, one mask for all channels (`all_channels`, `new_method`). */
  PYRAMID: 'pyramid',
  /** Through the pyramid, each channel with its own measure and mask (`by_channel`, fix B5). */
  BY_CHANNEL: 'by_channel',
  /** Once, at full resolution, no pyramid (`direct`). */
  DIRECT: 'direct',
} as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

/** One output to compute. */
export interface Job {
  readonly strategy: Strategy;
  readonly mode: Mode;
  /** Also hand over the finest level's mask (one channel; ignored for `by_channel` on colour). */
  readonly keepMask?: boolean;
}

/** What a job produces. Its buffers are valid only during the {@link RunOptions.onResult} call. */
export interface JobResult {
  /** The fused image, float32, not clipped. */
  readonly image: FloatImage;
  /** The mask of the finest level, when asked for. */
  readonly mask?: Float32Array | Uint8Array;
}

/** Options of {@link runJobs}. */
export interface RunOptions {
  /** Number of pyramid levels, at least 1. */
  levels: number;
  /** Receives each job's result as soon as it is complete; copy what you keep. */
  onResult: (index: number, result: JobResult) => void;
  /** Called before each step with a short description. */
  onProgress?: (step: string) => void;
  /** Buffers to reuse; a new pool if omitted. */
  pool?: BufferPool;
}

/**
 * Build the Laplacian pyramid of SPEC 1.5 in place: `L_k = G_k - pyrUp(G_{k+1})`,
 * the last level the low-pass residual. Every `pyrUp` gets the size of the
 * finer level (fix B3), so any size works.
 *
 * @param image - G_0; it is consumed: its buffer becomes L_0.
 * @param levels - Number of levels, at least 1.
 * @param pool - Where the coarser levels' buffers come from.
 * @returns `levels` images, finest first.
 */
export function laplacianPyramid(image: FloatImage, levels: number, pool?: BufferPool): FloatImage[] {
  const pyramid = [image];
  for (let k = 1; k < levels; k++) {
    const { width, height, channels } = pyramid[k - 1];
    pyramid.push(pyrDown(pyramid[k - 1], pool?.float32(((width + 1) >> 1) * ((height + 1) >> 1) * channels)));
  }
  for (let k = 0; k < levels - 1; k++) pyrUpApply(pyramid[k + 1], pyramid[k], 'subtract');
  return pyramid;
}

/**
 * The focus measures of both frames' bands at one level, computed on first
 * use and given back to the pool once the last job that needs them is done.
 */
class MeasureCache {
  readonly #maps = new Map<string, Float32Array>();
  constructor(
    readonly frames: readonly [FloatImage, FloatImage],
    readonly pool: BufferPool,
  ) {}

  static key(measure: Measure, channels: ChannelSelection): string {
    return `${measure.key}|${channels}`;
  }

  get(frame: 0 | 1, measure: Measure, channels: ChannelSelection): Float32Array {
    const key = `${MeasureCache.key(measure, channels)}|${frame}`;
    let map = this.#maps.get(key);
    if (!map) {
      const band = this.frames[frame];
      map = measure.compute(band, channels, this.pool.float32(band.width * band.height));
      this.#maps.set(key, map);
    }
    return map;
  }

  /** Give back both frames' maps of a key made by {@link MeasureCache.key}. */
  release(key: string): void {
    for (const frame of [0, 1]) {
      const k = `${key}|${frame}`;
      this.pool.release(this.#maps.get(k));
      this.#maps.delete(k);
    }
  }
}

/** The measure selections a job reads at a band of `channels` channels. */
function selections(job: Job, channels: number): string[] {
  const perChannel = job.mode === Mode.BY_CHANNEL && channels > 1;
  const list: ChannelSelection[] = perChannel ? Array.from({ length: channels }, (_, c) => c) : ['all'];
  return list.map((c) => MeasureCache.key(job.strategy.measure, c));
}

/** A job's fused band, and its mask when kept. */
interface FusedBand {
  fused: FloatImage;
  mask?: Float32Array | Uint8Array;
}

/**
 * Fuse one band for each job, in order, handing each to `each` before the
 * next job starts (so that its buffers can be reused), and giving back every
 * measure right after its last use.
 */
function fuseBands(jobs: readonly Job[], cache: MeasureCache, level: number, keepMasks: boolean, each: (j: number, band: FusedBand) => void): void {
  const [back, front] = cache.frames;
  const { pool } = cache;
  const info = { width: back.width, height: back.height, level, pool };
  const lastUse = new Map<string, number>();
  jobs.forEach((job, j) => selections(job, back.channels).forEach((key) => lastUse.set(key, j)));

  jobs.forEach((job, j) => {
    const { strategy } = job;
    const fused: FloatImage = { width: back.width, height: back.height, channels: back.channels, data: pool.float32(back.data.length) };
    let kept: Float32Array | Uint8Array | undefined;
    const perChannel = job.mode === Mode.BY_CHANNEL && back.channels > 1;
    const channelList: ChannelSelection[] = perChannel ? Array.from({ length: back.channels }, (_, c) => c) : ['all'];
    for (const c of channelList) {
      const mask = strategy.mask(cache.get(0, strategy.measure, c), cache.get(1, strategy.measure, c), info);
      blend(mask, back, front, fused, c === 'all' ? undefined : c);
      const key = MeasureCache.key(strategy.measure, c);
      if (lastUse.get(key) === j) cache.release(key);
      if (keepMasks && job.keepMask && !perChannel) kept = mask;
      else pool.release(mask);
    }
    each(j, { fused, ...(kept ? { mask: kept } : {}) });
  });
}

/**
 * Run jobs on a pair of frames of the same size and channel count.
 *
 * @param back - The back frame (far focus), float32. Consumed.
 * @param front - The front frame (near focus), float32. Consumed.
 * @param jobs - What to compute.
 * @param options - See {@link RunOptions}.
 */
export function runJobs(back: FloatImage, front: FloatImage, jobs: readonly Job[], options: RunOptions): void {
  const { levels, onResult, onProgress = () => {}, pool = new BufferPool() } = options;
  const indexed = jobs.map((job, index) => ({ job, index }));
  const emit = (index: number, result: FusedBand) => {
    onResult(index, { image: result.fused, ...(result.mask ? { mask: result.mask } : {}) });
    pool.release(result.fused.data, result.mask);
  };

  const direct = indexed.filter(({ job }) => job.mode === Mode.DIRECT);
  if (direct.length > 0) {
    onProgress('blending at full resolution (direct)');
    fuseBands(direct.map((d) => d.job), new MeasureCache([back, front], pool), 0, true, (i, band) => emit(direct[i].index, band));
  }

  const pyramidal = indexed.filter(({ job }) => job.mode !== Mode.DIRECT);
  if (pyramidal.length === 0) return;
  onProgress(`building ${levels}-level Laplacian pyramids`);
  const pyramids = [laplacianPyramid(back, levels, pool), laplacianPyramid(front, levels, pool)];
  // Collapse as we go, coarse to fine: C_k = fuse(L_k) + pyrUp(C_{k+1}).
  const collapsed: FloatImage[] = [];
  for (let k = levels - 1; k >= 0; k--) {
    onProgress(`fusing pyramid level ${k} (${pyramids[0][k].width}x${pyramids[0][k].height})`);
    const cache = new MeasureCache([pyramids[0][k], pyramids[1][k]], pool);
    fuseBands(pyramidal.map((p) => p.job), cache, k, k === 0, (i, band) => {
      const coarser = collapsed[i];
      if (coarser) {
        pyrUpApply(coarser, band.fused, 'add');
        pool.release(coarser.data);
      }
      if (k === 0) emit(pyramidal[i].index, band);
      else collapsed[i] = band.fused;
    });
    // The bands of this level are dead; L_0 is the caller's G_0, not pooled.
    if (k > 0) pool.release(pyramids[0][k].data, pyramids[1][k].data);
  }
}
