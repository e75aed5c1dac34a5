#!/usr/bin/env node
/**
 * The `atlas-ops` command. Each subcommand lives in cli/commands/ and is looked up here by name; expected
 * failures (bad usage, bad input, Atlas errors) print one message and set the exit code, never a stack.
 */
import { UsageError } from './command.ts';
import { commands } from './commands/index.ts';

// A reader that stops early (`atlas-ops help | head -1`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

async function main(argv: string[]): Promise<number> {
  const [name = 'help', ...rest] = argv;
  const entry = commands.get(name);
  if (!entry) throw new UsageError(`unknown command "${name}". Run "atlas-ops help" for the list.`);
  return (await entry.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`atlas-ops: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`atlas-ops: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
