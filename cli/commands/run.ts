/**
 * `atlas-ops run FILE|-`: executes one operation directly against Atlas (or the simulator: the running local
 * stack's when no credentials are given), with the same validation, idempotency rules and executors as the
 * provisioning worker.
 * A wide network is refused unless `--allow-wide-networks`, a delete of an address given with `--protect`
 * always (shared/operations/network-safety.ts), both before anything is sent.
 * Exit codes: 0 done (the result JSON on stdout); 1 Atlas refused or failed it (errorCode and detail);
 * 2 not a valid operation (each bad field named), a wide network or protected address refused, or bad usage.
 */

import { isIP } from 'node:net';
import { AtlasConnectionError } from '../../shared/atlas/connection.ts';
import { AtlasError } from '../../shared/atlas/index.ts';
import { isCidrBlock } from '../../shared/atlas/validation.ts';
import {
  InvalidOperationError,
  NetworkSafetyError,
  OperationError,
  PermanentOperationError,
} from '../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../shared/operations/message.ts';
import { checkNetworkSafety, PROTECTED_ADDRESS } from '../../shared/operations/network-safety.ts';
import { dryRunResult, runOperation } from '../../shared/operations/run.ts';
import { CREDENTIALS_HELP, withCliAtlasSession } from '../atlas-session.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { InputProblems, parseJsonInput, problemLines, readInput, refuseInput } from '../input.ts';

const USAGE = `Usage: atlas-ops run FILE|- [--dry-run] [--allow-wide-networks] [--protect ADDRESS]…
                     [--secret-id NAME_OR_ARN]

Executes the one operation message in FILE (- reads standard input) against Atlas, with the provisioning
worker's checks, idempotency and executors, and prints the result as JSON. FILE holds one message, e.g.
{"type": "projectAccessList.add", "params": {"groupId": "…", "entries": [{"ipAddress": "…"}]}}; an
invalid one is refused before anything is sent, each bad field named. So is an add of an entry wider than a
/8 (IPv4) or a /16 (IPv6), alone or with its other entries, and a delete of a protected address.

Options:
  --dry-run                  print the requests it would send, send none (needs no credentials)
  --allow-wide-networks      add wide networks anyway (sets "allowWideNetworks": true on the message)
  --protect ADDRESS          an address or CIDR block a delete may not remove (repeatable; default none)
  --secret-id NAME_OR_ARN    read Atlas credentials from this Secrets Manager secret (see below)
  -h, --help                 show this help

${CREDENTIALS_HELP}

Exit codes: 0 done; 1 Atlas refused or failed it (its errorCode and detail); 2 not a valid operation, a wide
network or a protected address refused (nothing sent), or bad usage.`;

export const runCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(
      args,
      USAGE,
      {
        'secret-id': { type: 'string' },
        'dry-run': { type: 'boolean' },
        'allow-wide-networks': { type: 'boolean' },
        protect: { type: 'string', multiple: true },
      },
      { positionals: true },
    );
    if (!parsed) return 0;
    const { values, positionals } = parsed;
    const protectedAddresses = values.protect ?? [];
    for (const address of protectedAddresses) {
      if (isIP(address) === 0 && !isCidrBlock(address)) {
        throw new UsageError(`--protect takes an IP address or a CIDR block, not ${address}\n${USAGE}`);
      }
    }
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
    // Only the flag allows wide networks: whoever runs the command says so, whatever the file holds.
    const { allowWideNetworks: _asWritten, ...asked } = operation;
    operation = values['allow-wide-networks'] ? { ...asked, allowWideNetworks: true } : asked;
    try {
      checkNetworkSafety(operation, { protectedAddresses });
    } catch (error) {
      if (!(error instanceof NetworkSafetyError)) throw error;
      const refused =
        error.errorCode === PROTECTED_ADDRESS
          ? 'a protected address (--protect) is never removed; nothing sent to Atlas'
          : 'wide networks refused (--allow-wide-networks sends them); nothing sent to Atlas';
      return refuseInput('run', new InputProblems(problemLines(source, error.problems)), refused);
    }
    const checked = operation;
    try {
      // A dry run sends nothing, so it needs no credentials.
      const result = checked.dryRun
        ? dryRunResult(checked)
        : await withCliAtlasSession(values['secret-id'], USAGE, (session) =>
            session.run(
              async (atlas) => (await runOperation(checked, { atlas, operation: { id: checked.id } })).result,
            ),
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
