/**
 * How large a stack a browser tab can take. The engine folds frames in one
 * at a time, so memory follows the size of one frame, not the number of
 * frames: the limit is on a frame's pixels.
 */

/**
 * The most pixels a frame may have in the page (measured in headless
 * Chromium by `bench/web.ts`: what completes, with a margin).
 */
export const MAX_WEB_PIXELS = 40_000_000;

/**
 * How many bytes of decoded frames the page keeps between the two readings
 * of the two-pass methods (`dmap`, `select`, `hybrid`), so as not to decode
 * them twice: 7 frames of 12 MP RGB, or all of a stack of 3 MP frames up to
 * 27. Frames beyond it are decoded again.
 */
export const DECODED_CACHE_BYTES = 256 * 2 ** 20;

/**
 * A message for the user when `error` is the host running out of memory
 * (a failed `ArrayBuffer` allocation, WebAssembly out of memory), else undefined.
 *
 * @param error - What a run threw.
 * @returns The message, or undefined.
 */
export function memoryMessage(error: unknown): string | undefined {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (!/allocation failed|out of memory|Array buffer allocation|Cannot enlarge memory|Aborted\(OOM\)/i.test(text)) return undefined;
  return `This stack is too large for this tab's memory (${text}). Frames of up to ${MAX_WEB_PIXELS / 1e6} MP fit; try smaller frames or the command line.`;
}
