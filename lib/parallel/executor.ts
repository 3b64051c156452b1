/**
 * Where the kernels run. An {@link Executor} runs each kernel over its whole
 * range, either on this thread ({@link SerialExecutor}, which also works in a
 * browser) or split into bands of rows between worker threads and this one
 * (`ThreadedExecutor`). Buffers come from the executor's pool, shared
 * between threads when there are several; a run works through a
 * {@link Executor.session}, which gives every buffer back when it ends and
 * can be cancelled with an `AbortSignal`.
 */
import { toFloat, type FloatImage, type Image } from '../image.js';
import type { ChannelSelection, Stencil } from '../kernels/activity.js';
import { BufferPool, Lease, type Buffers } from '../kernels/pool.js';
import type { PyrUpOp } from '../kernels/pyramid.js';
import type { Masks } from '../kernels/blend.js';
import type { Affine } from '../align/affine.js';
import { pyrDownRows, runKernel, type KernelName } from './kernels.js';

/** Options of {@link Executor.session}. */
export interface SessionOptions {
  /** Checked before each kernel call: once aborted, calls reject with its reason. */
  signal?: AbortSignal;
}

/** Runs kernels; every method writes into the buffers it is given. */
export abstract class Executor {
  /** Where the buffers the kernels write to come from. */
  readonly pool: Buffers;
  /** How many threads run the kernels, this one included. */
  abstract readonly threads: number;

  constructor(pool: Buffers) {
    this.pool = pool;
  }

  /**
   * Run kernel `name` over units `0..units-1`; settles only once every
   * thread is done with the call's buffers, whether it fails or not.
   */
  protected abstract run(name: KernelName, args: unknown[], units: number): Promise<void>;

  /**
   * A view of this executor for one run: the same threads, buffers taken
   * through a {@link Lease} of this pool, and `signal` checked before each
   * kernel call. End it (`end()`, or `using`) when the run is over, however
   * it ends: every buffer it took goes back to the pool.
   *
   * @param options - See {@link SessionOptions}.
   * @returns The session, an executor itself.
   */
  session(options: SessionOptions = {}): ExecutorSession {
    return new ExecutorSession((name, args, units) => this.run(name, args, units), this.threads, this.pool, options.signal);
  }

  /**
   * Give the memory back to the system: stop the worker threads, if any, and
   * drop the pool's arenas. The executor stays usable (on this thread only).
   */
  abstract close(): Promise<void>;

  /** See `kernels.activity`. */
  async activity(src: FloatImage, channels: ChannelSelection, stencil: Stencil, out: Float32Array): Promise<Float32Array> {
    await this.run('activity', [src, channels, stencil, out], src.height);
    return out;
  }

  /**
   * A box-summed focus measure: the stencil's response summed over
   * `channels`, then over a k x k window (BORDER_REFLECT_101), in two passes.
   *
   * @param src - The band.
   * @param channels - A channel index, or `'all'`.
   * @param stencil - Which response.
   * @param k - Odd window size.
   * @param out - Where the result goes (`width * height` values).
   * @returns `out`.
   */
  async boxedActivity(src: FloatImage, channels: ChannelSelection, stencil: Stencil, k: number, out: Float32Array): Promise<Float32Array> {
    const { width, height } = src;
    if (k === 1) {
      await this.run('activityRows', [src, channels, stencil, 1, out], height);
      return out;
    }
    const rows = this.pool.float32(width * height);
    try {
      await this.run('activityRows', [src, channels, stencil, k, rows], height);
      await this.run('boxSumColumns', [rows, width, height, k, out], height);
    } finally {
      this.pool.release(rows);
    }
    return out;
  }

  /** See `kernels.boxSum`; `plane` is overwritten. */
  async boxSum(plane: Float32Array, width: number, height: number, k: number, out: Float32Array): Promise<Float32Array> {
    if (k === 1) {
      out.set(plane);
      return out;
    }
    await this.run('boxSumRows', [plane, width, height, k], height);
    await this.run('boxSumColumns', [plane, width, height, k, out], height);
    return out;
  }

  /** See `kernels.sigmoidMask`. */
  async sigmoidMask(back: Float32Array, front: Float32Array, beta: number, out: Float32Array): Promise<Float32Array> {
    await this.run('sigmoidMask', [back, front, beta, out], back.length);
    return out;
  }

  /** See `kernels.greaterMask`. */
  async greaterMask(back: Float32Array, front: Float32Array, out: Uint8Array): Promise<Uint8Array> {
    await this.run('greaterMask', [back, front, out], back.length);
    return out;
  }

  /** See `kernels.binaryMedian`. */
  async binaryMedian(mask: Uint8Array, width: number, height: number, n: number, out: Uint8Array): Promise<Uint8Array> {
    await this.run('binaryMedian', [mask, width, height, n, out], height);
    return out;
  }

  /** See `kernels.blend`. */
  async blend(masks: Masks, back: FloatImage, front: FloatImage, out: FloatImage): Promise<FloatImage> {
    await this.run('blend', [masks, back, front, out], back.width * back.height);
    return out;
  }

  /**
   * See `kernels.blendUpClip`: the finest level's blend plus the expanded
   * coarser levels, clipped, as a new 8- or 16-bit image that the caller owns
   * (see {@link Executor.samples}).
   */
  async blendUpClip(masks: Masks, back: FloatImage, front: FloatImage, coarser: FloatImage | undefined, sixteen: boolean): Promise<Image> {
    const { width, height, channels, data } = back;
    const scale = sixteen ? 65535 / 255 : 1;
    const out = await this.samples(data.length, sixteen, (into) => this.run('blendUpClip', [masks, back, front, coarser, into, scale], coarser ? coarser.height : height));
    return { width, height, channels: channels as 1 | 3, data: out };
  }

  /** See `kernels.pyrDown`. */
  async pyrDown(src: FloatImage, out: Float32Array): Promise<FloatImage> {
    await this.run('pyrDown', [src, out], pyrDownRows(src));
    return { width: (src.width + 1) >> 1, height: pyrDownRows(src), channels: src.channels, data: out };
  }

  /**
   * Convert an 8/16-bit image to float32 on the 0..255 scale (16-bit divided
   * by 257), into `out`. The source need not be shared: the threads only
   * map `out`'s fresh pages, this one converts.
   */
  async toFloat(image: Image, out: Float32Array): Promise<FloatImage> {
    await this.run('touchPages', [out], out.length);
    return toFloat(image, out);
  }

  /** A mask as a one-channel 8- or 16-bit image, 0 to max, that the caller owns (see {@link Executor.samples}). */
  async maskToSamples(mask: Float32Array | Uint8Array, width: number, height: number, sixteen: boolean): Promise<Image> {
    const out = await this.samples(mask.length, sixteen, (into) => this.run('maskToSamples', [mask, into], mask.length));
    return { width, height, channels: 1, data: out };
  }

  /**
   * Samples of a result for the caller, written by `write`. A pool that is
   * not shared gives them directly. With worker threads the kernels write
   * into a scratch buffer of the pool, copied once done into samples of this
   * thread alone (`pool.samples`): memory a worker has seen may never go
   * back to the system, so results must not be fresh shared buffers.
   */
  protected async samples(length: number, sixteen: boolean, write: (into: Uint8Array | Uint16Array) => Promise<void>): Promise<Uint8Array | Uint16Array> {
    const out = this.pool.samples(length, sixteen);
    if (!this.pool.shared) {
      await write(out);
      return out;
    }
    const scratch = sixteen ? this.pool.uint16(length) : this.pool.uint8(length);
    try {
      await write(scratch);
      out.set(scratch);
    } finally {
      this.pool.release(scratch);
    }
    return out;
  }

  /** See `kernels.pyrUpApply`. */
  async pyrUpApply(src: FloatImage, dst: FloatImage, op: PyrUpOp): Promise<void> {
    await this.run('pyrUpApply', [src, dst, op], src.height);
  }

  /** See `kernels.warpAffine`; in bands of `out`'s rows. */
  async warpAffine(src: FloatImage | Image, matrix: Affine, gain: readonly number[], offset: readonly number[], out: FloatImage, coverage?: Uint8Array): Promise<FloatImage> {
    await this.run('warpAffine', [src, matrix, gain, offset, out, coverage], out.height);
    return out;
  }
}

/** Runs every kernel on the calling thread. */
export class SerialExecutor extends Executor {
  readonly threads = 1;
  declare readonly pool: BufferPool;

  constructor(pool = new BufferPool()) {
    super(pool);
  }

  protected run(name: KernelName, args: unknown[], units: number): Promise<void> {
    try {
      runKernel(name, args, 0, units);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Drop the pool's arenas; the executor stays usable. */
  close(): Promise<void> {
    this.pool.clear();
    return Promise.resolve();
  }
}

/**
 * An executor for one run (see {@link Executor.session}): it runs kernels
 * where its executor does, checking its signal first, and takes its buffers
 * through a {@link Lease} that {@link ExecutorSession.end} gives back.
 */
export class ExecutorSession extends Executor {
  readonly threads: number;
  declare readonly pool: Lease;
  readonly #dispatch: (name: KernelName, args: unknown[], units: number) => Promise<void>;
  readonly #signal: AbortSignal | undefined;

  /**
   * @param dispatch - Runs a kernel call where the executor runs them.
   * @param threads - The executor's threads.
   * @param pool - The executor's pool (or another session's).
   * @param signal - Checked before each kernel call.
   */
  constructor(dispatch: (name: KernelName, args: unknown[], units: number) => Promise<void>, threads: number, pool: Buffers, signal?: AbortSignal) {
    super(new Lease(pool));
    this.#dispatch = dispatch;
    this.threads = threads;
    this.#signal = signal;
  }

  /** The signal checked before each kernel call, if any. */
  get signal(): AbortSignal | undefined {
    return this.#signal;
  }

  protected run(name: KernelName, args: unknown[], units: number): Promise<void> {
    if (this.#signal?.aborted) return Promise.reject(this.#signal.reason);
    return this.#dispatch(name, args, units);
  }

  /** A session within this one: its buffers come from (and go back to) this session's. */
  override session(options: SessionOptions = {}): ExecutorSession {
    return new ExecutorSession((name, args, units) => this.run(name, args, units), this.threads, this.pool, options.signal ?? this.#signal);
  }

  /** Give back every buffer the session still holds; it must not be used afterwards. */
  end(): void {
    this.pool.releaseAll();
  }

  /** Same as {@link ExecutorSession.end} (the executor itself is not closed). */
  close(): Promise<void> {
    this.end();
    return Promise.resolve();
  }

  /** Same as {@link ExecutorSession.end}, for `using`. */
  [Symbol.dispose](): void {
    this.end();
  }
}

let serial: SerialExecutor | undefined;

/** The executor of this thread alone, shared. */
export function serialExecutor(): SerialExecutor {
  return (serial ??= new SerialExecutor());
}
