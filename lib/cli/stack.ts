/**
 * The `stack` command: `focus-stacking stack FRAME... --output FILE [options]`,
 * N frames through the engine ({@link stack}): aligned to the reference
 * frame (a full affine transform and a gain and offset per channel each),
 * fused by a method, written as one image (and a depth map, a transforms
 * file when asked for).
 *
 * It only translates: every flag is checked, the inputs listed, a transforms
 * file read and the output folders made ready before any frame is read;
 * errors become one line on stderr (exit 2 for a bad flag, 1 for a file
 * problem); nothing is written unless the whole run succeeds.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import yargs from 'yargs';
import { parseTransforms, transformsToJSON, TransformsFileError, type TransformsFile } from '../align/transforms.js';
import { CodecName, DEFAULT_MAX_PIXELS, DEFAULT_QUALITY, Format, sniffSize } from '../codecs/index.js';
import { stack } from '../engine/node.js';
import { DEFAULT_STACK_LEVELS, DEFAULT_STACK_METHOD, StackMethod, type StackProgress } from '../engine/options.js';
import { FrameSizeError, type StackFramesResult, type StackReport } from '../engine/stack.js';
import { EXTENSION_LIST, formatOfPath, holdsSixteenBits } from '../formats.js';
import type { Image } from '../image.js';
import { encodeImage, ImageFileError, loadImage, saveFiles, type FileToSave } from '../io.js';
import { defaultThreads } from '../parallel/threads.js';
import { ExitCode, PROGRAM, fileError, usageError, type Command, type CommandContext, type TextSink } from './command.js';
import { checkCodec, checkRepeated, checkShortOptions, errorText, parseInteger } from './flags.js';
import { EXIT_STATUS, finishParser, parseOrHelp } from './parser.js';
import { checkNoInputOverwritten, prepareOutputDir } from './output.js';

/** Examples for the help: command, what it does. */
const EXAMPLES: [string, string][] = [
  ['stack shots/ --output stacked.jpg', 'every image of a folder, in name order, aligned and fused'],
  ['stack a.tif b.tif c.tif -o out.tif --depthmap depth.png --crop', 'a 16-bit result and depth map, cut to what every frame covers'],
  ['stack shots/ -o out.jpg --save-transforms t.json', 'keep the alignment found, to repeat the run (--load-transforms t.json) or edit it'],
  ['stack shots/ -o out.jpg --method pyramid --no-align', 'another method, frames taken as they are'],
];

/** The short options (letter: flag). */
const SHORT = { o: 'output', q: 'quiet', h: 'help' } as const;

/** Flags that take one value. */
const SINGLE: Record<string, { takes: string }> = Object.fromEntries(
  ['output', 'method', 'reference', 'depthmap', 'save-transforms', 'load-transforms', 'levels', 'quality', 'codec', 'threads', 'max-pixels'].map((flag) => [
    flag,
    { takes: flag === 'output' || flag === 'depthmap' || flag.endsWith('transforms') ? 'one file' : 'one value' },
  ]),
);

/** The yargs definition of the command; numbers are read as strings so that errors echo what was typed. */
function parser() {
  const parser = yargs()
    .scriptName(`${PROGRAM} stack`)
    .locale('en')
    .usage(
      `Usage: ${PROGRAM} stack FRAME... --output FILE [options]\n\n` +
        'Align N photos focused at different distances to the reference frame and fuse them into one sharp image. ' +
        'FRAME...: two or more image files in focus order, or one folder (its images in name order).',
    )
    .command('$0 <frames..>', false)
    .positional('frames', { type: 'string', array: true, describe: 'The frames' })
    .option('output', { alias: 'o', type: 'string', demandOption: true, requiresArg: true, describe: `The stacked image; its format from the extension (${EXTENSION_LIST})` })
    .option('method', { type: 'string', requiresArg: true, choices: Object.values(StackMethod), default: DEFAULT_STACK_METHOD, describe: 'How the frames are fused' })
    .option('align', { type: 'boolean', default: true, describe: 'Align the frames (affine transform, found on 1024 px thumbnails); --no-align takes them as they are' })
    .option('reference', { type: 'string', requiresArg: true, defaultDescription: 'the middle frame', describe: 'Index of the reference frame (0: the first given); the output has its size' })
    .option('crop', { type: 'boolean', default: false, describe: 'Keep only the largest rectangle that every aligned frame covers' })
    .option('colour-match', { type: 'boolean', default: true, describe: 'Match each frame\'s brightness to the reference (gain and offset per channel); --no-colour-match leaves it' })
    .option('depthmap', {
      type: 'string',
      requiresArg: true,
      describe: 'Also write the depth map (per pixel the frame in focus, 0 to 255; 0 to 65535 in a .png/.tif when the frames are 16-bit)',
    })
    .option('save-transforms', { type: 'string', requiresArg: true, describe: 'Write the alignment found (per frame: matrix, gain, offset, correlation) as JSON' })
    .option('load-transforms', { type: 'string', requiresArg: true, describe: 'Use the alignment of a transforms file instead of estimating it (same frames, same order)' })
    .option('levels', { type: 'string', requiresArg: true, default: String(DEFAULT_STACK_LEVELS), describe: 'Pyramid levels (pyramid, gradient), an integer from 1 to 16' })
    .option('quality', { type: 'string', requiresArg: true, defaultDescription: String(DEFAULT_QUALITY), describe: 'JPEG quality, an integer from 1 to 100 (JPEG only)' })
    .option('codec', { type: 'string', requiresArg: true, choices: Object.values(CodecName), defaultDescription: 'sharp if it loads, else jimp', describe: 'Image codec, for reading and writing' })
    .option('threads', { type: 'string', requiresArg: true, defaultDescription: `the cores, at most 4 (here ${defaultThreads()})`, describe: 'Threads to compute on, an integer from 1 to 64' })
    .option('max-pixels', { type: 'string', requiresArg: true, default: String(DEFAULT_MAX_PIXELS), describe: 'Refuse a frame of more pixels (read from its header, before decoding)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the report (per frame: file, transform, gain, offset, correlation, time) as JSON on stdout' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress lines (errors and warnings still go to stderr)' })
    .example(EXAMPLES.map(([command, what]) => [`# ${what}\n${PROGRAM} ${command}`, '']))
    .epilogue(
      'Frames that mix gray and colour, or 8 and 16 bits, are converted to the richer form (with a warning). An input file is never overwritten.\n' +
        EXIT_STATUS,
    );
  return finishParser(parser, false, (message) => message.replace(/^not enough non-option arguments: got 0, need at least 1$/, 'expected two or more frames (image files, or one folder)'));
}

type Args = ReturnType<ReturnType<typeof parser>['parseSync']>;

/** Everything a run needs, checked. */
interface Plan {
  frames: string[];
  output: string;
  format: Format;
  depthmap: string | undefined;
  depthFormat: Format | undefined;
  saveTransforms: string | undefined;
  loaded: TransformsFile | undefined;
  method: StackMethod;
  align: boolean;
  colourMatch: boolean;
  crop: boolean;
  reference: number | undefined;
  levels: number;
  quality: number;
  codec: CodecName | undefined;
  threads: number;
  maxPixels: number;
  json: boolean;
  quiet: boolean;
  warnings: string[];
}

/** `focus-stacking stack FRAME... --output FILE [options]`. */
export const stackCommand: Command = {
  name: 'stack',
  summary: 'Align and fuse N frames into one sharp image (and a depth map)',
  async run(argv: string[], { stdout, stderr }: CommandContext): Promise<ExitCode> {
    checkShortOptions(argv, Object.keys(SHORT));
    const args = parseOrHelp(parser(), argv, stdout);
    if (args === undefined) return ExitCode.OK;
    const plan = await checkFlags(args);
    await run(plan, stdout, stderr);
    return ExitCode.OK;
  },
};

// ---------------------------------------------------------------------------
// Checking (before any frame is read)

function fileFormat(flag: string, path: string): Format {
  if (path.trim() === '') throw usageError(`--${flag}: expected a file name but received an empty string`);
  const format = formatOfPath(path);
  if (format === undefined) throw usageError(`--${flag}: expected a file name ending in ${EXTENSION_LIST} but received ${JSON.stringify(path)}`);
  return format;
}

/** Frames as given, or the images of one folder in name order. */
async function listFrames(frames: readonly string[]): Promise<string[]> {
  if (frames.length === 1) {
    const info = await stat(frames[0]).catch(() => undefined);
    if (!info?.isDirectory()) throw usageError(`expected two or more frames but received one (${JSON.stringify(frames[0])})`);
    const names = (await readdir(frames[0])).filter((name) => !name.startsWith('.') && formatOfPath(name) !== undefined).sort();
    if (names.length === 0) throw fileError(`folder ${JSON.stringify(frames[0])} has no images (${EXTENSION_LIST})`);
    if (names.length === 1) throw fileError(`folder ${JSON.stringify(frames[0])} has one image only; two or more are needed`);
    return names.map((name) => join(frames[0], name));
  }
  return [...frames];
}

/** Read and check a transforms file against the frames (their number, and the reference frame's size read from its header). */
async function loadTransforms(path: string, frames: readonly string[]): Promise<TransformsFile> {
  const flag = `--load-transforms ${JSON.stringify(path)}`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fileError(`${flag}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : errorText(error)}`);
  }
  try {
    const file = parseTransforms(text, { frames: frames.length });
    const size = await readFile(frames[file.reference]).then((bytes) => sniffSize(bytes), () => undefined);
    if (size) parseTransforms(text, { frames: frames.length, width: size.width, height: size.height });
    return file;
  } catch (error) {
    if (error instanceof TransformsFileError) throw fileError(`${flag}: ${errorText(error)}`);
    throw error;
  }
}

async function checkFlags(args: Args): Promise<Plan> {
  checkRepeated(args, SINGLE);
  const output = args.output;
  const format = fileFormat('output', output);
  const depthmap = args.depthmap;
  const depthFormat = depthmap === undefined ? undefined : fileFormat('depthmap', depthmap);
  const saveTransforms = args['save-transforms'];
  if (saveTransforms !== undefined && saveTransforms.trim() === '') throw usageError('--save-transforms: expected a file name but received an empty string');
  const levels = parseInteger('levels', args.levels, 1, 16);
  const quality = args.quality === undefined ? DEFAULT_QUALITY : parseInteger('quality', args.quality, 1, 100);
  const threads = args.threads === undefined ? defaultThreads() : parseInteger('threads', args.threads, 1, 64);
  const maxPixels = parseInteger('max-pixels', args['max-pixels'], 1, Number.MAX_SAFE_INTEGER);
  const warnings: string[] = [];
  if (args.quality !== undefined && format !== Format.JPG) warnings.push(`--quality applies to JPEG only; ignored for ${JSON.stringify(output)}`);
  const outputs = [output, depthmap, saveTransforms].filter((p): p is string => p !== undefined);
  if (new Set(outputs.map((p) => resolve(p))).size !== outputs.length) throw usageError('--output, --depthmap and --save-transforms must name different files');

  const frames = await listFrames((args.frames ?? []).map(String));
  let reference = args.reference === undefined ? undefined : parseInteger('reference', args.reference, 0, frames.length - 1);
  const loadPath = args['load-transforms'];
  let loaded: TransformsFile | undefined;
  if (loadPath !== undefined) {
    if (!args.align) throw usageError('--load-transforms: cannot be used with --no-align');
    loaded = await loadTransforms(loadPath, frames);
    if (reference !== undefined && reference !== loaded.reference) {
      throw usageError(`--reference: ${reference} differs from the reference of --load-transforms ${JSON.stringify(loadPath)} (${loaded.reference})`);
    }
    reference = loaded.reference;
  }
  if (saveTransforms !== undefined && !args.align) throw usageError('--save-transforms: nothing to save with --no-align');
  const codec = args.codec as CodecName | undefined;
  await checkCodec(codec);
  await checkNoInputOverwritten([...frames, ...(loadPath === undefined ? [] : [loadPath])], outputs);
  for (const dir of new Set(outputs.map((p) => dirname(p)))) await prepareOutputDir(dir, `the folder of ${JSON.stringify(outputs.find((p) => dirname(p) === dir))}`);
  return {
    frames,
    output,
    format,
    depthmap,
    depthFormat,
    saveTransforms,
    loaded,
    method: args.method as StackMethod,
    align: args.align,
    colourMatch: args['colour-match'],
    crop: args.crop,
    reference,
    levels,
    quality,
    codec,
    threads,
    maxPixels,
    json: args.json,
    quiet: args.quiet,
    warnings,
  };
}

// ---------------------------------------------------------------------------
// Running

function seconds(ms: number): string {
  return ms < 60_000 ? `${Math.ceil(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** One progress line: the frame, the pass, the estimate of the time left. */
function progressLine(p: StackProgress, files: readonly string[]): string {
  if (p.step === 'finish') return `finishing (${seconds(p.elapsedMs)} so far)`;
  const left = p.done > 0 ? `, about ${seconds((p.elapsedMs / p.done) * (p.total - p.done))} left` : '';
  const pass = p.passes > 1 ? ` (pass ${p.pass + 1}/${p.passes})` : '';
  return `frame ${p.frame + 1}/${p.frames}${pass}: ${basename(files[p.frame])}${left}`;
}

async function run(plan: Plan, stdout: TextSink, stderr: TextSink): Promise<void> {
  const say = plan.quiet ? () => {} : (line: string) => void stderr.write(`${line}\n`);
  const warn = (line: string) => void stderr.write(`warning: ${line}\n`);
  plan.warnings.forEach(warn);
  const started = performance.now();
  const codec = plan.codec === undefined ? {} : { codec: plan.codec };
  let result: StackFramesResult;
  try {
    result = await stack(plan.frames, {
      method: plan.method,
      levels: plan.levels,
      threads: plan.threads,
      align: plan.align,
      colourMatch: plan.colourMatch,
      crop: plan.crop,
      depthMap: plan.depthFormat !== undefined,
      sixteen: plan.depthFormat !== undefined && holdsSixteenBits(plan.depthFormat) ? 'auto' : false,
      ...(plan.reference === undefined ? {} : { reference: plan.reference }),
      ...(plan.loaded ? { transforms: plan.loaded.frames.map(({ matrix, gain, offset, correlation }) => ({ matrix, gain, offset, correlation })) } : {}),
      load: (path) => loadImage(path, { ...codec, maxPixels: plan.maxPixels, onWarning: warn }),
      onProgress: (p) => say(progressLine(p, plan.frames)),
      onWarning: warn,
    });
  } catch (error) {
    if (error instanceof FrameSizeError || error instanceof ImageFileError) throw fileError(errorText(error));
    throw error;
  }
  const { report } = result;
  if (report.result.bits === 16 && !holdsSixteenBits(plan.format)) {
    warn(`the frames are 16-bit but ${JSON.stringify(plan.output)} holds 8 bits: written as 8-bit (.png or .tif keeps 16 bits)`);
  }

  // Every file is encoded before the first is written: a failure leaves none.
  const encode = (image: Image, format: Format, path: string) =>
    encodeImage(image, { format, quality: plan.quality, ...codec }).catch((error: unknown) => Promise.reject(fileError(`writing ${JSON.stringify(path)}: ${errorText(error)}`)));
  const image = await encode(result.image, plan.format, plan.output);
  const depth = result.depth && plan.depthmap && plan.depthFormat ? await encode(result.depth, plan.depthFormat, plan.depthmap) : undefined;
  let transformsText: string | undefined;
  if (plan.saveTransforms !== undefined) {
    const ref = report.frames[report.reference];
    transformsText = transformsToJSON({
      version: 1,
      width: ref.width,
      height: ref.height,
      reference: report.reference,
      frames: result.transforms.map((t, i) => ({ file: basename(plan.frames[i]), ...t })),
    });
  }
  // All or nothing: a failure while writing leaves none of the files.
  const files: FileToSave[] = [{ path: plan.output, contents: image }];
  if (depth && plan.depthmap) files.push({ path: plan.depthmap, contents: depth });
  if (transformsText !== undefined && plan.saveTransforms !== undefined) files.push({ path: plan.saveTransforms, contents: transformsText });
  await saveFiles(files).catch((error: unknown) => Promise.reject(error instanceof ImageFileError ? fileError(errorText(error)) : error));
  for (const { path } of files) say(`wrote ${path}`);
  say(`stacked ${plan.frames.length} frames (${report.method}) in ${seconds(performance.now() - started)}`);
  if (plan.json) stdout.write(`${JSON.stringify(jsonReport(report, plan), null, 2)}\n`);
}

function jsonReport(report: StackReport, plan: Plan) {
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    output: plan.output,
    ...(plan.depthmap === undefined ? {} : { depthmap: plan.depthmap }),
    ...(plan.saveTransforms === undefined ? {} : { transforms: plan.saveTransforms }),
    ...report,
    frames: report.frames.map((f) => ({ ...f, ms: round(f.ms) })),
    timings: { totalMs: round(report.timings.totalMs), passMs: report.timings.passMs.map(round), finishMs: round(report.timings.finishMs) },
  };
}
