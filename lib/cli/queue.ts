/**
 * The `queue` command: `focus-stacking queue status --redis URL [--queue NAME]`,
 * the counts of a queue's jobs and the failed jobs' reasons. The queue code
 * is loaded only when the command runs.
 */
import yargs from 'yargs';
import { ExitCode, PROGRAM, fileError, type Command, type CommandContext } from './command.js';
import { checkRepeated, checkShortOptions, errorText, parseInteger } from './flags.js';
import { finishParser, parseOrHelp } from './parser.js';
import { REDIS_FLAG, redisUrl, timeoutMs } from './worker.js';

function parser() {
  const parser = yargs()
    .scriptName(`${PROGRAM} queue`)
    .locale('en')
    .usage(`Usage: ${PROGRAM} queue status --redis URL [--queue NAME]\n\nThe counts of a queue's jobs (waiting, active, completed, failed, delayed) and the failed jobs' reasons.`)
    .command('$0 <action>', false)
    .positional('action', { type: 'string', choices: ['status'], describe: 'What to do' })
    .option('redis', REDIS_FLAG)
    .option('queue', { type: 'string', requiresArg: true, default: 'focus-stacking', describe: 'The queue\'s name' })
    .option('timeout', { type: 'string', requiresArg: true, default: '10', describe: 'Seconds to wait for Redis at the start' })
    .option('failed', { type: 'string', requiresArg: true, default: '20', describe: 'Show at most this many failed jobs (newest first)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the counts and failed jobs as JSON' });
  return finishParser(parser, false, (message) => message.replace(/^not enough non-option arguments: got 0, need at least 1$/, 'expected an action: status'));
}

/** `focus-stacking queue status --redis URL`. */
export const queueCommand: Command = {
  name: 'queue',
  summary: 'The counts of a queue\'s jobs, and the failed ones\' reasons',
  async run(argv: string[], { stdout }: CommandContext): Promise<ExitCode> {
    checkShortOptions(argv, ['h']);
    const args = parseOrHelp(parser(), argv, stdout);
    if (args === undefined) return ExitCode.OK;
    checkRepeated(args, { redis: { takes: 'one value' }, queue: { takes: 'one value' }, failed: { takes: 'one value' } });
    const limit = parseInteger('failed', args.failed, 1, 10_000);
    const url = await redisUrl(args.redis);
    const { stackQueue } = await import('../queue/index.js');
    const queue = await stackQueue(url, { queue: args.queue, events: false, connectTimeout: timeoutMs(args.timeout) }).catch((error: unknown) => Promise.reject(fileError(errorText(error))));
    try {
      const counts = await queue.counts();
      const failed = counts.failed > 0 ? await queue.failed(limit) : [];
      if (args.json) {
        stdout.write(`${JSON.stringify({ queue: args.queue, ...counts, failedJobs: failed }, null, 2)}\n`);
      } else {
        stdout.write(`queue "${args.queue}": ${counts.waiting} waiting, ${counts.active} active, ${counts.completed} completed, ${counts.failed} failed, ${counts.delayed} delayed (retrying)\n`);
        for (const f of failed) stdout.write(`failed: job ${f.id} ${f.name} (${f.attempts} attempt${f.attempts === 1 ? '' : 's'}): ${f.reason}\n`);
      }
      return ExitCode.OK;
    } finally {
      await queue.close();
    }
  },
};
