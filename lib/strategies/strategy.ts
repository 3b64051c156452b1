/**
 * What a reconstruction method is: a focus measure computed on each frame's
 * band on its own, and a rule that turns the frames' measures into the
 * weight of each frame. The pipeline (lib/pipeline.ts) decides what a band
 * is (a pyramid level, one channel of it, or the full-resolution image),
 * memoises the measures so that methods sharing one compute it once, and
 * blends.
 *
 * A measure depends on one frame only, so a stack of N frames can compute it
 * frame by frame and free each frame at once; for a pair the rule is
 * {@link Strategy.mask}, the weight of the back frame.
 */
import type { FloatImage } from '../image.js';
import type { ChannelSelection } from '../kernels/activity.js';
import type { Executor } from '../parallel/executor.js';

/** The reconstruction methods. */
export const Method = {
  /** DIFFERENCES.md 1.2: soft sigmoid mask of second-difference activity (`reconstr`). */
  GRADIENT: 'gradient',
  /** DIFFERENCES.md 1.3: soft mask of Laplace-kernel activity, smoothed by a Gaussian (`reconstr_old`, fix B4). */
  LAPLACIAN: 'laplacian',
  /** DIFFERENCES.md 1.4: hard mask of the sharper frame, median-filtered (`reconstr_new`, fix B1). */
  MEDIAN: 'median',
} as const;
export type Method = (typeof Method)[keyof typeof Method];

/** A focus measure: larger where a frame is sharper. */
export interface Measure {
  /** Identifies the map the measure computes: equal keys, equal maps (used to share them). */
  readonly key: string;
  /**
   * Compute the measure of one frame's band.
   *
   * @param band - The frame's band (any channel count).
   * @param channels - One channel, or `'all'` for the sum over channels.
   * @param exec - Where the kernels run and buffers come from; this thread if omitted.
   * @returns One value per pixel, in a buffer of `exec`'s pool.
   */
  compute(band: FloatImage, channels: ChannelSelection, exec?: Executor): Promise<Float32Array>;
}

/** Where a mask is computed, for rules that depend on it. */
export interface BandInfo {
  /** Width of the band in pixels. */
  readonly width: number;
  /** Height of the band in pixels. */
  readonly height: number;
  /** Pyramid level, 0 the finest (0 also for the full-resolution `direct` mode). */
  readonly level: number;
  /** Where the kernels run and buffers come from; this thread if omitted. */
  readonly exec?: Executor;
}

/** One reconstruction method. */
export interface Strategy {
  /** Which method. */
  readonly method: Method;
  /** The focus measure it compares. */
  readonly measure: Measure;
  /**
   * The weight of the back frame per pixel, from both frames' measures.
   *
   * @param back - Measure of the back frame.
   * @param front - Measure of the front frame.
   * @param band - Size and level of the band.
   * @returns Values in [0, 1], one per pixel, in a buffer of the executor's pool.
   */
  mask(back: Float32Array, front: Float32Array, band: BandInfo): Promise<Float32Array | Uint8Array>;
}
