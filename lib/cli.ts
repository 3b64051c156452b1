/**
 * The command line, seed-compatible (SPEC section 4):
 * `focus-stacking --back B --front F --output DIR [options]`.
 *
 * It only translates: flags become the options of {@link stackPair},
 * {@link loadImage} and {@link saveImage}, and the API's errors become one
 * line on stderr that names the flag or the file. Every flag is checked, and
 * the output directory vetted, before any image is read; nothing is written
 * unless the whole computation succeeds.
 */
import { constants, readFileSync } from 'node:fs';
import { access, mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import yargs from 'yargs';
import { assertInteger, assertNever, assertOneOf } from './errors.js';
import { CodecName, DEFAULT_MAX_PIXELS, DEFAULT_QUALITY, Format, getCodec } from './codecs/index.js';
import { maxValue, type Image } from './image.js';
import { encodeImage, loadImage, saveImage, type EncodedImage } from './io.js';
import { ALL_OUTPUTS, DEFAULT_LEVELS, MAX_LEVELS, Output, outputName, stackPair, type StackOptions } from './stack.js';
import { defaultThreads } from './parallel/threads.js';
import { DEFAULT_STRATEGY_OPTIONS, resolveStrategyOptions } from './strategies/options.js';

/** Where {@link main} writes: anything with a `write(text)` method, such as `process.stdout`. */
export interface CliStreams {
  /**
   * Help and version text.
   * @default process.stdout
   */
  stdout?: TextSink;
  /**
   * Progress, warnings and errors.
   * @default process.stderr
   */
  stderr?: TextSink;
}

/** Where the command line writes text: anything with a `write`, such as `process.stderr`. */
export interface TextSink {
  /**
   * Write some text.
   *
   * @param text - One or more lines, each ending in a newline.
   */
  write(text: string): unknown;
}

/** Exit codes of {@link main}. */
export const ExitCode = {
  /** The outputs were written (or help/version was shown). */
  OK: 0,
  /** An input or output file could not be used, or the computation failed. */
  FAILURE: 1,
  /** Bad command line: unknown flag, missing or bad value. */
  USAGE: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const PROGRAM = 'focus-stacking';

/** A problem to report as one line, with the exit code it calls for. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}
const usageError = (message: string) => new CliError(message, ExitCode.USAGE);
const fileError = (message: string) => new CliError(message, ExitCode.FAILURE);

/** Everything a run needs, checked. */
interface Plan {
  back: string;
  front: string;
  output: string;
  format: Format;
  quality: number;
  codec: CodecName | undefined;
  maxPixels: number;
  quiet: boolean;
  stack: StackOptions & { outputs: readonly Output[] };
}

/**
 * Run the command line.
 *
 * @param argv - The arguments, without `node` and the script (`process.argv.slice(2)`).
 * @param io - Where to write; see {@link CliStreams}.
 * @returns The exit code, see {@link ExitCode}; the caller sets `process.exitCode`.
 */
export async function main(argv: string[], io: CliStreams = {}): Promise<ExitCode> {
  const { stdout = process.stdout, stderr = process.stderr } = io;
  try {
    const parsed = parseArgs(argv);
    if (typeof parsed === 'string') {
      stdout.write(`${parsed}\n`);
      return ExitCode.OK;
    }
    const plan = checkFlags(parsed);
    await run(plan, stderr);
    return ExitCode.OK;
  } catch (error) {
    const { message, exitCode } = error instanceof CliError ? error : { message: errorText(error), exitCode: ExitCode.FAILURE };
    stderr.write(`${PROGRAM}: ${message}\n`);
    return exitCode;
  }
}

// ---------------------------------------------------------------------------
// Parsing

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Examples for the help: command, what it does. */
const EXAMPLES: [string, string][] = [
  ['--back b.jpg --front f.jpg --output out', 'the five outputs of focus_stacking.py, as out/*.jpg'],
  ['--back b.png --front f.png --output out --format png --only all_channels,direct', 'two of them, as PNG'],
  ['--back b.jpg --front f.jpg --output out --codec jimp', 'without the native codec (sharp)'],
];

/** The yargs definition; `choices` come from the `as const` objects. */
function parser() {
  const d = DEFAULT_STRATEGY_OPTIONS;
  return yargs()
    .scriptName(PROGRAM)
    .locale('en')
    .usage('Usage: $0 --back B --front F --output DIR [options]\n\nFuse two photos focused at different distances into sharp images (five methods, one file each).')
    .option('back', { type: 'string', demandOption: true, requiresArg: true, describe: 'The frame focused far' })
    .option('front', { type: 'string', demandOption: true, requiresArg: true, describe: 'The frame focused near (resized to the back frame if needed)' })
    .option('output', { type: 'string', demandOption: true, requiresArg: true, describe: 'Directory for the outputs (created if missing)' })
    .option('beta', { requiresArg: true, default: d.beta, describe: 'Steepness of the sigmoid mask, a number from 0 to 1e6' })
    .option('smooth-kernel', { requiresArg: true, default: d.smoothKernel, describe: 'Box window summing activity, an odd integer from 1 to 99' })
    .option('levels', { requiresArg: true, default: DEFAULT_LEVELS, describe: `Pyramid levels, an integer from 1 to ${MAX_LEVELS}` })
    .option('median-sizes', { type: 'string', requiresArg: true, default: d.medianSizes.join(','), describe: 'Median window per level, finest first: odd integers from 1 to 255' })
    .option('format', { requiresArg: true, choices: Object.values(Format), default: Format.JPG, describe: 'Output file format (the extension)' })
    .option('quality', { requiresArg: true, default: DEFAULT_QUALITY, describe: 'JPEG quality, an integer from 1 to 100' })
    .option('only', { type: 'string', requiresArg: true, defaultDescription: 'all five', describe: `Outputs to write, comma-separated: ${Object.values(Output).join(', ')}` })
    .option('codec', { requiresArg: true, choices: Object.values(CodecName), defaultDescription: 'sharp if it loads, else jimp', describe: 'Image codec, for reading and writing' })
    .option('max-pixels', { requiresArg: true, default: DEFAULT_MAX_PIXELS, describe: 'Refuse an input image of more pixels (read from its header, before decoding)' })
    .option('threads', { requiresArg: true, defaultDescription: `the cores, at most 4 (here ${defaultThreads()})`, describe: 'Threads to compute on, an integer from 1 to 64' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress lines (errors and warnings still go to stderr)' })
    .example(EXAMPLES.map(([command, what]) => [`# ${what}\n$0 ${command}`, '']))
    .epilogue(
      `Outputs: ${ALL_OUTPUTS.map((o) => outputName(o)).join(', ')} (.FORMAT). An input file is never overwritten.\n` +
        `Exit status: ${ExitCode.OK} success; ${ExitCode.FAILURE} an input or output file problem; ${ExitCode.USAGE} a bad flag or value.`,
    )
    .wrap(100)
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .strict()
    .help()
    .alias('help', 'h')
    .version(packageVersion())
    .showHelpOnFail(false)
    .exitProcess(false)
    .fail((message, error) => {
      throw usageError(yargsMessage(message ?? errorText(error)));
    });
}

/** yargs's messages, in the words of the others (`--format: expected one of ...`); one line. */
function yargsMessage(text: string): string {
  const line = oneLine(text);
  let m = /^invalid values: Argument: ([\w-]+), Given: (.+?), Choices: (.+?)(?= Argument:|$)/.exec(line);
  if (m) return `--${m[1]}: expected one of ${m[3].replace(/"/g, '')} but received ${m[2]}`;
  if ((m = /^not enough arguments following: ([\w-]+)$/.exec(line))) return `--${m[1]}: missing value`;
  if ((m = /^missing required arguments?: (.+)$/.exec(line))) return `missing required flag(s): ${m[1].split(', ').map((f) => `--${f}`).join(', ')}`;
  return line;
}

type Args = ReturnType<ReturnType<typeof parser>['parseSync']>;

/** Parse `argv`; returns the help or version text when that was asked for. */
function parseArgs(argv: string[]): Args | string {
  let text = '';
  const args = parser().parseSync(argv, {}, (_error, _argv, output) => {
    text = output;
  });
  return text !== '' ? text : args;
}

// ---------------------------------------------------------------------------
// Checking the flags (before touching any file)

function checkFlags(args: Args): Plan {
  const back = checkPath('back', args.back);
  const front = checkPath('front', args.front);
  const output = checkPath('output', args.output);
  const levels = apiCheck('levels', args.levels, (v) => assertInteger('levels', parseNumber('levels', v), 1, MAX_LEVELS));
  const quality = apiCheck('quality', args.quality, (v) => assertInteger('quality', parseNumber('quality', v), 1, 100));
  const maxPixels = apiCheck('maxPixels', args['max-pixels'], (v) => assertInteger('maxPixels', parseNumber('max-pixels', v), 1, Number.MAX_SAFE_INTEGER));
  const threads = args.threads === undefined ? defaultThreads() : apiCheck('threads', args.threads, (v) => assertInteger('threads', parseNumber('threads', v), 1, 64));
  const beta = parseNumber('beta', args.beta);
  const smoothKernel = parseNumber('smooth-kernel', args['smooth-kernel']);
  const medianSizes = parseList('median-sizes', args['median-sizes']).map((v) => parseNumber('median-sizes', v, args['median-sizes']));
  try {
    resolveStrategyOptions({ beta, smoothKernel, medianSizes });
  } catch (error) {
    throw translate(error, { beta: String(args.beta), smoothKernel: String(args['smooth-kernel']), medianSizes: args['median-sizes'] });
  }
  const only = args.only === undefined ? ALL_OUTPUTS : parseList('only', args.only);
  const wanted = new Set(only.map((o) => apiCheck('only', o, (v) => assertOneOf('only', v, Object.values(Output)), args.only)));
  return {
    back,
    front,
    output,
    format: args.format as Format,
    quality,
    codec: args.codec as CodecName | undefined,
    maxPixels,
    quiet: args.quiet,
    stack: { levels, beta, smoothKernel, medianSizes, threads, outputs: ALL_OUTPUTS.filter((o) => wanted.has(o)) },
  };
}

function checkPath(flag: string, value: string): string {
  if (value.trim() === '') throw usageError(`--${flag}: expected a path but received an empty string`);
  return value;
}

/** Split a comma-separated flag value. */
function parseList(flag: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw usageError(`--${flag}: expected a comma-separated list but received ${JSON.stringify(raw)}`);
  return items;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A decimal number as typed; yargs may already have made it one. */
function parseNumber(flag: string, value: unknown, whole?: string): number {
  if (typeof value === 'number') return value;
  const raw = String(value).trim();
  if (!NUMBER.test(raw)) {
    throw usageError(`--${flag}: expected a number but received ${JSON.stringify(String(value))}${inList(whole)}`);
  }
  return Number(raw);
}

/** ` in "35,18"` for an item of a list of several. */
function inList(list: string | undefined): string {
  return list?.includes(',') ? ` in ${JSON.stringify(list)}` : '';
}

/** Run an API check on one flag value, translating its error. */
function apiCheck<T>(flag: string, raw: unknown, check: (raw: unknown) => T, whole?: string): T {
  try {
    return check(raw);
  } catch (error) {
    throw translate(error, { [flag]: String(raw) }, whole);
  }
}

/** API option names to flags. */
const FLAGS: Record<string, string> = {
  beta: 'beta',
  smoothKernel: 'smooth-kernel',
  medianSizes: 'median-sizes',
  levels: 'levels',
  quality: 'quality',
  threads: 'threads',
  only: 'only',
  outputs: 'only',
  codec: 'codec',
  format: 'format',
  maxPixels: 'max-pixels',
};

/**
 * Turn an API validation error ("Expected an odd integer from 1 to 255 for
 * medianSizes[1] but received 18 (number)") into the CLI's words
 * (`--median-sizes: expected an odd integer from 1 to 255 but received "18" in "35,18"`).
 */
function translate(error: unknown, raw: Record<string, string | undefined>, whole?: string): unknown {
  if (!(error instanceof RangeError || error instanceof TypeError)) return error;
  const m = /^Expected (.+) for (\w+)(?:\[(\d+)\])? but received (.+)$/s.exec(error.message);
  const flag = m && FLAGS[m[2]];
  if (!m || !flag) return usageError(decapitalize(error.message));
  const [, expected, name, index, received] = m;
  const value = raw[name];
  let what = received.replace(/ \((number|string)\)$/, '');
  if (value !== undefined) what = JSON.stringify(index === undefined ? value : parseList(flag, value)[Number(index)]);
  return usageError(`--${flag}: expected ${expected} but received ${what}${inList(index !== undefined ? value : whole)}`);
}

// ---------------------------------------------------------------------------
// Running

async function run(plan: Plan, stderr: { write(text: string): unknown }): Promise<void> {
  const started = performance.now();
  const say = plan.quiet ? () => {} : (line: string) => void stderr.write(`${line}\n`);
  const extension = fileExtension(plan.format);
  const targets = plan.stack.outputs.map((o) => ({ name: outputName(o), path: join(plan.output, `${outputName(o)}.${extension}`) }));

  await checkOutputDir(plan.output);
  await checkNoInputOverwritten([plan.back, plan.front], targets.map((t) => t.path));
  try {
    await getCodec(plan.codec);
  } catch (error) {
    throw fileError(`--codec ${plan.codec}: ${errorText(error)}`);
  }

  // Reported once both are read, so that a bad input gives one line only.
  const load = (path: string) => loadImage(path, { codec: plan.codec, maxPixels: plan.maxPixels });
  const [back, front] = await Promise.all([load(plan.back), load(plan.front)]);
  say(`reading ${plan.back}: ${describeImage(back)}`);
  say(`reading ${plan.front}: ${describeImage(front)}`);

  // Each output is encoded as soon as it is ready, while the others are
  // computed, one at a time (concurrent encoders would each hold their own
  // buffers); the files are written only once all of them are.
  const encoded = new Map<string, Promise<EncodedImage>>();
  let queue: Promise<unknown> = Promise.resolve();
  const encode = (name: string, image: Image) => {
    const bytes = queue.then(() => encodeImage(image, { codec: plan.codec, format: plan.format, quality: plan.quality }));
    queue = bytes.catch(() => undefined); // errors are reported when awaited below
    encoded.set(name, bytes);
  };
  try {
    await stackPair(back, front, { ...plan.stack, onProgress: say, onOutput: encode, onWarning: (w) => void stderr.write(`warning: ${w}\n`) });
  } catch (error) {
    throw translateImageError(error, plan);
  }

  // Every file is encoded before the first is written: an encoding failure leaves none.
  say(`finishing the encoding of ${targets.length} file${targets.length === 1 ? '' : 's'}`);
  const files = await Promise.all(
    targets.map(async ({ name, path }) => {
      const bytes = encoded.get(name);
      if (bytes === undefined) throw new Error(`stackPair did not return ${name}`);
      return { path, image: await bytes.catch((error: Error) => Promise.reject(fileError(`writing ${JSON.stringify(path)}: ${errorText(error)}`))) };
    }),
  );
  await mkdir(plan.output, { recursive: true }).catch((error: unknown) => {
    throw fileError(`--output ${JSON.stringify(plan.output)}: cannot create the directory: ${errorText(error)}`);
  });
  for (const { path, image } of files) {
    say(`writing ${path}`);
    await saveImage(image, path);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say(`wrote ${targets.length} file${targets.length === 1 ? '' : 's'} to ${plan.output} in ${seconds} s`);
}

function describeImage(image: Image): string {
  return `${image.width}x${image.height}, ${image.channels === 1 ? 'gray' : 'RGB'}, ${maxValue(image) === 255 ? 8 : 16}-bit`;
}

/** The extension of a format's files (the seed's names, new extension). */
function fileExtension(format: Format): string {
  switch (format) {
    case Format.JPG:
    case Format.PNG:
    case Format.TIF:
    case Format.BMP:
      return format;
    default:
      return assertNever(format);
  }
}

/** The output directory, or its nearest existing ancestor, must be a writable directory. */
async function checkOutputDir(dir: string): Promise<void> {
  const flag = `--output ${JSON.stringify(dir)}`;
  let existing = resolve(dir);
  for (;;) {
    const info = await stat(existing).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw fileError(`${flag}: ${errorText(error)}`);
    });
    if (info) {
      if (!info.isDirectory()) {
        throw fileError(existing === resolve(dir) ? `${flag}: not a directory` : `${flag}: "${existing}" is not a directory`);
      }
      break;
    }
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  await access(existing, constants.W_OK).catch(() => {
    throw fileError(`${flag}: permission denied${existing === resolve(dir) ? '' : ` (cannot create it in "${existing}")`}`);
  });
}

/** Refuse when an output file would replace an input (compared by real path) or is a directory. */
async function checkNoInputOverwritten(inputs: string[], outputs: string[]): Promise<void> {
  const real = async (p: string) => realpath(p).catch(() => undefined);
  const inputPaths = new Set((await Promise.all(inputs.map(real))).filter((p) => p !== undefined));
  for (const path of outputs) {
    const target = await real(path);
    if (target === undefined) continue;
    if (inputPaths.has(target)) throw fileError(`refusing to overwrite the input "${path}" with an output; choose another --output or --format`);
    if ((await stat(target)).isDirectory()) throw fileError(`cannot write "${path}": is a directory`);
  }
}

/** stackPair names its arguments `back` and `front`; say which file. */
function translateImageError(error: unknown, plan: Plan): unknown {
  if (!(error instanceof RangeError || error instanceof TypeError)) return error;
  const m = /^Expected (front|back) (.+)$/s.exec(error.message);
  if (!m) return error;
  const [, which, rest] = m;
  return fileError(`--${which} ${JSON.stringify(which === 'back' ? plan.back : plan.front)}: expected it ${rest.replace(/like back/, `like --back ${JSON.stringify(plan.back)}`)}`);
}

function errorText(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

function oneLine(text: string): string {
  return decapitalize(text.replace(/\s*\n\s*/g, ' ').trim());
}

function decapitalize(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}
