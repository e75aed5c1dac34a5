/**
 * The `atlas-ops` command, run by cli/atlas-ops.mjs once it has checked the Node version. Each subcommand
 * lives in cli/commands/ and is looked up here by name; expected failures (bad usage, bad input, Atlas
 * errors) print one message and set the exit code, never a stack.
 */
import { UsageError } from './command.ts';
import { findCommand } from './commands/index.ts';

// A reader that stops early (`atlas-ops help | head -1`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

async function main(argv: string[]): Promise<number> {
  const [first = 'help', ...rest] = argv;
  if (first === '--version' || first === '-v') {
    const { default: manifest } = await import('../package.json', { with: { type: 'json' } });
    process.stdout.write(`atlas-ops ${manifest.version}\n`);
    return 0;
  }
  const name = first === '--help' || first === '-h' ? 'help' : first;
  return (await findCommand(name).load()).run(rest);
}

/**
 * A usage error's message, with the command's usage text cut to its synopsis: a usage text is the synopsis,
 * a blank line, then the explanation and the options, which `--help` prints in full.
 */
function shortened(message: string, command: string | undefined): string {
  const blank = message.indexOf('\n\n');
  if (blank < 0) return message;
  const help = command && command !== 'help' ? `atlas-ops ${command} --help` : 'atlas-ops help';
  return `${message.slice(0, blank)}\n(${help} explains every option)`;
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`atlas-ops: ${shortened(error.message, argv[0])}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`atlas-ops: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
