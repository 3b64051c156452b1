/**
 * The channel order of the Mats made by `matFromImage`, remembered so that
 * `cvtColor` can refuse to read an RGB Mat as BGR. Internal: `lib/cv/index.ts`
 * re-exports only {@link channelOrderOf}.
 */
import type { Mat } from './runtime.js';

/**
 * The order of the colour channels in a Mat: `rgb` (red first, as
 * `Image`s and every codec here hold them) or `bgr` (blue first, as
 * `cv2.imread` gives them).
 */
export const ChannelOrder = {
  /** Red, green, blue (then alpha): the order of this library's images. */
  RGB: 'rgb',
  /** Blue, green, red (then alpha): the order of cv2's images. */
  BGR: 'bgr',
} as const;
/** A value of {@link ChannelOrder}. */
export type ChannelOrder = (typeof ChannelOrder)[keyof typeof ChannelOrder];

const orders = new WeakMap<Mat, ChannelOrder>();

/**
 * The channel order of a Mat that `matFromImage` made from a 3- or 4-channel
 * image, or `undefined` for any other Mat (OpenCV's results carry no order).
 * `cvtColor` uses it to refuse reading an RGB Mat as BGR, and the reverse.
 *
 * @param mat - Any Mat.
 * @returns `'rgb'`, `'bgr'` or `undefined`.
 */
export function channelOrderOf(mat: Mat): ChannelOrder | undefined {
  return orders.get(mat);
}

/** Remember the channel order of a Mat just filled from an image. */
export function setChannelOrder(mat: Mat, order: ChannelOrder): void {
  orders.set(mat, order);
}

/** Forget the channel order of `mat` (its samples were overwritten). */
export function forgetChannelOrder(mat: Mat): void {
  orders.delete(mat);
}
