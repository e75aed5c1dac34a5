/** The subcommands of `atlas-ops`, by name; each is loaded only when it runs, so one cannot slow another. */

import type { Command } from '../command.ts';

interface CommandEntry {
  /** One line for `atlas-ops help`. */
  summary: string;
  load(): Promise<Command>;
}

const helpCommand: Command = {
  async run() {
    const lines = [...commands].map(([name, entry]) => `  ${name.padEnd(12)} ${entry.summary}`);
    process.stdout.write(`Usage: atlas-ops <command> [options]\n\nCommands:\n${lines.join('\n')}\n`);
    return 0;
  },
};

export const commands = new Map<string, CommandEntry>([
  [
    'start',
    {
      summary: 'run the local stack: Atlas simulator, AWS stand-ins, the inventory on its schedule',
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
      summary: 'show the status record of an operation',
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
    'simulator',
    {
      summary: 'run the Atlas Administration API simulator on 127.0.0.1',
      load: async () => (await import('./simulator.ts')).simulatorCommand,
    },
  ],
  ['help', { summary: 'list the commands', load: async () => helpCommand }],
]);
