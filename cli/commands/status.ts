/**
 * `atlas-ops status ID [--dry-run]`: the status record of an operation's real run, or of its dry run
 * (PENDING … SUCCEEDED/FAILED, attempts, result or error) — from the local stack's table by default, or any table with `--table`.
 * Exit codes: 0 found; 1 no record for that id; 2 bad usage.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStatusStore } from '../../shared/aws/status-store.ts';
import { statusRecordId } from '../../shared/operations/status.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { readLocalStackFile } from '../local-stack-file.ts';

const USAGE = `Usage: atlas-ops status ID [--dry-run] [--table NAME]
Shows the real run of the operation; --dry-run shows the record of its dry run instead.`;

export const statusCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(
      args,
      USAGE,
      {
        table: { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
      { positionals: true },
    );
    if (!parsed) return 0;
    const id = parsed.positionals[0];
    if (!id) throw new UsageError(`name the operation id\n${USAGE}`);
    const local = parsed.values.table ? undefined : await readLocalStackFile('pass --table');
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
        table: parsed.values.table ?? local?.table ?? '',
      });
      const dryRun = parsed.values['dry-run'] === true;
      const record = await store.get(statusRecordId(id, dryRun));
      if (!record) {
        // Point at the other record when only that one exists: a dry run is easy to mistake for the real one.
        const other = await store.get(statusRecordId(id, !dryRun));
        const hint = other
          ? ` (there is one for its ${dryRun ? 'real run' : 'dry run'}: ${dryRun ? 'drop' : 'add'} --dry-run)`
          : '';
        process.stderr.write(
          `atlas-ops status: no status record for ${dryRun ? 'the dry run of ' : ''}${id}${hint}\n`,
        );
        return 1;
      }
      process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
      return 0;
    } finally {
      dynamo.destroy();
    }
  },
};
