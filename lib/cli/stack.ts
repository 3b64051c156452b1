/**
 * The `stack` command: `focus-stacking stack FRAME... --output FILE [options]`,
 * N frames through the engine ({@link stack}). It takes the arguments
 * already parsed (the lead registers {@link STACK_COMMAND_FLAGS} in yargs),
 * checks them itself, and translates errors into one line on stderr:
 * exit 2 for a bad flag, 1 for a file problem. Nothing is written unless the
 * whole run succeeds; files are written atomically.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CodecName, DEFAULT_QUALITY, Format, getCodec } from '../codecs/index.js';
import { DEFAULT_STACK_LEVELS, DEFAULT_STACK_METHOD, StackMethod, type StackProgress } from '../engine/options.js';
import { stack } from '../engine/node.js';
import { FrameSizeError, type StackReport } from '../engine/stack.js';
import type { Image } from '../image.js';
import { encodeImage, ImageFileError, loadImage, saveImage } from '../io.js';
import { defaultThreads } from '../parallel/threads.js';

/** The flags of the `stack` command, for registering it (yargs `options`). */
export const STACK_COMMAND_FLAGS = {
  output: { type: 'string', demandOption: true, requiresArg: true, describe: 'The stacked image; its format from the extension (.jpg, .png, .tif, .bmp)' },
  method: { type: 'string', requiresArg: true, choices: Object.values(StackMethod), default: DEFAULT_STACK_METHOD, describe: 'How the frames are fused' },
  depthmap: { type: 'string', requiresArg: true, describe: 'Also write the depth map (index of the frame in focus, 0 to 255) to this file' },
  reference: { type: 'string', requiresArg: true, defaultDescription: 'the middle frame', describe: 'Index of the reference frame (0: the first given)' },
  levels: { type: 'string', requiresArg: true, default: DEFAULT_STACK_LEVELS, describe: 'Pyramid levels (pyramid, gradient), an integer from 1 to 16' },
  threads: { type: 'string', requiresArg: true, defaultDescription: 'the cores, at most 4', describe: 'Threads to compute on, an integer from 1 to 64' },
  codec: { type: 'string', requiresArg: true, choices: Object.values(CodecName), defaultDescription: 'sharp if it loads, else jimp', describe: 'Image codec, for reading and writing' },
  quality: { type: 'string', requiresArg: true, default: DEFAULT_QUALITY, describe: 'JPEG quality, an integer from 1 to 100' },
  json: { type: 'boolean', default: false, describe: 'Print the report (per frame: file, transform, time) as JSON on stdout' },
  quiet: { type: 'boolean', default: false, describe: 'No progress lines (errors and warnings still go to stderr)' },
} as const;

/** The positional argument of the `stack` command. */
export const STACK_COMMAND_POSITIONAL = {
  name: 'frames',
  describe: 'The frames, in focus order: two or more image files, or one folder (its images in name order)',
} as const;

/** The arguments of {@link stackCommand}, as a parser gives them (numbers may still be strings). */
export interface StackCommandArgs {
  /** The frames: files, or one folder. */
  frames: readonly string[];
  /** The output file. */
  output?: string;
  /** The method. */
  method?: string;
  /** The depth map file. */
  depthmap?: string;
  /** The reference frame's index. */
  reference?: number | string;
  /** Pyramid levels. */
  levels?: number | string;
  /** Threads. */
  threads?: number | string;
  /** Codec name. */
  codec?: string;
  /** JPEG quality. */
  quality?: number | string;
  /** Print the report as JSON. */
  json?: boolean;
  /** No progress lines. */
  quiet?: boolean;
}

/** Where {@link stackCommand} writes: anything with a `write(text)`, such as `process.stderr`. */
export interface StackCommandStreams {
  /** The JSON report. @default process.stdout */
  stdout?: { write(text: string): unknown };
  /** Progress, warnings and errors. @default process.stderr */
  stderr?: { write(text: string): unknown };
}

const OK = 0;
const FAILURE = 1;
const USAGE = 2;
const PROGRAM = 'focus-stacking stack';

class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
const usage = (message: string) => new CommandError(message, USAGE);
const failure = (message: string) => new CommandError(message, FAILURE);

const EXTENSIONS: Record<string, Format> = { '.jpg': Format.JPG, '.jpeg': Format.JPG, '.png': Format.PNG, '.tif': Format.TIF, '.tiff': Format.TIF, '.bmp': Format.BMP };

function integer(flag: string, value: unknown, min: number, max: number): number {
  const raw = String(value).trim();
  const n = /^[+-]?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw usage(`--${flag}: expected an integer from ${min} to ${max} but received ${JSON.stringify(String(value))}`);
  return n;
}

function fileFormat(flag: string, path: unknown): Format {
  if (typeof path !== 'string' || path.trim() === '') throw usage(`--${flag}: expected a file name but received ${JSON.stringify(path ?? '')}`);
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (!format) throw usage(`--${flag}: expected a file name ending in .jpg, .jpeg, .png, .tif, .tiff or .bmp but received ${JSON.stringify(path)}`);
  return format;
}

/** Frames as given, or the images of one folder in name order. */
async function listFrames(frames: readonly string[]): Promise<string[]> {
  if (!Array.isArray(frames) || frames.length === 0) throw usage('expected two or more frames (image files, or one folder)');
  if (frames.length === 1) {
    const info = await stat(frames[0]).catch(() => undefined);
    if (!info?.isDirectory()) throw usage(`expected two or more frames but received one (${JSON.stringify(frames[0])})`);
    const names = (await readdir(frames[0])).filter((name) => !name.startsWith('.') && EXTENSIONS[extname(name).toLowerCase()] !== undefined).sort();
    if (names.length === 0) throw failure(`folder ${JSON.stringify(frames[0])} has no images (.jpg, .jpeg, .png, .tif, .tiff, .bmp)`);
    if (names.length === 1) throw failure(`folder ${JSON.stringify(frames[0])} has one image only; two or more are needed`);
    return names.map((name) => join(frames[0], name));
  }
  return [...frames];
}

/** The target's directory must exist and the target must not be an input. */
async function checkTarget(flag: string, path: string, inputs: readonly string[]): Promise<void> {
  const dir = await stat(dirname(resolve(path))).catch(() => undefined);
  if (!dir?.isDirectory()) throw failure(`--${flag} ${JSON.stringify(path)}: directory "${dirname(path)}" does not exist`);
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined) return;
  if ((await stat(real)).isDirectory()) throw failure(`--${flag} ${JSON.stringify(path)}: is a directory`);
  const reals = await Promise.all(inputs.map((p) => realpath(p).catch(() => undefined)));
  if (reals.includes(real)) throw failure(`--${flag} ${JSON.stringify(path)}: refusing to overwrite an input frame`);
}

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

function oneLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

/**
 * Run the `stack` command.
 *
 * @param args - The parsed arguments; see {@link StackCommandArgs}.
 * @param streams - Where to write; see {@link StackCommandStreams}.
 * @returns The exit code: 0 success, 1 a file problem or failed computation, 2 a bad flag.
 */
export async function stackCommand(args: StackCommandArgs, streams: StackCommandStreams = {}): Promise<number> {
  const { stdout = process.stdout, stderr = process.stderr } = streams;
  try {
    const method = args.method ?? DEFAULT_STACK_METHOD;
    if (!(Object.values(StackMethod) as string[]).includes(method)) throw usage(`--method: expected one of ${Object.values(StackMethod).join(', ')} but received ${JSON.stringify(method)}`);
    const format = fileFormat('output', args.output);
    const output = args.output!;
    const depthFormat = args.depthmap === undefined ? undefined : fileFormat('depthmap', args.depthmap);
    const levels = integer('levels', args.levels ?? DEFAULT_STACK_LEVELS, 1, 16);
    const threads = args.threads === undefined ? defaultThreads() : integer('threads', args.threads, 1, 64);
    const quality = integer('quality', args.quality ?? DEFAULT_QUALITY, 1, 100);
    const codec = args.codec;
    if (codec !== undefined && !(Object.values(CodecName) as string[]).includes(codec)) throw usage(`--codec: expected one of ${Object.values(CodecName).join(', ')} but received ${JSON.stringify(codec)}`);
    const files = await listFrames(args.frames);
    const reference = args.reference === undefined ? undefined : integer('reference', args.reference, 0, files.length - 1);
    await checkTarget('output', output, files);
    if (args.depthmap !== undefined) {
      await checkTarget('depthmap', args.depthmap, files);
      if (resolve(args.depthmap) === resolve(output)) throw usage('--depthmap: must differ from --output');
    }
    try {
      await getCodec(codec as CodecName | undefined);
    } catch (error) {
      throw failure(`--codec ${codec}: ${oneLine(error)}`);
    }

    const say = args.quiet ? () => {} : (line: string) => void stderr.write(`${line}\n`);
    const started = performance.now();
    const result = await stack(files, {
      method: method as StackMethod,
      levels,
      threads,
      depthMap: depthFormat !== undefined,
      ...(reference === undefined ? {} : { reference }),
      load: (path) => loadImage(path, codec === undefined ? {} : { codec: codec as CodecName }),
      onProgress: (p) => say(progressLine(p, files)),
      onWarning: (w) => void stderr.write(`warning: ${w}\n`),
    }).catch((error: unknown) => {
      if (error instanceof FrameSizeError || error instanceof ImageFileError) throw failure(oneLine(error));
      throw error;
    });

    // Both files are encoded before either is written: a failure leaves none.
    const encode = (image: Image, fmt: Format) => encodeImage(image, { format: fmt, quality, ...(codec === undefined ? {} : { codec: codec as CodecName }) });
    const image = await encode(result.image, format);
    const depth = result.depth && depthFormat ? await encode(result.depth, depthFormat) : undefined;
    await saveImage(image, output);
    say(`wrote ${output}`);
    if (depth && args.depthmap) {
      await saveImage(depth, args.depthmap);
      say(`wrote ${args.depthmap}`);
    }
    say(`stacked ${files.length} frames (${result.report.method}) in ${seconds(performance.now() - started)}`);
    if (args.json) stdout.write(`${JSON.stringify(jsonReport(result.report, output, args.depthmap), null, 2)}\n`);
    return OK;
  } catch (error) {
    const { message, exitCode } = error instanceof CommandError ? error : { message: oneLine(error), exitCode: FAILURE };
    stderr.write(`${PROGRAM}: ${message}\n`);
    return exitCode;
  }
}

function jsonReport(report: StackReport, output: string, depthmap: string | undefined) {
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    output,
    ...(depthmap === undefined ? {} : { depthmap }),
    ...report,
    frames: report.frames.map((f) => ({ ...f, ms: round(f.ms) })),
    timings: { totalMs: round(report.timings.totalMs), passMs: report.timings.passMs.map(round), finishMs: round(report.timings.finishMs) },
  };
}
