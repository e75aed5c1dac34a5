/**
 * `projectRole.revoke`: takes a project role from a user, or (`removeUser`) the user from the project. The
 * schedule of `projectRole.grantTemporary` sends it with what that grant added; a person may send it too. A
 * user or role already gone is success.
 */
import { removeProjectRole, removeProjectUser } from '../../atlas/resources/project-users.ts';
import * as z from '../../config/zod.ts';
import { deleteIfPresent } from '../delete-outcome.ts';
import { fromAnswer, planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { defineOperationType } from '../types.ts';
import { grantFields } from './params.ts';
import { findProjectUser } from './project-user.ts';

const params = z.strictObject({
  ...grantFields,
  /** Remove the user from the project (what a grant that added them undoes). Default: only the role. */
  removeUser: z.optional(z.boolean()),
});

export type RevokeRoleParams = z.infer<typeof params>;

export const projectRoleRevoke = defineOperationType<RevokeRoleParams>({
  type: 'projectRole.revoke',
  summary: 'take a project role from a user (or, with removeUser, the user from the project)',
  risk: 'destructive',
  target: (p) =>
    inProject(
      p.groupId,
      p.removeUser ? `user ${p.username} (with role ${p.role})` : `role ${p.role} of ${p.username}`,
    ),
  params,
  idempotency: 'A user not in the project, or without the role, is the state asked for: a repeat succeeds.',
  plan: (p) => [
    p.removeUser
      ? planRequest(removeProjectUser, { groupId: p.groupId, userId: fromAnswer('userId') })
      : planRequest(removeProjectRole, {
          groupId: p.groupId,
          userId: fromAnswer('userId'),
          groupRole: p.role,
        }),
  ],
  execute: async (p, { atlas, callOptions }) => {
    const user = await findProjectUser(atlas, p.groupId, p.username, callOptions);
    if (!user) return { username: p.username, role: p.role, revoked: false, alreadyAbsent: true };
    if (p.removeUser) {
      const outcome = await deleteIfPresent(() =>
        atlas.projectUsers.remove({ groupId: p.groupId, userId: user.id }, callOptions),
      );
      return { username: p.username, role: p.role, removedUser: outcome.deleted };
    }
    if (!user.roles.includes(p.role))
      return { username: p.username, role: p.role, revoked: false, alreadyAbsent: true };
    await atlas.projectUsers.removeRole(
      { groupId: p.groupId, userId: user.id, groupRole: p.role },
      callOptions,
    );
    return { username: p.username, role: p.role, revoked: true };
  },
  describeResult: (result) => {
    const r = result as { username: string; role: string; removedUser?: boolean; revoked?: boolean };
    if (r.removedUser !== undefined)
      return `${r.username} removed from the project (the grant of ${r.role} ended)`;
    return r.revoked
      ? `${r.role} taken from ${r.username}`
      : `${r.username} no longer had ${r.role}: nothing to take`;
  },
});
