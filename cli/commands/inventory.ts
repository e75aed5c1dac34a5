/**
 * `atlas-ops inventory`: the inventory job from a laptop, against real Atlas (credentials from the standard
 * environment variables or `--secret-id`) or the simulator (`MONGODB_ATLAS_BASE_URL`, or the running local
 * stack's when no credentials are given). Writes the snapshot, CSV and HTML report under `--out`, and
 * compares with the previous run found there.
 * Exit codes: 0 every project read; 1 partial (some projects failed or the run was cut short); 2 nothing read
 * or bad usage.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AtlasConnectionError } from '../../shared/atlas/connection.ts';
import { AtlasError } from '../../shared/atlas/index.ts';
import { objectId } from '../../shared/atlas/validation.ts';
import { SnapshotStoreError } from '../../shared/aws/errors.ts';
import { FileSnapshotStore } from '../../shared/inventory/adapters/snapshot-store.ts';
import { InventoryError } from '../../shared/inventory/errors.ts';
import { parseFindingRules } from '../../shared/inventory/findings.ts';
import { runInventory } from '../../shared/inventory/run.ts';
import { CREDENTIALS_HELP, withCliAtlasSession } from '../atlas-session.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { formatInventorySummary } from '../format/inventory-summary.ts';

const USAGE = `Usage: atlas-ops inventory [--out DIR] [--format json,csv,html] [--org ID]... [--project ID]...
                          [--concurrency N] [--rules FILE] [--secret-id NAME_OR_ARN] [--quiet]

Lists every cluster of every project the credentials can see (or of the organizations and projects named),
flags risky settings, writes a dated snapshot, a CSV and an HTML report under --out, prints a summary, and
compares with the previous run found there.

Options:
  --out DIR                  where the reports go and the previous run is read (default ./atlas-inventory)
  --format json,csv,html     the files to write (default all three; the JSON snapshot is always written)
  --org ID                   only this organization's projects (24 hex digits; repeat or comma-separate)
  --project ID               only this project (24 hex digits; repeat or comma-separate)
  --concurrency N            Atlas calls in flight, 1 to 64 (default 12)
  --rules FILE               the findings' settings, JSON, e.g. {"cluster-paused": {"enabled": false}}
  --secret-id NAME_OR_ARN    read Atlas credentials from this Secrets Manager secret (see below)
  --quiet                    no progress on stderr
  -h, --help                 show this help

${CREDENTIALS_HELP}

Exit codes: 0 every project read; 1 partial (some projects failed, or the run was cut short); 2 nothing read,
or bad usage.`;

export const inventoryCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(args, USAGE, {
      out: { type: 'string' },
      format: { type: 'string' },
      org: { type: 'string', multiple: true },
      project: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      rules: { type: 'string' },
      'secret-id': { type: 'string' },
      quiet: { type: 'boolean' },
    });
    if (!parsed) return 0;
    const { values } = parsed;
    const orgIds = checkedIds('--org', values.org as string[] | undefined);
    const projectIds = checkedIds('--project', values.project as string[] | undefined);
    const concurrency = Number(values.concurrency ?? 12);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new UsageError(`--concurrency must be a whole number from 1 to 64\n${USAGE}`);
    }
    const outDir = resolve(String(values.out ?? 'atlas-inventory'));
    const formats = parseFormats(values.format as string | undefined);

    try {
      const rules = parseFindingRules(values.rules ? await readRules(String(values.rules)) : {});
      const store = new FileSnapshotStore({ dir: outDir });
      const progress = values.quiet ? undefined : progressReporter();
      const { snapshot, stored } = await withCliAtlasSession(
        values['secret-id'] as string | undefined,
        USAGE,
        (session) =>
          session.run((atlas) =>
            runInventory({
              atlas,
              store,
              orgIds,
              projectIds,
              concurrency,
              rules,
              formats,
              ...(progress ? { onProgress: progress } : {}),
            }),
          ),
      );
      if (progress) process.stderr.write('\n');
      const files = [
        stored.keys.html && `Report: ${stored.keys.html}`,
        stored.keys.csv && `CSV:    ${stored.keys.csv}`,
        `JSON:   ${stored.keys.json}`,
      ].filter(Boolean);
      process.stdout.write(`${formatInventorySummary(snapshot)}\n\n${files.join('\n')}\n`);
      return snapshot.errors.length > 0 || snapshot.partial ? 1 : 0;
    } catch (error) {
      // Expected failures: one message, no stack. Nothing was written (the store writes the pointer last).
      if (
        error instanceof AtlasConnectionError ||
        error instanceof SnapshotStoreError ||
        error instanceof InventoryError ||
        error instanceof AtlasError
      ) {
        process.stderr.write(`atlas-ops inventory: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
  },
};

function checkedIds(flag: string, ids: string[] | undefined): string[] {
  const list = (ids ?? [])
    .flatMap((id) => id.split(','))
    .map((id) => id.trim())
    .filter(Boolean);
  const bad = list.filter((id) => !objectId.safeParse(id).success);
  if (bad.length > 0)
    throw new UsageError(`${flag} takes 24-character hexadecimal ids; not one: ${bad.join(', ')}`);
  return list;
}

async function readRules(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--rules: cannot read ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--rules: ${path} is not JSON`);
  }
}

/** Progress on stderr: a rewritten line on a terminal, a line every tenth otherwise. */
function progressReporter(): (done: number, total: number) => void {
  let lastTenth = -1;
  return (done, total) => {
    if (process.stderr.isTTY) {
      process.stderr.write(`\rprojects read: ${done}/${total}`);
      return;
    }
    const tenth = Math.floor((done / total) * 10);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      process.stderr.write(`projects read: ${done}/${total}\n`);
    }
  };
}

/**
 * `--format json,csv,html`: which files to write. The JSON snapshot is written whatever is asked, since the
 * next run compares with it; `--format json` leaves out the two renderings.
 */
function parseFormats(value: string | undefined): { csv: boolean; html: boolean } {
  if (value === undefined) return { csv: true, html: true };
  const asked = value.split(',').map((f) => f.trim().toLowerCase());
  const unknown = asked.filter((f) => !['json', 'csv', 'html'].includes(f));
  if (unknown.length > 0)
    throw new UsageError(`--format takes json, csv and html; not: ${unknown.join(', ')}`);
  return { csv: asked.includes('csv'), html: asked.includes('html') };
}
