/**
 * OpenCV's `borderInterpolate` for BORDER_REFLECT_101 (`gfedcb|abcdefgh|gfedcba`)
 * and BORDER_REPLICATE, the two borders the methods use.
 */

/** Index of coordinate `p` in a row of `len` samples under BORDER_REFLECT_101. */
export function reflect101(p: number, len: number): number {
  if (len === 1) return 0;
  while (p < 0 || p >= len) p = p < 0 ? -p : 2 * len - 2 - p;
  return p;
}

/** Index of coordinate `p` in a row of `len` samples under BORDER_REPLICATE. */
export function replicate(p: number, len: number): number {
  return p < 0 ? 0 : p >= len ? len - 1 : p;
}
