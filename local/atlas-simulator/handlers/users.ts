/**
 * MongoDB Cloud users of an organization (the project-scoped routes are in project-users.ts):
 * - `GET /orgs/{orgId}/users` (2023-01-01, deprecated, and 2025-02-19): paged; 2025-02-19 answers
 *   `OrgActiveUserResponse` / `OrgPendingUserResponse` filtered by `username`, `orgMembershipStatus` and
 *   `orgMembershipStatuses` (default ACTIVE and PENDING); 2023-01-01 answers the old `CloudAppUser` shape,
 *   members only.
 * - `DELETE /orgs/{orgId}/users/{userId}`: removes the user; for a pending user this also cancels the
 *   invitation.
 */
import { z } from 'zod';
import { notFound } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import type { SimUser } from '../state.ts';
import { ORG_MEMBERSHIP_STATUSES, objectId } from '../validation.ts';
import type { ResourceVersion } from '../versions.ts';
import { withoutKeys } from './common.ts';

export const ORG_USER_VERSIONS: readonly ResourceVersion[] = [
  { date: '2023-01-01', sunset: '2027-07-01', deprecated: '2025-02-19' },
  { date: '2025-02-19' },
];

type Status = SimUser['orgMembershipStatus'];
export const DEFAULT_STATUSES: readonly Status[] = ['ACTIVE', 'PENDING'];

/** A repeatable query parameter of statuses; repeated keys and comma-separated values both work. */
export const statusList = z.preprocess(
  (value) =>
    value === undefined
      ? undefined
      : (Array.isArray(value) ? value : [value])
          .flatMap((item) => String(item).split(','))
          .filter((s) => s !== ''),
  z.array(z.enum(ORG_MEMBERSHIP_STATUSES)).max(4, 'must name at most 4 statuses').optional(),
);

export const userNotFound = (userId: string) =>
  notFound('USER_NOT_FOUND', `No user with ID ${userId} exists.`, [userId]);

/** What a user looks like in every 2025-02-19 shape besides its roles. */
export function statusFields(user: SimUser): Record<string, unknown> {
  const { id, username, orgMembershipStatus } = user;
  if (orgMembershipStatus === 'ACTIVE') {
    return {
      id,
      username,
      orgMembershipStatus,
      createdAt: user.createdAt,
      firstName: user.firstName,
      lastName: user.lastName,
      ...(user.country === undefined ? {} : { country: user.country }),
      ...(user.lastAuth === undefined ? {} : { lastAuth: user.lastAuth }),
      ...(user.mobileNumber === undefined ? {} : { mobileNumber: user.mobileNumber }),
    };
  }
  return {
    id,
    username,
    orgMembershipStatus,
    invitationCreatedAt: user.invitationCreatedAt,
    invitationExpiresAt: user.invitationExpiresAt ?? null,
    inviterUsername: user.inviterUsername,
  };
}

/** `OrgUserResponse` (2025-02-19). */
function orgUser(user: SimUser): Record<string, unknown> {
  return {
    ...statusFields(user),
    roles: {
      orgRoles: user.roles.orgRoles ?? [],
      groupRoleAssignments: user.roles.groupRoleAssignments ?? [],
    },
    teamIds: (user.teamIds as string[] | undefined) ?? [],
  };
}

/** `CloudAppUser` (2023-01-01): roles as `{orgId|groupId, roleName}` pairs. */
function legacyOrgUser(user: SimUser, origin: string): Record<string, unknown> {
  const roles = [
    ...(user.roles.orgRoles ?? []).map((roleName) => ({ orgId: user.orgId, roleName })),
    ...(user.roles.groupRoleAssignments ?? []).flatMap((a) =>
      a.groupRoles.map((roleName) => ({ groupId: a.groupId, roleName })),
    ),
  ];
  return {
    ...withoutKeys(statusFields(user), 'orgMembershipStatus'),
    emailAddress: user.username,
    roles,
    teamIds: (user.teamIds as string[] | undefined) ?? [],
    links: [{ href: `${origin}/api/atlas/v2/users/${user.id}`, rel: 'self' }],
  };
}

export const userRoutes = [
  defineRoute({
    method: 'GET',
    path: '/orgs/{orgId}/users',
    versions: ORG_USER_VERSIONS,
    endpointSet: 'cloud-users-org',
    params: z.object({ orgId: objectId }),
    query: z
      .object({
        username: z.email('must be an email address').optional(),
        orgMembershipStatus: z.enum(ORG_MEMBERSHIP_STATUSES).optional(),
        orgMembershipStatuses: statusList,
      })
      .loose(),
    handle: ({ state, params, query, version, url }) => {
      const username = query.username?.toLowerCase();
      const members = state.users.filter(
        (u) => u.orgId === params.orgId && (username === undefined || u.username.toLowerCase() === username),
      );
      if (version === '2023-01-01') {
        // The old resource knew only members who had joined; invitations had their own API.
        const list = members
          .filter((u) => u.orgMembershipStatus === 'ACTIVE')
          .map((u) => legacyOrgUser(u, url.origin));
        return { status: 200, list };
      }
      const wanted = new Set<Status>([
        ...(query.orgMembershipStatuses ?? []),
        ...(query.orgMembershipStatus ? [query.orgMembershipStatus] : []),
      ]);
      const statuses = wanted.size > 0 ? wanted : new Set(DEFAULT_STATUSES);
      const list = members.filter((u) => statuses.has(u.orgMembershipStatus)).map(orgUser);
      return { status: 200, list };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/orgs/{orgId}/users/{userId}',
    versions: ORG_USER_VERSIONS,
    endpointSet: 'cloud-users-org',
    params: z.object({ orgId: objectId, userId: objectId }),
    handle: ({ state, params }) => {
      const index = state.users.findIndex((u) => u.id === params.userId && u.orgId === params.orgId);
      const user = state.users[index];
      if (!user) throw userNotFound(params.userId);
      state.users.splice(index, 1);
      if (user.orgMembershipStatus !== 'ACTIVE') {
        // Removing an invited user cancels the invitation.
        state.invitations = state.invitations.filter(
          (i) => !(i.orgId === params.orgId && i.username.toLowerCase() === user.username.toLowerCase()),
        );
      }
      return { status: 204 };
    },
  }),
];
