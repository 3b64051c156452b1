/**
 * The command line: `focus-stacking [COMMAND] ...`.
 *
 * {@link main} picks the command (the first argument when it names one, else
 * the default form, `--back B --front F --output DIR`), runs it with signal
 * handlers that clean up, and reports any failure as one line on stderr. A
 * new command is one file exporting a {@link Command}, added to `COMMANDS`.
 */
import { CliError, ExitCode, PROGRAM, type CliStreams, type Command } from './command.js';
import { errorText } from './flags.js';
import { evaluateCliCommand } from './evaluate.js';
import { pairCommand } from './pair.js';
import { stackCommand } from './stack.js';
import { batchCommand } from './batch.js';
import { enqueueCommand } from './enqueue.js';
import { queueCommand } from './queue.js';
import { webCommand } from './web.js';
import { workerCommand } from './worker.js';
import { cleanUpRun, endRun, withSignalCleanup } from './signals.js';

export { ExitCode, type CliStreams, type TextSink } from './command.js';

/** The commands; the one without a name is the default. */
const COMMANDS: readonly Command[] = [pairCommand, stackCommand, evaluateCliCommand, batchCommand, workerCommand, enqueueCommand, queueCommand, webCommand];

/** The command that `argv` asks for, and its arguments. */
function dispatch(argv: string[]): [Command, string[]] {
  const named = COMMANDS.find((c) => c.name !== undefined && c.name === argv[0]);
  if (named) return [named, argv.slice(1)];
  const fallback = COMMANDS.find((c) => c.name === undefined);
  if (fallback === undefined) throw new Error('no default command');
  return [fallback, argv];
}

/**
 * Run the command line.
 *
 * While a command runs, SIGINT and SIGTERM remove the run's temporary files
 * and the directories it created, then end the process with 130 or 143.
 *
 * @param argv - The arguments, without `node` and the script (`process.argv.slice(2)`).
 * @param io - Where to write; see {@link CliStreams}.
 * @returns The exit code, see {@link ExitCode}; the caller sets `process.exitCode`.
 */
export async function main(argv: string[], io: CliStreams = {}): Promise<ExitCode> {
  const { stdout = process.stdout, stderr = process.stderr } = io;
  try {
    const [command, rest] = dispatch(argv);
    // A command that owns its signals (the worker drains its jobs on SIGTERM) runs without the cleanup handlers.
    const run = () => command.run(rest, { stdout, stderr });
    const code = command.ownsSignals ? await run() : await withSignalCleanup(run, stderr);
    endRun();
    return code;
  } catch (error) {
    cleanUpRun();
    const { message, exitCode } = error instanceof CliError ? error : { message: errorText(error), exitCode: ExitCode.FAILURE };
    stderr.write(`${PROGRAM}: ${message}\n`);
    return exitCode;
  }
}
