/**
 * The OpenCV.js runtime: loaded once, shared by every wrapper, reloadable.
 *
 * OpenCV.js is a WebAssembly module with a heap of its own (about 1 GB at
 * most). It is loaded lazily by {@link loadOpenCV}; the synchronous wrappers
 * then reach it through {@link cv}. Each exception thrown from WebAssembly
 * leaks a little of the module's stack, so after a failed call the module may
 * be unusable: {@link reloadOpenCV} throws the instance away and loads a new one.
 */
import { createRequire } from 'node:module';
import type * as OpenCV from '@techstark/opencv-js';

/** The OpenCV.js namespace (`cv` in OpenCV's own examples). */
export type CV = typeof OpenCV;
/** An OpenCV.js matrix. Not garbage-collected: every Mat must be `delete()`d. */
export type Mat = OpenCV.Mat;

const MODULE_ID = '@techstark/opencv-js';
const require = createRequire(import.meta.url);

let instance: CV | undefined;
let loading: Promise<CV> | undefined;

/**
 * Load OpenCV.js, once; later calls resolve to the same instance.
 *
 * @returns The OpenCV.js namespace.
 * @throws Error when the module cannot be loaded.
 */
export function loadOpenCV(): Promise<CV> {
  if (instance) return Promise.resolve(instance);
  loading ??= instantiate().then(
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
 * instance must not be used afterwards.
 *
 * @returns The new OpenCV.js namespace.
 */
export async function reloadOpenCV(): Promise<CV> {
  instance = undefined;
  loading = undefined;
  const resolved = require.resolve(MODULE_ID);
  delete require.cache[resolved];
  return loadOpenCV();
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

async function instantiate(): Promise<CV> {
  // The package exports a promise of the Emscripten module (OpenCV.js 5), or
  // the module itself with an onRuntimeInitialized hook (older builds).
  const exported = require(MODULE_ID) as unknown;
  if (exported instanceof Promise) return (await exported) as CV;
  const mod = exported as CV & { onRuntimeInitialized?: () => void };
  if (typeof mod.Mat === 'function') return mod;
  await new Promise<void>((resolve) => {
    mod.onRuntimeInitialized = resolve;
  });
  return mod;
}
