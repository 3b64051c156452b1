/**
 * The worker side: {@link createWorker} runs stack jobs from a BullMQ queue,
 * each from files to files ({@link stackToFiles}), and reports progress as
 * numbers and the stack's report as the job's return value.
 *
 * Bad input (a missing or unreadable frame, frames of different sizes, a
 * bad option) fails the job at once (`UnrecoverableError`); any other
 * failure lets BullMQ retry it with the job's backoff. The job's lock is
 * renewed while it runs (every half `lockDuration`); a worker that loses it
 * stops the stack, and a worker checks that it still holds the lock just
 * before writing, so a job taken over by another worker is written once,
 * whole (each file is written to a temporary name and renamed).
 */
import { performance } from 'node:perf_hooks';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { isBadInput, stackToFiles, type StackFilesReport } from '../batch/files.js';
import { assertInteger, assertKnownKeys } from '../errors.js';
import { connectionOptions, describeConnection, redactor, type RedisConnection } from './connection.js';
import { checkStackJob, DEFAULT_QUEUE, jobProgress, type StackJob, type StackJobProgress } from './job.js';

/** Options of {@link createWorker}. */
export interface StackWorkerOptions {
  /**
   * The queue's name.
   * @default 'focus-stacking'
   */
  queue?: string;
  /**
   * BullMQ's key prefix in Redis.
   * @default 'bull'
   */
  prefix?: string;
  /**
   * Jobs run at a time, 1 to 64.
   * @default 1
   */
  concurrency?: number;
  /**
   * Milliseconds a job's lock lasts without renewal (renewed every half of it while the job runs):
   * how long after a worker dies its job waits before another takes it.
   * @default 30000
   */
  lockDuration?: number;
  /**
   * Milliseconds between checks for jobs whose worker died.
   * @default 30000
   */
  stalledInterval?: number;
  /** One line for each thing that happens (a job starts, ends, fails; Redis errors), without secrets. */
  onLog?: (line: string) => void;
}

/** A running worker: {@link createWorker}'s result. */
export interface StackWorker {
  /** The BullMQ worker (for its events). */
  readonly worker: Worker<StackJob, StackFilesReport>;
  /** Jobs running now. */
  readonly running: number;
  /**
   * Stop taking jobs, let the running ones finish (or, after `graceMs`,
   * stop them and give them back to the queue, to be run again from the
   * start by a worker), then close the Redis connections.
   *
   * @param graceMs - How long the running jobs may take to finish.
   * @returns When the worker is closed.
   */
  close(graceMs?: number): Promise<void>;
}

/** An error's message on one line. */
function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Start a worker that runs stack jobs from a queue.
 *
 * @example
 * ```ts
 * import { createWorker } from 'focus-stacking/queue';
 * const { close } = createWorker('redis://:secret@redis.lab:6379', { concurrency: 1 });
 * process.on('SIGTERM', () => void close(60_000));
 * ```
 *
 * @param connection - See {@link RedisConnection}; a client given is not closed by the worker.
 * @param options - See {@link StackWorkerOptions}.
 * @returns See {@link StackWorker}.
 * @throws TypeError or RangeError for a bad option; RedisUrlError for a bad URL.
 */
export function createWorker(connection: RedisConnection, options: StackWorkerOptions = {}): StackWorker {
  assertKnownKeys('createWorker', options, ['queue', 'prefix', 'concurrency', 'lockDuration', 'stalledInterval', 'onLog']);
  const { queue = DEFAULT_QUEUE, prefix, concurrency = 1, lockDuration = 30_000, stalledInterval = 30_000, onLog = () => {} } = options;
  assertInteger('concurrency', concurrency, 1, 64);
  assertInteger('lockDuration', lockDuration, 100, 24 * 3600_000);
  assertInteger('stalledInterval', stalledInterval, 100, 24 * 3600_000);
  const redact = redactor(connection);
  const log = (line: string) => onLog(redact(line));
  const givingBack = new Set<string>();
  const lost = new Set<string>();
  const active = new Set<string>();

  const processor = async (job: Job<StackJob, StackFilesReport>, token: string | undefined, signal?: AbortSignal): Promise<StackFilesReport> => {
    const id = job.id ?? '?';
    const label = `job ${id} ${job.name}`;
    let data: StackJob;
    try {
      data = checkStackJob(job.data);
    } catch (error) {
      log(`${label}: failed, not retried: ${oneLine(error)}`);
      throw new UnrecoverableError(oneLine(error));
    }
    active.add(id);
    const attempt = `attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}`;
    log(`${label}: started, ${data.frames.length} frames (${attempt})`);
    const started = performance.now();
    try {
      const report = await stackToFiles(data.frames, { output: data.output, ...(data.depthmap === undefined ? {} : { depthmap: data.depthmap }) }, {
        ...data.options,
        ...(signal ? { signal } : {}),
        onProgress: (p) => void job.updateProgress(jobProgress(p)).catch(() => {}),
        onWarning: (message) => log(`${label}: warning: ${message}`),
        beforeWrite: async () => {
          // The lock is still this worker's: no other worker has taken the job over.
          if (token === undefined || (await job.extendLock(token, lockDuration)) !== 1) throw new Error('lost the job\'s lock (another worker has it): nothing written');
        },
      });
      const done: StackJobProgress = { percent: 100, step: report.passes * report.frames.length + 1, steps: report.passes * report.frames.length + 1, frame: -1, frames: report.frames.length };
      void job.updateProgress(done).catch(() => {}); // not awaited: sent before the completion, on the same connection
      const files = [data.output, ...(data.depthmap === undefined ? [] : [data.depthmap])].join(', ');
      log(`${label}: ${data.frames.length} frames in ${((performance.now() - started) / 1000).toFixed(1)} s, wrote ${files}`);
      return report;
    } catch (error) {
      if (givingBack.has(id) && token !== undefined) {
        await job.moveToWait(token);
        log(`${label}: given back to the queue (the worker is stopping)`);
        throw new WaitingError();
      }
      if (lost.has(id)) {
        log(`${label}: stopped: lost its lock (another worker has the job)`);
        throw error;
      }
      if (isBadInput(error)) {
        log(`${label}: failed, not retried: ${oneLine(error)}`);
        throw new UnrecoverableError(oneLine(error));
      }
      log(`${label}: failed (${attempt}): ${oneLine(error)}`);
      throw error;
    } finally {
      active.delete(id);
      givingBack.delete(id);
      lost.delete(id);
    }
  };

  const worker = new Worker<StackJob, StackFilesReport>(queue, processor, {
    connection: connectionOptions(connection),
    ...(prefix === undefined ? {} : { prefix }),
    concurrency,
    lockDuration,
    stalledInterval,
    maxStalledCount: 2,
    autorun: true,
  });
  let lastError = '';
  worker.on('error', (error) => {
    const text = `redis: ${oneLine(error)}`;
    if (text !== lastError) log(text);
    lastError = text;
  });
  worker.on('ready', () => {
    if (lastError !== '') log(`redis: connected again to ${describeConnection(connection)}`);
    lastError = '';
  });
  worker.on('lockRenewalFailed', (ids: string[]) => {
    for (const id of ids) {
      lost.add(id);
      worker.cancelJob(id, 'lost the job\'s lock');
    }
  });

  let closing: Promise<void> | undefined;
  return {
    worker,
    get running() {
      return active.size;
    },
    close(graceMs = Infinity) {
      closing ??= (async () => {
        const timer = Number.isFinite(graceMs)
          ? setTimeout(() => {
              for (const id of active) givingBack.add(id);
              worker.cancelAllJobs('the worker is stopping');
            }, Math.max(0, graceMs))
          : undefined;
        try {
          await worker.close();
        } finally {
          clearTimeout(timer);
        }
      })();
      return closing;
    },
  };
}
