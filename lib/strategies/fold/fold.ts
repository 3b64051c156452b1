/**
 * What an N-frame method is: a fold over frames. The engine (lib/engine/)
 * reads one frame at a time, prepares it (float, aligned) and hands it to
 * the method's `add`, then frees it at once; the method keeps only running
 * per-pixel state, so memory follows one frame, not the stack. A pair is
 * the case N = 2.
 *
 * A method reads the frames once or twice: a first pass that decides (which
 * frame is sharp where) and, for the methods that need it, a second pass that
 * gathers the pixels decided on (flat memory forbids keeping the frames
 * between the two).
 */
import type { FloatImage, Image } from '../../image.js';
import type { Executor } from '../../parallel/executor.js';

/**
 * A fold: `begin` makes the state, `add` folds one item in (the caller may
 * free the item afterwards), `finish` turns the state into the result.
 *
 * @typeParam S - The running state.
 * @typeParam I - What is folded in (a band, a measure, a frame).
 * @typeParam R - The result.
 */
export interface Fold<S, I, R> {
  /** Make the state. */
  begin(info: FoldInfo): S;
  /** Fold item `index` in. */
  add(state: S, item: I, index: number): void | Promise<void>;
  /** The result; the state is dead afterwards. */
  finish(state: S): R | Promise<R>;
}

/**
 * Typed arrays for a run, from the run's executor session (`info.exec.pool`),
 * every one of which the engine gives back when the run ends, whatever happened.
 */
export interface RunBuffers {
  /**
   * A Float32Array of `length` elements, contents unspecified; `transient`:
   * short-lived (given back before most arrays taken around it), so taken
   * where it leaves no hole among them.
   */
  float32(length: number, transient?: boolean): Float32Array;
  /** A Uint8Array of `length` elements, contents unspecified (`transient` as for `float32`). */
  uint8(length: number, transient?: boolean): Uint8Array;
  /** A Uint16Array of `length` elements, contents unspecified (`transient` as for `float32`). */
  uint16(length: number, transient?: boolean): Uint16Array;
  /**
   * Take over arrays another function took for the run: with the engine,
   * nothing to do (arrays taken through the run's `exec` are the run's
   * already, and others are not the pool's).
   */
  adopt(...arrays: (Float32Array | Uint8Array)[]): void;
  /** Give arrays back now (they must not be used afterwards). */
  free(...arrays: (Float32Array | Uint8Array | Uint16Array | undefined)[]): void;
}

/** What a method knows of the run when it begins. */
export interface FoldInfo {
  /** Width of every prepared frame. */
  readonly width: number;
  /** Height of every prepared frame. */
  readonly height: number;
  /** Samples per pixel of every prepared frame (1 or 3). */
  readonly channels: number;
  /** Number of frames. */
  readonly frames: number;
  /** Pyramid levels, for the methods that use a pyramid (at most what the size allows). */
  readonly levels: number;
  /** Whether a depth map (the smoothed index of the sharpest frame) is wanted. */
  readonly depthMap: boolean;
  /** Where the kernels run. */
  readonly exec: Executor;
  /** Where every buffer comes from. */
  readonly buffers: RunBuffers;
}

/** What a method hands back. */
export interface FoldResult {
  /** The fused image (plain typed arrays, not pool memory). */
  readonly image: Image;
  /**
   * The smoothed index of the sharpest frame per pixel, when a depth map was
   * asked for (a buffer of the run: the engine turns it into an image).
   */
  readonly index?: Uint16Array;
}

/** One running N-frame method. */
export interface FoldRun {
  /** How many times the frames are read: 1 or 2. */
  readonly passes: 1 | 2;
  /**
   * Fold frame `index` in during pass `pass` (0 or 1). The frame is the
   * engine's: read it, do not keep it.
   *
   * @param frame - The prepared frame.
   * @param index - Its index in the stack (0 the first frame given).
   * @param pass - 0 or 1.
   * @param coverage - Where the frame has data after alignment (0: none); everywhere if omitted.
   */
  add(frame: FloatImage, index: number, pass: number, coverage?: Uint8Array): Promise<void>;
  /**
   * Fold frame `index` in during pass `pass` from its rows, read a band at a
   * time ({@link FrameRows}), instead of {@link FoldRun.add} with the whole
   * frame: the same result, without the whole prepared frame in memory.
   * Optional; the engine uses it for the second reading when it can read
   * the frame that way (otherwise it calls `add`).
   *
   * @param frame - The prepared frame's rows.
   * @param index - Its index in the stack.
   * @param pass - 0 or 1.
   */
  addRows?(frame: FrameRows, index: number, pass: number): Promise<void>;
  /**
   * The first pass is over: returns, for the second, whether each frame is
   * needed (a frame that won no pixel need not be read again).
   */
  endPass?(): Promise<readonly boolean[]>;
  /**
   * The result.
   *
   * @param sixteen - Make 16-bit samples (else 8-bit).
   */
  finish(sixteen: boolean): Promise<FoldResult>;
}

/**
 * A prepared frame that is read a band of rows at a time (see
 * {@link FoldRun.addRows}): the rows hold the values the whole prepared
 * frame would hold (float32 on the 0..255 scale, aligned).
 */
export interface FrameRows {
  /** Width of the prepared frame. */
  readonly width: number;
  /** Height of the prepared frame. */
  readonly height: number;
  /** Samples per pixel. */
  readonly channels: number;
  /** Whether the frame has a coverage mask (where it has data after alignment); if not, it covers everything. */
  readonly covered: boolean;
  /**
   * Read rows `y0 .. y1-1`.
   *
   * @param y0 - First row.
   * @param y1 - Row after the last (at most `height`).
   * @param out - `(y1 - y0) * width * channels` values, from the run's buffers (threads may write them).
   * @param coverage - `(y1 - y0) * width` bytes from the run's buffers, filled when `covered` (1: the frame has data there).
   */
  read(y0: number, y1: number, out: Float32Array, coverage?: Uint8Array): Promise<void>;
}

/** An N-frame method: makes a {@link FoldRun} for a run. */
export interface FoldStrategy {
  /** Its name, for reports. */
  readonly name: string;
  /** Start a run. */
  begin(info: FoldInfo): FoldRun;
}

/**
 * A focus measure: larger where a frame is sharper, one value per pixel of
 * the image or band it is given.
 */
export interface FocusMeasure {
  /** A name for reports. */
  readonly name: string;
  /**
   * Measure one image (a full-resolution frame or a pyramid band).
   *
   * @param image - The image (any channel count); do not modify or keep it.
   * @param info - Where kernels run and buffers come from.
   * @returns One value per pixel; a buffer of `info.buffers`, or a plain array.
   */
  compute(image: FloatImage, info: Pick<FoldInfo, 'exec' | 'buffers'>): Promise<Float32Array>;
}
