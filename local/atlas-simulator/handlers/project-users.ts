/**
 * MongoDB Cloud users of one project, and their project roles (2025-02-19, the only version). The state is the
 * organization's users: a user belongs to a project while `roles.groupRoleAssignments` holds that project.
 *
 * - `GET /groups/{groupId}/users`: paged `GroupUserResponse`s with that project's roles; `username` (an email,
 *   compared case-insensitively), `orgMembershipStatuses` (default ACTIVE and PENDING, as the single-user GET)
 *   and the deprecated `orgMembershipStatus` filter; `flattenTeams` and `includeOrgUsers` must be booleans and
 *   change nothing (the simulator keeps no teams).
 * - `GET /groups/{groupId}/users/{userId}`: one of them; `orgMembershipStatuses` says which statuses may match.
 * - `POST /groups/{groupId}/users` `{username, roles}` → 201, as the operation's description says (Atlas CLI
 *   docs, `atlas api mongoDbCloudUsers addProjectUser`): an ACTIVE member of the organization gets the roles at
 *   once; an invited (PENDING) user's invitation is changed to grant them; anyone else gets a new invitation to
 *   the organization and the project (30 days to accept, reference Addendum 3) and is answered as PENDING
 *   (`/__sim/invitations/{id}/accept` plays the acceptance). A user who is already PENDING or ACTIVE in the
 *   project is 409 (Addendum 3); its code, USER_ALREADY_IN_GROUP, is assumed. Who invited is the
 *   organization's first owner (assumed: a service account has no username).
 * - `POST /groups/{groupId}/users/{userId}:addRole` / `:removeRole` `{groupRole}` → 200 with the user. Adding a
 *   role the user holds, or removing one they do not, changes nothing and answers 200 (assumed: roles are a
 *   set, the spec's `uniqueItems`). "A user must have at least one role at all times" (the operation's
 *   description, Atlas CLI docs `removeProjectRole`): removing the last one is 400 CANNOT_REMOVE_LAST_ROLE (the
 *   code is assumed).
 * - `DELETE /groups/{groupId}/users/{userId}` → 204: the user loses every role in the project (and an invited
 *   user's invitation no longer grants it); they stay in the organization.
 *
 * A role that is no project role is 400 INVALID_ROLE_FOR_GROUP ("Role %s is invalid for group %s.", Atlas's
 * error-code page). A user who is unknown, of another organization or without a role in the project is 404
 * USER_NOT_FOUND, as the single-user GET answers (error-code page).
 */
import { z } from 'zod';
import { badRequest, SimError } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import type { SimInvitation, SimState, SimUser } from '../state.ts';
import { GROUP_ROLES, ORG_MEMBERSHIP_STATUSES, objectId } from '../validation.ts';
import type { ResourceVersion } from '../versions.ts';
import { atlasDate } from './common.ts';
import { DEFAULT_STATUSES, statusFields, statusList, userNotFound } from './users.ts';

export const GROUP_USER_VERSIONS: readonly ResourceVersion[] = [{ date: '2025-02-19' }];

const DAY_MS = 24 * 60 * 60 * 1000;
/** An invitation's time to accept (reference Addendum 3). */
const INVITATION_DAYS = 30;
/** What an invitation through a project makes the invitee in the organization. */
const INVITED_ORG_ROLES: readonly string[] = ['ORG_MEMBER'];

type Status = SimUser['orgMembershipStatus'];
type Assignment = { groupId: string; groupRoles: string[] };

const booleanText = z.enum(['true', 'false']);
const userParams = z.object({ groupId: objectId, userId: objectId });
const groupRole = z.string().min(1, 'must name a project role');

/** `GroupUserResponse`: the user with the roles they hold in this project. */
function groupUser(user: SimUser, assignment: Assignment): Record<string, unknown> {
  return { ...statusFields(user), roles: [...new Set(assignment.groupRoles)] };
}

function projectOrgId(state: SimState, groupId: string): string | undefined {
  return state.projects.find((p) => p.id === groupId)?.orgId;
}

function assignmentOf(user: SimUser, groupId: string): Assignment | undefined {
  return user.roles.groupRoleAssignments?.find((a) => a.groupId === groupId);
}

/** A user of the project's organization who holds a role in it, with one of `statuses`; else 404. */
function projectUser(
  state: SimState,
  groupId: string,
  userId: string,
  statuses: readonly Status[] = DEFAULT_STATUSES,
): { user: SimUser; assignment: Assignment } {
  const orgId = projectOrgId(state, groupId);
  const user = state.users.find((u) => u.id === userId && u.orgId === orgId);
  const assignment = user && assignmentOf(user, groupId);
  if (
    !user ||
    !assignment ||
    assignment.groupRoles.length === 0 ||
    !statuses.includes(user.orgMembershipStatus)
  )
    throw userNotFound(userId);
  return { user, assignment };
}

function checkRole(role: string, groupId: string, field: string): void {
  if (!(GROUP_ROLES as readonly string[]).includes(role)) {
    throw badRequest('INVALID_ROLE_FOR_GROUP', `Role ${role} is invalid for group ${groupId}.`, {
      parameters: [role, groupId],
      field,
      description: `must be a project role (${GROUP_ROLES.join(', ')})`,
    });
  }
}

/** Gives `user` these roles in the project (a set: a role held already is not added twice). */
function grant(user: SimUser, groupId: string, roles: readonly string[]): Assignment {
  user.roles.groupRoleAssignments ??= [];
  const assignments = user.roles.groupRoleAssignments;
  let assignment = assignments.find((a) => a.groupId === groupId);
  if (!assignment) {
    assignment = { groupId, groupRoles: [] };
    assignments.push(assignment);
  }
  assignment.groupRoles = [...new Set([...assignment.groupRoles, ...roles])];
  return assignment;
}

/** The pending invitation of an invited user, if the organization has one. */
function invitationOf(state: SimState, user: SimUser): SimInvitation | undefined {
  const username = user.username.toLowerCase();
  return state.invitations.find((i) => i.orgId === user.orgId && i.username.toLowerCase() === username);
}

/** Keeps an invited user's invitation granting what the user resources show for this project. */
function syncInvitation(state: SimState, user: SimUser, groupId: string): void {
  if (user.orgMembershipStatus !== 'PENDING') return;
  const invitation = invitationOf(state, user);
  if (!invitation) return;
  const others = Array.isArray(invitation.groupRoleAssignments)
    ? (invitation.groupRoleAssignments as { groupId: string; groupRole: string }[]).filter(
        (a) => a.groupId !== groupId,
      )
    : [];
  const roles = assignmentOf(user, groupId)?.groupRoles ?? [];
  invitation.groupRoleAssignments = [...others, ...roles.map((groupRole) => ({ groupId, groupRole }))];
}

/** Who the organization's invitations come from: its first owner (assumed; a service account has no username). */
function inviterOf(state: SimState, orgId: string): string {
  const owner = state.users.find(
    (u) => u.orgId === orgId && u.orgMembershipStatus === 'ACTIVE' && u.roles.orgRoles?.includes('ORG_OWNER'),
  );
  return owner?.username ?? 'owner@simulator.invalid';
}

/** A new invitation to the organization and this project, and the PENDING user it is. */
function invite(
  state: SimState,
  context: { orgId: string; groupId: string; username: string; roles: string[]; now: number },
  existing: SimUser | undefined,
  newId: () => string,
): SimUser {
  const { orgId, groupId, username, roles, now } = context;
  const createdAt = atlasDate(now);
  const expiresAt = atlasDate(now + INVITATION_DAYS * DAY_MS);
  const inviterUsername = inviterOf(state, orgId);
  const user: SimUser = existing ?? {
    id: newId(),
    orgId,
    username,
    orgMembershipStatus: 'PENDING',
    roles: { orgRoles: [...INVITED_ORG_ROLES], groupRoleAssignments: [] },
    teamIds: [],
  };
  // An expired or rejected invitation is replaced by the new one: the same user, pending again.
  Object.assign(user, {
    orgMembershipStatus: 'PENDING',
    invitationCreatedAt: createdAt,
    invitationExpiresAt: expiresAt,
    inviterUsername,
  });
  // What a lapsed invitation granted lapsed with it: the new one grants this project's roles.
  user.roles.groupRoleAssignments = [];
  grant(user, groupId, roles);
  if (!existing) state.users.push(user);
  const org = state.orgs.find((o) => o.id === orgId);
  state.invitations.push({
    id: newId(),
    orgId,
    orgName: org?.name ?? '',
    username: user.username,
    roles: user.roles.orgRoles ?? [...INVITED_ORG_ROLES],
    groupRoleAssignments: roles.map((role) => ({ groupId, groupRole: role })),
    teamIds: [],
    createdAt,
    expiresAt,
    inviterUsername,
  });
  return user;
}

export const projectUserRoutes = [
  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/users',
    versions: GROUP_USER_VERSIONS,
    endpointSet: 'cloud-users-group',
    params: z.object({ groupId: objectId }),
    query: z
      .object({
        username: z.email('must be an email address').optional(),
        orgMembershipStatus: z.enum(ORG_MEMBERSHIP_STATUSES).optional(),
        orgMembershipStatuses: statusList,
        flattenTeams: booleanText.optional(),
        includeOrgUsers: booleanText.optional(),
      })
      .loose(),
    handle: ({ state, params, query }) => {
      const orgId = projectOrgId(state, params.groupId);
      const username = query.username?.toLowerCase();
      const wanted = new Set<Status>([
        ...(query.orgMembershipStatuses ?? []),
        ...(query.orgMembershipStatus ? [query.orgMembershipStatus] : []),
      ]);
      const statuses = wanted.size > 0 ? wanted : new Set(DEFAULT_STATUSES);
      const list = state.users.flatMap((user) => {
        const assignment = assignmentOf(user, params.groupId);
        if (user.orgId !== orgId || !assignment || assignment.groupRoles.length === 0) return [];
        if (!statuses.has(user.orgMembershipStatus)) return [];
        if (username !== undefined && user.username.toLowerCase() !== username) return [];
        return [groupUser(user, assignment)];
      });
      return { status: 200, list };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/users/{userId}',
    versions: GROUP_USER_VERSIONS,
    endpointSet: 'cloud-users-group',
    params: userParams,
    query: z.object({ orgMembershipStatuses: statusList }).loose(),
    handle: ({ state, params, query }) => {
      const statuses = query.orgMembershipStatuses ?? DEFAULT_STATUSES;
      const { user, assignment } = projectUser(state, params.groupId, params.userId, statuses);
      return { status: 200, body: groupUser(user, assignment) };
    },
  }),

  defineRoute({
    method: 'POST',
    path: '/groups/{groupId}/users',
    versions: GROUP_USER_VERSIONS,
    endpointSet: 'cloud-users-group',
    params: z.object({ groupId: objectId }),
    body: z.object({
      username: z.email('must be an email address'),
      roles: z
        .array(groupRole)
        .min(1, 'must name at least one role')
        .refine((roles) => new Set(roles).size === roles.length, 'must not name a role twice'),
    }),
    handle: ({ state, params, body, now, ids }) => {
      const { groupId } = params;
      body.roles.forEach((role, index) => {
        checkRole(role, groupId, `roles.${index}`);
      });
      const orgId = projectOrgId(state, groupId) ?? '';
      const username = body.username.toLowerCase();
      const existing = state.users.find((u) => u.orgId === orgId && u.username.toLowerCase() === username);
      const status = existing?.orgMembershipStatus;
      if (existing && (status === 'ACTIVE' || status === 'PENDING')) {
        const assignment = assignmentOf(existing, groupId);
        if (assignment && assignment.groupRoles.length > 0) {
          throw new SimError(
            409,
            'USER_ALREADY_IN_GROUP',
            `User ${existing.username} is already in group ${groupId}.`,
            { parameters: [existing.username, groupId] },
          );
        }
        const granted = grant(existing, groupId, body.roles);
        syncInvitation(state, existing, groupId);
        return { status: 201, body: groupUser(existing, granted) };
      }
      const user = invite(
        state,
        { orgId, groupId, username: body.username, roles: body.roles, now },
        existing,
        () => ids.next('user'),
      );
      return {
        status: 201,
        body: groupUser(user, assignmentOf(user, groupId) ?? { groupId, groupRoles: [] }),
      };
    },
  }),

  defineRoute({
    method: 'POST',
    path: '/groups/{groupId}/users/{userId}:addRole',
    versions: GROUP_USER_VERSIONS,
    endpointSet: 'cloud-users-group',
    params: userParams,
    body: z.object({ groupRole }),
    handle: ({ state, params, body }) => {
      checkRole(body.groupRole, params.groupId, 'groupRole');
      const { user } = projectUser(state, params.groupId, params.userId);
      const assignment = grant(user, params.groupId, [body.groupRole]);
      syncInvitation(state, user, params.groupId);
      return { status: 200, body: groupUser(user, assignment) };
    },
  }),

  defineRoute({
    method: 'POST',
    path: '/groups/{groupId}/users/{userId}:removeRole',
    versions: GROUP_USER_VERSIONS,
    endpointSet: 'cloud-users-group',
    params: userParams,
    body: z.object({ groupRole }),
    handle: ({ state, params, body }) => {
      checkRole(body.groupRole, params.groupId, 'groupRole');
      const { user, assignment } = projectUser(state, params.groupId, params.userId);
      const remaining = assignment.groupRoles.filter((role) => role !== body.groupRole);
      if (remaining.length === 0) {
        throw badRequest(
          'CANNOT_REMOVE_LAST_ROLE',
          `Cannot remove role ${body.groupRole}: user ${user.username} must keep at least one role in group ${params.groupId}. Add the new role first.`,
          { parameters: [body.groupRole, user.username, params.groupId], field: 'groupRole' },
        );
      }
      assignment.groupRoles = remaining;
      syncInvitation(state, user, params.groupId);
      return { status: 200, body: groupUser(user, assignment) };
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: '/groups/{groupId}/users/{userId}',
    versions: GROUP_USER_VERSIONS,
    endpointSet: 'cloud-users-group',
    params: userParams,
    handle: ({ state, params }) => {
      const { user } = projectUser(state, params.groupId, params.userId);
      user.roles.groupRoleAssignments = (user.roles.groupRoleAssignments ?? []).filter(
        (a) => a.groupId !== params.groupId,
      );
      syncInvitation(state, user, params.groupId);
      return { status: 204 };
    },
  }),
];
