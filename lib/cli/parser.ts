/**
 * What every command's yargs parser shares: strict flags, `-h`, no help on
 * failure, no exit, and yargs's own failures turned into the one-line
 * usage error; and the exit status line of the help.
 */
import type { Argv } from 'yargs';
import { ExitCode, usageError } from './command.js';
import { errorText, yargsMessage } from './flags.js';

/** The help's last line: what each exit status means. */
export const EXIT_STATUS =
  `Exit status: ${ExitCode.OK} success; ${ExitCode.FAILURE} an input or output file problem; ${ExitCode.USAGE} a bad flag or value; ` +
  `${ExitCode.INTERRUPTED} interrupted (SIGINT), ${ExitCode.TERMINATED} terminated (SIGTERM), temporary files removed.`;

/**
 * Finish a command's parser the way every command does.
 *
 * @param parser - The parser with the command's usage, options and examples.
 * @param version - The version to show for `--version`, or false for none.
 * @param word - Rewords a yargs failure message (already made one line); the identity if omitted.
 * @returns The parser.
 */
export function finishParser<T>(parser: Argv<T>, version: string | false, word: (message: string) => string = (m) => m): Argv<T> {
  const common = parser.wrap(100).strict().help().alias('help', 'h');
  return (version === false ? common.version(false) : common.version(version))
    .showHelpOnFail(false)
    .exitProcess(false)
    .fail((message, error) => {
      throw usageError(word(yargsMessage(message ?? errorText(error))));
    });
}

/**
 * Parse a command's arguments; when they ask for the help or the version,
 * write it to `stdout` instead.
 *
 * @param parser - The command's finished parser.
 * @param argv - Its arguments.
 * @param stdout - Where the help or version goes.
 * @returns The parsed arguments, or undefined when the help or version was written.
 * @throws CliError (usage) for what yargs refuses.
 */
export function parseOrHelp<T>(parser: Argv<T>, argv: readonly string[], stdout: { write(text: string): unknown }): ReturnType<Argv<T>['parseSync']> | undefined {
  let text = '';
  const args = parser.parseSync([...argv], {}, (_error, _argv, output) => {
    text = output;
  });
  if (text === '') return args;
  stdout.write(`${text}\n`);
  return undefined;
}
