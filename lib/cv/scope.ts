/**
 * Mat lifetimes. OpenCV.js Mats live in the WebAssembly heap and are never
 * garbage-collected: whoever creates one deletes it. A {@link MatScope}
 * tracks the Mats of one computation and deletes them, newest first, when
 * the scope ends (`using scope = new MatScope()`, or try/finally with
 * `scope.dispose()`); `keep()` hands a Mat to the caller instead.
 *
 * Every Mat the library creates is also counted, so that tests can prove
 * that none is left alive ({@link liveMatCount}).
 */
import { cv, type Mat } from './runtime.js';

const alive = new Set<Mat>();

/** Register a Mat created outside {@link newMat} (for example by `clone()`) in the live count. */
export function registerMat<T extends Mat>(mat: T): T {
  alive.add(mat);
  return mat;
}

/**
 * Create a Mat and register it in the live count. Arguments as `new cv.Mat(...)`.
 *
 * @returns A new Mat; caller deletes.
 */
export function newMat(...args: [] | [rows: number, cols: number, type: number]): Mat {
  const c = cv();
  return registerMat(args.length === 0 ? new c.Mat() : new c.Mat(args[0], args[1], args[2]));
}

/** How many Mats created through this library are still alive (not yet deleted). */
export function liveMatCount(): number {
  for (const mat of alive) if (mat.isDeleted()) alive.delete(mat);
  return alive.size;
}

/** Delete a Mat unless it is already deleted (a second `delete()` throws). */
export function deleteMat(mat: Mat | undefined | null): void {
  if (mat && !mat.isDeleted()) mat.delete();
  if (mat) alive.delete(mat);
}

/** A set of Mats deleted together, in reverse order of tracking. */
export class MatScope implements Disposable {
  readonly #mats: Mat[] = [];

  /**
   * Track a Mat: it is deleted when the scope is disposed.
   *
   * @param mat - The Mat to track.
   * @returns The same Mat.
   */
  track<T extends Mat>(mat: T): T {
    this.#mats.push(mat);
    return mat;
  }

  /** Create a Mat (as {@link newMat}) and track it. */
  mat(...args: [] | [rows: number, cols: number, type: number]): Mat {
    return this.track(newMat(...args));
  }

  /**
   * Stop tracking a Mat: the caller owns it from now on.
   *
   * @param mat - A Mat tracked by this scope.
   * @returns The same Mat.
   */
  keep<T extends Mat>(mat: T): T {
    const i = this.#mats.lastIndexOf(mat);
    if (i >= 0) this.#mats.splice(i, 1);
    return mat;
  }

  /** Delete every tracked Mat, newest first, skipping those already deleted. */
  dispose(): void {
    while (this.#mats.length > 0) deleteMat(this.#mats.pop());
  }

  /** The same as {@link MatScope.dispose}, for `using scope = new MatScope()`. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
