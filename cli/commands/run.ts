/**
 * `atlas-ops run FILE|-`: executes one operation directly against Atlas (or the simulator), with the same
 * validation, idempotency rules and executors as the provisioning worker.
 * Exit codes: 0 done (the result JSON on stdout); 1 Atlas refused or failed it (errorCode and detail);
 * 2 not a valid operation (each bad field named) or bad usage.
 */
import { AtlasConnectionError } from '../../shared/atlas/connection.ts';
import { AtlasError } from '../../shared/atlas/index.ts';
import {
  InvalidOperationError,
  OperationError,
  PermanentOperationError,
} from '../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../shared/operations/message.ts';
import { dryRunResult, runOperation } from '../../shared/operations/run.ts';
import { withCliAtlasSession } from '../atlas-session.ts';
import { type Command, parseCommandArgs } from '../command.ts';
import { readInput } from '../input.ts';

const USAGE = `Usage: atlas-ops run FILE|- [--secret-id NAME_OR_ARN] [--dry-run]
FILE holds one operation message: {"type": "projectAccessList.add", "params": {…}}. Credentials as for
"atlas-ops inventory" (MONGODB_ATLAS_* variables or --secret-id; MONGODB_ATLAS_BASE_URL for the simulator).`;

export const runCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(
      args,
      USAGE,
      {
        'secret-id': { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
      { positionals: true },
    );
    if (!parsed) return 0;
    const { values, positionals } = parsed;
    const text = await readInput(positionals[0], USAGE);
    let operation: ReturnType<typeof parseOperationMessage>;
    try {
      operation = parseOperationMessage(text);
    } catch (error) {
      if (!(error instanceof InvalidOperationError)) throw error;
      const fields = error.problems.map((p) => `\n  ${p.field}: ${p.description}`).join('');
      process.stderr.write(`atlas-ops run: not a valid operation (${error.reason})${fields}\n`);
      return 2;
    }
    if (values['dry-run']) operation = { ...operation, dryRun: true };
    const checked = operation;
    try {
      // A dry run sends nothing, so it needs no credentials.
      const result = checked.dryRun
        ? dryRunResult(checked)
        : await withCliAtlasSession(values['secret-id'], USAGE, (session) =>
            session.run(async (atlas) => (await runOperation(checked, { atlas })).result),
          );
      process.stdout.write(
        `${JSON.stringify({ id: operation.id, type: operation.type, status: 'SUCCEEDED', result }, null, 2)}\n`,
      );
      return 0;
    } catch (error) {
      if (error instanceof PermanentOperationError) {
        process.stderr.write(
          `atlas-ops run: ${operation.type} failed: ${error.errorCode}: ${error.detail}\n`,
        );
        return 1;
      }
      if (
        error instanceof OperationError ||
        error instanceof AtlasConnectionError ||
        error instanceof AtlasError
      ) {
        process.stderr.write(`atlas-ops run: ${operation.type} failed: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
