/**
 * The `enqueue` command: `focus-stacking enqueue STACK_DIR... --redis URL
 * --output OUT_DIR [stack options] [--wait]`, one queue job per stack (the
 * stacks of `batch`, their results named alike), for the workers to run;
 * with `--wait`, a line per stack as it runs and ends, and the exit status
 * of `batch`. The queue code is loaded only when the command runs.
 */
import { resolve } from 'node:path';
import yargs from 'yargs';
import { resultPaths } from '../batch/files.js';
import { listStacks, StackInputError, type StackFolder } from '../batch/stacks.js';
import { Format } from '../codecs/index.js';
import { duration } from './batch.js';
import { ExitCode, PROGRAM, fileError, type Command, type CommandContext } from './command.js';
import { checkRepeated, checkShortOptions, errorText, parseInteger } from './flags.js';
import { checkNoInputOverwritten, prepareOutputDir } from './output.js';
import { finishParser, parseOrHelp } from './parser.js';
import { STACK_SINGLE_FLAGS, stackFlags, stackJobOptions } from './stack-flags.js';
import { REDIS_FLAG, redisUrl, timeoutMs } from './worker.js';

function parser() {
  const parser = stackFlags(
    yargs()
      .scriptName(`${PROGRAM} enqueue`)
      .locale('en')
      .usage(
        `Usage: ${PROGRAM} enqueue STACK_DIR... --redis URL --output OUT_DIR [options]\n\n` +
          'Add one job per stack to a queue in Redis, for "focus-stacking worker"s to run: the stacks of "batch" (each folder, or the subfolders of a single folder), ' +
          'each result OUT_DIR/NAME.<format>. Paths are made absolute: every worker must see them (shared storage).',
      )
      .command('$0 <stacks..>', false)
      .positional('stacks', { type: 'string', array: true, describe: 'The stack folders' }),
  )
    .option('redis', REDIS_FLAG)
    .option('queue', { type: 'string', requiresArg: true, default: 'focus-stacking', describe: 'The queue\'s name' })
    .option('timeout', { type: 'string', requiresArg: true, default: '10', describe: 'Seconds to wait for Redis at the start' })
    .option('attempts', { type: 'string', requiresArg: true, default: '3', describe: 'Runs of a job before it fails (bad input fails at the first), 1 to 100' })
    .option('backoff', { type: 'string', requiresArg: true, default: '5000', describe: 'Milliseconds before the first retry, doubled each time' })
    .option('wait', { type: 'boolean', default: false, describe: 'Follow the jobs until they end; exit 0 only if all succeeded' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Only failures and the summary' })
    .example([[`${PROGRAM} enqueue /mnt/shoots --redis redis://redis.lab:6379 --output /mnt/stacked --wait`, '']])
    .epilogue(`Exit status: ${ExitCode.OK} every job queued (with --wait: every stack stacked); ${ExitCode.FAILURE} a stack not queued or failed, or Redis unreachable; ${ExitCode.USAGE} a bad flag or value.`);
  return finishParser(parser, false, (message) => message.replace(/^not enough non-option arguments: got 0, need at least 1$/, 'expected one or more stack folders'));
}

/** `focus-stacking enqueue STACK_DIR... --redis URL --output OUT_DIR [options]`. */
export const enqueueCommand: Command = {
  name: 'enqueue',
  summary: 'Add one job per stack folder to a queue in Redis, for the workers',
  async run(argv: string[], { stdout }: CommandContext): Promise<ExitCode> {
    checkShortOptions(argv, ['o', 'q', 'h']);
    const args = parseOrHelp(parser(), argv, stdout);
    if (args === undefined) return ExitCode.OK;
    checkRepeated(args, Object.fromEntries([...STACK_SINGLE_FLAGS, 'redis', 'queue', 'attempts', 'backoff'].map((f) => [f, { takes: 'one value' }])));
    const options = stackJobOptions(args);
    const attempts = parseInteger('attempts', args.attempts, 1, 100);
    const backoff = parseInteger('backoff', args.backoff, 0, 24 * 3600_000);
    const url = await redisUrl(args.redis);
    const format = args.format as Format;
    const outDir = resolve(args.output);
    let stacks: StackFolder[];
    try {
      stacks = (await listStacks((args.stacks ?? []).map((d) => resolve(String(d))), { exclude: outDir }));
    } catch (error) {
      if (error instanceof StackInputError) throw fileError(errorText(error));
      throw error;
    }
    const targets = stacks.map((s) => resultPaths(outDir, s.name, format, args.depthmap));
    await checkNoInputOverwritten(stacks.flatMap((s) => s.frames), targets.flatMap((t) => [t.output, ...(t.depthmap === undefined ? [] : [t.depthmap])]));
    await prepareOutputDir(outDir, `--output ${JSON.stringify(args.output)}`);

    const say = (line: string) => void stdout.write(`${line}\n`);
    const { stackQueue } = await import('../queue/index.js');
    const queue = await stackQueue(url, { queue: args.queue, attempts, backoff, events: args.wait, connectTimeout: timeoutMs(args.timeout) }).catch((error: unknown) => Promise.reject(fileError(errorText(error))));
    let failed = 0;
    try {
      const names = new Map<string, StackFolder>();
      for (const [i, stack] of stacks.entries()) {
        if (stack.problem !== undefined) {
          failed++;
          say(`${stack.name}: not queued: ${stack.problem}`);
          continue;
        }
        const id = await queue.add({ name: stack.name, frames: [...stack.frames], ...targets[i], ...(Object.keys(options).length > 0 ? { options } : {}) });
        names.set(id, stack);
        if (!args.quiet) say(`${stack.name}: queued as job ${id} (${stack.frames.length} frames)`);
      }
      if (!args.wait) {
        say(`enqueue: ${names.size} job${names.size === 1 ? '' : 's'} queued on "${args.queue}"${failed > 0 ? `, ${failed} stack${failed === 1 ? '' : 's'} not queued` : ''}`);
        return failed === 0 ? ExitCode.OK : ExitCode.FAILURE;
      }
      const started = Date.now();
      const seen = new Set<string>();
      queue.on('progress', (id: string) => {
        const stack = names.get(id);
        if (stack === undefined || args.quiet || seen.has(id)) return;
        seen.add(id);
        say(`${stack.name}: running (job ${id})`);
      });
      queue.on('error', () => {}); // reconnects; the poll settles the jobs
      const outcomes = await queue.wait([...names.keys()]);
      let completed = 0;
      for (const o of outcomes) {
        const name = names.get(o.id)?.name ?? o.name;
        if (o.state === 'completed') {
          completed++;
          if (!args.quiet) say(`${name}: done (job ${o.id}), wrote ${[o.report?.output, o.report?.depthmap].filter(Boolean).join(', ')}`);
        } else {
          failed++;
          say(`${name}: failed (job ${o.id}, ${o.attempts} attempt${o.attempts === 1 ? '' : 's'}): ${o.reason}`);
        }
      }
      say(`enqueue: ${stacks.length} stack${stacks.length === 1 ? '' : 's'} in ${duration(Date.now() - started)}: ${completed} stacked, ${failed} failed`);
      return failed === 0 ? ExitCode.OK : ExitCode.FAILURE;
    } finally {
      await queue.close();
    }
  },
};
