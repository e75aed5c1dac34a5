/**
 * The subcommands of `atlas-ops`, by name, and `atlas-ops help`; each command is loaded only when it runs,
 * so one cannot slow another. A command's usage text lives in its own module and is printed by its own
 * `--help`; `atlas-ops help COMMAND` asks the command for it, so the two can never differ.
 */

import { nearestName } from '../../shared/config/near-names.ts';
import { type Command, UsageError } from '../command.ts';

interface CommandEntry {
  /** One line for `atlas-ops help`. */
  summary: string;
  load(): Promise<Command>;
}

const helpCommand: Command = {
  async run(args) {
    const [name] = args;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(commandList());
      return 0;
    }
    return (await findCommand(name).load()).run(['--help']);
  },
};

export const commands = new Map<string, CommandEntry>([
  [
    'start',
    {
      summary:
        'run the local stack: Atlas simulator, AWS stand-ins, the workers, the inventory on its schedule',
      load: async () => (await import('./start.ts')).startCommand,
    },
  ],
  [
    'inventory',
    {
      summary: 'run the cluster inventory against Atlas (or the simulator) and write its reports',
      load: async () => (await import('./inventory.ts')).inventoryCommand,
    },
  ],
  [
    'run',
    {
      summary: 'execute one provisioning operation directly (FILE or - for stdin)',
      load: async () => (await import('./run.ts')).runCommand,
    },
  ],
  [
    'enqueue',
    {
      summary: 'send operations to the provisioning queue (the local stack by default)',
      load: async () => (await import('./enqueue.ts')).enqueueCommand,
    },
  ],
  [
    'status',
    {
      summary: 'show the status record of an operation (--watch: until it succeeds or fails)',
      load: async () => (await import('./status.ts')).statusCommand,
    },
  ],
  [
    'dlq',
    {
      summary: 'list, redrive or purge the provisioning dead-letter queue (the local stack by default)',
      load: async () => (await import('./dlq.ts')).dlqCommand,
    },
  ],
  [
    'access',
    {
      summary: 'list the temporary access in force: database users and project roles, until when, for whom',
      load: async () => (await import('./access.ts')).accessCommand,
    },
  ],
  [
    'sync',
    {
      summary: 'make Atlas access lists match a desired-state file (plan; --apply to change them)',
      load: async () => (await import('./sync.ts')).syncCommand,
    },
  ],
  [
    'webhook',
    {
      summary: 'sign a ticketing-system delivery and print a curl command for the webhook intake',
      load: async () => (await import('./webhook.ts')).webhookCommand,
    },
  ],
  [
    'policy',
    {
      summary: 'check an operation policy file: who may ask for what, where, with how many approvers',
      load: async () => (await import('./policy.ts')).policyCommand,
    },
  ],
  [
    'simulator',
    {
      summary: 'run the Atlas Administration API simulator on 127.0.0.1',
      load: async () => (await import('./simulator.ts')).simulatorCommand,
    },
  ],
  ['help', { summary: 'list the commands; help COMMAND shows its options', load: async () => helpCommand }],
]);

/** The command called `name`; a usage error naming the nearest one when there is no such command. */
export function findCommand(name: string): CommandEntry {
  const entry = commands.get(name);
  if (entry) return entry;
  const near = name.startsWith('-') ? undefined : nearestName(name, commands.keys());
  throw new UsageError(
    `unknown command "${name}"${near ? `; did you mean "${near}"?` : '.'} Run "atlas-ops help" for the list.`,
  );
}

/** What `atlas-ops help` prints. */
function commandList(): string {
  const lines = [...commands].map(([name, entry]) => `  ${name.padEnd(11)} ${entry.summary}`);
  return [
    'Usage: atlas-ops COMMAND [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    "  -h, --help     this list (atlas-ops help COMMAND, or atlas-ops COMMAND --help: that command's options)",
    '  -v, --version  the version of atlas-ops',
    '',
  ].join('\n');
}
