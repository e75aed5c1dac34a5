/**
 * `atlas-ops access list [--project ID] [--schedule-group NAME] [--json]`: the temporary access in force —
 * each temporary database user and temporary project role whose end is scheduled and has not come — with who
 * asked, who approved and when it ends. From the running local stack's Scheduler stand-in by default, or a
 * deployed stack's schedule group (the `GrantsScheduleGroupName` output) with your AWS credentials.
 * Exit codes: 0 listed (an empty list included); 1 the schedules could not be read; 2 bad usage.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { objectId } from '../../shared/atlas/validation.ts';
import * as z from '../../shared/config/zod.ts';
import { type AccessInForce, accessInForce, requesterText } from '../../shared/operations/access-in-force.ts';
import { EventBridgeOperationScheduler } from '../../shared/operations/adapters/operation-scheduler.ts';
import { whenText } from '../../shared/operations/temporary-access.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { textTable } from '../format/table.ts';
import { readLocalStackFile } from '../local-stack-file.ts';

const USAGE = `Usage: atlas-ops access list [--project ID] [--json] [--schedule-group NAME]

Lists the temporary access in force: every temporary database user (databaseUser.createTemporary) and
temporary project role (projectRole.grantTemporary) whose end has not come, with who asked, who approved and
when it ends (in UTC and from now). Each is read from the schedule that ends it.

Options:
  --project ID             only this project's (24 hex digits)
  --json                   print JSON instead of a table
  --schedule-group NAME    read this EventBridge Scheduler group (the stack output GrantsScheduleGroupName)
                           with your AWS credentials (default: the local stack running in this folder, npm start)
  -h, --help               show this help

Exit codes: 0 listed; 1 the schedules could not be read; 2 bad usage.`;

export const accessCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(
      args,
      USAGE,
      { project: { type: 'string' }, json: { type: 'boolean' }, 'schedule-group': { type: 'string' } },
      { positionals: true },
    );
    if (!parsed) return 0;
    const { values, positionals } = parsed;
    const [subcommand, extra] = positionals;
    if (subcommand !== 'list') {
      throw new UsageError(
        `${subcommand ? `unknown subcommand "${subcommand}"` : 'name a subcommand'}\n${USAGE}`,
      );
    }
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"\n${USAGE}`);
    if (values.project !== undefined && !z.safeParse(objectId, values.project).success) {
      throw new UsageError(
        `--project must be a project id (24 hex digits), got "${values.project}"\n${USAGE}`,
      );
    }
    const local = values['schedule-group'] ? undefined : await readLocalStackFile('pass --schedule-group');
    if (local && !local.scheduler)
      throw new UsageError('the running local stack has no scheduler (restart npm start)');
    const client = local?.scheduler
      ? new SchedulerClient({
          endpoint: local.scheduler.url,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        })
      : new SchedulerClient({});
    try {
      const scheduler = new EventBridgeOperationScheduler({
        client,
        group: values['schedule-group'] ?? local?.scheduler?.group ?? '',
        // Reading needs neither: they are what a new schedule would send to, and as whom.
        queueArn: '',
        roleArn: '',
      });
      let access: AccessInForce[];
      try {
        access = accessInForce(await scheduler.pending(), values.project);
      } catch (error) {
        process.stderr.write(`atlas-ops: could not read the schedules: ${(error as Error).message}\n`);
        return 1;
      }
      process.stdout.write(`${values.json ? JSON.stringify(access, null, 2) : accessTable(access)}\n`);
      return 0;
    } finally {
      client.destroy();
    }
  },
};

function accessTable(access: readonly AccessInForce[]): string {
  if (access.length === 0) return 'No temporary access in force.';
  const now = new Date();
  return textTable([
    ['KIND', 'PROJECT', 'USER', 'WHAT', 'ENDS', 'ASKED BY', 'APPROVED BY'],
    ...access.map((a) => [
      a.kind,
      a.projectId,
      a.username,
      a.what,
      whenText(new Date(a.endsAt), now),
      requesterText(a.requestedBy),
      a.approvedBy ?? '-',
    ]),
  ]);
}
