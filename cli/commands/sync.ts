/**
 * `atlas-ops sync --desired FILE [--apply]`: the access-list sync from a laptop, against real Atlas
 * (credentials as for the inventory) or the simulator (`MONGODB_ATLAS_BASE_URL`, or the running local
 * stack's). Plans every list the file declares and prints the plan as a table (`--format json`: the report as
 * JSON); `--apply` makes the changes the guards allow. The record of the entries it added (for
 * `prune: managed`) is a file beside FILE.
 * The guards' limits come from flags (`--max-deletions`, `--max-removal-share`, `--protect`,
 * `--allow-wide-networks`), with the stack's defaults; the document may only tighten them.
 * Exit codes: 0 nothing to do, or everything applied; 1 some changes refused by a guard or failed; 2 invalid
 * desired state (each bad field named, a wide network included; nothing sent) or bad usage; 3 plan mode and
 * drift found.
 */
import { isIP } from 'node:net';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { FileManagedEntriesStore } from '../../shared/access-list/adapters/access-list-store.ts';
import {
  checkDesiredState,
  DEFAULT_MAX_DELETIONS,
  type DesiredState,
  refuseWideNetworks,
} from '../../shared/access-list/desired-state.ts';
import { DesiredStateError, ManagedRecordError } from '../../shared/access-list/errors.ts';
import { DEFAULT_MAX_REMOVAL_SHARE, type SyncLimits } from '../../shared/access-list/guards.ts';
import { renderSyncReport, syncExitCode } from '../../shared/access-list/report.ts';
import { runAccessListSync } from '../../shared/access-list/run.ts';
import { AtlasConnectionError } from '../../shared/atlas/connection.ts';
import { AtlasError } from '../../shared/atlas/index.ts';
import { isCidrBlock } from '../../shared/atlas/validation.ts';
import { AccessListStoreError } from '../../shared/aws/errors.ts';
import { CREDENTIALS_HELP, withCliAtlasSession } from '../atlas-session.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { InputProblems, parseJsonInput, problemLines, readInput, refuseInput } from '../input.ts';

const USAGE = `Usage: atlas-ops sync --desired FILE|- [--apply] [--format table|json] [--managed FILE]
                      [--max-deletions N] [--max-removal-share SHARE] [--protect ADDRESS]…
                      [--allow-wide-networks] [--secret-id NAME_OR_ARN]

Plans the project and service-account access lists FILE declares against Atlas and prints the plan (what
would be added, removed, kept, or refused by a guard); nothing is changed unless --apply is given. An invalid
FILE is refused before anything is sent, each bad field named.

Options:
  --desired FILE|-           the desired-state document (JSON; - reads standard input); required
  --apply                    make the changes the guards allow (maxDeletions, the removal share, never
                             empty a list, protect)
  --format table|json        the plan as a table (default) or the whole report as JSON
  --managed FILE             the record of the entries the sync added, for prune: managed (default
                             FILE.managed.json beside FILE; .atlas-ops/access-list.managed.json for stdin)
  --max-deletions N          the most removals per list and run (default ${DEFAULT_MAX_DELETIONS}); the document's
                             maxDeletions may be lower, never higher
  --max-removal-share SHARE  the largest share, 0 to 1, of one list's entries a run may remove (default
                             ${DEFAULT_MAX_REMOVAL_SHARE}); a list over it is refused whole
  --protect ADDRESS          an address or CIDR block no run removes, whatever FILE says (repeatable)
  --allow-wide-networks      accept entries wider than a /8 (IPv4) or a /16 (IPv6), alone or together;
                             without it such a FILE is refused, nothing sent
  --secret-id NAME_OR_ARN    read Atlas credentials from this Secrets Manager secret (see below)
  -h, --help                 show this help

The limits are the stack's context keys, as a deployed sync has them (docs/access-list-sync.md).

${CREDENTIALS_HELP}

Exit codes: 0 in sync, or applied; 1 changes refused by a guard or failed; 2 invalid desired state (a wide
network included) or bad usage; 3 drift found (plan mode).`;

export const syncCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(args, USAGE, {
      desired: { type: 'string' },
      apply: { type: 'boolean' },
      format: { type: 'string' },
      managed: { type: 'string' },
      'max-deletions': { type: 'string' },
      'max-removal-share': { type: 'string' },
      protect: { type: 'string', multiple: true },
      'allow-wide-networks': { type: 'boolean' },
      'secret-id': { type: 'string' },
    });
    if (!parsed) return 0;
    const { values } = parsed;
    if (!values.desired) throw new UsageError(`--desired FILE is required\n${USAGE}`);
    const format = values.format ?? 'table';
    if (format !== 'table' && format !== 'json') {
      throw new UsageError(`--format takes table or json, not ${format}\n${USAGE}`);
    }
    const limits = limitsOf(values);
    const text = await readInput(values.desired, USAGE);
    let desired: DesiredState;
    try {
      desired = checkDesiredState(parseJsonInput(text, values.desired));
    } catch (error) {
      const refused = 'not a valid desired state; nothing sent to Atlas';
      if (error instanceof InputProblems) return refuseInput('sync', error, refused);
      if (!(error instanceof DesiredStateError)) throw error;
      return refuseInput('sync', new InputProblems(problemLines(values.desired, error.problems)), refused);
    }
    try {
      if (!limits.allowWideNetworks) refuseWideNetworks(desired);
    } catch (error) {
      if (!(error instanceof DesiredStateError)) throw error;
      const refused = 'wide networks refused (--allow-wide-networks accepts them); nothing sent to Atlas';
      return refuseInput('sync', new InputProblems(problemLines(values.desired, error.problems)), refused);
    }
    const managed = new FileManagedEntriesStore(values.managed ?? managedRecordBeside(values.desired));
    const source = { location: values.desired === '-' ? '(standard input)' : resolve(values.desired) };

    try {
      const report = await withCliAtlasSession(values['secret-id'], USAGE, (session) =>
        session.run((atlas) =>
          runAccessListSync({
            atlas,
            desired,
            mode: values.apply ? 'apply' : 'plan',
            managed,
            source,
            limits,
          }),
        ),
      );
      process.stdout.write(
        format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderSyncReport(report),
      );
      for (const error of report.errors) process.stderr.write(`atlas-ops sync: ${error}\n`);
      return syncExitCode(report);
    } catch (error) {
      // Expected failures that stop the whole run: one message, no stack.
      if (
        error instanceof AtlasConnectionError ||
        error instanceof AtlasError ||
        error instanceof ManagedRecordError ||
        error instanceof AccessListStoreError
      ) {
        process.stderr.write(`atlas-ops sync: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};

/** The run's limits from the flags, with the stack's defaults; a bad value is a usage error naming the flag. */
function limitsOf(values: {
  'max-deletions'?: string | undefined;
  'max-removal-share'?: string | undefined;
  protect?: string[] | undefined;
  'allow-wide-networks'?: boolean | undefined;
}): SyncLimits {
  const deletions = values['max-deletions'] ?? String(DEFAULT_MAX_DELETIONS);
  if (!/^\d+$/.test(deletions) || Number(deletions) > 10_000) {
    throw new UsageError(`--max-deletions takes a whole number from 0 to 10000, not ${deletions}\n${USAGE}`);
  }
  const shareText = values['max-removal-share'] ?? String(DEFAULT_MAX_REMOVAL_SHARE);
  const share = Number(shareText);
  if (shareText.trim() === '' || !Number.isFinite(share) || share < 0 || share > 1) {
    throw new UsageError(`--max-removal-share takes a number from 0 to 1, not ${shareText}\n${USAGE}`);
  }
  const protect = values.protect ?? [];
  for (const address of protect) {
    if (isIP(address) === 0 && !isCidrBlock(address)) {
      throw new UsageError(`--protect takes an IP address or a CIDR block, not ${address}\n${USAGE}`);
    }
  }
  return {
    maxDeletions: Number(deletions),
    maxRemovalShare: share,
    protectedAddresses: protect,
    allowWideNetworks: values['allow-wide-networks'] === true,
  };
}

/** `ops/desired.json` → `ops/desired.managed.json`; standard input → `.atlas-ops/access-list.managed.json`. */
function managedRecordBeside(desired: string): string {
  if (desired === '-') return resolve('.atlas-ops/access-list.managed.json');
  const file = resolve(desired);
  return join(dirname(file), `${basename(file, extname(file))}.managed.json`);
}
