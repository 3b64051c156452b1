/**
 * What a stack job carries (plain JSON, read back from Redis and so checked
 * again by the worker) and what its progress says.
 */
import { STACK_JOB_OPTION_NAMES, type StackJobOptions } from '../batch/files.js';
import type { StackProgress } from '../engine/options.js';
import { StackInputError } from '../batch/stacks.js';

/** The default queue's name. */
export const DEFAULT_QUEUE = 'focus-stacking';

/** One stack to run: its frames and its results by path, on storage that every worker sees. */
export interface StackJob {
  /** The stack's name (its folder's name): the job's name. */
  name: string;
  /** Two or more image files, in focus order (absolute paths, as every worker must find them). */
  frames: string[];
  /** The stacked image; its format from the extension. */
  output: string;
  /** The depth map, if wanted. */
  depthmap?: string;
  /** The stack options. */
  options?: StackJobOptions;
}

/** A job's progress, as numbers: `percent` 0 to 100, `step` of `steps` (each frame reading, then the final step), the frame being read. */
export interface StackJobProgress {
  /** 0 to 100. */
  percent: number;
  /** Steps done: frame readings, then the final step. */
  step: number;
  /** Steps in all (frame readings + 1; two-pass methods read each frame twice). */
  steps: number;
  /** Index of the frame being read, -1 at the final step and at the end. */
  frame: number;
  /** Frames in the stack. */
  frames: number;
}

/** The progress numbers of an engine progress report. */
export function jobProgress(p: StackProgress): StackJobProgress {
  const steps = p.total + 1;
  const step = p.step === 'finish' ? p.total : p.done;
  return { percent: Math.round((100 * step) / steps), step, steps, frame: p.frame, frames: p.frames };
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '');

/**
 * Check a job's data as read from Redis.
 *
 * @param data - The job's data.
 * @returns It, typed.
 * @throws StackInputError naming what is wrong (bad input: not retried).
 */
export function checkStackJob(data: unknown): StackJob {
  if (typeof data !== 'object' || data === null) throw new StackInputError('the job carries no stack (expected { name, frames, output })');
  const { name, frames, output, depthmap, options, ...rest } = data as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new StackInputError(`the job carries unknown fields: ${unknown.join(', ')}`);
  if (typeof name !== 'string') throw new StackInputError('the job has no name');
  if (!isStringArray(frames)) throw new StackInputError('the job\'s frames are not a list of paths');
  if (typeof output !== 'string' || output === '') throw new StackInputError('the job has no output path');
  if (depthmap !== undefined && (typeof depthmap !== 'string' || depthmap === '')) throw new StackInputError('the job\'s depth map path is not a path');
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) throw new StackInputError('the job\'s options are not an object');
  const bad = Object.keys(options ?? {}).filter((k) => !STACK_JOB_OPTION_NAMES.includes(k));
  if (bad.length > 0) throw new StackInputError(`the job has unknown options: ${bad.join(', ')} (known: ${STACK_JOB_OPTION_NAMES.join(', ')})`);
  return { name, frames, output, ...(depthmap === undefined ? {} : { depthmap }), ...(options === undefined ? {} : { options: options as StackJobOptions }) };
}
