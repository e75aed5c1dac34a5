/**
 * `atlas-ops status ID [--dry-run] [--watch]`: the status record of an operation's real run, or of its dry
 * run (PENDING … SUCCEEDED/FAILED, attempts, result or error) — from the local stack's table by default, or
 * any table with `--table`. `--watch` reads it until the operation ends, a line on stderr at each change.
 * Exit codes: 0 SUCCEEDED or not ended yet; 1 FAILED, or no record for that id; 2 bad usage; 3 `--watch` gave
 * up before the operation ended.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStatusStore } from '../../shared/operations/adapters/status-store.ts';
import { type OperationStatusRecord, statusRecordId } from '../../shared/operations/status.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { readLocalStackFile } from '../local-stack-file.ts';

const FINAL_STATUSES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED']);

/** How long `--watch` waits by default: past the first retries of a throttled operation (30 s, 60 s, 2 min). */
const DEFAULT_TIMEOUT_SECONDS = 300;

const USAGE = `Usage: atlas-ops status ID [--dry-run] [--watch [--timeout SECONDS] [--interval SECONDS]] [--table NAME]

Prints the status record of operation ID (the id atlas-ops enqueue printed) as JSON: AWAITING_APPROVAL
(with who has approved and who may still), PENDING, RUNNING, RETRYING, SUCCEEDED or FAILED, its attempts,
and its result or last error. With --watch it waits until the
operation has SUCCEEDED or FAILED, with a line on stderr each time the status changes, then prints the record.

Options:
  --dry-run            the record of the operation's dry run instead of its real run
  --watch              wait for the operation to end, telling each change of its status on stderr
  --timeout SECONDS    with --watch: give up after SECONDS (default ${DEFAULT_TIMEOUT_SECONDS}; 0 waits for ever)
  --interval SECONDS   with --watch: read the record every SECONDS (default 1)
  --table NAME         read this DynamoDB table, with your AWS credentials (default: the table of the
                       local stack running in this folder, npm start)
  -h, --help           show this help

Exit codes: 0 SUCCEEDED, or not ended yet (AWAITING_APPROVAL, PENDING, RUNNING, RETRYING); 1 FAILED, or no
record for ID; 2 bad usage; 3 --watch gave up (--timeout) before the operation ended.`;

type Store = Pick<DynamoStatusStore, 'get'>;

export const statusCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(
      args,
      USAGE,
      {
        table: { type: 'string' },
        'dry-run': { type: 'boolean' },
        watch: { type: 'boolean' },
        timeout: { type: 'string' },
        interval: { type: 'string' },
      },
      { positionals: true },
    );
    if (!parsed) return 0;
    const { values, positionals } = parsed;
    const [id, extra] = positionals;
    if (!id) throw new UsageError(`name the operation id\n${USAGE}`);
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"\n${USAGE}`);
    if (!values.watch && (values.timeout !== undefined || values.interval !== undefined)) {
      throw new UsageError(`--timeout and --interval go with --watch\n${USAGE}`);
    }
    const timeoutSeconds = seconds('timeout', values.timeout, DEFAULT_TIMEOUT_SECONDS, 0);
    const intervalSeconds = seconds('interval', values.interval, 1, 0.05);
    const local = values.table ? undefined : await readLocalStackFile('pass --table');
    const dynamo = local
      ? new DynamoDBClient({
          endpoint: local.dynamoEndpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        })
      : new DynamoDBClient({});
    try {
      const store = new DynamoStatusStore({
        client: DynamoDBDocumentClient.from(dynamo),
        table: values.table ?? local?.table ?? '',
      });
      const dryRun = values['dry-run'] === true;
      const key = statusRecordId(id, dryRun);
      const record = values.watch
        ? await watch(store, key, id, {
            timeoutMs: timeoutSeconds * 1000,
            intervalMs: intervalSeconds * 1000,
          })
        : await store.get(key);
      if (record === 'timed out') {
        const last = await store.get(key);
        if (last) {
          process.stderr.write(
            `atlas-ops status: gave up after ${timeoutSeconds} s: ${id} is still ${last.status} ` +
              '(--timeout SECONDS waits longer, 0 for ever)\n',
          );
          return 3;
        }
        return noRecord(store, id, dryRun, ` after waiting ${timeoutSeconds} s`);
      }
      if (!record) return noRecord(store, id, dryRun, '');
      process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
      return record.status === 'FAILED' ? 1 : 0;
    } finally {
      dynamo.destroy();
    }
  },
};

/** A whole or decimal number of seconds, at least `min`; `fallback` when the option is not given. */
function seconds(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > 86_400) {
    throw new UsageError(
      `--${name} must be a number of seconds from ${min} to 86400, got "${value}"\n${USAGE}`,
    );
  }
  return parsed;
}

/**
 * Reads the record every `intervalMs` until its status is SUCCEEDED or FAILED, writing a line to stderr
 * whenever what it shows changes; 'timed out' once `timeoutMs` (0: never) has passed first.
 */
async function watch(
  store: Store,
  key: string,
  id: string,
  { timeoutMs, intervalMs }: { timeoutMs: number; intervalMs: number },
): Promise<OperationStatusRecord | 'timed out'> {
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
  let shown: string | undefined;
  for (;;) {
    const record = await store.get(key);
    const line = record ? progressOf(record) : 'no status record yet (the worker has not picked it up)';
    if (line !== shown) {
      process.stderr.write(`${new Date().toTimeString().slice(0, 8)}  ${id}  ${line}\n`);
      shown = line;
    }
    if (record && FINAL_STATUSES.has(record.status)) return record;
    const left = deadline - Date.now();
    if (left <= 0) return 'timed out';
    await sleep(Math.min(intervalMs, left));
  }
}

/** `RUNNING (attempt 2)`, `RETRYING after attempt 1: RATE_LIMITED`, `FAILED after attempt 1: CODE`. */
function progressOf(record: OperationStatusRecord): string {
  const attempt = `attempt ${record.attempts}`;
  switch (record.status) {
    case 'AWAITING_APPROVAL':
      return `AWAITING_APPROVAL (${record.decision?.approvedBy.length ?? 0} of ${record.approvalsNeeded ?? '?'} approvals${record.decision?.approvedBy.length ? `: ${record.decision.approvedBy.join(', ')}` : ''})`;
    case 'PENDING':
      return 'PENDING';
    case 'RUNNING':
    case 'SUCCEEDED':
      return `${record.status} (${attempt})`;
    case 'RETRYING':
    case 'FAILED':
      return `${record.status} after ${attempt}${record.error ? `: ${record.error.errorCode}` : ''}`;
  }
}

/** No record for `id`: says so (pointing at the other record when only that one exists), exit code 1. */
async function noRecord(store: Store, id: string, dryRun: boolean, waited: string): Promise<number> {
  // Point at the other record when only that one exists: a dry run is easy to mistake for the real one.
  const other = await store.get(statusRecordId(id, !dryRun));
  const hint = other
    ? ` (there is one for its ${dryRun ? 'real run' : 'dry run'}: ${dryRun ? 'drop' : 'add'} --dry-run)`
    : '';
  process.stderr.write(
    `atlas-ops status: no status record for ${dryRun ? 'the dry run of ' : ''}${id}${waited}${hint}\n`,
  );
  return 1;
}
