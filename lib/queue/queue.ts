/**
 * The producer side: {@link stackQueue} adds stack jobs to a BullMQ queue,
 * tells their progress, results and failures as events, waits for them, and
 * counts the queue's jobs.
 */
import { EventEmitter } from 'node:events';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { StackFilesReport } from '../batch/files.js';
import { assertInteger, assertKnownKeys } from '../errors.js';
import { connectionOptions, describeConnection, redactor, type RedisConnection } from './connection.js';
import { checkStackJob, DEFAULT_QUEUE, type StackJob, type StackJobProgress } from './job.js';

/** Options of {@link stackQueue}. */
export interface StackQueueOptions {
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
   * Runs of a job in all before it fails (bad input fails at the first), 1 to 100.
   * @default 3
   */
  attempts?: number;
  /**
   * Milliseconds before the first retry; each next one waits twice as long.
   * @default 5000
   */
  backoff?: number;
  /**
   * Listen to the jobs' events (progress, completed, failed); false for a queue that only adds or counts.
   * @default true
   */
  events?: boolean;
  /**
   * Milliseconds to wait for Redis at the start before giving up.
   * @default 10000
   */
  connectTimeout?: number;
}

/** How a job ended: its result, or why it failed. */
export interface StackJobOutcome {
  /** The job's id. */
  id: string;
  /** The stack's name. */
  name: string;
  /** `'completed'` or `'failed'`. */
  state: 'completed' | 'failed';
  /** The stack's report, when completed. */
  report?: StackFilesReport;
  /** Why it failed, one line. */
  reason?: string;
  /** Runs made. */
  attempts: number;
}

/** The counts of a queue's jobs. */
export interface QueueCounts {
  /** Waiting to run (including those waiting for a retry). */
  waiting: number;
  /** Running now. */
  active: number;
  /** Done (as long as kept). */
  completed: number;
  /** Failed for good (as long as kept). */
  failed: number;
  /** Waiting for a retry's backoff. */
  delayed: number;
}

/** A failed job, for a status report. */
export interface FailedJob {
  /** The job's id. */
  id: string;
  /** The stack's name. */
  name: string;
  /** Why it failed. */
  reason: string;
  /** Runs made. */
  attempts: number;
}

/**
 * A queue of stack jobs. Events (with `events: true`): `progress` (id,
 * {@link StackJobProgress}), `completed` (id, report), `failed` (id,
 * reason), `error` (Error, its message without secrets).
 */
export interface StackQueue {
  /** The BullMQ queue. */
  readonly queue: Queue;
  /**
   * Listen to the jobs' events.
   *
   * @param event - `progress` (id, progress), `completed` (id, report), `failed` (id, reason), `error` (an error without secrets).
   * @param listener - Called with the event's values.
   * @returns The queue.
   */
  on(event: 'progress', listener: (id: string, progress: StackJobProgress) => void): this;
  /** See the first overload. */
  on(event: 'completed', listener: (id: string, report: StackFilesReport) => void): this;
  /** See the first overload. */
  on(event: 'failed', listener: (id: string, reason: string) => void): this;
  /** See the first overload. */
  on(event: 'error', listener: (error: Error) => void): this;
  /**
   * Stop listening.
   *
   * @param event - As for `on`.
   * @param listener - The listener given to `on`.
   * @returns The queue.
   */
  off(event: 'progress' | 'completed' | 'failed' | 'error', listener: (...args: never[]) => void): this;
  /**
   * Add one stack.
   *
   * @param stack - See {@link StackJob}.
   * @returns The job's id.
   * @throws StackInputError for a stack that is not well formed.
   */
  add(stack: StackJob): Promise<string>;
  /**
   * Wait until jobs end (completed, or failed for good).
   *
   * @param ids - The jobs.
   * @returns Their outcomes, in the order of `ids`.
   */
  wait(ids: readonly string[]): Promise<StackJobOutcome[]>;
  /** The counts of the queue's jobs. */
  counts(): Promise<QueueCounts>;
  /**
   * The failed jobs, newest first.
   *
   * @param limit - At most this many.
   */
  failed(limit?: number): Promise<FailedJob[]>;
  /** Close the connections (a client given is left open). */
  close(): Promise<void>;
}

/** Reject after `ms` with `message`, unless `promise` settles first. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Open a queue of stack jobs.
 *
 * @example
 * ```ts
 * import { stackQueue } from 'focus-stacking/queue';
 * const q = await stackQueue('redis://redis.lab:6379');
 * q.on('progress', (id, p) => console.log(id, `${p.percent} %`));
 * const id = await q.add({ name: 'bee', frames: ['/mnt/shots/bee/1.jpg', '/mnt/shots/bee/2.jpg'], output: '/mnt/out/bee.jpg' });
 * const [outcome] = await q.wait([id]);
 * await q.close();
 * ```
 *
 * @param connection - See {@link RedisConnection}.
 * @param options - See {@link StackQueueOptions}.
 * @returns The queue, connected.
 * @throws TypeError or RangeError for a bad option; RedisUrlError for a bad URL; Error "cannot reach Redis at ..." after `connectTimeout`.
 */
export async function stackQueue(connection: RedisConnection, options: StackQueueOptions = {}): Promise<StackQueue> {
  assertKnownKeys('stackQueue', options, ['queue', 'prefix', 'attempts', 'backoff', 'events', 'connectTimeout']);
  const { queue: name = DEFAULT_QUEUE, prefix, attempts = 3, backoff = 5000, events = true, connectTimeout = 10_000 } = options;
  assertInteger('attempts', attempts, 1, 100);
  assertInteger('backoff', backoff, 0, 24 * 3600_000);
  assertInteger('connectTimeout', connectTimeout, 1, 3600_000);
  const redact = redactor(connection);
  const common = { connection: connectionOptions(connection), ...(prefix === undefined ? {} : { prefix }) };
  const queue = new Queue(name, common);
  const listener = events ? new QueueEvents(name, common) : undefined;
  const emitter = new EventEmitter();
  let lastError: unknown;
  const onError = (error: Error) => {
    lastError = error;
    if (emitter.listenerCount('error') > 0) emitter.emit('error', new Error(redact(error.message)));
  };
  queue.on('error', onError);
  listener?.on('error', onError);
  const close = async () => {
    await Promise.allSettled([queue.close(), listener?.close()]);
  };
  try {
    const where = describeConnection(connection);
    await within(Promise.all([queue.waitUntilReady(), listener?.waitUntilReady()]), connectTimeout, `cannot reach Redis at ${where}`).catch((error: Error) => {
      const why = lastError instanceof Error ? `: ${redact(lastError.message)}` : '';
      throw new Error(`${redact(error.message)}${why}`);
    });
  } catch (error) {
    await close();
    throw error;
  }

  /** Jobs waited for, and how to settle them. */
  const waiting = new Map<string, (outcome: StackJobOutcome) => void>();
  const outcomeOf = async (id: string, known?: 'completed' | 'failed'): Promise<StackJobOutcome | undefined> => {
    const job = (await queue.getJob(id)) as Job<StackJob, StackFilesReport> | undefined;
    if (!job) return { id, name: '?', state: 'failed', reason: 'the job is gone from the queue', attempts: 0 };
    const state = known ?? (await job.getState()); // an event's state is final: no need to ask
    if (state === 'completed') return { id, name: job.name, state, report: job.returnvalue, attempts: job.attemptsMade };
    if (state === 'failed') return { id, name: job.name, state, reason: job.failedReason, attempts: job.attemptsMade };
    return undefined;
  };
  const settle = async (id: string, known?: 'completed' | 'failed') => {
    const done = waiting.get(id);
    if (!done) return;
    const outcome = await outcomeOf(id, known).catch(() => undefined);
    if (outcome && waiting.has(id)) {
      waiting.delete(id);
      done(outcome);
    }
  };
  listener?.on('progress', ({ jobId, data }) => void emitter.emit('progress', jobId, data as StackJobProgress));
  listener?.on('completed', ({ jobId, returnvalue }) => {
    emitter.emit('completed', jobId, (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as StackFilesReport);
    void settle(jobId, 'completed');
  });
  listener?.on('failed', ({ jobId, failedReason }) => {
    emitter.emit('failed', jobId, failedReason);
    void settle(jobId); // a failed attempt may be retried: ask its state
  });
  // Events can be missed (a Redis restart, a job that ended before the listener began): poll too.
  let poll: NodeJS.Timeout | undefined;
  const startPolling = () => {
    poll ??= setInterval(() => {
      for (const id of [...waiting.keys()]) void settle(id);
    }, 1000);
  };

  const stackQueueObject = Object.assign(emitter, {
    queue,
    async add(stack: StackJob): Promise<string> {
      const data = checkStackJob(stack);
      const job = await queue.add(data.name, data, {
        attempts,
        backoff: { type: 'exponential', delay: backoff },
        removeOnComplete: { count: 10_000 },
        removeOnFail: { count: 10_000 },
      });
      return job.id as string;
    },
    wait(ids: readonly string[]): Promise<StackJobOutcome[]> {
      startPolling();
      return Promise.all(
        ids.map(
          (id) =>
            new Promise<StackJobOutcome>((resolve) => {
              waiting.set(id, resolve);
              void settle(id);
            }),
        ),
      );
    },
    async counts(): Promise<QueueCounts> {
      const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
      return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0, delayed: c.delayed ?? 0 };
    },
    async failed(limit = 20): Promise<FailedJob[]> {
      const jobs = await queue.getFailed(0, limit - 1);
      return jobs.filter((j): j is NonNullable<typeof j> => j !== undefined && j !== null).map((j) => ({ id: String(j.id), name: j.name, reason: j.failedReason ?? '', attempts: j.attemptsMade }));
    },
    async close(): Promise<void> {
      clearInterval(poll);
      await close();
    },
  });
  return stackQueueObject as unknown as StackQueue;
}
