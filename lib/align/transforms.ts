/**
 * The transforms file: what alignment found for every frame of a stack, as
 * JSON, so that a run can be repeated, inspected or corrected by hand.
 *
 * ```json
 * {"version":1,"width":2048,"height":1536,"reference":3,"frames":[
 *   {"file":"a.jpg","matrix":[[1,0,0],[0,1,0]],"gain":[1,1,1],"offset":[0,0,0],"correlation":0.98}, ...]}
 * ```
 *
 * Frames are in the order they were given; `reference` is the index of the
 * reference frame; each matrix maps the reference's full-resolution pixel
 * grid to the frame (see `Affine`); `value' = gain * value + offset` per
 * channel on the 0..255 scale.
 */
import { describe } from '../errors.js';
import type { Affine } from './affine.js';

/** The alignment of one frame. */
export interface Transform {
  /** Maps the reference's full-resolution pixel grid (pixel centres at integers) to the frame's. */
  matrix: Affine;
  /** Per channel (1 or 3), applied after warping. */
  gain: number[];
  /** Per channel, on the 0..255 scale, applied after the gain. */
  offset: number[];
  /** How well the frame matched the reference (see `Estimate.correlation`); 1 for the reference itself. */
  correlation: number;
}

/**
 * The transform of the reference frame (and of a frame left unaligned):
 * the identity matrix, gain 1, offset 0, correlation 1.
 *
 * @param channels - How many gains and offsets (the frames' channels).
 * @returns A new transform.
 */
export function identityTransform(channels: number): Transform {
  return {
    matrix: [
      [1, 0, 0],
      [0, 1, 0],
    ],
    gain: Array.from({ length: channels }, () => 1),
    offset: Array.from({ length: channels }, () => 0),
    correlation: 1,
  };
}

/** One frame of a {@link TransformsFile}. */
export interface FrameTransform extends Transform {
  /** The frame's file name, as given. */
  file: string;
}

/** The contents of a transforms file. */
export interface TransformsFile {
  /** Format version: 1. */
  version: 1;
  /** Width of every frame, in pixels. */
  width: number;
  /** Height of every frame, in pixels. */
  height: number;
  /** Index of the reference frame in `frames`. */
  reference: number;
  /** One per frame, in the order the frames were given. */
  frames: FrameTransform[];
}

/** A transforms file is malformed or does not fit the stack; says which field, what was expected and what was found. */
export class TransformsFileError extends Error {
  /** The field, as a path: `frames[2].matrix[1][0]`. */
  readonly parameter: string;
  /** What was expected, as a noun phrase. */
  readonly expected: string;
  /** What was found, described (`"x" (string)`, `an array of length 2`). */
  readonly received: string;
  constructor(parameter: string, expected: string, received: unknown) {
    const text = describe(received);
    super(`Invalid transforms file: expected ${expected} for ${parameter} but received ${text}`);
    this.name = 'TransformsFileError';
    this.parameter = parameter;
    this.expected = expected;
    this.received = text;
  }
}

/**
 * Serialise the transforms of a stack, one frame a line.
 *
 * @param file - What to write; it is checked as {@link parseTransforms} would.
 * @returns JSON text ending with a newline.
 * @throws TransformsFileError when `file` is malformed.
 */
export function transformsToJSON(file: TransformsFile): string {
  const checked = validateTransforms(file, {});
  const head = JSON.stringify({ version: checked.version, width: checked.width, height: checked.height, reference: checked.reference });
  const frames = checked.frames.map(({ file: name, matrix, gain, offset, correlation }) =>
    JSON.stringify({ file: name, matrix, gain, offset, correlation }),
  );
  return `${head.slice(0, -1)},"frames":[\n${frames.map((f) => `  ${f}`).join(',\n')}\n]}\n`;
}

/** What a transforms file must fit, for {@link parseTransforms}. */
export interface ParseTransformsOptions {
  /** The number of frames of the stack. */
  frames?: number;
  /** The frames' width. */
  width?: number;
  /** The frames' height. */
  height?: number;
  /** The frames' channels (1 or 3): the length of every `gain` and `offset`. */
  channels?: number;
}

/**
 * Read and check a transforms file: the version, the sizes, the reference
 * index, and for every frame a file name, a 2x3 matrix of finite numbers,
 * gain and offset of one length (1 or 3) of finite numbers, and a finite
 * correlation; and, when given, the number of frames, the sizes and the
 * channels of the stack it is applied to.
 *
 * @param text - The file's contents.
 * @param expected - What the file must fit; each field is checked when given.
 * @returns The transforms (a fresh object).
 * @throws TransformsFileError naming the first field that is wrong.
 */
export function parseTransforms(text: string, expected: ParseTransformsOptions = {}): TransformsFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TransformsFileError('the file', 'JSON text', (error as Error).message);
  }
  return validateTransforms(value, expected);
}

function validateTransforms(value: unknown, expected: ParseTransformsOptions): TransformsFile {
  const fail = (parameter: string, what: string, received: unknown): never => {
    throw new TransformsFileError(parameter, what, received);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const positive = (name: 'width' | 'height', v: unknown): number => {
    if (!(finite(v) && Number.isInteger(v) && v >= 1)) fail(name, 'a positive integer', v);
    const want = expected[name];
    if (want !== undefined && v !== want) fail(name, `${want} (the frames' ${name})`, v);
    return v as number;
  };
  if (!isObject(value)) return fail('the file', 'a JSON object', value);
  if (value.version !== 1) fail('version', '1', value.version);
  const width = positive('width', value.width);
  const height = positive('height', value.height);
  const frames = value.frames;
  if (!Array.isArray(frames) || frames.length < 1) return fail('frames', 'a non-empty array', frames);
  if (expected.frames !== undefined && frames.length !== expected.frames) fail('frames', `${expected.frames} frames (one per input)`, frames);
  const reference = value.reference;
  if (!(finite(reference) && Number.isInteger(reference) && reference >= 0 && reference < frames.length)) {
    fail('reference', `an integer from 0 to ${frames.length - 1}`, reference);
  }
  const numbers = (name: string, v: unknown): number[] => {
    if (!Array.isArray(v)) return fail(name, 'an array of numbers', v);
    v.forEach((x, i) => finite(x) || fail(`${name}[${i}]`, 'a finite number', x));
    return [...(v as number[])];
  };
  let firstChannels: number | undefined;
  const out = frames.map((frame: unknown, i): FrameTransform => {
    const at = `frames[${i}]`;
    if (!isObject(frame)) return fail(at, 'an object', frame);
    if (typeof frame.file !== 'string') fail(`${at}.file`, 'a file name', frame.file);
    const m = frame.matrix;
    if (!Array.isArray(m) || m.length !== 2) return fail(`${at}.matrix`, 'a 2x3 matrix [[a, b, c], [d, e, f]]', m);
    const rows = m.map((row: unknown, r) => {
      if (!Array.isArray(row) || row.length !== 3) fail(`${at}.matrix[${r}]`, 'a row of 3 numbers', row);
      return numbers(`${at}.matrix[${r}]`, row) as [number, number, number];
    });
    const gain = numbers(`${at}.gain`, frame.gain);
    const offset = numbers(`${at}.offset`, frame.offset);
    const channels = expected.channels ?? firstChannels;
    if (channels !== undefined ? gain.length !== channels : gain.length !== 1 && gain.length !== 3) {
      fail(`${at}.gain`, channels !== undefined ? `${channels} values (one per channel)` : '1 or 3 values (one per channel)', frame.gain);
    }
    firstChannels ??= gain.length;
    if (offset.length !== gain.length) fail(`${at}.offset`, `${gain.length} values (as many as gain)`, frame.offset);
    if (!finite(frame.correlation)) fail(`${at}.correlation`, 'a finite number', frame.correlation);
    return { file: frame.file as string, matrix: [rows[0], rows[1]], gain, offset, correlation: frame.correlation as number };
  });
  return { version: 1, width, height, reference: reference as number, frames: out };
}
