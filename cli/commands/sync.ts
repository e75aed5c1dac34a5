/**
 * `atlas-ops sync --desired FILE [--apply]`: the access-list sync from a laptop, against real Atlas
 * (credentials as for the inventory) or the simulator (`MONGODB_ATLAS_BASE_URL`, or the running local
 * stack's). Plans every list the file declares and prints the plan as a table (`--format json`: the report as
 * JSON); `--apply` makes the changes the guards allow. The record of the entries it added (for
 * `prune: managed`) is a file beside FILE.
 * Exit codes: 0 nothing to do, or everything applied; 1 some changes refused by a guard or failed; 2 invalid
 * desired state (each bad field named, nothing sent) or bad usage; 3 plan mode and drift found.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { FileManagedEntriesStore } from '../../shared/access-list/adapters/access-list-store.ts';
import { checkDesiredState, type DesiredState } from '../../shared/access-list/desired-state.ts';
import { DesiredStateError, ManagedRecordError } from '../../shared/access-list/errors.ts';
import { renderSyncReport, syncExitCode } from '../../shared/access-list/report.ts';
import { runAccessListSync } from '../../shared/access-list/run.ts';
import { AtlasConnectionError } from '../../shared/atlas/connection.ts';
import { AtlasError } from '../../shared/atlas/index.ts';
import { AccessListStoreError } from '../../shared/aws/errors.ts';
import { CREDENTIALS_HELP, withCliAtlasSession } from '../atlas-session.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { InputProblems, parseJsonInput, problemLines, readInput, refuseInput } from '../input.ts';

const USAGE = `Usage: atlas-ops sync --desired FILE|- [--apply] [--format table|json] [--managed FILE]
                      [--secret-id NAME_OR_ARN]

Plans the project and service-account access lists FILE declares against Atlas and prints the plan (what
would be added, removed, kept, or refused by a guard); nothing is changed unless --apply is given. An invalid
FILE is refused before anything is sent, each bad field named.

Options:
  --desired FILE|-           the desired-state document (JSON; - reads standard input); required
  --apply                    make the changes the guards allow (maxDeletions, never empty a list, protect)
  --format table|json        the plan as a table (default) or the whole report as JSON
  --managed FILE             the record of the entries the sync added, for prune: managed (default
                             FILE.managed.json beside FILE; .atlas-ops/access-list.managed.json for stdin)
  --secret-id NAME_OR_ARN    read Atlas credentials from this Secrets Manager secret (see below)
  -h, --help                 show this help

${CREDENTIALS_HELP}

Exit codes: 0 in sync, or applied; 1 changes refused by a guard or failed; 2 invalid desired state or bad
usage; 3 drift found (plan mode).`;

export const syncCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(args, USAGE, {
      desired: { type: 'string' },
      apply: { type: 'boolean' },
      format: { type: 'string' },
      managed: { type: 'string' },
      'secret-id': { type: 'string' },
    });
    if (!parsed) return 0;
    const { values } = parsed;
    if (!values.desired) throw new UsageError(`--desired FILE is required\n${USAGE}`);
    const format = values.format ?? 'table';
    if (format !== 'table' && format !== 'json') {
      throw new UsageError(`--format takes table or json, not ${format}\n${USAGE}`);
    }
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

/** `ops/desired.json` → `ops/desired.managed.json`; standard input → `.atlas-ops/access-list.managed.json`. */
function managedRecordBeside(desired: string): string {
  if (desired === '-') return resolve('.atlas-ops/access-list.managed.json');
  const file = resolve(desired);
  return join(dirname(file), `${basename(file, extname(file))}.managed.json`);
}
