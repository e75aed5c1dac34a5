/**
 * `atlas-ops start` (`npm start`): the whole system on this machine, no cloud account. Starts the Atlas
 * simulator and the local AWS stand-ins, runs the inventory handler as Lambda would, prints the summary and
 * where the report is, then keeps the stack up — the provisioning worker draining its queue, the inventory
 * re-running on its schedule, the access-list sync running on every change of its desired-state file, the
 * webhook intake answering on 127.0.0.1 — until Ctrl-C (`--once`: one inventory, then exit).
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeedError } from '../../local/atlas-simulator/index.ts';
import { LOCAL_GRANTS_SCHEDULE_GROUP, type LocalStack, startLocalStack } from '../../local/stack.ts';
import type { LocalWebhooks } from '../../local/webhooks.ts';
import type { Snapshot } from '../../shared/inventory/model.ts';
import { OPERATION_TYPES } from '../../shared/operations/registry.ts';
import { PolicyError, parsePolicy } from '../../shared/policy/policy.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { formatInventorySummary } from '../format/inventory-summary.ts';
import { type LocalConsole, startLocalConsole } from '../format/local-console.ts';
import {
  claimLocalStack,
  type LocalStackFile,
  removeLocalStackFile,
  writeLocalStackFile,
} from '../local-stack-file.ts';

const USAGE = `Usage: atlas-ops start [--once] [--every SECONDS] [--seed demo|large:PxC|FILE] [--out DIR] [--sync-apply]
                       [--policy FILE]

Runs the whole system on this machine, no cloud account needed (npm start runs it): the Atlas simulator,
local stand-ins for S3, Secrets Manager, SQS and DynamoDB, the inventory (at once, then on its schedule), the
provisioning worker, the access-list sync and the webhook intake, until Ctrl-C. While it runs, atlas-ops
enqueue, status, dlq, webhook, run, sync and inventory in another shell in this folder use it.

Options:
  --once                      run the inventory once, print its summary and exit (nothing stays up)
  --every SECONDS             run the inventory again every SECONDS, at least 10 (default 300)
  --seed demo|large:PxC|FILE  what the Atlas simulator holds: demo (the default: three projects, ten
                              clusters and a flex cluster), large:PxC (P projects of C clusters each, e.g.
                              large:50x20), or FILE, a JSON file shaped like the simulator's state
  --out DIR                   where the inventory reports go (default .atlas-ops/inventory)
  --sync-apply                the access-list sync makes the changes it plans (default: it only plans);
                              its desired state is .atlas-ops/access-list/desired-state.json
  --policy FILE               the operation policy the webhook intake decides by (default the demo's,
                              examples/policy.json; atlas-ops policy check FILE reads one)
  -h, --help                  show this help`;

/** The access-list sync's desired state on this machine: edit it, and the local sync runs (plan mode by default). */
const DESIRED_STATE_FILE = '.atlas-ops/access-list/desired-state.json';
/** Every worker's JSON log lines while the stack runs; the terminal gets one readable line per event. */
const LOG_FILE = '.atlas-ops/local-stack.log';
/** The examples that run against this stack (examples/README.md). */
const EXAMPLES_PAGE = fileURLToPath(new URL('../../examples/README.md', import.meta.url));

export const startCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(args, USAGE, {
      once: { type: 'boolean' },
      every: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      'sync-apply': { type: 'boolean' },
      policy: { type: 'string' },
    });
    if (!parsed) return 0;
    const { values } = parsed;
    const everySeconds = Number(values.every ?? 300);
    if (!Number.isInteger(everySeconds) || everySeconds < 10) {
      throw new UsageError(`--every must be a whole number of seconds, at least 10\n${USAGE}`);
    }
    const outDir = resolve(values.out ?? '.atlas-ops/inventory');
    // One stack per checkout: a second would take the first's local-stack file over and cut its CLI off.
    const claim = values.once ? undefined : await claimLocalStack();
    try {
      return await runStack(values, everySeconds, outDir);
    } finally {
      await claim?.release();
    }
  },
};

interface StartValues {
  once?: boolean;
  seed?: string;
  'sync-apply'?: boolean;
  policy?: string;
}

/** The stack, with the workers' JSON logs in the log file and one line per event on the terminal. */
async function runStack(values: StartValues, everySeconds: number, outDir: string): Promise<number> {
  // The workers log INFO and above, as deployed, to the log file; the terminal tells the story of it.
  process.env.POWERTOOLS_LOG_LEVEL ??= values.once ? 'WARN' : 'INFO';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const terminal: LocalConsole | undefined = values.once ? undefined : startLocalConsole(resolve(LOG_FILE));
  try {
    return await serve(values, everySeconds, outDir, terminal);
  } finally {
    terminal?.restore();
  }
}

async function serve(
  values: StartValues,
  everySeconds: number,
  outDir: string,
  terminal: LocalConsole | undefined,
): Promise<number> {
  // The access-list sync's reports wait until the inventory's summary is out, then print as runs end.
  const syncMode = values['sync-apply'] ? 'apply' : 'plan';
  let syncOutput: string[] | undefined = [];
  const printSync = (text: string) => {
    if (syncOutput) syncOutput.push(text);
    else process.stdout.write(text);
  };
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      simulator: { seed: values.seed ?? 'demo' },
      provisioning: !values.once,
      ...(values.policy ? { policyText: await readPolicy(values.policy) } : {}),
      ...(values.once
        ? {}
        : {
            accessListSync: {
              mode: syncMode,
              desiredStateFile: resolve(DESIRED_STATE_FILE),
              everyMs: 3_600_000,
              onRun: (_summary, text) => printSync(`\n${text ?? ''}`),
              onError: (error) =>
                printSync(`\natlas-ops: access-list sync failed: ${(error as Error).message ?? error}\n`),
            },
          }),
    });
  } catch (error) {
    if (error instanceof SeedError) throw new UsageError(error.message);
    throw error;
  }
  const runOnce = async () => {
    const summary = await stack.invokeInventory();
    const dir = join(outDir, summary.generatedAt.replace(/[:.]/g, '-'));
    const files = await stack.downloadReports(summary, dir);
    const snapshot = JSON.parse(await readFile(files.json, 'utf8')) as Snapshot;
    process.stdout.write(
      `${formatInventorySummary(snapshot)}\n\nReport: ${files.html}\n  CSV:  ${files.csv}\n  JSON: ${files.json}\n`,
    );
  };

  try {
    await runOnce();
    if (values.once) return 0;
    const { simulator, provisioning } = stack;
    if (provisioning) {
      await writeLocalStackFile({
        sqsEndpoint: provisioning.sqsEndpoint,
        queueUrl: provisioning.queueUrl,
        deadLetterQueueUrl: provisioning.deadLetterQueueUrl,
        dynamoEndpoint: provisioning.dynamoEndpoint,
        table: provisioning.table,
        atlasUrl: simulator.url,
        atlas: { url: simulator.url, clientId: simulator.clientId, clientSecret: simulator.clientSecret },
        ...(stack.webhooks ? { webhooks: localWebhooksEntry(stack.webhooks) } : {}),
        ...(stack.notifications ? { tickets: { url: stack.notifications.tickets.url } } : {}),
        scheduler: { url: provisioning.scheduler.endpoint, group: LOCAL_GRANTS_SCHEDULE_GROUP },
        workers: stack.runningWorkers(),
        pid: process.pid,
      });
    }
    process.stdout.write(
      [
        '',
        `Local stack running. Atlas simulator: ${simulator.url} (service account ${simulator.clientId}; see docs/simulator.md).`,
        `Workers: ${stack
          .runningWorkers()
          .map((worker) => worker.name)
          .join(', ')}.`,
        ...(provisioning
          ? ['Provisioning worker listening: npx atlas-ops enqueue FILE, then npx atlas-ops status ID.']
          : []),
        ...(stack.webhooks
          ? [
              `Webhook intake: POST ${stack.webhooks.url}/webhooks/{jira|github|zendesk|servicenow|standard}; ` +
                'npx atlas-ops webhook sign --source jira FILE prints a signed curl (docs/webhooks.md).',
            ]
          : []),
        ...(stack.notifications
          ? [
              `Ticket notifications: outcomes go to the ticketing stand-in at ${stack.notifications.tickets.url}; ` +
                `curl ${stack.notifications.tickets.url}/__received shows them (docs/notifications.md).`,
            ]
          : []),
        ...(stack.accessListSync
          ? [
              `Access-list sync (${syncMode} mode${values['sync-apply'] ? '' : '; --sync-apply to make the changes'}): ` +
                `its desired state is ${stack.accessListSync.desiredStateFile}; edit it and a run starts ` +
                `(mirrored to ${stack.accessListSync.desiredStateUri}; reports under access-list/reports/, printed here).`,
            ]
          : []),
        `Examples: ${shown(EXAMPLES_PAGE)} — one per operation type, the access-list sync and each ticketing system; run them from another shell of this checkout.`,
        ...(terminal
          ? [
              `Logs: ${shown(terminal.logFile)} holds every worker's JSON log lines; this screen shows one line per event.`,
            ]
          : []),
        `Next inventory in ${everySeconds} s; Ctrl-C to stop.`,
        '',
      ].join('\n'),
    );
    for (const text of syncOutput ?? []) process.stdout.write(text);
    syncOutput = undefined;
    await new Promise<void>((resolveStop) => {
      const timer = setInterval(() => {
        runOnce().catch((error: unknown) =>
          process.stderr.write(`atlas-ops: inventory failed: ${String(error)}\n`),
        );
      }, everySeconds * 1000);
      const stop = () => {
        clearInterval(timer);
        resolveStop();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  } finally {
    await removeLocalStackFile();
    await stack.close();
  }
}

/** A path as the user would type it from here: relative when it is below the current folder. */
function shown(path: string): string {
  const from = relative(process.cwd(), path);
  return from.startsWith('..') ? path : from;
}

/** The intake's part of the local-stack file: where it is, its secrets, and who may ask and approve. */
function localWebhooksEntry(webhooks: LocalWebhooks): NonNullable<LocalStackFile['webhooks']> {
  const senders = Object.entries(webhooks.senders);
  return {
    url: webhooks.url,
    secrets: { ...webhooks.secrets },
    scope: Object.fromEntries(senders.map(([source, policy]) => [source, policy.scope])),
    approvers: Object.fromEntries(senders.map(([source, policy]) => [source, policy.approvers])),
  };
}

/** The policy file for the intake, refused before anything starts when it cannot be used (exit 2). */
async function readPolicy(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`--policy: cannot read ${file}`);
  }
  try {
    parsePolicy(text, new Set(OPERATION_TYPES.keys()), file);
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(`--policy: ${error.message}`);
    throw error;
  }
  return text;
}
