import { assertKnownKeys, invalidParameter, optionKeys } from '../errors.js';
import type * as OpenCV from '@techstark/opencv-js';
import { callInto } from './output.js';
import { cv, type Mat } from './runtime.js';
import { assertLike, assertMat } from './validate.js';

/** Options of {@link merge}. */
export interface MergeOptions {
  /** Destination Mat to reuse (cv2's `dst`); a new one is allocated if omitted. */
  dst?: Mat;
}

/** CV_CN_MAX of OpenCV 5, which OpenCV.js does not export. */
const MAX_CHANNELS = 128;

const KEYS = optionKeys<MergeOptions>({ dst: 1 });

/**
 * Merge Mats into one multi-channel Mat, as `cv2.merge(mv)`: the channels of
 * each, in order.
 *
 * @param mv - Non-empty Mats of the same size and depth, 128 channels in all at most.
 * @param options - See {@link MergeOptions}.
 * @returns The merged Mat (`options.dst` if given); caller deletes. The inputs are not deleted.
 * @throws TypeError for an empty list, a non-Mat, or Mats of different sizes or
 *   depths; RangeError for more than 128 channels; OpenCVError if OpenCV fails.
 */
export function merge(mv: readonly Mat[], options: MergeOptions = {}): Mat {
  assertKnownKeys('merge', options, KEYS);
  const { dst } = options;
  if (!Array.isArray(mv) || mv.length === 0) throw invalidParameter('mv', 'a non-empty array of Mats', mv, 'type');
  mv.forEach((mat, i) => assertMat(`mv[${i}]`, mat));
  mv.forEach((mat, i) => assertLike(`mv[${i}]`, mat, 'mv[0]', mv[0], { channels: false }));
  const channels = mv.reduce((sum, mat) => sum + mat.channels(), 0);
  if (channels > MAX_CHANNELS) throw invalidParameter('mv', `at most ${MAX_CHANNELS} channels in all`, channels);
  const c = cv();
  const vector = new c.MatVector();
  try {
    for (const mat of mv) vector.push_back(mat);
    // The typings declare merge(mv, count, dst), C++'s pointer overload; the binding is merge(mv, dst).
    const bound = c as unknown as { merge(mv: OpenCV.MatVector, dst: Mat): void };
    return callInto('merge', dst, (out) => bound.merge(vector, out));
  } finally {
    vector.delete();
  }
}
