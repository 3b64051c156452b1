/**
 * Validation helpers shared by every public entry point.
 *
 * The public boundary checks its arguments with these and throws a
 * `TypeError` (wrong type or shape) or a `RangeError` (right type, bad value)
 * whose message reads "Expected <expected> for <name> but received <actual>"
 * and whose fields (`parameter`, `index`, `expected`, `received`) say the
 * same as data. Inner code trusts what the boundary checked.
 */

/** Describe a value for an error message: `4 (number)`, `"x" (string)`, `undefined`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${String(value)} (${typeof value})`;
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as Uint8Array).length}`;
  return `a ${value.constructor?.name ?? 'object'}`;
}

/**
 * What a validation error says, as data: which parameter, what was expected
 * and what was received. Programs (the command line) word their own message
 * from these fields instead of parsing the error's message.
 */
export interface ParameterErrorFields {
  /** The parameter as the API names it (`medianSizes`, `levels`, `front`, `back.data`), without an index. */
  readonly parameter: string;
  /** For an item of a list parameter, its index (`1` for `medianSizes[1]`). */
  readonly index?: number;
  /** What was expected, a noun phrase (`an odd integer from 1 to 255`, `3 channel(s)`). */
  readonly expected: string;
  /** The value received, as it was (not described). */
  readonly received: unknown;
  /** The property of the parameter that is wrong, when not the parameter itself (`channels`, `bits`). */
  readonly property?: string;
  /** The parameter that the value must match, if any (`back` for "3 channel(s) like back"). */
  readonly like?: string;
}

/** The message of a {@link ParameterErrorFields}: "Expected <expected> for <parameter>[<index>] but received <received>". */
function parameterMessage(fields: ParameterErrorFields): string {
  const name = fields.index === undefined ? fields.parameter : `${fields.parameter}[${fields.index}]`;
  return `Expected ${fields.expected} for ${name} but received ${describe(fields.received)}`;
}

/** Copy the fields that are set onto an error (absent optional fields stay absent). */
function setFields(error: ParameterErrorFields, fields: ParameterErrorFields): void {
  const { parameter, index, expected, received, property, like } = fields;
  Object.assign(error, { parameter, expected, received }, index === undefined ? {} : { index }, property === undefined ? {} : { property }, like === undefined ? {} : { like });
}

/**
 * A parameter of the wrong type or shape. Still a `TypeError` (same `name`),
 * with the fields of {@link ParameterErrorFields}.
 */
export class ParameterTypeError extends TypeError {
  /**
   * @param fields - What was wrong.
   * @param message - The message, if not the standard one ("Expected ... for ... but received ...").
   */
  constructor(fields: ParameterErrorFields, message: string = parameterMessage(fields)) {
    super(message);
    setFields(this, fields);
  }
}
/** The fields of a {@link ParameterTypeError}: see {@link ParameterErrorFields}. */
export interface ParameterTypeError extends ParameterErrorFields {}

/**
 * A parameter of the right type but a bad value. Still a `RangeError` (same
 * `name`), with the fields of {@link ParameterErrorFields}.
 */
export class ParameterRangeError extends RangeError {
  /**
   * @param fields - What was wrong.
   * @param message - The message, if not the standard one ("Expected ... for ... but received ...").
   */
  constructor(fields: ParameterErrorFields, message: string = parameterMessage(fields)) {
    super(message);
    setFields(this, fields);
  }
}
/** The fields of a {@link ParameterRangeError}: see {@link ParameterErrorFields}. */
export interface ParameterRangeError extends ParameterErrorFields {}

/** A validation error with fields: {@link ParameterTypeError} or {@link ParameterRangeError}. */
export type ParameterError = ParameterTypeError | ParameterRangeError;

/**
 * Tell a validation error with fields from any other value.
 *
 * @param value - Anything thrown.
 * @returns Whether it is a {@link ParameterError}.
 */
export function isParameterError(value: unknown): value is ParameterError {
  return value instanceof ParameterTypeError || value instanceof ParameterRangeError;
}

/**
 * Build the error for a parameter that failed validation.
 *
 * @param name - The parameter's name as the caller knows it (`beta`, `medianSizes[0]`):
 *   a name ending in `[i]` gives the fields `parameter` (`medianSizes`) and `index` (`0`).
 * @param expected - What was expected, as a noun phrase (`an odd integer from 1 to 255`).
 * @param actual - The value received.
 * @param kind - `'range'` for a value of the right type but out of range, `'type'` otherwise.
 * @returns A {@link ParameterRangeError} or {@link ParameterTypeError} (a `RangeError` or
 *   `TypeError`) to throw, whose message reads "Expected <expected> for <name> but received <actual>".
 */
export function invalidParameter(
  name: string,
  expected: string,
  actual: unknown,
  kind: 'type' | 'range' = typeof actual === 'number' ? 'range' : 'type',
): ParameterError {
  const item = /^(.+)\[(\d+)\]$/.exec(name);
  const fields: ParameterErrorFields = item ? { parameter: item[1], index: Number(item[2]), expected, received: actual } : { parameter: name, expected, received: actual };
  return kind === 'range' ? new ParameterRangeError(fields) : new ParameterTypeError(fields);
}

/** Check that `value` is a finite number; returns it. @throws TypeError, RangeError */
export function assertNumber(name: string, value: unknown, min = -Infinity, max = Infinity): number {
  const expected = rangeText('a number', min, max);
  if (typeof value !== 'number' || Number.isNaN(value)) throw invalidParameter(name, expected, value, 'type');
  if (!Number.isFinite(value) || value < min || value > max) throw invalidParameter(name, expected, value, 'range');
  return value;
}

/** Check that `value` is an integer in [min, max]; returns it. @throws TypeError, RangeError */
export function assertInteger(name: string, value: unknown, min = -Infinity, max = Infinity): number {
  const expected = rangeText('an integer', min, max);
  if (typeof value !== 'number' || Number.isNaN(value)) throw invalidParameter(name, expected, value, 'type');
  if (!Number.isInteger(value) || value < min || value > max) throw invalidParameter(name, expected, value, 'range');
  return value;
}

/** Check that `value` is one of a closed set's values; returns it. @throws TypeError */
export function assertOneOf<T extends string>(name: string, value: unknown, values: readonly T[]): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw invalidParameter(name, `one of ${values.join(', ')}`, value, 'type');
  }
  return value as T;
}

/**
 * Check that `value` is an odd integer in [min, max], or equals `also` if given
 * (Sobel's -1 for Scharr, GaussianBlur's 0 for "from sigma").
 *
 * @throws TypeError when it is not a number; RangeError otherwise.
 */
export function assertOdd(name: string, value: unknown, min: number, max = Infinity, also?: number): number {
  const range = max < Infinity ? `from ${min} to ${max}` : `of at least ${min}`;
  const expected = `${also === undefined ? '' : `${also} or `}an odd integer ${range}`;
  if (typeof value !== 'number' || Number.isNaN(value)) throw invalidParameter(name, expected, value, 'type');
  if (value === also) return value;
  if (!Number.isInteger(value) || value < min || value > max || value % 2 === 0) throw invalidParameter(name, expected, value, 'range');
  return value;
}

function rangeText(noun: string, min: number, max: number): string {
  if (min > -Infinity && max < Infinity) return `${noun} from ${min} to ${max}`;
  if (min > -Infinity) return `${noun} of at least ${min}`;
  if (max < Infinity) return `${noun} of at most ${max}`;
  return `a finite ${noun.replace(/^an? /, '')}`;
}

/**
 * Exhaustiveness check for `switch` statements over closed sets.
 *
 * @throws Error always: reaching it means a case is missing.
 */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${String(value)}`);
}

/**
 * Check that an options object holds only the keys its operation knows, so
 * that a misspelt option (`depth` for `ddepth`) is an error rather than
 * silently ignored. `undefined` stands for "no options".
 *
 * @param where - The operation, for the message (`Laplacian`, `stackPair`).
 * @param options - The options object as the caller gave it.
 * @param known - Every key the operation reads, in the order to list them.
 * @throws TypeError when `options` is not a plain object, or names a key not in `known`:
 *   `Unknown option "depth" for Laplacian; known options: ddepth, ksize, ...`.
 */
export function assertKnownKeys(where: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  const proto = typeof options === 'object' && options !== null ? Object.getPrototypeOf(options) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(
      `Expected an options object ({ ${known.join(', ')} }) for ${where} but received ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options as object)) {
    if (!known.includes(key)) {
      throw new TypeError(`Unknown option ${JSON.stringify(key)} for ${where}; known options: ${known.join(', ')}`);
    }
  }
}

/**
 * The keys of an options type, listed once and checked by the compiler to be
 * all of them and nothing else: `optionKeys<ResizeOptions>({ dsize: 1, ... })`.
 *
 * @param keys - An object with one entry per option (the values are ignored).
 * @returns The keys, in the order given.
 */
export function optionKeys<T>(keys: { readonly [K in keyof Required<T>]: 1 }): readonly string[] {
  return Object.freeze(Object.keys(keys));
}
