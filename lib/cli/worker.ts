/**
 * The `worker` command: `focus-stacking worker --redis URL [--queue NAME]
 * [--concurrency N] [--grace S]`, a BullMQ worker that runs stack jobs
 * until SIGTERM or SIGINT, then takes no more, lets the running ones finish
 * (or gives them back after `--grace` seconds), closes Redis and exits 0.
 * The queue code (bullmq, ioredis) is loaded only when the command runs.
 */
import yargs from 'yargs';
import { getCodec } from '../codecs/index.js';
import { loadOpenCV } from '../cv/runtime.js';
import { ExitCode, PROGRAM, usageError, type Command, type CommandContext } from './command.js';
import { checkRepeated, checkShortOptions, errorText, parseInteger, parseNumber } from './flags.js';
import { finishParser, parseOrHelp } from './parser.js';

/** The environment variable read when `--redis` is not given (keeps a password out of the process list). */
export const REDIS_URL_VARIABLE = 'FOCUS_STACKING_REDIS_URL';

/** The `--redis` flag of the queue commands. */
export const REDIS_FLAG = {
  type: 'string',
  requiresArg: true,
  describe: `The Redis: redis://[user:password@]host[:port][/db], or rediss://... for TLS (default: $${REDIS_URL_VARIABLE})`,
} as const;

/** `--redis`, else the environment variable; a bad URL is a usage error. */
export async function redisUrl(given: string | undefined): Promise<string> {
  const url = given ?? process.env[REDIS_URL_VARIABLE];
  if (url === undefined || url === '') throw usageError(`missing required flag(s): --redis (or $${REDIS_URL_VARIABLE})`);
  const { connectionOptions, RedisUrlError } = await import('../queue/index.js');
  try {
    connectionOptions(url);
  } catch (error) {
    if (error instanceof RedisUrlError) throw usageError(`--redis: ${errorText(error)}`);
    throw error;
  }
  return url;
}

/** `--timeout S` in milliseconds (at least 1). */
export function timeoutMs(raw: string): number {
  const seconds = parseNumber('timeout', raw);
  if (!(seconds > 0 && seconds <= 3600)) throw usageError(`--timeout: expected a number of seconds above 0, at most 3600, but received ${JSON.stringify(raw)}`);
  return Math.max(1, Math.round(seconds * 1000));
}

function parser() {
  const parser = yargs()
    .scriptName(`${PROGRAM} worker`)
    .locale('en')
    .usage(
      `Usage: ${PROGRAM} worker --redis URL [options]\n\n` +
        'Run stack jobs from a queue in Redis (added by "focus-stacking enqueue" or the API) until SIGTERM or SIGINT. ' +
        'Every worker must see the jobs\' frames and outputs at the same paths (shared storage).',
    )
    .option('redis', REDIS_FLAG)
    .option('queue', { type: 'string', requiresArg: true, default: 'focus-stacking', describe: 'The queue\'s name' })
    .option('concurrency', { type: 'string', requiresArg: true, default: '1', describe: 'Jobs run at a time, an integer from 1 to 64' })
    .option('grace', { type: 'string', requiresArg: true, default: '60', describe: 'On SIGTERM/SIGINT, seconds the running jobs may take to finish before they are given back to the queue' })
    .option('lock-duration', { type: 'string', requiresArg: true, default: '30000', describe: 'Milliseconds a job\'s lock lasts unrenewed: how long a dead worker\'s job waits before another takes it' })
    .option('stalled-interval', { type: 'string', requiresArg: true, default: '30000', describe: 'Milliseconds between checks for jobs of dead workers' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Only failures and Redis errors' })
    .example([[`${PROGRAM} worker --redis redis://:secret@redis.lab:6379 --concurrency 1`, '']])
    .epilogue(`Exit status: ${ExitCode.OK} once stopped by SIGTERM or SIGINT; ${ExitCode.USAGE} a bad flag or value.`);
  return finishParser(parser, false);
}

/** `focus-stacking worker --redis URL [options]`. */
export const workerCommand: Command & { ownsSignals: true } = {
  name: 'worker',
  summary: 'Run stack jobs from a queue in Redis (BullMQ) until SIGTERM',
  ownsSignals: true,
  async run(argv: string[], { stdout, stderr }: CommandContext): Promise<ExitCode> {
    checkShortOptions(argv, ['q', 'h']);
    const args = parseOrHelp(parser(), argv, stdout);
    if (args === undefined) return ExitCode.OK;
    checkRepeated(args, Object.fromEntries(['redis', 'queue', 'concurrency', 'grace', 'lock-duration', 'stalled-interval'].map((f) => [f, { takes: 'one value' }])));
    const url = await redisUrl(args.redis);
    const concurrency = parseInteger('concurrency', args.concurrency, 1, 64);
    const grace = parseNumber('grace', args.grace);
    if (!(grace >= 0)) throw usageError(`--grace: expected a number of seconds, 0 or more, but received ${JSON.stringify(args.grace)}`);
    const lockDuration = parseInteger('lock-duration', args['lock-duration'], 100, 24 * 3600_000);
    const stalledInterval = parseInteger('stalled-interval', args['stalled-interval'], 100, 24 * 3600_000);
    const { createWorker, describeConnection } = await import('../queue/index.js');
    // OpenCV.js compiles and the codec loads before the first job, not while it holds a lock.
    await Promise.all([loadOpenCV(), getCodec()]);

    const say = (line: string) => void stdout.write(`${line}\n`);
    const important = (line: string) => / failed|redis: |given back|lost its lock|warning: /.test(line);
    const worker = createWorker(url, {
      queue: args.queue,
      concurrency,
      lockDuration,
      stalledInterval,
      onLog: (line) => (args.quiet && !important(line) ? undefined : say(line)),
    });
    await worker.worker.waitUntilReady().catch(() => undefined);
    say(`worker ${process.pid}: taking stack jobs from queue "${args.queue}" at ${describeConnection(url)} (concurrency ${concurrency})`);
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        const running = worker.running;
        say(`worker ${process.pid}: ${signal}: taking no more jobs; ${running} running${running > 0 ? ` (given back after ${grace} s)` : ''}`);
        worker.close(grace * 1000).then(resolve, (error: unknown) => {
          stderr.write(`${PROGRAM}: ${errorText(error)}\n`);
          resolve();
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    say(`worker ${process.pid}: closed`);
    return ExitCode.OK;
  },
};
