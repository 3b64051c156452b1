/**
 * Node.js only: OpenCV.js from the `@techstark/opencv-js` package, through
 * `require` (its build is a UMD script). The runtime (`runtime.ts`) imports
 * this file only in Node.js and only when no other source was given.
 * Internal: not part of the public API.
 */
import { createRequire } from 'node:module';

const MODULE_ID = '@techstark/opencv-js';
const require = createRequire(import.meta.url);

/**
 * The package's export: a promise of the Emscripten module (OpenCV.js 5).
 *
 * @param fresh - Evaluate the package again (a new instance, a new heap).
 * @returns What the package exports.
 */
export function requireOpenCV(fresh: boolean): unknown {
  if (fresh) delete require.cache[require.resolve(MODULE_ID)];
  return require(MODULE_ID) as unknown;
}
