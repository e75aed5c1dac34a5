/**
 * What every `atlas-ops` subcommand is, and the one error that means "used wrongly". Kept apart from the
 * registry (commands/index.ts), which loads the commands, so that no command imports its own loader.
 */

import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { nearestName } from '../shared/config/near-names.ts';

export interface Command {
  /** Runs the command with its own arguments; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Wrong usage: printed as a message, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Parses a command's arguments with `--help`/`-h` added. Bad arguments are a `UsageError` carrying the usage
 * text; `--help` prints the usage and resolves to `undefined` (the command then exits 0). A usage text is the
 * synopsis (`Usage: atlas-ops …` lines), a blank line, then what the command does and each option explained:
 * `--help` and `atlas-ops help COMMAND` print it all, a usage error only the synopsis (cli/atlas-ops.ts).
 *
 * @example
 * const parsed = parseCommandArgs(args, USAGE, { apply: { type: 'boolean' } });
 * if (!parsed) return 0;
 */
export function parseCommandArgs<const Options extends ParseArgsOptionsConfig>(
  args: string[],
  usage: string,
  options: Options,
  { positionals = false }: { positionals?: boolean } = {},
) {
  let parsed: ReturnType<typeof parseWithHelp<Options>>;
  try {
    parsed = parseWithHelp(args, options, positionals);
  } catch (error) {
    throw new UsageError(`${argumentProblem(error as NodeJS.ErrnoException, options)}\n${usage}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    return undefined;
  }
  return parsed;
}

function parseWithHelp<const Options extends ParseArgsOptionsConfig>(
  args: string[],
  options: Options,
  allowPositionals: boolean,
) {
  return parseArgs({ args, options: { ...options, ...HELP }, allowPositionals, strict: true });
}

/** parseArgs's complaint, in a line: an unknown option names the nearest known one. */
function argumentProblem(error: NodeJS.ErrnoException, options: ParseArgsOptionsConfig): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message)?.[1];
  if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || unknown === undefined) return error.message;
  const known = [...Object.keys(options), 'help'].map((name) => `--${name}`);
  const near = nearestName(unknown, known);
  return `unknown option ${unknown}${near ? `; did you mean ${near}?` : ''}`;
}
