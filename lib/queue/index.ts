/**
 * focus-stacking on many machines: stack jobs on a BullMQ queue in Redis,
 * run by workers on any number of machines that see the same files. The
 * subpath `focus-stacking/queue`: the only part that loads `bullmq` and
 * `ioredis` (the main entry point never does).
 *
 * - Producer: {@link stackQueue} (`add`, `wait`, `counts`, `failed`, events).
 * - Worker: {@link createWorker}.
 */
export { connectionOptions, describeConnection, redactor, redactUrl, RedisUrlError, retryDelay, type RedisConnection } from './connection.js';
export { checkStackJob, DEFAULT_QUEUE, jobProgress, type StackJob, type StackJobProgress } from './job.js';
export { stackQueue, type FailedJob, type QueueCounts, type StackJobOutcome, type StackQueue, type StackQueueOptions } from './queue.js';
export { createWorker, type StackWorker, type StackWorkerOptions } from './worker.js';
export type { StackFilesReport, StackJobOptions, StackTarget } from '../batch/files.js';
