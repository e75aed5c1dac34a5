/** MongoDB Cloud users of one project (2025-02-19: human users only, active or invited). */
import { z } from 'zod';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp } from '../http.ts';
import { defineOperation } from '../operation.ts';
import { objectId } from '../validation.ts';
import { ORG_MEMBERSHIP_STATUSES, type OrgMembershipStatus } from './common.ts';

interface ProjectUserBase {
  id: string;
  /** Email address. */
  username: string;
  /** Project roles, such as `GROUP_READ_ONLY`. */
  roles: string[];
}

/** `GroupActiveUserResponse`: a user who has joined the organization. */
export interface ProjectActiveUser extends ProjectUserBase {
  orgMembershipStatus: 'ACTIVE';
  createdAt: string;
  firstName: string;
  lastName: string;
  country?: string;
  lastAuth?: string;
  mobileNumber?: string;
}

/** `GroupPendingUserResponse`: an invitation that is open, expired or rejected. */
export interface ProjectPendingUser extends ProjectUserBase {
  orgMembershipStatus: Exclude<OrgMembershipStatus, 'ACTIVE'>;
  invitationCreatedAt: string;
  invitationExpiresAt?: string | null;
  inviterUsername: string;
}

/** `GroupUserResponse`; narrow on `orgMembershipStatus`. */
export type ProjectUser = ProjectActiveUser | ProjectPendingUser;

export interface GetProjectUserParams {
  groupId: string;
  userId: string;
  /** Which statuses may match; Atlas's default is ACTIVE and PENDING. */
  orgMembershipStatuses?: OrgMembershipStatus[];
}

export const getProjectUser = defineOperation<GetProjectUserParams, ProjectUser>({
  name: 'getGroupUser',
  method: 'GET',
  path: '/groups/{groupId}/users/{userId}',
  version: '2025-02-19',
  params: z.object({
    groupId: objectId,
    userId: objectId,
    orgMembershipStatuses: z.array(z.enum(ORG_MEMBERSHIP_STATUSES)).max(4).optional(),
  }),
  query: ['orgMembershipStatuses'],
});

export class ProjectUsersApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** One user of a project, active or invited (users invited through the old project-invite API are not found). */
  get(params: GetProjectUserParams, options?: CallOptions): Promise<ProjectUser> {
    return this.#http.call(getProjectUser, params, options);
  }
}
