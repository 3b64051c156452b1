/**
 * The seed form, the default command (docs/DIFFERENCES.md section 4):
 * `focus-stacking --back B --front F --output DIR [options]`.
 *
 * It only translates: flags become the options of {@link stackPair},
 * {@link loadImage} and {@link saveImage}, and the API's errors become one
 * line on stderr that names the flag or the file, worded from the errors'
 * fields. Every flag is checked, and the output directory made ready, before
 * any image is read; nothing is written unless the whole computation succeeds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import yargs from 'yargs';
import { assertOneOf, isParameterError } from '../errors.js';
import { CodecName, DEFAULT_MAX_PIXELS, DEFAULT_QUALITY, Format } from '../codecs/index.js';
import { maxValue, type Image } from '../image.js';
import { FORMAT_NAMES, holdsSixteenBits } from '../formats.js';
import { encodeImage, loadImage, saveImage, type EncodedImage } from '../io.js';
import { ALL_OUTPUTS, DEFAULT_LEVELS, MAX_LEVELS, Output, outputName, stackPair, type StackOptions } from '../stack.js';
import { defaultThreads } from '../parallel/threads.js';
import { DEFAULT_STRATEGY_OPTIONS, resolveStrategyOptions } from '../strategies/options.js';
import { ExitCode, PROGRAM, fileError, usageError, type Command, type CommandContext, type TextSink } from './command.js';
import { checkCodec, checkRepeated, checkShortOptions, checkWithApi, errorText, parseInteger, parseList, parseNumber, type FlagValue } from './flags.js';
import { EXIT_STATUS, finishParser } from './parser.js';
import { checkNoInputOverwritten, prepareOutputDir } from './output.js';

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
  /** `warning: ...` lines to print before any work. */
  warnings: string[];
}

/** The seed form: `focus-stacking --back B --front F --output DIR [options]`. */
export const pairCommand: Command = {
  name: undefined,
  summary: 'Fuse two photos focused at different distances (the five outputs of focus_stacking.py)',
  async run(argv: string[], { stdout, stderr }: CommandContext): Promise<ExitCode> {
    const parsed = parseArgs(argv);
    if (typeof parsed === 'string') {
      stdout.write(`${parsed}\n`);
      return ExitCode.OK;
    }
    await run(checkFlags(parsed), stderr);
    return ExitCode.OK;
  },
};

// ---------------------------------------------------------------------------
// Parsing

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Examples for the help: command, what it does. */
/** The other commands, for the seed form's help. */
const OTHER_COMMANDS: readonly (readonly [string, string])[] = [
  ['stack FRAME... --output FILE', 'align and fuse N frames'],
  ['evaluate RESULT --truth TRUTH', 'measure a stack against its truth'],
  ['batch STACK_DIR... --output DIR', 'one stack per folder, one after another'],
  ['worker --redis URL', 'run stack jobs from a BullMQ queue'],
  ['enqueue STACK_DIR... --redis URL --output DIR', 'queue one stack job per folder'],
  ['queue status --redis URL', 'count the queue\'s jobs'],
  ['web [--port P]', 'serve the page that stacks in the browser'],
];

const EXAMPLES: [string, string][] = [
  ['--back b.jpg --front f.jpg --output out', 'the five outputs of focus_stacking.py, as out/*.jpg'],
  ['-b b.png -f f.png -o out --format png --only all_channels,direct', 'two of them, as PNG'],
  ['--back b.jpg --front f.jpg --output out --codec jimp', 'without the native codec (sharp)'],
];

/** The short options (letter: flag). */
const SHORT = { b: 'back', f: 'front', o: 'output', q: 'quiet', h: 'help' } as const;

/** Flags that take one value: what the value is, and a hint when one is given twice. */
const SINGLE: Record<string, { takes: string; hint?: string }> = {
  back: { takes: 'one file', hint: ' (to stack more than two frames, use "focus-stacking stack")' },
  front: { takes: 'one file', hint: ' (to stack more than two frames, use "focus-stacking stack")' },
  output: { takes: 'one directory' },
  beta: { takes: 'one value' },
  'smooth-kernel': { takes: 'one value' },
  levels: { takes: 'one value' },
  'median-sizes': { takes: 'one comma-separated list' },
  format: { takes: 'one value' },
  quality: { takes: 'one value' },
  only: { takes: 'one comma-separated list' },
  codec: { takes: 'one value' },
  'max-pixels': { takes: 'one value' },
  threads: { takes: 'one value' },
};

/**
 * The yargs definition; `choices` come from the `as const` objects. Numbers
 * are read as strings, so that errors echo what was typed (`1e7`, not `10000000`).
 */
function parser() {
  const d = DEFAULT_STRATEGY_OPTIONS;
  const parser = yargs()
    .scriptName(PROGRAM)
    .locale('en')
    .usage('Usage: $0 --back B --front F --output DIR [options]\n\nFuse two photos focused at different distances into sharp images (five methods, one file each).')
    .option('back', { alias: 'b', type: 'string', demandOption: true, requiresArg: true, describe: 'The frame focused far' })
    .option('front', { alias: 'f', type: 'string', demandOption: true, requiresArg: true, describe: 'The frame focused near (resized to the back frame if needed)' })
    .option('output', { alias: 'o', type: 'string', demandOption: true, requiresArg: true, describe: 'Directory for the outputs (created if missing)' })
    .option('beta', { type: 'string', requiresArg: true, default: String(d.beta), describe: 'Steepness of the sigmoid mask, a number from 0 to 1e6' })
    .option('smooth-kernel', { type: 'string', requiresArg: true, default: String(d.smoothKernel), describe: 'Box window summing activity, an odd integer from 1 to 99' })
    .option('levels', { type: 'string', requiresArg: true, default: String(DEFAULT_LEVELS), describe: `Pyramid levels, an integer from 1 to ${MAX_LEVELS}` })
    .option('median-sizes', {
      type: 'string',
      requiresArg: true,
      default: d.medianSizes.join(','),
      describe: 'Median window per level, finest first: odd integers from 1 to 255; levels past the end of the list reuse its last size',
    })
    .option('format', { type: 'string', requiresArg: true, choices: Object.values(Format), default: Format.JPG, describe: 'Output file format (the extension)' })
    .option('quality', { type: 'string', requiresArg: true, defaultDescription: String(DEFAULT_QUALITY), describe: 'JPEG quality, an integer from 1 to 100 (JPEG only)' })
    .option('only', { type: 'string', requiresArg: true, defaultDescription: 'all five', describe: `Outputs to write, comma-separated: ${Object.values(Output).join(', ')}` })
    .option('codec', { type: 'string', requiresArg: true, choices: Object.values(CodecName), defaultDescription: 'sharp if it loads, else jimp', describe: 'Image codec, for reading and writing' })
    .option('max-pixels', { type: 'string', requiresArg: true, default: String(DEFAULT_MAX_PIXELS), describe: 'Refuse an input image of more pixels (read from its header, before decoding)' })
    .option('threads', { type: 'string', requiresArg: true, defaultDescription: `the cores, at most 4 (here ${defaultThreads()})`, describe: 'Threads to compute on, an integer from 1 to 64' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress lines (errors and warnings still go to stderr)' })
    .example(EXAMPLES.map(([command, what]) => [`# ${what}\n$0 ${command}`, '']))
    .epilogue(
      'Other commands:\n' +
        OTHER_COMMANDS.map(([usage, what]) => `  ${PROGRAM} ${usage}  ${what}\n`).join('') +
        `"${PROGRAM} COMMAND --help" tells more.\n` +
        `Outputs: ${ALL_OUTPUTS.map((o) => outputName(o)).join(', ')} (.FORMAT). An input file is never overwritten.\n` +
        'JPEG and BMP hold 8 bits: 16-bit inputs give 8-bit outputs in them (with a warning).\n' +
        EXIT_STATUS,
    );
  return finishParser(parser, packageVersion());
}

type Args = ReturnType<ReturnType<typeof parser>['parseSync']>;

/** Parse `argv`; returns the help or version text when that was asked for. */
function parseArgs(argv: string[]): Args | string {
  checkShortOptions(argv, Object.keys(SHORT));
  let text = '';
  const args = parser().parseSync(argv, {}, (_error, _argv, output) => {
    text = output;
  });
  return text !== '' ? text : args;
}

// ---------------------------------------------------------------------------
// Checking the flags (before touching any file)

function checkFlags(args: Args): Plan {
  checkRepeated(args, SINGLE);
  const back = checkPath('back', args.back);
  const front = checkPath('front', args.front);
  const output = checkPath('output', args.output);
  const levels = parseInteger('levels', args.levels, 1, MAX_LEVELS);
  const quality = args.quality === undefined ? DEFAULT_QUALITY : parseInteger('quality', args.quality, 1, 100);
  const maxPixels = parseInteger('max-pixels', args['max-pixels'], 1, Number.MAX_SAFE_INTEGER);
  const threads = args.threads === undefined ? defaultThreads() : parseInteger('threads', args.threads, 1, 64);
  const typed = (flag: string, raw: string, list = false): FlagValue => ({ flag, raw, list });
  const beta = parseNumber('beta', args.beta);
  const smoothKernel = parseNumber('smooth-kernel', args['smooth-kernel']);
  const medianSizes = parseList('median-sizes', args['median-sizes']).map((v) => parseNumber('median-sizes', v, args['median-sizes']));
  const knobs = { beta: typed('beta', args.beta), smoothKernel: typed('smooth-kernel', args['smooth-kernel']), medianSizes: typed('median-sizes', args['median-sizes'], true) };
  checkWithApi(knobs, () => resolveStrategyOptions({ beta, smoothKernel, medianSizes }));
  const only = args.only === undefined ? ALL_OUTPUTS : parseList('only', args.only);
  const values = Object.values(Output);
  const wanted = new Set(only.map((o, i) => checkWithApi({ only: typed('only', args.only ?? '', true) }, () => assertOneOf(`only[${i}]`, o, values))));
  const format = args.format as Format;
  const warnings: string[] = [];
  if (args.quality !== undefined && format !== Format.JPG) warnings.push(`--quality applies to JPEG only; ignored for --format ${format}`);
  return {
    back,
    front,
    output,
    format,
    quality,
    codec: args.codec as CodecName | undefined,
    maxPixels,
    quiet: args.quiet,
    stack: { levels, beta, smoothKernel, medianSizes, threads, outputs: ALL_OUTPUTS.filter((o) => wanted.has(o)) },
    warnings,
  };
}

function checkPath(flag: string, value: string): string {
  if (value.trim() === '') throw usageError(`--${flag}: expected a path but received an empty string`);
  return value;
}

// ---------------------------------------------------------------------------
// Running

async function run(plan: Plan, stderr: TextSink): Promise<void> {
  const started = performance.now();
  const say = plan.quiet ? () => {} : (line: string) => void stderr.write(`${line}\n`);
  const warn = (line: string) => void stderr.write(`warning: ${line}\n`);
  // The seed's file names, with the format as their extension.
  const targets = plan.stack.outputs.map((o) => ({ name: outputName(o), path: join(plan.output, `${outputName(o)}.${plan.format}`) }));
  plan.warnings.forEach(warn);

  // Every check before any image is read: the codec, the outputs, the folder.
  await checkCodec(plan.codec);
  await checkNoInputOverwritten([plan.back, plan.front], targets.map((t) => t.path));
  await prepareOutputDir(plan.output, `--output ${JSON.stringify(plan.output)}`);

  // Reported once both are read, so that a bad input gives one line only.
  const [back, front] = await Promise.all([plan.back, plan.front].map((path) => loadImage(path, { codec: plan.codec, maxPixels: plan.maxPixels })));
  say(`reading ${plan.back}: ${describeImage(back)}`);
  say(`reading ${plan.front}: ${describeImage(front)}`);
  if (maxValue(back) > 255 && !holdsSixteenBits(plan.format)) {
    warn(`the inputs are 16-bit but ${FORMAT_NAMES[plan.format]} holds 8 bits: the outputs are written as 8-bit (--format png or tif keeps 16 bits)`);
  }

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
    await stackPair(back, front, { ...plan.stack, onProgress: say, onOutput: encode, onWarning: warn });
  } catch (error) {
    throw imageError(error, plan);
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

/**
 * stackPair's errors about its images, in the CLI's words from their fields:
 * `--front "f.png": expected 3 channel(s) like --back "b.png" but it has 1`.
 */
function imageError(error: unknown, plan: Plan): unknown {
  if (!isParameterError(error)) return error;
  const file = (which: string) => `--${which} ${JSON.stringify(which === 'back' ? plan.back : plan.front)}`;
  if (error.parameter !== 'back' && error.parameter !== 'front') return error;
  const like = error.like === 'back' || error.like === 'front' ? ` like ${file(error.like)}` : '';
  const received = error.property === 'channels' ? `it has ${String(error.received)}` : error.property === 'bits' ? `it is ${String(error.received)}-bit` : `received ${String(error.received)}`;
  return fileError(`${file(error.parameter)}: expected ${error.expected}${like} but ${received}`);
}
