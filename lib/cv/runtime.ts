/**
 * The OpenCV.js runtime: loaded once, shared by every wrapper, reloadable,
 * and injectable.
 *
 * OpenCV.js is a WebAssembly module with a heap of its own (about 1 GB at
 * most). It is loaded lazily by {@link loadOpenCV}; the synchronous wrappers
 * then reach it through {@link cv}. Each exception thrown from WebAssembly
 * leaks a little of the module's stack, so after a failed call the module may
 * be unusable: {@link reloadOpenCV} throws the instance away and loads a new one.
 *
 * Where it comes from: {@link useOpenCV} sets it (a namespace, or a loader);
 * otherwise the `cv` global that `<script src="opencv.js">` (or
 * `importScripts`) defines; otherwise, in Node.js, the `@techstark/opencv-js`
 * package. This file imports no Node.js module: the Node.js loader
 * (`nodeLoader.ts`) is imported only when it is needed.
 */
import type * as OpenCV from '@techstark/opencv-js';

/** The OpenCV.js namespace (`cv` in OpenCV's own examples). */
export type CV = typeof OpenCV;
/** An OpenCV.js matrix. Not garbage-collected: every Mat must be `delete()`d. */
export type Mat = OpenCV.Mat;

/**
 * Makes an OpenCV.js instance: returns the namespace, a promise of it, or an
 * Emscripten module still initialising (with `onRuntimeInitialized`).
 * `fresh` is true when {@link reloadOpenCV} asks for a new instance.
 */
export type OpenCVLoader = (fresh: boolean) => unknown;

/** The Node.js loader, beside this file; a variable so that bundlers do not follow it. */
const NODE_LOADER = './nodeLoader.js';

let injected: OpenCVLoader | undefined;
let instance: CV | undefined;
let loading: Promise<CV> | undefined;

/**
 * Choose where OpenCV.js comes from (in a page, or to share an instance
 * loaded elsewhere); the current instance is dropped, the next
 * {@link loadOpenCV} uses the new source.
 *
 * @example
 * ```ts
 * // in a page, after <script src="opencv.js">:
 * useOpenCV(() => globalThis.cv);
 * ```
 *
 * @param source - An OpenCV.js namespace, a promise of one, or an
 *   {@link OpenCVLoader}; `undefined` restores the default (the `cv` global,
 *   else in Node.js the package).
 * @throws TypeError when `source` is none of these.
 */
export function useOpenCV(source?: OpenCVLoader | CV | Promise<CV>): void {
  if (source !== undefined && typeof source !== 'function' && (typeof source !== 'object' || source === null)) {
    throw new TypeError(`Expected an OpenCV.js namespace or a loader function for source but received ${typeof source}`);
  }
  injected = source === undefined ? undefined : typeof source === 'function' ? (source as OpenCVLoader) : () => source;
  instance = undefined;
  loading = undefined;
}

/**
 * Load OpenCV.js, once; later calls resolve to the same instance.
 *
 * @returns The OpenCV.js namespace.
 * @throws Error when the module cannot be loaded.
 */
export function loadOpenCV(): Promise<CV> {
  return load(false);
}

function load(fresh: boolean): Promise<CV> {
  if (instance) return Promise.resolve(instance);
  loading ??= instantiate(fresh).then(
    (cv) => {
      instance = cv;
      return cv;
    },
    (error: unknown) => {
      loading = undefined;
      throw new Error(`Cannot load OpenCV.js: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  return loading;
}

/**
 * Drop the current OpenCV.js instance and load a fresh one. Mats of the old
 * instance must not be used afterwards. (A `cv` global from a `<script>` is
 * used again as it is; a loader of one's own is called with `fresh` true.)
 *
 * @returns The new OpenCV.js namespace.
 */
export async function reloadOpenCV(): Promise<CV> {
  instance = undefined;
  loading = undefined;
  return load(true);
}

/**
 * The loaded OpenCV.js namespace, for synchronous code.
 *
 * @returns The namespace.
 * @throws Error when {@link loadOpenCV} has not completed yet.
 */
export function cv(): CV {
  if (!instance) throw new Error('OpenCV.js is not loaded yet: await loadOpenCV() first');
  return instance;
}

/** Whether OpenCV.js has been loaded. */
export function isOpenCVLoaded(): boolean {
  return instance !== undefined;
}

/**
 * Size of the WebAssembly heap in bytes. It grows on demand and never
 * shrinks, so a value that stays put across repeated runs shows that
 * nothing accumulates.
 */
export function heapSize(): number {
  const c = cv();
  const probe = new c.Mat(1, 1, c.CV_8UC1);
  try {
    return probe.data.buffer.byteLength;
  } finally {
    probe.delete();
  }
}

/** Whether this is Node.js (without Node's types). */
function isNode(): boolean {
  const host = globalThis as { process?: { versions?: { node?: unknown } } };
  return typeof host.process?.versions?.node === 'string';
}

/** What the default source gives: the `cv` global if a script defined one, else (Node.js) the package. */
async function defaultSource(fresh: boolean): Promise<unknown> {
  const global = (globalThis as { cv?: unknown }).cv;
  if (global !== undefined && global !== null) return global;
  if (!isNode()) throw new Error('no OpenCV.js here: load opencv.js with a <script> (or importScripts) first, or call useOpenCV()');
  const url = new URL(NODE_LOADER, import.meta.url).href;
  const { requireOpenCV } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ url)) as { requireOpenCV: (fresh: boolean) => unknown };
  return requireOpenCV(fresh);
}

async function instantiate(fresh: boolean): Promise<CV> {
  // The package exports a promise of the Emscripten module (OpenCV.js 5), or
  // the module itself with an onRuntimeInitialized hook (older builds).
  const exported = await (injected ? injected(fresh) : defaultSource(fresh));
  const mod = exported as CV & { onRuntimeInitialized?: () => void };
  if (typeof mod !== 'object' || mod === null) throw new Error(`the source gave ${exported === null ? 'null' : typeof exported}, not OpenCV.js`);
  if (typeof mod.Mat === 'function') return mod;
  await new Promise<void>((resolve) => {
    mod.onRuntimeInitialized = resolve;
  });
  return mod;
}
