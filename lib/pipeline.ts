/**
 * Applying strategies to a pair of frames: through a Laplacian pyramid with
 * one mask for all channels, through the pyramid channel by channel, or once
 * at full resolution. Several jobs run in one pass, so that the pyramids and
 * the focus measures they share are computed once; every large buffer comes
 * from a {@link BufferPool} and goes back to it as soon as it is dead.
 */
import type { FloatImage, Image } from './image.js';
import type { ChannelSelection } from './kernels/activity.js';
import type { Mask } from './kernels/blend.js';
import { serialExecutor, type Executor } from './parallel/executor.js';
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
  /** The reconstruction method. */
  readonly strategy: Strategy;
  /** How it is applied. */
  readonly mode: Mode;
  /** Also hand over the finest level's mask (one channel; ignored for `by_channel` on colour). */
  readonly keepMask?: boolean;
}

/** What a job produces. */
export interface JobResult {
  /** The fused image, clipped to the samples of {@link RunOptions.sixteen}. */
  readonly image: Image;
  /** The mask of the finest level as a one-channel image (0 to the largest sample), when asked for. */
  readonly mask?: Image;
}

/** Options of {@link runJobs}. */
export interface RunOptions {
  /** Number of pyramid levels, at least 1. */
  levels: number;
  /** Receives each job's result as soon as it is complete. */
  onResult: (index: number, result: JobResult) => void | Promise<void>;
  /** Make 16-bit results (on the 0..255 working scale, times 257) instead of 8-bit ones. */
  sixteen?: boolean;
  /** Called before each step with a short description. */
  onProgress?: (step: string) => void;
  /** Where the kernels run and the buffers come from; this thread if omitted. */
  exec?: Executor;
  /**
   * Cancels the run: checked between steps and before each kernel call;
   * once aborted, {@link runJobs} rejects with its reason.
   */
  signal?: AbortSignal;
}

/**
 * Build the Laplacian pyramid of DIFFERENCES.md 1.5 in place: `L_k = G_k - pyrUp(G_{k+1})`,
 * the last level the low-pass residual. Every `pyrUp` gets the size of the
 * finer level (fix B3), so any size works.
 *
 * @param image - G_0; it is consumed: its buffer becomes L_0.
 * @param levels - Number of levels, at least 1.
 * @param exec - Where the kernels run and the coarser levels' buffers come from.
 * @returns `levels` images, finest first.
 */
export async function laplacianPyramid(image: FloatImage, levels: number, exec: Executor = serialExecutor()): Promise<FloatImage[]> {
  const pyramid = [image];
  for (let k = 1; k < levels; k++) {
    const { width, height, channels } = pyramid[k - 1];
    pyramid.push(await exec.pyrDown(pyramid[k - 1], exec.pool.float32(((width + 1) >> 1) * ((height + 1) >> 1) * channels)));
  }
  for (let k = 0; k < levels - 1; k++) await exec.pyrUpApply(pyramid[k + 1], pyramid[k], 'subtract');
  return pyramid;
}

/**
 * The focus measures of both frames' bands at one level, computed on first
 * use and given back to the pool once the last job that needs them is done.
 */
class MeasureCache {
  readonly #maps = new Map<string, Promise<Float32Array>>();
  readonly #lastUse = new Map<string, number>();
  constructor(
    readonly frames: readonly [FloatImage, FloatImage],
    readonly exec: Executor,
    jobs: readonly Job[],
  ) {
    jobs.forEach((job, j) => selections(job, frames[0].channels).forEach((c) => this.#lastUse.set(key(job.strategy.measure, c), j)));
  }

  get(frame: 0 | 1, measure: Measure, channels: ChannelSelection): Promise<Float32Array> {
    const k = `${key(measure, channels)}|${frame}`;
    let map = this.#maps.get(k);
    if (!map) {
      map = measure.compute(this.frames[frame], channels, this.exec);
      this.#maps.set(k, map);
    }
    return map;
  }

  /** Job `j` is done with this measure: give both frames' maps back if no later job needs them. */
  async done(j: number, measure: Measure, channels: ChannelSelection): Promise<void> {
    if (this.#lastUse.get(key(measure, channels)) !== j) return;
    for (const frame of [0, 1]) {
      const k = `${key(measure, channels)}|${frame}`;
      const map = this.#maps.get(k);
      this.#maps.delete(k);
      if (map) this.exec.pool.release(await map);
    }
  }
}

function key(measure: Measure, channels: ChannelSelection): string {
  return `${measure.key}|${channels}`;
}

/** The measure selections a job reads at a band of `channels` channels: all channels, or each. */
function selections(job: Job, channels: number): ChannelSelection[] {
  return job.mode === Mode.BY_CHANNEL && channels > 1 ? Array.from({ length: channels }, (_, c) => c) : ['all'];
}

/** The masks of job `j` at one band: one, or one per channel. */
async function jobMasks(j: number, job: Job, cache: MeasureCache, level: number): Promise<Mask[]> {
  const [back] = cache.frames;
  const { strategy } = job;
  const info = { width: back.width, height: back.height, level, exec: cache.exec };
  const masks: Mask[] = [];
  for (const c of selections(job, back.channels)) {
    masks.push(await strategy.mask(await cache.get(0, strategy.measure, c), await cache.get(1, strategy.measure, c), info));
    await cache.done(j, strategy.measure, c);
  }
  return masks;
}

/**
 * Run jobs on a pair of frames of the same size and channel count.
 *
 * The `direct` jobs run first, on the full-resolution frames. Then both
 * frames' pyramids are built, once, and fused coarse to fine; each job keeps
 * only its collapsed result so far, `C_k = fuse(L_k) + pyrUp(C_{k+1})`; the
 * finest level is fused, expanded and clipped in one pass. Jobs that share a
 * measure run one after the other, so that it is made once and given back
 * before the next measure is made.
 *
 * Every buffer it takes from the executor's pool goes back to it before it
 * settles, whether it succeeds, fails or is cancelled (the frames are the
 * caller's to give back).
 *
 * @param back - The back frame (far focus), float32. Consumed.
 * @param front - The front frame (near focus), float32. Consumed.
 * @param jobs - What to compute.
 * @param options - See {@link RunOptions}.
 * @throws The reason of `options.signal` once it is aborted.
 */
export async function runJobs(back: FloatImage, front: FloatImage, jobs: readonly Job[], options: RunOptions): Promise<void> {
  const { signal } = options;
  const exec = (options.exec ?? serialExecutor()).session(signal ? { signal } : {});
  try {
    await runSession(back, front, jobs, { ...options, exec });
  } finally {
    exec.end();
  }
}

async function runSession(back: FloatImage, front: FloatImage, jobs: readonly Job[], options: RunOptions & { exec: Executor }): Promise<void> {
  const { levels, onResult, sixteen = false, exec, signal } = options;
  const { pool } = exec;
  /** Between steps: stop if cancelled, else say what comes next. */
  const onProgress = (step: string) => {
    if (signal?.aborted) throw signal.reason;
    options.onProgress?.(step);
  };

  /** The finest level (or the whole image) of job `index`: blend, expand, clip, hand over. */
  const finish = async (index: number, masks: Mask[], bands: readonly [FloatImage, FloatImage], coarser?: FloatImage) => {
    const [b, f] = bands;
    const image = await exec.blendUpClip(masks, b, f, coarser, sixteen);
    const mask = jobs[index].keepMask && masks.length === 1 ? await exec.maskToSamples(masks[0], b.width, b.height, sixteen) : undefined;
    pool.release(...masks, coarser?.data);
    await onResult(index, { image, ...(mask ? { mask } : {}) });
    // Let what the caller started on the result (an encoder, say) get going.
    await new Promise((resolve) => setTimeout(resolve, 0));
  };

  const indexed = jobs.map((job, index) => ({ job, index }));
  const direct = indexed.filter(({ job }) => job.mode === Mode.DIRECT);
  if (direct.length > 0) {
    onProgress('blending at full resolution (direct)');
    const cache = new MeasureCache([back, front], exec, direct.map((d) => d.job));
    for (const [j, { job, index }] of direct.entries()) await finish(index, await jobMasks(j, job, cache, 0), [back, front]);
  }

  const pyramidal = indexed
    .filter(({ job }) => job.mode !== Mode.DIRECT)
    .sort((a, b) => selections(a.job, back.channels).join().localeCompare(selections(b.job, back.channels).join()));
  if (pyramidal.length === 0) return;
  onProgress(`building ${levels}-level Laplacian pyramids`);
  const pyramids = [await laplacianPyramid(back, levels, exec), await laplacianPyramid(front, levels, exec)];
  const collapsed: (FloatImage | undefined)[] = [];
  for (let k = levels - 1; k >= 0; k--) {
    const bands = [pyramids[0][k], pyramids[1][k]] as const;
    onProgress(`fusing pyramid level ${k} (${bands[0].width}x${bands[0].height})`);
    const cache = new MeasureCache(bands, exec, pyramidal.map((p) => p.job));
    for (const [j, { job, index }] of pyramidal.entries()) {
      const masks = await jobMasks(j, job, cache, k);
      const coarser = collapsed[j];
      if (k === 0) {
        await finish(index, masks, bands, coarser);
        continue;
      }
      const fused = await exec.blend(masks, bands[0], bands[1], { ...bands[0], data: pool.float32(bands[0].data.length) });
      pool.release(...masks);
      if (coarser) {
        await exec.pyrUpApply(coarser, fused, 'add');
        pool.release(coarser.data);
      }
      collapsed[j] = fused;
    }
    // The bands of this level are dead.
    if (k > 0) pool.release(bands[0].data, bands[1].data);
  }
}
