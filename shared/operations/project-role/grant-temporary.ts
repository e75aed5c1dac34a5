/**
 * `projectRole.grantTemporary`: gives a MongoDB Cloud user a project role until a time. Atlas has no expiry for
 * roles (atlas-api.md, Addendum 3), so the grant schedules its own revoke: an EventBridge Scheduler one-time
 * schedule that puts `projectRole.revoke` on the provisioning queue at the end and deletes itself. The revoke
 * removes only what the grant added: the user from the project when the grant added them, else the role;
 * nothing when the user held the role already.
 */
import { addProjectRole, addProjectUser } from '../../atlas/resources/project-users.ts';
import * as z from '../../config/zod.ts';
import { isConflict } from '../delete-outcome.ts';
import { fromAnswer, planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import {
  endDate,
  endMessage,
  endOf,
  expiresIn,
  grantEndScheduleName,
  MAX_PROJECT_ROLE_MS,
  oneEnd,
  requireService,
  whenText,
} from '../temporary-access.ts';
import { defineOperationType, type OperationContext } from '../types.ts';
import { grantFields } from './params.ts';
import { findProjectUser } from './project-user.ts';

const TYPE = 'projectRole.grantTemporary';

const params = z
  .strictObject({ ...grantFields, expiresIn: z.optional(expiresIn), expiresAt: z.optional(endDate) })
  .check(
    z.refine((p) => oneEnd(p, 'expiresAt'), {
      message: 'give expiresIn (e.g. PT2H) or expiresAt, one of them',
      path: ['expiresIn'],
    }),
  );

export type GrantTemporaryRoleParams = z.infer<typeof params>;

/** What the grant added, which is what its revoke takes away. */
export type GrantAdded = 'user' | 'role' | 'nothing';

export interface TemporaryGrant {
  username: string;
  role: string;
  added: GrantAdded;
  expiresAt: string;
  /** The schedule that revokes it (absent when nothing was added). */
  revokeSchedule?: string;
}

export const projectRoleGrantTemporary = defineOperationType<GrantTemporaryRoleParams>({
  type: TYPE,
  summary: 'give a user a project role until a time; a schedule revokes what it added',
  risk: 'additive',
  target: (p) =>
    inProject(p.groupId, `role ${p.role} for ${p.username} (${p.expiresIn ?? `until ${p.expiresAt}`})`),
  params,
  idempotency:
    'The revoke is scheduled before the role is given, under a name derived from the operation, and a retry ' +
    'keeps the first schedule (what the first attempt found the user holding decides what the revoke removes); ' +
    'giving a role the user holds changes nothing.',
  plan: (p) => [
    planRequest(addProjectUser, { groupId: p.groupId, username: p.username, roles: [p.role] }),
    planRequest(addProjectRole, { groupId: p.groupId, userId: fromAnswer('userId'), groupRole: p.role }),
  ],
  execute: (p, context) => grant(p, context),
  describeResult: (result) => {
    const r = result as TemporaryGrant;
    if (r.added === 'nothing') {
      return `${r.username} already had ${r.role}: nothing was granted, and nothing will be revoked`;
    }
    const what = r.added === 'user' ? `was added to the project with ${r.role}` : `has ${r.role}`;
    return `${r.username} ${what} until ${whenText(new Date(r.expiresAt))}, when a schedule revokes it`;
  },
});

async function grant(p: GrantTemporaryRoleParams, context: OperationContext): Promise<TemporaryGrant> {
  const { atlas, callOptions } = context;
  const operationId = requireService(context.operation, 'the operation id', TYPE).id;
  const scheduler = requireService(context.scheduler, 'a scheduler (to revoke the role at its end)', TYPE);
  const end = endOf({ expiresIn: p.expiresIn, at: p.expiresAt }, context, {
    maxMs: MAX_PROJECT_ROLE_MS,
    why: 'Atlas has no expiry for project roles; a longer grant is a standing one, which is a request for a role, not a temporary one',
    field: 'expiresAt',
  });
  const user = await findProjectUser(atlas, p.groupId, p.username, callOptions);
  const added: GrantAdded = !user ? 'user' : user.roles.includes(p.role) ? 'nothing' : 'role';
  const result: TemporaryGrant = { username: p.username, role: p.role, added, expiresAt: end.toISOString() };
  if (added === 'nothing') return result;

  // The revoke first: if this run stops after giving the role, the revoke is already there.
  const schedule = grantEndScheduleName(operationId);
  await scheduler.scheduleAt(
    schedule,
    end,
    endMessage(context, {
      id: `${operationId}-revoke`.slice(0, 128),
      type: 'projectRole.revoke',
      params: { groupId: p.groupId, username: p.username, role: p.role, removeUser: added === 'user' },
    }),
    { replace: false },
  );
  if (!user) {
    try {
      await atlas.projectUsers.add(
        { groupId: p.groupId, username: p.username, roles: [p.role] },
        callOptions,
      );
    } catch (error) {
      // Added meanwhile (a retry of this run): give the role as to any member.
      if (!isConflict(error)) throw error;
      const now = await findProjectUser(atlas, p.groupId, p.username, callOptions);
      if (now && !now.roles.includes(p.role)) {
        await atlas.projectUsers.addRole(
          { groupId: p.groupId, userId: now.id, groupRole: p.role },
          callOptions,
        );
      }
    }
  } else {
    await atlas.projectUsers.addRole({ groupId: p.groupId, userId: user.id, groupRole: p.role }, callOptions);
  }
  return { ...result, revokeSchedule: schedule };
}
