/**
 * The stack options as flags, for the commands that run many stacks
 * (`batch`, `enqueue`): the same names, defaults and checks as `stack`'s,
 * read into the plain {@link StackJobOptions} that a stack (or a queue job) carries.
 */
import type { Argv } from 'yargs';
import type { StackJobOptions } from '../batch/files.js';
import { CodecName, DEFAULT_MAX_PIXELS, DEFAULT_QUALITY, Format } from '../codecs/index.js';
import { DEFAULT_STACK_LEVELS, DEFAULT_STACK_METHOD, StackMethod } from '../engine/options.js';
import { defaultThreads } from '../parallel/threads.js';
import { parseInteger } from './flags.js';

/** The stack flags that take one value. */
export const STACK_SINGLE_FLAGS = ['output', 'method', 'reference', 'levels', 'quality', 'codec', 'threads', 'max-pixels', 'format'] as const;

/**
 * Add the stack flags, `--output DIR`, `--format` and `--depthmap` to a parser.
 *
 * @param parser - A command's parser.
 * @returns The parser.
 */
export function stackFlags<T>(parser: Argv<T>) {
  return parser
    .option('output', { alias: 'o', type: 'string', demandOption: true, requiresArg: true, describe: 'The folder of the results: NAME.<format> per stack (NAME: its folder\'s name)' })
    .option('format', { type: 'string', requiresArg: true, choices: Object.values(Format), default: Format.JPG, describe: 'The results\' format' })
    .option('depthmap', { type: 'boolean', default: false, describe: 'Also write each stack\'s depth map, NAME-depth.png' })
    .option('method', { type: 'string', requiresArg: true, choices: Object.values(StackMethod), default: DEFAULT_STACK_METHOD, describe: 'How the frames are fused' })
    .option('align', { type: 'boolean', default: true, describe: 'Align the frames; --no-align takes them as they are' })
    .option('reference', { type: 'string', requiresArg: true, defaultDescription: 'the middle frame', describe: 'Index of the reference frame (0: the first)' })
    .option('crop', { type: 'boolean', default: false, describe: 'Keep only the largest rectangle that every aligned frame covers' })
    .option('colour-match', { type: 'boolean', default: true, describe: 'Match each frame\'s brightness to the reference; --no-colour-match leaves it' })
    .option('levels', { type: 'string', requiresArg: true, default: String(DEFAULT_STACK_LEVELS), describe: 'Pyramid levels (pyramid, gradient), an integer from 1 to 16' })
    .option('quality', { type: 'string', requiresArg: true, defaultDescription: String(DEFAULT_QUALITY), describe: 'JPEG quality, an integer from 1 to 100 (JPEG only)' })
    .option('codec', { type: 'string', requiresArg: true, choices: Object.values(CodecName), defaultDescription: 'sharp if it loads, else jimp', describe: 'Image codec, for reading and writing' })
    .option('threads', { type: 'string', requiresArg: true, defaultDescription: `the cores, at most 4 (here ${defaultThreads()})`, describe: 'Threads to compute on, an integer from 1 to 64' })
    .option('max-pixels', { type: 'string', requiresArg: true, default: String(DEFAULT_MAX_PIXELS), describe: 'Refuse a frame of more pixels (read from its header, before decoding)' });
}

/** What the stack flags say, as yargs gives them. */
export interface StackFlagValues {
  method: string;
  align: boolean;
  reference?: string | undefined;
  crop: boolean;
  'colour-match': boolean;
  levels: string;
  quality?: string | undefined;
  codec?: string | undefined;
  threads?: string | undefined;
  'max-pixels': string;
}

/**
 * The stack options of the flags, checked as `stack` checks them; only what
 * differs from the defaults is set (a queue job carries no more than needed).
 *
 * @param args - yargs's result.
 * @returns The options.
 * @throws CliError (usage) for a bad value, echoing what was typed.
 */
export function stackJobOptions(args: StackFlagValues): StackJobOptions {
  const levels = parseInteger('levels', args.levels, 1, 16);
  const maxPixels = parseInteger('max-pixels', args['max-pixels'], 1, Number.MAX_SAFE_INTEGER);
  return {
    ...(args.method === DEFAULT_STACK_METHOD ? {} : { method: args.method as StackMethod }),
    ...(args.align ? {} : { align: false }),
    ...(args['colour-match'] ? {} : { colourMatch: false }),
    ...(args.crop ? { crop: true } : {}),
    ...(args.reference === undefined ? {} : { reference: parseInteger('reference', args.reference, 0, 65534) }),
    ...(levels === DEFAULT_STACK_LEVELS ? {} : { levels }),
    ...(args.quality === undefined ? {} : { quality: parseInteger('quality', args.quality, 1, 100) }),
    ...(args.codec === undefined ? {} : { codec: args.codec as CodecName }),
    ...(args.threads === undefined ? {} : { threads: parseInteger('threads', args.threads, 1, 64) }),
    ...(maxPixels === DEFAULT_MAX_PIXELS ? {} : { maxPixels }),
  };
}
