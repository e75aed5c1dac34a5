/** MongoDB Cloud users of one organization (2025-02-19), including pending invitations. */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
import { objectId } from '../validation.ts';
import {
  type ActiveCloudUser,
  ORG_MEMBERSHIP_STATUSES,
  type OrgMembershipStatus,
  type PendingCloudUser,
} from './common.ts';

export type OrgRole =
  | 'ORG_OWNER'
  | 'ORG_GROUP_CREATOR'
  | 'ORG_BILLING_ADMIN'
  | 'ORG_BILLING_READ_ONLY'
  | 'ORG_STREAM_PROCESSING_ADMIN'
  | 'ORG_READ_ONLY'
  | 'ORG_MEMBER';

/** `OrgUserRolesResponse`. */
export interface OrgUserRoles {
  orgRoles?: OrgRole[];
  groupRoleAssignments?: { groupId?: string; groupRoles?: string[] }[];
}

/** `OrgActiveUserResponse`: a user who has joined the organization. */
export type OrgActiveUser = ActiveCloudUser<OrgUserRoles> & { teamIds?: string[] };

/** `OrgPendingUserResponse`: an invitation that is open, expired or rejected. */
export type OrgPendingUser = PendingCloudUser<OrgUserRoles> & { teamIds?: string[] };

/** `OrgUserResponse`; narrow on `orgMembershipStatus`. */
export type OrgUser = OrgActiveUser | OrgPendingUser;

export interface ListOrgUsersParams {
  orgId: string;
  /** Only the user with this email address. */
  username?: string;
  /** Only users with this status. Atlas marks this parameter deprecated in favour of `orgMembershipStatuses`. */
  orgMembershipStatus?: OrgMembershipStatus;
  /** Only users with one of these statuses. */
  orgMembershipStatuses?: OrgMembershipStatus[];
}

const VERSION = '2025-02-19';

export const listOrgUsers = defineOperation<ListOrgUsersParams, Page<OrgUser>>({
  name: 'listOrgUsers',
  method: 'GET',
  path: '/orgs/{orgId}/users',
  version: VERSION,
  params: z.object({
    orgId: objectId,
    username: z.optional(z.email('must be an email address')),
    orgMembershipStatus: z.optional(z.enum(ORG_MEMBERSHIP_STATUSES)),
    orgMembershipStatuses: z.optional(z.array(z.enum(ORG_MEMBERSHIP_STATUSES)).check(z.maxLength(4))),
  }),
  query: ['username', 'orgMembershipStatus', 'orgMembershipStatuses'],
});

export const removeOrgUser = defineOperation<{ orgId: string; userId: string }, undefined>({
  name: 'removeOrgUser',
  method: 'DELETE',
  path: '/orgs/{orgId}/users/{userId}',
  version: VERSION,
  params: z.object({ orgId: objectId, userId: objectId }),
});

export class OrgUsersApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** Every user of an organization, active and pending, optionally filtered by email or status. */
  list(params: ListOrgUsersParams, options?: PageOptions): AsyncGenerator<OrgUser> {
    return this.#http.paginate(listOrgUsers, params, options);
  }

  /** Removes a user from the organization; for a pending user this cancels the invitation. */
  remove(params: { orgId: string; userId: string }, options?: CallOptions): Promise<void> {
    return this.#http.call(removeOrgUser, params, options);
  }
}
