/** The subcommands of `atlas-ops`, by name. */
import { startCommand } from './start.ts';

export interface Command {
  /** One line for `atlas-ops help`. */
  summary: string;
  /** Runs the command with its own arguments; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Wrong usage: printed as a message, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const helpCommand: Command = {
  summary: 'list the commands',
  async run() {
    const lines = [...commands].map(([name, command]) => `  ${name.padEnd(12)} ${command.summary}`);
    process.stdout.write(`Usage: atlas-ops <command> [options]\n\nCommands:\n${lines.join('\n')}\n`);
    return 0;
  },
};

export const commands = new Map<string, Command>([
  ['start', startCommand],
  ['help', helpCommand],
]);
