/**
 * Reuse of large scratch buffers within a run.
 *
 * On the machines measured here, touching freshly mapped memory costs about
 * 3 ms per MB (a 12 MP float32 colour image: 0.45 s before any arithmetic),
 * and memory handed back to the garbage collector returns to the system only
 * when both this thread and every worker thread that saw it collect it,
 * which can be never. So the pipeline takes its planes and bands from a
 * pool: a few large arenas, carved into typed arrays and given back as soon
 * as they are dead, so that a run touches, and holds, little more than its
 * largest live set.
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

/** Allocations are aligned (and rounded up) to this many bytes. */
const ALIGN = 64;

interface Span {
  start: number;
  size: number;
}

/** One large buffer and its free spans, sorted by start and coalesced. */
class Arena {
  readonly free: Span[];
  constructor(readonly buffer: ArrayBuffer | SharedArrayBuffer) {
    this.free = [{ start: 0, size: buffer.byteLength }];
  }

  /** First fit; the offset of `bytes` bytes, or undefined. */
  take(bytes: number): number | undefined {
    const i = this.free.findIndex((span) => span.size >= bytes);
    if (i < 0) return undefined;
    const span = this.free[i];
    const start = span.start;
    if (span.size === bytes) this.free.splice(i, 1);
    else {
      span.start += bytes;
      span.size -= bytes;
    }
    return start;
  }

  give(start: number, bytes: number): void {
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
  }
}

/** Hands out typed arrays carved from a few large arenas, and takes them back. */
export class BufferPool {
  readonly #arenas: Arena[] = [];
  readonly #shared: boolean;
  readonly #arenaBytes: number;

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

  /** A Float32Array of `length` elements, with unspecified contents. */
  float32(length: number): Float32Array {
    const [buffer, offset] = this.#take(length * 4);
    return new Float32Array(buffer, offset, length);
  }

  /** A Uint8Array of `length` elements, with unspecified contents. */
  uint8(length: number): Uint8Array {
    const [buffer, offset] = this.#take(length);
    return new Uint8Array(buffer, offset, length);
  }

  /**
   * Samples for a result handed to the caller: a Uint8Array (or, with
   * `sixteen`, a Uint16Array) of `length` elements, shared if the pool is,
   * not from the arenas.
   */
  samples(length: number, sixteen: boolean): Uint8Array | Uint16Array {
    if (sixteen) return this.#shared ? new Uint16Array(new SharedArrayBuffer(length * 2)) : new Uint16Array(length);
    return this.#shared ? new Uint8Array(new SharedArrayBuffer(length)) : new Uint8Array(length);
  }

  /** Give arrays back; the caller must not use them afterwards. Arrays not from this pool are ignored. */
  release(...arrays: (Float32Array | Uint8Array | undefined)[]): void {
    for (const array of arrays) {
      const arena = array && this.#arenas.find((a) => a.buffer === array.buffer);
      if (arena) arena.give(array.byteOffset, roundUp(array.byteLength));
    }
  }

  /** Drop every arena (the garbage collector reclaims them); arrays handed out must not be used afterwards. */
  clear(): void {
    this.#arenas.length = 0;
  }

  #take(bytes: number): [ArrayBuffer | SharedArrayBuffer, number] {
    const size = roundUp(Math.max(bytes, 1));
    for (const arena of this.#arenas) {
      const offset = arena.take(size);
      if (offset !== undefined) return [arena.buffer, offset];
    }
    const arenaSize = Math.max(size, this.#arenaBytes);
    const arena = new Arena(this.#shared ? new SharedArrayBuffer(arenaSize) : new ArrayBuffer(arenaSize));
    this.#arenas.push(arena);
    return [arena.buffer, arena.take(size)!];
  }
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
