/**
 * `atlas-ops start` (`npm start`): the whole system on this machine, no cloud account. Starts the Atlas
 * simulator and the local AWS stand-ins, runs the inventory handler as Lambda would, prints the summary and
 * where the report is, then keeps the stack up — the provisioning worker draining its queue, the inventory
 * re-running on its schedule — until Ctrl-C (`--once`: one inventory, then exit).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SeedError } from '../../local/atlas-simulator/index.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import type { Snapshot } from '../../shared/inventory/model.ts';
import { type Command, UsageError } from '../command.ts';
import { formatInventorySummary } from '../format/inventory-summary.ts';
import { removeLocalStackFile, writeLocalStackFile } from '../local-stack-file.ts';

const USAGE = 'Usage: atlas-ops start [--once] [--every SECONDS] [--seed demo|large:PxC|FILE] [--out DIR]';

export const startCommand: Command = {
  async run(args) {
    let values: { once?: boolean; every?: string; seed?: string; out?: string; help?: boolean };
    try {
      ({ values } = parseArgs({
        args,
        options: {
          once: { type: 'boolean' },
          every: { type: 'string' },
          seed: { type: 'string' },
          out: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }));
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\n${USAGE}`);
    }
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const everySeconds = Number(values.every ?? 300);
    if (!Number.isInteger(everySeconds) || everySeconds < 10) {
      throw new UsageError(`--every must be a whole number of seconds, at least 10\n${USAGE}`);
    }
    const outDir = resolve(values.out ?? '.atlas-ops/inventory');
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

    let stack: LocalStack;
    try {
      stack = await startLocalStack({
        simulator: { seed: values.seed ?? 'demo' },
        provisioning: !values.once,
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
          pid: process.pid,
        });
      }
      process.stdout.write(
        [
          '',
          `Local stack running. Atlas simulator: ${simulator.url} (service account ${simulator.clientId}; see README "Atlas simulator").`,
          ...(provisioning
            ? ['Provisioning worker listening: npx atlas-ops enqueue FILE, then npx atlas-ops status ID.']
            : []),
          `Next inventory in ${everySeconds} s; Ctrl-C to stop.`,
          '',
        ].join('\n'),
      );
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
  },
};
