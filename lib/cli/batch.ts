/**
 * The `batch` command: `focus-stacking batch STACK_DIR... --output OUT_DIR`,
 * many stacks on one machine ({@link runBatch}): each folder one stack (a
 * single folder of stack folders: one per subfolder), each result
 * `OUT_DIR/NAME.<format>`, a line per stack and a summary; a stack that
 * fails is reported and the others go on; stacks whose results are newer
 * than their frames are skipped unless `--force`.
 */
import { resolve } from 'node:path';
import yargs from 'yargs';
import { resultPaths } from '../batch/files.js';
import { runBatch, type BatchOutcome } from '../batch/run.js';
import { listStacks, StackInputError, type StackFolder } from '../batch/stacks.js';
import { Format } from '../codecs/index.js';
import { ExitCode, PROGRAM, fileError, type Command, type CommandContext } from './command.js';
import { checkCodec, checkRepeated, checkShortOptions, errorText, parseInteger } from './flags.js';
import { checkNoInputOverwritten, prepareOutputDir } from './output.js';
import { EXIT_STATUS, finishParser, parseOrHelp } from './parser.js';
import { STACK_SINGLE_FLAGS, stackFlags, stackJobOptions } from './stack-flags.js';

/** Examples for the help: command, what it does. */
const EXAMPLES: [string, string][] = [
  ['batch shoots/ --output stacked/', 'one stack per subfolder of shoots/, each to stacked/NAME.jpg'],
  ['batch a/ b/ c/ -o out/ --format png --depthmap --jobs 2', 'three stacks, two at a time, with their depth maps'],
  ['batch shoots/ -o stacked/ --json > summary.json', 'the summary as JSON (the lines go to stderr)'],
];

/** The short options (letter: flag). */
const SHORT = { o: 'output', q: 'quiet', h: 'help', j: 'jobs' } as const;

function parser() {
  const parser = stackFlags(
    yargs()
      .scriptName(`${PROGRAM} batch`)
      .locale('en')
      .usage(
        `Usage: ${PROGRAM} batch STACK_DIR... --output OUT_DIR [options]\n\n` +
          'Stack many folders: each STACK_DIR is one stack (its images in name order); a single folder that holds no image but subfolders with images is one stack per subfolder. ' +
          'The result of folder NAME is OUT_DIR/NAME.<format>.',
      )
      .command('$0 <stacks..>', false)
      .positional('stacks', { type: 'string', array: true, describe: 'The stack folders' }),
  )
    .option('jobs', { alias: 'j', type: 'string', requiresArg: true, default: '1', describe: 'Stacks run at a time, an integer from 1 to 64' })
    .option('force', { type: 'boolean', default: false, describe: 'Stack again even when the results are newer than the frames' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the summary as JSON on stdout (the lines go to stderr)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Only failed stacks and the summary' })
    .example(EXAMPLES.map(([command, what]) => [`# ${what}\n${PROGRAM} ${command}`, '']))
    .epilogue('Resumable: a stack whose results exist and are newer than its frames is skipped. A failed or interrupted stack leaves no file.\n' + EXIT_STATUS.replace('success', 'every stack succeeded'));
  return finishParser(parser, false, (message) => message.replace(/^not enough non-option arguments: got 0, need at least 1$/, 'expected one or more stack folders'));
}

/** Seconds for a line: `2.3 s`, `1 min 4 s`. */
export function duration(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The line of one stack. */
function outcomeLine(o: BatchOutcome): string {
  const frames = `${o.frames} frame${o.frames === 1 ? '' : 's'}`;
  const files = [o.output, ...(o.depthmap === undefined ? [] : [o.depthmap])].join(', ');
  if (o.status === 'stacked') return `${o.name}: ${frames}, ${duration(o.ms)}, wrote ${files}`;
  if (o.status === 'skipped') return `${o.name}: ${frames}, skipped (${files} newer than the frames; --force stacks again)`;
  return `${o.name}: ${o.frames > 0 ? `${frames}, ${duration(o.ms)}, ` : ''}failed: ${o.error}`;
}

/** `focus-stacking batch STACK_DIR... --output OUT_DIR [options]`. */
export const batchCommand: Command = {
  name: 'batch',
  summary: 'Stack many folders, each to OUT_DIR/NAME.<format>',
  async run(argv: string[], { stdout, stderr }: CommandContext): Promise<ExitCode> {
    checkShortOptions(argv, Object.keys(SHORT));
    const args = parseOrHelp(parser(), argv, stdout);
    if (args === undefined) return ExitCode.OK;
    checkRepeated(args, Object.fromEntries([...STACK_SINGLE_FLAGS, 'jobs'].map((f) => [f, { takes: f === 'output' ? 'one folder' : 'one value' }])));
    const options = stackJobOptions(args);
    const jobs = parseInteger('jobs', args.jobs, 1, 64);
    const format = args.format as Format;
    const outDir = args.output;
    const warn = (line: string) => void stderr.write(`warning: ${line}\n`);
    if (args.quality !== undefined && format !== Format.JPG) warn(`--quality applies to JPEG only; ignored for --format ${format}`);
    await checkCodec(options.codec);

    let stacks: StackFolder[];
    try {
      stacks = await listStacks((args.stacks ?? []).map(String), { exclude: outDir });
    } catch (error) {
      if (error instanceof StackInputError) throw fileError(errorText(error));
      throw error;
    }
    const results = stacks.flatMap((s) => {
      const t = resultPaths(outDir, s.name, format, args.depthmap);
      return [t.output, ...(t.depthmap === undefined ? [] : [t.depthmap])];
    });
    await checkNoInputOverwritten(stacks.flatMap((s) => s.frames), results);
    await prepareOutputDir(outDir, `--output ${JSON.stringify(outDir)}`);

    const lines = args.json ? stderr : stdout;
    const say = (line: string) => void lines.write(`${line}\n`);
    const summary = await runBatch(stacks, {
      ...options,
      outDir,
      format,
      depthmap: args.depthmap,
      jobs,
      force: args.force,
      onDone: (o) => {
        if (!args.quiet || o.status === 'failed') say(outcomeLine(o));
      },
      onWarning: (stack, message) => warn(`${stack.name}: ${message}`),
    });
    say(
      `batch: ${summary.stacks.length} stack${summary.stacks.length === 1 ? '' : 's'} in ${duration(summary.ms)}: ` +
        `${summary.stacked} stacked, ${summary.skipped} skipped, ${summary.failed} failed`,
    );
    if (args.json) {
      const round = (ms: number) => Math.round(ms * 10) / 10;
      stdout.write(
        `${JSON.stringify(
          {
            output: resolve(outDir),
            stacked: summary.stacked,
            skipped: summary.skipped,
            failed: summary.failed,
            ms: round(summary.ms),
            stacks: summary.stacks.map((o) => ({ ...o, ms: round(o.ms) })),
          },
          null,
          2,
        )}\n`,
      );
    }
    return summary.failed === 0 ? ExitCode.OK : ExitCode.FAILURE;
  },
};
