/**
 * The kernels that can be split between threads, by name, with how many
 * units (rows or pixels) each one's range covers. Every kernel takes its
 * range as its last two arguments, after all the others.
 */
import type { FloatImage } from '../image.js';
import { activity, activityRows, boxSumColumns, boxSumRows } from '../kernels/activity.js';
import { maskToSamples, touchPages } from '../kernels/convert.js';
import { blend, blendUpClip } from '../kernels/blend.js';
import { binaryMedian, greaterMask, sigmoidMask } from '../kernels/mask.js';
import { pyrDown, pyrUpApply } from '../kernels/pyramid.js';
import { warpAffine } from '../kernels/warp.js';

/** Kernels by name. */
export const KERNELS = {
  activity,
  activityRows,
  boxSumRows,
  boxSumColumns,
  sigmoidMask,
  greaterMask,
  binaryMedian,
  blend,
  blendUpClip,
  pyrDown,
  pyrUpApply,
  touchPages,
  maskToSamples,
  warpAffine,
} as const;
export type KernelName = keyof typeof KERNELS;

/** Run one kernel on a range of its units. */
export function runKernel(name: KernelName, args: unknown[], start: number, end: number): void {
  (KERNELS[name] as (...a: unknown[]) => unknown)(...args, start, end);
}

/** Rows of the result of pyrDown, for splitting it. */
export function pyrDownRows(src: FloatImage): number {
  return (src.height + 1) >> 1;
}
