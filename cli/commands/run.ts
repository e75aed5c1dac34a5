/**
 * `atlas-ops run FILE|-`: executes one operation directly against Atlas (or the simulator: the running local
 * stack's when no credentials are given), with the same validation, idempotency rules and executors as the
 * provisioning worker.
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
import { CREDENTIALS_HELP, withCliAtlasSession } from '../atlas-session.ts';
import { type Command, parseCommandArgs } from '../command.ts';
import { InputProblems, parseJsonInput, problemLines, readInput, refuseInput } from '../input.ts';

const USAGE = `Usage: atlas-ops run FILE|- [--dry-run] [--secret-id NAME_OR_ARN]

Executes the one operation message in FILE (- reads standard input) against Atlas, with the provisioning
worker's checks, idempotency and executors, and prints the result as JSON. FILE holds one message, e.g.
{"type": "projectAccessList.add", "params": {"groupId": "…", "entries": [{"ipAddress": "…"}]}}; an
invalid one is refused before anything is sent, each bad field named.

Options:
  --dry-run                  print the requests it would send, send none (needs no credentials)
  --secret-id NAME_OR_ARN    read Atlas credentials from this Secrets Manager secret (see below)
  -h, --help                 show this help

${CREDENTIALS_HELP}

Exit codes: 0 done; 1 Atlas refused or failed it (its errorCode and detail); 2 not a valid operation, or bad
usage.`;

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
    const source = positionals[0] ?? '-';
    const text = await readInput(positionals[0], USAGE);
    let operation: ReturnType<typeof parseOperationMessage>;
    try {
      parseJsonInput(text, source);
      operation = parseOperationMessage(text);
    } catch (error) {
      const refused = 'not a valid operation; nothing sent to Atlas';
      if (error instanceof InputProblems) return refuseInput('run', error, refused);
      if (!(error instanceof InvalidOperationError)) throw error;
      return refuseInput('run', new InputProblems(problemLines(source, error.problems)), refused);
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
