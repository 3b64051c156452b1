/**
 * The messages between a page and its engine worker ({@link StackWorker}
 * and `engineWorker.ts`). Everything in them survives `postMessage`
 * (structured clone): Files, Blobs, plain objects.
 */
import type { StackMethod, StackProgress } from '../engine/options.js';
import type { StackReport } from '../engine/stack.js';

/** The options a page may give a stack run in the worker. */
export interface WebStackOptions {
  /** See `StackFramesOptions.method`. @default 'dmap' */
  method?: StackMethod;
  /** Align the frames (the default aligner). @default true */
  align?: boolean;
  /** Keep only the area every aligned frame covers. @default false */
  crop?: boolean;
  /** Index of the reference frame. @default the middle frame */
  reference?: number;
  /** Pyramid levels (`pyramid`, `gradient`). @default 5 */
  levels?: number;
  /** Encoding of the result. @default 'image/png' */
  type?: 'image/png' | 'image/jpeg';
}

/** Page to worker. */
export type EngineRequest =
  | { readonly type: 'init'; readonly opencvUrl: string; readonly threads?: number }
  | { readonly type: 'stack'; readonly id: number; readonly files: readonly Blob[]; readonly names: readonly string[]; readonly options: WebStackOptions }
  | { readonly type: 'cancel'; readonly id: number };

/** What a finished run sends back. */
export interface WebStackResult {
  /** The result, encoded (PNG by default). */
  readonly image: Blob;
  /** The depth map, as an 8-bit PNG. */
  readonly depth: Blob;
  /** The transforms file (JSON text, as `focus-stacking stack --save-transforms` writes). */
  readonly transforms: string;
  /** The engine's report. */
  readonly report: StackReport;
  /** Milliseconds in the worker: decoding, stacking and encoding. */
  readonly ms: number;
}

/** Worker to page. */
export type EngineReply =
  | { readonly type: 'ready'; readonly ms: number; readonly threads: number; readonly shared: boolean }
  | { readonly type: 'progress'; readonly id: number; readonly progress: StackProgress; readonly name: string }
  | { readonly type: 'warning'; readonly id: number; readonly message: string }
  | { readonly type: 'done'; readonly id: number; readonly result: WebStackResult }
  | { readonly type: 'error'; readonly id: number; readonly name: string; readonly message: string };
