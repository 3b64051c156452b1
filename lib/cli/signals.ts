/**
 * What a run leaves behind when it fails or is interrupted, and the signal
 * handlers that remove it. The handlers are installed only while a command
 * runs, and removed afterwards.
 */
import { removeTemporaryFiles } from '../io.js';
import { ExitCode, PROGRAM, type TextSink } from './command.js';
import { keepCreatedDirectories, removeCreatedDirectories } from './output.js';

/** The signals a run answers, and the exit codes they give (128 + the signal's number). */
const SIGNALS = { SIGINT: ExitCode.INTERRUPTED, SIGTERM: ExitCode.TERMINATED } as const;

/** Undo a failed run, synchronously: its temporary files, then the directories it created (if empty). */
export function cleanUpRun(): void {
  removeTemporaryFiles();
  removeCreatedDirectories();
}

/** A run succeeded: what it created stays. */
export function endRun(): void {
  keepCreatedDirectories();
}

/**
 * Run `work` with SIGINT and SIGTERM handlers that clean up the run
 * ({@link cleanUpRun}), say so in one line and end the process with 130 or
 * 143. The handlers are removed when `work` settles.
 *
 * @param work - The run.
 * @param stderr - Where the one line goes.
 * @param exit - Ends the process (the CLI's host decides; tests never send signals in-process).
 * @returns What `work` returns.
 */
export async function withSignalCleanup<T>(work: () => Promise<T>, stderr: TextSink, exit: (code: number) => void = (code) => process.exit(code)): Promise<T> {
  let ended = false; // a second signal (the terminal's Ctrl-C and the parent's relay) does nothing more
  const handlers = Object.entries(SIGNALS).map(([signal, code]) => {
    const handler = () => {
      if (ended) return;
      ended = true;
      cleanUpRun();
      stderr.write(`${PROGRAM}: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'} (${signal}); temporary files removed\n`);
      exit(code);
    };
    process.on(signal, handler);
    return () => void process.off(signal, handler);
  });
  try {
    return await work();
  } finally {
    for (const off of handlers) off();
  }
}
