/**
 * Where the kernels run. An {@link Executor} runs each kernel over its whole
 * range, either on this thread ({@link SerialExecutor}, which also works in a
 * browser) or split into bands of rows between worker threads and this one
 * (`ThreadedExecutor`). Buffers come from the executor's pool, shared
 * between threads when there are several.
 */
import { toFloat, type FloatImage, type Image } from '../image.js';
import type { ChannelSelection, Stencil } from '../kernels/activity.js';
import { BufferPool } from '../kernels/pool.js';
import type { PyrUpOp } from '../kernels/pyramid.js';
import type { Masks } from '../kernels/blend.js';
import type { Affine } from '../align/affine.js';
import { pyrDownRows, runKernel, type KernelName } from './kernels.js';

/** Runs kernels; every method writes into the buffers it is given. */
export abstract class Executor {
  /** Where the buffers the kernels write to come from. */
  readonly pool: BufferPool;
  /** How many threads run the kernels, this one included. */
  abstract readonly threads: number;

  constructor(pool: BufferPool) {
    this.pool = pool;
  }

  /** Run kernel `name` over units `0..units-1`. */
  protected abstract run(name: KernelName, args: unknown[], units: number): Promise<void>;

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
    await this.run('activityRows', [src, channels, stencil, k, rows], height);
    await this.run('boxSumColumns', [rows, width, height, k, out], height);
    this.pool.release(rows);
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
   * coarser levels, clipped, as a new 8- or 16-bit image (shared if the pool is).
   */
  async blendUpClip(masks: Masks, back: FloatImage, front: FloatImage, coarser: FloatImage | undefined, sixteen: boolean): Promise<Image> {
    const { width, height, channels, data } = back;
    const out = this.pool.samples(data.length, sixteen);
    await this.run('blendUpClip', [masks, back, front, coarser, out, sixteen ? 65535 / 255 : 1], coarser ? coarser.height : height);
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

  /** A mask as a one-channel 8- or 16-bit image, 0 to max (shared if the pool is). */
  async maskToSamples(mask: Float32Array | Uint8Array, width: number, height: number, sixteen: boolean): Promise<Image> {
    const out = this.pool.samples(mask.length, sixteen);
    await this.run('maskToSamples', [mask, out], mask.length);
    return { width, height, channels: 1, data: out };
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

  constructor(pool = new BufferPool()) {
    super(pool);
  }

  protected run(name: KernelName, args: unknown[], units: number): Promise<void> {
    runKernel(name, args, 0, units);
    return Promise.resolve();
  }
}

let serial: SerialExecutor | undefined;

/** The executor of this thread alone, shared. */
export function serialExecutor(): SerialExecutor {
  return (serial ??= new SerialExecutor());
}
