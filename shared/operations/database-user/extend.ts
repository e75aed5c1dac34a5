/**
 * `databaseUser.extend`: moves a temporary database user's end (still at most a week from now, Atlas's cap),
 * and its end schedule and its secret's expiry tag with it.
 */
import { getDatabaseUser, updateDatabaseUser } from '../../atlas/resources/database-users.ts';
import * as z from '../../config/zod.ts';
import { fromAnswer, planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import {
  credentialSecretName,
  endMessage,
  endOf,
  MAX_DATABASE_USER_MS,
  oneEnd,
  requireService,
  userEndScheduleName,
  whenText,
} from '../temporary-access.ts';
import { defineOperationType } from '../types.ts';
import { ONE_WEEK_WHY, remarkedDescription, userEndFields, userKey, userKeyFields } from './params.ts';

const TYPE = 'databaseUser.extend';

const params = z.strictObject({ ...userKeyFields, ...userEndFields }).check(
  z.refine((p) => oneEnd(p, 'deleteAfterDate'), {
    message: 'give expiresIn (e.g. PT24H) or deleteAfterDate, one of them',
    path: ['expiresIn'],
  }),
);

export type ExtendDatabaseUserParams = z.infer<typeof params>;

export const databaseUserExtend = defineOperationType<ExtendDatabaseUserParams>({
  type: TYPE,
  summary: 'move a temporary database user’s end (at most a week from now)',
  risk: 'additive',
  target: (p) =>
    inProject(p.groupId, `database user ${p.username} (${p.expiresIn ?? `until ${p.deleteAfterDate}`})`),
  params,
  idempotency: 'Setting the same end again changes nothing; the end schedule is replaced, never doubled.',
  plan: (p) => [
    planRequest(getDatabaseUser, userKey(p)),
    planRequest(updateDatabaseUser, { ...userKey(p), changes: { deleteAfterDate: fromAnswer('new end') } }),
  ],
  execute: async (p, context) => {
    const scheduler = requireService(context.scheduler, 'a scheduler (to move the user’s end)', TYPE);
    const end = endOf({ expiresIn: p.expiresIn, at: p.deleteAfterDate }, context, {
      maxMs: MAX_DATABASE_USER_MS,
      why: ONE_WEEK_WHY,
      field: 'deleteAfterDate',
    });
    const key = userKey(p);
    // The spec's PATCH body is a whole CloudDatabaseUser (username, databaseName, groupId and roles required):
    // the user as Atlas has it, with the new end and the end marked where the inventory reads it.
    const { links: _links, ...current } = await context.atlas.databaseUsers.get(key, context.callOptions);
    const user = await context.atlas.databaseUsers.update(
      {
        ...key,
        changes: {
          ...current,
          groupId: p.groupId,
          deleteAfterDate: end.toISOString().replace('.000Z', 'Z'),
          description: remarkedDescription(current.description, end),
        },
      },
      context.callOptions,
    );
    await scheduler.scheduleAt(
      userEndScheduleName(key),
      end,
      endMessage(context, {
        id: `${userEndScheduleName(key)}-${Math.floor(end.getTime() / 1000)}`,
        type: 'databaseUser.delete',
        params: { groupId: p.groupId, username: p.username, databaseName: key.databaseName },
      }),
      { replace: true },
    );
    await context.vault?.retag(credentialSecretName(key), { 'atlas-ops:expires': end.toISOString() });
    return { username: user.username, databaseName: key.databaseName, deleteAfterDate: end.toISOString() };
  },
  describeResult: (result) => {
    const r = result as { username: string; deleteAfterDate: string };
    return `database user ${r.username} now ends ${whenText(new Date(r.deleteAfterDate))}`;
  },
});
