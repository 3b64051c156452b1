/**
 * The buffers of one run: every typed array a run takes from the executor's
 * pool goes through a {@link RunLeases}, which gives back whatever is still
 * out when the run ends, whatever happened.
 */
import type { Buffers } from '../kernels/pool.js';
import type { RunBuffers } from '../strategies/fold/fold.js';

/** Tracks the arrays a run took from a pool. */
export class RunLeases implements RunBuffers {
  readonly #pool: Buffers;
  readonly #live = new Set<Float32Array | Uint8Array>();
  readonly #views = new WeakMap<Uint16Array, Uint8Array>();

  /** @param pool - Where the arrays come from. */
  constructor(pool: Buffers) {
    this.#pool = pool;
  }

  /** How many arrays are out. */
  get live(): number {
    return this.#live.size;
  }

  /** {@inheritDoc RunBuffers.float32} */
  float32(length: number): Float32Array {
    const array = this.#pool.float32(length);
    this.#live.add(array);
    return array;
  }

  /** {@inheritDoc RunBuffers.uint8} */
  uint8(length: number): Uint8Array {
    const array = this.#pool.uint8(length);
    this.#live.add(array);
    return array;
  }

  /** {@inheritDoc RunBuffers.uint16} */
  uint16(length: number): Uint16Array {
    const raw = this.uint8(2 * length);
    const view = new Uint16Array(raw.buffer, raw.byteOffset, length);
    this.#views.set(view, raw);
    return view;
  }

  /** {@inheritDoc RunBuffers.adopt} */
  adopt(...arrays: (Float32Array | Uint8Array)[]): void {
    for (const array of arrays) this.#live.add(array);
  }

  /** {@inheritDoc RunBuffers.free} */
  free(...arrays: (Float32Array | Uint8Array | Uint16Array | undefined)[]): void {
    for (const array of arrays) {
      const raw = array instanceof Uint16Array ? this.#views.get(array) : array;
      if (raw && this.#live.delete(raw)) this.#pool.release(raw);
    }
  }

  /** Give back every array still out. */
  releaseAll(): void {
    for (const array of this.#live) this.#pool.release(array);
    this.#live.clear();
  }
}
