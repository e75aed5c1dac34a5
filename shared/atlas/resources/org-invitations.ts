/**
 * Organization invitations: deprecated endpoints whose only version (2023-01-01) is sunset on 2027-07-01,
 * after which Atlas answers 410. Pending invitations are now pending org users: list them with
 * `OrgUsersApi.list` and cancel one with `OrgUsersApi.remove`.
 */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp } from '../http.ts';
import { defineOperation } from '../operation.ts';
import { objectId } from '../validation.ts';
import type { Link } from './common.ts';
import type { OrgRole } from './org-users.ts';

/** `OrganizationInvitation`. */
export interface OrganizationInvitation {
  id?: string;
  orgId?: string;
  orgName: string;
  /** The invitee's email address. */
  username?: string;
  roles?: OrgRole[];
  groupRoleAssignments?: { groupId?: string; groupRole?: string }[];
  teamIds?: string[];
  createdAt?: string;
  expiresAt?: string;
  inviterUsername?: string;
  links?: Link[];
}

export interface ListOrgInvitationsParams {
  orgId: string;
  /** Only the invitation for this email address. */
  username?: string;
}

const VERSION = '2023-01-01';

// Not a paginated list: Atlas returns a bare JSON array.
export const listOrgInvitations = defineOperation<ListOrgInvitationsParams, OrganizationInvitation[]>({
  name: 'listOrgInvites',
  method: 'GET',
  path: '/orgs/{orgId}/invites',
  version: VERSION,
  params: z.object({ orgId: objectId, username: z.optional(z.email('must be an email address')) }),
  query: ['username'],
});

export const cancelOrgInvitation = defineOperation<{ orgId: string; invitationId: string }, undefined>({
  name: 'deleteOrgInvite',
  method: 'DELETE',
  path: '/orgs/{orgId}/invites/{invitationId}',
  version: VERSION,
  // The spec gives invitationId no pattern, but documents it as a 24-hex id, which is what Atlas issues.
  params: z.object({ orgId: objectId, invitationId: objectId }),
});

export class OrgInvitationsApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** @deprecated Sunset 2027-07-01: list pending users with `OrgUsersApi.list` instead. */
  list(params: ListOrgInvitationsParams, options?: CallOptions): Promise<OrganizationInvitation[]> {
    return this.#http.call(listOrgInvitations, params, options);
  }

  /** @deprecated Sunset 2027-07-01: remove the pending user with `OrgUsersApi.remove` instead. */
  cancel(params: { orgId: string; invitationId: string }, options?: CallOptions): Promise<void> {
    return this.#http.call(cancelOrgInvitation, params, options);
  }
}
