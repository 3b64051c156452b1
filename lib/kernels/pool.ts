/**
 * Reuse of large scratch buffers, within a run and across runs.
 *
 * On the machines measured here, touching freshly mapped memory costs about
 * 3 ms per MB (a 12 MP float32 colour image: 0.45 s before any arithmetic),
 * and memory handed back to the garbage collector returns to the system only
 * when both this thread and every worker thread that saw it collect it,
 * which can be never. So the pipeline takes its planes and bands from a
 * pool: a few large arenas, carved into typed arrays and given back as soon
 * as they are dead. The arenas are kept from one run to the next (a run
 * touches, and holds, little more than its largest live set, once), until
 * {@link BufferPool.clear} drops them.
 *
 * A run takes its buffers through a {@link Lease}, which gives back whatever
 * the run still holds when it ends, however it ends. Allocation stays behind
 * these two classes (the arenas may later be a shared `WebAssembly.Memory`).
 *
 * What the pool keeps resident is every part of its arenas ever handed out
 * ({@link BufferPool.touched}), so where arrays go matters: arrays are taken
 * first fit from the start of the free space, and short-lived ones
 * (`transient`, e.g. a copy that lives while a frame is warped) from its end,
 * so that they leave no hole among arrays that live longer.
 */

/** Options of {@link BufferPool}. */
export interface BufferPoolOptions {
  /**
   * Back the arrays with `SharedArrayBuffer`s, so that worker threads can
   * write into them.
   * @default false
   */
  shared?: boolean;
  /**
   * Size of a new arena, in bytes (a larger request gets an arena of its own size).
   * @default 256 MiB
   */
  arenaBytes?: number;
}

/** An array a pool hands out. */
export type PoolArray = Float32Array | Uint8Array | Uint16Array;

/** Where a run takes its buffers from: a {@link BufferPool}, or a {@link Lease} of one. */
export interface Buffers {
  /** Whether the arrays are backed by `SharedArrayBuffer`s. */
  readonly shared: boolean;
  /** Bytes handed out and not given back yet. */
  readonly inUse: number;
  /**
   * A Float32Array of `length` elements, with unspecified contents.
   * `transient`: short-lived, taken from the end of the free space.
   */
  float32(length: number, transient?: boolean): Float32Array;
  /** A Uint8Array of `length` elements, with unspecified contents (`transient` as for `float32`). */
  uint8(length: number, transient?: boolean): Uint8Array;
  /** A Uint16Array of `length` elements, with unspecified contents (`transient` as for `float32`). */
  uint16(length: number, transient?: boolean): Uint16Array;
  /**
   * Samples of a result handed to the caller, who owns them: a Uint8Array
   * (or, with `sixteen`, a Uint16Array) of `length` zeros, never shared and
   * not from the arenas.
   */
  samples(length: number, sixteen: boolean): Uint8Array | Uint16Array;
  /** Give arrays back; the caller must not use them afterwards. Arrays not handed out here are ignored. */
  release(...arrays: (PoolArray | undefined)[]): void;
}

/** Allocations are aligned (and rounded up) to this many bytes. */
const ALIGN = 64;

/** {@link BufferPool.touched} counts the arenas' parts handed out in steps of this many bytes. */
const GRANULE = 64 * 1024;

interface Span {
  start: number;
  size: number;
}

/** One large buffer, its free spans (sorted by start and coalesced) and its spans in use. */
class Arena {
  readonly free: Span[];
  /** Each span in use, by start: its size and the array handed out on it. */
  readonly used = new Map<number, { bytes: number; array: PoolArray }>();
  /** Which granules of the buffer were ever handed out, and how many. */
  readonly #granules: Uint8Array;
  touched = 0;
  constructor(readonly buffer: ArrayBuffer | SharedArrayBuffer) {
    this.free = [{ start: 0, size: buffer.byteLength }];
    this.#granules = new Uint8Array(Math.ceil(buffer.byteLength / GRANULE));
  }

  /**
   * The offset of `bytes` bytes, or undefined: first fit from the start, or,
   * `fromEnd`, the end of the last free span that fits. Call
   * {@link Arena.hand} with the array made on it.
   */
  take(bytes: number, fromEnd = false): number | undefined {
    let i = -1;
    if (fromEnd) {
      for (let j = this.free.length - 1; j >= 0 && i < 0; j--) if (this.free[j].size >= bytes) i = j;
    } else i = this.free.findIndex((span) => span.size >= bytes);
    if (i < 0) return undefined;
    const span = this.free[i];
    let start = span.start;
    if (span.size === bytes) this.free.splice(i, 1);
    else if (fromEnd) {
      span.size -= bytes;
      start = span.start + span.size;
    } else {
      span.start += bytes;
      span.size -= bytes;
    }
    for (let g = Math.floor(start / GRANULE), e = Math.ceil((start + bytes) / GRANULE); g < e; g++) {
      if (this.#granules[g] === 0) {
        this.#granules[g] = 1;
        this.touched += Math.min(GRANULE, this.buffer.byteLength - g * GRANULE);
      }
    }
    return start;
  }

  /** Record `array`, made on a span just taken, as in use. */
  hand<T extends PoolArray>(array: T, bytes: number): T {
    this.used.set(array.byteOffset, { bytes, array });
    return array;
  }

  /** Give back the span of `array`; the bytes freed (0 unless `array` itself is in use). */
  give(array: PoolArray): number {
    const start = array.byteOffset;
    const entry = this.used.get(start);
    if (entry?.array !== array) return 0;
    const { bytes } = entry;
    this.used.delete(start);
    let i = this.free.findIndex((span) => span.start > start);
    if (i < 0) i = this.free.length;
    this.free.splice(i, 0, { start, size: bytes });
    // Coalesce with the following and the preceding spans.
    const next = this.free[i + 1];
    if (next && start + bytes === next.start) {
      this.free[i].size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.start + prev.size === start) {
      prev.size += this.free[i].size;
      this.free.splice(i, 1);
    }
    return bytes;
  }
}

/**
 * Hands out typed arrays carved from a few large arenas, takes them back,
 * and keeps the arenas for the next run until {@link BufferPool.clear}.
 */
export class BufferPool implements Buffers {
  readonly #arenas: Arena[] = [];
  readonly #shared: boolean;
  readonly #arenaBytes: number;
  #inUse = 0;

  constructor(options: BufferPoolOptions = {}) {
    this.#shared = options.shared ?? false;
    this.#arenaBytes = options.arenaBytes ?? 256 * 2 ** 20;
  }

  /** Whether the arrays are backed by `SharedArrayBuffer`s. */
  get shared(): boolean {
    return this.#shared;
  }

  /** Bytes held in arenas (used or not). */
  get bytes(): number {
    return this.#arenas.reduce((sum, arena) => sum + arena.buffer.byteLength, 0);
  }

  /** Bytes handed out and not given back yet (0 between runs: a check for tests and debugging). */
  get inUse(): number {
    return this.#inUse;
  }

  /**
   * Bytes of the arenas that were ever handed out (in 64 KiB steps): about
   * what the pool keeps resident, since memory once written stays mapped
   * while the arena is kept. At most {@link BufferPool.bytes}.
   */
  get touched(): number {
    return this.#arenas.reduce((sum, arena) => sum + arena.touched, 0);
  }

  /**
   * A Float32Array of `length` elements, with unspecified contents.
   *
   * @param length - Elements.
   * @param transient - Short-lived (given back before most arrays taken
   *   around it): taken from the end of the free space rather than the start.
   * @returns The array.
   */
  float32(length: number, transient = false): Float32Array {
    return this.#take(length * 4, transient, (buffer, offset) => new Float32Array(buffer, offset, length));
  }

  /** A Uint8Array of `length` elements, with unspecified contents (`transient` as for {@link BufferPool.float32}). */
  uint8(length: number, transient = false): Uint8Array {
    return this.#take(length, transient, (buffer, offset) => new Uint8Array(buffer, offset, length));
  }

  /** A Uint16Array of `length` elements, with unspecified contents (`transient` as for {@link BufferPool.float32}). */
  uint16(length: number, transient = false): Uint16Array {
    return this.#take(length * 2, transient, (buffer, offset) => new Uint16Array(buffer, offset, length));
  }

  /**
   * Samples of a result handed to the caller, who owns them: a Uint8Array
   * (or, with `sixteen`, a Uint16Array) of `length` zeros, never shared and
   * not from the arenas, so that the garbage collector of this thread alone
   * reclaims them.
   */
  samples(length: number, sixteen: boolean): Uint8Array | Uint16Array {
    return sixteen ? new Uint16Array(length) : new Uint8Array(length);
  }

  /**
   * Give arrays back; the caller must not use them afterwards. Only the
   * arrays handed out count: others (views made on them, arrays given back
   * already, arrays of other pools) are ignored.
   */
  release(...arrays: (PoolArray | undefined)[]): void {
    for (const array of arrays) {
      const arena = array && this.#arenas.find((a) => a.buffer === array.buffer);
      if (arena) this.#inUse -= arena.give(array);
    }
  }

  /** A {@link Lease} of this pool, for one run. */
  lease(): Lease {
    return new Lease(this);
  }

  /**
   * Drop every arena, so that the garbage collector can reclaim them (with
   * worker threads, only once they have stopped). Arrays still handed out
   * stay valid but are no longer the pool's.
   */
  clear(): void {
    this.#arenas.length = 0;
    this.#inUse = 0;
  }

  #take<T extends PoolArray>(bytes: number, transient: boolean, view: (buffer: ArrayBuffer | SharedArrayBuffer, offset: number) => T): T {
    const size = roundUp(Math.max(bytes, 1));
    this.#inUse += size;
    for (const arena of this.#arenas) {
      const offset = arena.take(size, transient);
      if (offset !== undefined) return arena.hand(view(arena.buffer, offset), size);
    }
    const arenaSize = Math.max(size, this.#arenaBytes);
    const arena = new Arena(this.#shared ? new SharedArrayBuffer(arenaSize) : new ArrayBuffer(arenaSize));
    this.#arenas.push(arena);
    return arena.hand(view(arena.buffer, arena.take(size, transient)!), size);
  }
}

/**
 * The buffers one run takes from a pool (or from another lease): it
 * remembers what it handed out and {@link Lease.releaseAll} gives back what
 * the run still holds, so that a run that fails or is cancelled gives
 * everything back too.
 */
export class Lease implements Buffers {
  readonly #parent: Buffers;
  readonly #held = new Set<PoolArray>();

  /** @param parent - Where the buffers come from. */
  constructor(parent: Buffers) {
    this.#parent = parent;
  }

  /** Whether the arrays are backed by `SharedArrayBuffer`s. */
  get shared(): boolean {
    return this.#parent.shared;
  }

  /** Bytes this lease holds (rounded up as the pool does). */
  get inUse(): number {
    let bytes = 0;
    for (const array of this.#held) bytes += roundUp(Math.max(array.byteLength, 1));
    return bytes;
  }

  /** A Float32Array of `length` elements, with unspecified contents (`transient`: see {@link BufferPool.float32}). */
  float32(length: number, transient = false): Float32Array {
    return this.#hold(this.#parent.float32(length, transient));
  }

  /** A Uint8Array of `length` elements, with unspecified contents (`transient`: see {@link BufferPool.float32}). */
  uint8(length: number, transient = false): Uint8Array {
    return this.#hold(this.#parent.uint8(length, transient));
  }

  /** A Uint16Array of `length` elements, with unspecified contents (`transient`: see {@link BufferPool.float32}). */
  uint16(length: number, transient = false): Uint16Array {
    return this.#hold(this.#parent.uint16(length, transient));
  }

  /** See {@link Buffers.samples}: the caller owns them, the lease does not hold them. */
  samples(length: number, sixteen: boolean): Uint8Array | Uint16Array {
    return this.#parent.samples(length, sixteen);
  }

  /** Give arrays back; arrays this lease does not hold are ignored. */
  release(...arrays: (PoolArray | undefined)[]): void {
    for (const array of arrays) {
      if (array && this.#held.delete(array)) this.#parent.release(array);
    }
  }

  /** Give back everything this lease still holds. */
  releaseAll(): void {
    this.#parent.release(...this.#held);
    this.#held.clear();
  }

  #hold<T extends PoolArray>(array: T): T {
    this.#held.add(array);
    return array;
  }
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
