/**
 * What every `atlas-ops` subcommand is, and the one error that means "used wrongly". Kept apart from the
 * registry (commands/index.ts), which loads the commands, so that no command imports its own loader.
 */

export interface Command {
  /** Runs the command with its own arguments; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Wrong usage: printed as a message, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
