/**
 * Flag helpers shared by the commands: short options, repeated flags, lists
 * and numbers as typed, and the wording of the API's validation errors from
 * their fields (never from their messages).
 */
import { getCodec, type CodecName } from '../codecs/index.js';
import { assertInteger, describe, isParameterError } from '../errors.js';
import { fileError, usageError } from './command.js';

/**
 * Refuse an unknown short option (`-x`, or a letter of a group such as `-qx`)
 * before yargs sees it: yargs would call it "unknown argument: x", as if it
 * were `--x`. A negative number (`-3`) is a value, not an option.
 *
 * @param argv - The arguments.
 * @param letters - The known short options (`b`, `f`, `o`, `q`, `h`).
 * @throws CliError "unknown option -x".
 */
export function checkShortOptions(argv: readonly string[], letters: readonly string[]): void {
  for (const token of argv) {
    if (token === '--') return;
    if (!/^-[^-\d.]/.test(token)) continue;
    const group = token.slice(1).split('=')[0];
    for (const letter of group) {
      if (!letters.includes(letter)) throw usageError(`unknown option -${letter}`);
    }
  }
}

/**
 * Refuse a flag that takes one value and was given more than once (yargs
 * gives an array then; the last value would silently win).
 *
 * @param args - yargs's result.
 * @param flags - The single-value flags.
 * @param hint - Said after the count, such as ` (to stack more than two frames, use "focus-stacking stack")`, per flag.
 * @throws CliError "--front: given 2 times, but it takes one file".
 */
export function checkRepeated(args: Record<string, unknown>, flags: Record<string, { takes: string; hint?: string }>): void {
  for (const [flag, { takes, hint = '' }] of Object.entries(flags)) {
    const value = args[flag];
    if (Array.isArray(value)) throw usageError(`--${flag}: given ${value.length} times, but it takes ${takes}${hint}`);
  }
}

/**
 * Split a comma-separated flag value.
 *
 * @throws CliError for an empty item.
 */
export function parseList(flag: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw usageError(`--${flag}: expected a comma-separated list but received ${JSON.stringify(raw)}`);
  return items;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A decimal number as typed (`35`, `0.5`, `1e-3`).
 *
 * @param flag - For the message.
 * @param raw - The text typed (or a default, already a number).
 * @param list - The whole list when `raw` is one of its items, for the message.
 * @throws CliError "--beta: expected a number but received "abc"".
 */
export function parseNumber(flag: string, raw: string | number, list?: string): number {
  if (typeof raw === 'number') return raw;
  const text = raw.trim();
  if (!NUMBER.test(text)) throw usageError(`--${flag}: expected a number but received ${JSON.stringify(raw)}${inList(list)}`);
  return Number(text);
}

/**
 * An integer as typed, checked by the API's own check (`assertInteger`).
 *
 * @param flag - The flag, without dashes, for the message.
 * @param raw - The text typed (or a default, already a number).
 * @param min - The least value allowed.
 * @param max - The greatest value allowed.
 * @throws CliError "--levels: expected an integer from 1 to 16 but received "0"", echoing what was typed.
 */
export function parseInteger(flag: string, raw: string | number, min: number, max: number): number {
  return checkWithApi({ [flag]: { flag, raw: String(raw) } }, () => assertInteger(flag, parseNumber(flag, raw), min, max));
}

/** ` in "35,18"` for an item of a list of several. */
function inList(list: string | undefined): string {
  return list?.includes(',') ? ` in ${JSON.stringify(list)}` : '';
}

/** A flag as typed: its name and its raw text (the whole list for a list flag). */
export interface FlagValue {
  /** The flag, without dashes. */
  flag: string;
  /** What was typed (or the default, as text). */
  raw: string;
  /** Whether `raw` is a comma-separated list whose items the API checks one by one. */
  list?: boolean;
}

/**
 * Run an API check and word its validation error for the shell, from its
 * fields: `--median-sizes: expected an odd integer from 1 to 255 but received "18" in "35,18"`,
 * echoing what was typed.
 *
 * @param flags - The flag of each API parameter (`medianSizes` → `--median-sizes` and what was typed).
 * @param check - The API check.
 * @returns What the check returns.
 * @throws CliError for a validation error of a parameter in `flags`; any other error as it is.
 */
export function checkWithApi<T>(flags: Record<string, FlagValue>, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw flagError(error, flags);
  }
}

/**
 * The CLI's words for an API validation error, from its fields.
 *
 * @returns A CliError (usage) for a parameter in `flags`; otherwise `error` itself.
 */
export function flagError(error: unknown, flags: Record<string, FlagValue>): unknown {
  if (!isParameterError(error)) return error;
  const given = Object.hasOwn(flags, error.parameter) ? flags[error.parameter] : undefined;
  if (given === undefined) return error;
  const { flag, raw, list = false } = given;
  let received = describe(error.received);
  if (!list) received = JSON.stringify(raw);
  else if (error.index !== undefined) received = `${JSON.stringify(parseList(flag, raw)[error.index])}${inList(raw)}`;
  return usageError(`--${flag}: expected ${error.expected} but received ${received}`);
}

/**
 * Check that the codec asked for loads (sharp is optional), before any file is touched.
 *
 * @param codec - The `--codec` value, or undefined for the default (which always loads).
 * @throws CliError (failure) "--codec sharp: the sharp codec is not available ...".
 */
export async function checkCodec(codec: CodecName | undefined): Promise<void> {
  try {
    await getCodec(codec);
  } catch (error) {
    throw fileError(`--codec ${codec}: ${errorText(error)}`);
  }
}

/** yargs's own messages, in the words of the others (`--format: expected one of ...`); one line. */
export function yargsMessage(text: string): string {
  const line = oneLine(text);
  let m = /^invalid values: Argument: ([\w-]+), Given: (.+?), Choices: (.+?)(?= Argument:|$)/.exec(line);
  if (m) return `--${m[1]}: expected one of ${m[3].replace(/"/g, '')} but received ${m[2]}`;
  if ((m = /^not enough arguments following: ([\w-]+)$/.exec(line))) return `--${m[1]}: missing value`;
  if ((m = /^missing required arguments?: (.+)$/.exec(line))) {
    return `missing required flag(s): ${m[1]
      .split(', ')
      .map((f) => `--${f}`)
      .join(', ')}`;
  }
  return line;
}

/** An error's message on one line, starting in lower case. */
export function errorText(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

/** Text on one line, starting in lower case. */
export function oneLine(text: string): string {
  return decapitalize(text.replace(/\s*\n\s*/g, ' ').trim());
}

function decapitalize(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}
