/**
 * Organization invitations, the deprecated API (2023-01-01 only, sunset 2027-07-01, so every answer carries
 * `Deprecation` and `Sunset`): `GET /orgs/{orgId}/invites` answers a bare JSON array (no paging), and
 * `DELETE /orgs/{orgId}/invites/{invitationId}` cancels one, which also removes the invited (pending) user.
 */
import { z } from 'zod';
import { objectId } from '../../../shared/atlas/validation.ts';
import { notFound } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import type { ResourceVersion } from '../versions.ts';

export const INVITATION_VERSIONS: readonly ResourceVersion[] = [
  { date: '2023-01-01', sunset: '2027-07-01', deprecated: '2025-02-19' },
];

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
    // The spec gives invitationId no pattern; any id that names no invitation is simply not found.
    params: z.object({ orgId: objectId, invitationId: z.string().min(1) }),
    handle: ({ state, params }) => {
      const invitation = state.invitations.find(
        (i) => i.id === params.invitationId && i.orgId === params.orgId,
      );
      if (!invitation) {
        throw notFound('INVITATION_NOT_FOUND', `Invitation ${params.invitationId} not found.`, [
          params.invitationId,
        ]);
      }
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
