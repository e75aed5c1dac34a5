/**
 * Organization invitations, the deprecated API (2023-01-01 only, sunset 2027-07-01, so every answer carries
 * `Deprecation` and `Sunset`): `GET /orgs/{orgId}/invites` answers a bare JSON array (no paging), and
 * `DELETE /orgs/{orgId}/invites/{invitationId}` cancels one, which also removes the invited (pending) user.
 *
 * An invitation is the pending org user of the same username: the 2025-02-19 user resources show it as
 * `PENDING`. `acceptInvitation` (the `/__sim/invitations/{id}/accept` control) plays the invitee accepting.
 */
import { z } from 'zod';
import { SimError } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import type { IdGenerator, SimInvitation, SimState, SimUser } from '../state.ts';
import { objectId } from '../validation.ts';
import type { ResourceVersion } from '../versions.ts';

export const INVITATION_VERSIONS: readonly ResourceVersion[] = [
  { date: '2023-01-01', sunset: '2027-07-01', deprecated: '2025-02-19' },
];

/**
 * Atlas's error-code page: cancelling an invitation that does not exist, or was accepted, is 400
 * INVALID_INVITATION_ID ("The invitation you tried to delete does not exist or has already been accepted."),
 * not a 404.
 */
function invalidInvitation(invitationId: string): SimError {
  return new SimError(
    400,
    'INVALID_INVITATION_ID',
    `Invitation ${invitationId} does not exist or has already been accepted.`,
    { parameters: [invitationId] },
  );
}

export const invitationRoutes = [
  defineRoute({
    method: 'GET',
    path: '/orgs/{orgId}/invites',
    versions: INVITATION_VERSIONS,
    endpointSet: 'organizations',
    params: z.object({ orgId: objectId }),
    query: z.object({ username: z.email('must be an email address').optional() }).loose(),
    handle: ({ state, params, query, url }) => {
      const username = query.username?.toLowerCase();
      const body = state.invitations
        .filter((i) => i.orgId === params.orgId)
        .filter((i) => username === undefined || i.username.toLowerCase() === username)
        .map((i) => ({
          ...i,
          links: [{ href: `${url.origin}/api/atlas/v2/orgs/${i.orgId}/invites/${i.id}`, rel: 'self' }],
        }));
      return { status: 200, body };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/orgs/{orgId}/invites/{invitationId}',
    versions: INVITATION_VERSIONS,
    endpointSet: 'organizations',
    // The spec gives invitationId no pattern: any id that names no pending invitation is INVALID_INVITATION_ID.
    params: z.object({ orgId: objectId, invitationId: z.string().min(1) }),
    handle: ({ state, params }) => {
      const invitation = state.invitations.find(
        (i) => i.id === params.invitationId && i.orgId === params.orgId,
      );
      if (!invitation) throw invalidInvitation(params.invitationId);
      state.invitations = state.invitations.filter((i) => i !== invitation);
      const invitee = invitation.username.toLowerCase();
      // The invitation is the pending user: cancelling it removes that user too (never a member who joined).
      state.users = state.users.filter(
        (u) =>
          !(
            u.orgId === params.orgId &&
            u.orgMembershipStatus !== 'ACTIVE' &&
            u.username.toLowerCase() === invitee
          ),
      );
      return { status: 204 };
    },
  }),
];

/** `{groupId, groupRole}` pairs of an invitation as the user resources' `groupRoleAssignments`. */
function groupRoleAssignments(invitation: SimInvitation): { groupId: string; groupRoles: string[] }[] {
  const pairs = Array.isArray(invitation.groupRoleAssignments)
    ? (invitation.groupRoleAssignments as { groupId?: unknown; groupRole?: unknown }[])
    : [];
  const byGroup = new Map<string, string[]>();
  for (const { groupId, groupRole } of pairs) {
    if (typeof groupId !== 'string' || typeof groupRole !== 'string') continue;
    byGroup.set(groupId, [...(byGroup.get(groupId) ?? []), groupRole]);
  }
  return [...byGroup].map(([groupId, groupRoles]) => ({ groupId, groupRoles }));
}

/** `Erin` and `Pending` from `erin.pending@example.com`: an invitee tells Atlas their name on joining. */
function namesFrom(username: string): { firstName: string; lastName: string } {
  const [first = 'New', last = 'Member'] = (username.split('@')[0] ?? '').split(/[._-]+/);
  const title = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  return { firstName: title(first), lastName: title(last) };
}

/**
 * The invitee accepts (`POST /__sim/invitations/{id}/accept`): the invitation disappears and the invited user
 * becomes an ACTIVE member with the invitation's roles, so cancelling it afterwards is 400
 * INVALID_INVITATION_ID and the org's users list the member as ACTIVE. Answers as a control endpoint does.
 */
export function acceptInvitation(
  state: SimState,
  invitationId: string,
  now: number,
  ids: IdGenerator,
): { status: number; body: unknown } {
  const invitation = state.invitations.find((i) => i.id === invitationId);
  if (!invitation) return { status: 404, body: { error: `no pending invitation with id ${invitationId}` } };
  state.invitations = state.invitations.filter((i) => i !== invitation);
  const username = invitation.username.toLowerCase();
  const pending = state.users.find(
    (u) =>
      u.orgId === invitation.orgId &&
      u.orgMembershipStatus !== 'ACTIVE' &&
      u.username.toLowerCase() === username,
  );
  const joined = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const roles: SimUser['roles'] = pending?.roles ?? {
    orgRoles: Array.isArray(invitation.roles) ? (invitation.roles as string[]) : [],
    groupRoleAssignments: groupRoleAssignments(invitation),
  };
  const member: SimUser = {
    id: pending?.id ?? ids.next('user'),
    orgId: invitation.orgId,
    username: invitation.username,
    orgMembershipStatus: 'ACTIVE',
    roles,
    teamIds: (pending?.teamIds as string[] | undefined) ?? (invitation.teamIds as string[] | undefined) ?? [],
    ...namesFrom(invitation.username),
    createdAt: joined,
    lastAuth: joined,
  };
  state.users = pending ? state.users.map((u) => (u === pending ? member : u)) : [...state.users, member];
  return { status: 200, body: member };
}
