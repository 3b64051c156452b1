/**
 * What every command of the command line shares: the exit codes, where text
 * goes, the error that becomes the one line on stderr, and the shape of a
 * command (`index.ts` registers them and dispatches).
 */

/** Where {@link main} writes: anything with a `write(text)` method, such as `process.stdout`. */
export interface CliStreams {
  /**
   * Help and version text.
   * @default process.stdout
   */
  stdout?: TextSink;
  /**
   * Progress, warnings and errors.
   * @default process.stderr
   */
  stderr?: TextSink;
}

/** Where the command line writes text: anything with a `write`, such as `process.stderr`. */
export interface TextSink {
  /**
   * Write some text.
   *
   * @param text - One or more lines, each ending in a newline.
   */
  write(text: string): unknown;
}

/** Exit codes of {@link main} (and of the process, on a signal). */
export const ExitCode = {
  /** The outputs were written (or help/version was shown). */
  OK: 0,
  /** An input or output file could not be used, or the computation failed. */
  FAILURE: 1,
  /** Bad command line: unknown flag, missing, repeated or bad value. */
  USAGE: 2,
  /** Interrupted by SIGINT (Ctrl-C): temporary files and new directories removed (the process exits with it). */
  INTERRUPTED: 130,
  /** Terminated by SIGTERM: temporary files and new directories removed (the process exits with it). */
  TERMINATED: 143,
} as const;
/** One of the values of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The program's name, in help and error lines. */
export const PROGRAM = 'focus-stacking';

/** A problem to report as one line, with the exit code it calls for. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

/** A bad command line (exit 2). */
export const usageError = (message: string) => new CliError(message, ExitCode.USAGE);
/** A file that cannot be used, or a failed computation (exit 1). */
export const fileError = (message: string) => new CliError(message, ExitCode.FAILURE);

/** What a command gets to run. */
export interface CommandContext {
  /** Help and version text. */
  stdout: TextSink;
  /** Progress lines, `warning: ...` lines. */
  stderr: TextSink;
}

/**
 * One command: `focus-stacking NAME ...`, or the default form when `name` is
 * undefined. Its `run` throws a {@link CliError} (or any error) for the one
 * line on stderr; `index.ts` reports it and undoes what the run left.
 */
export interface Command {
  /** The word that selects it (`stack`), or undefined for the default form (`--back B --front F ...`). */
  readonly name: string | undefined;
  /** One line for a list of commands. */
  readonly summary: string;
  /** True for a command that answers SIGINT and SIGTERM itself (`worker`): it runs without the cleanup handlers. */
  readonly ownsSignals?: boolean;
  /**
   * Run with the arguments after the command's name.
   *
   * @returns The exit code (help shown, or outputs written).
   */
  run(argv: string[], context: CommandContext): Promise<ExitCode>;
}
