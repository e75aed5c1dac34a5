/** MongoDB Cloud users of one project (2025-02-19: human users only, active or invited). */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp } from '../http.ts';
import { defineOperation } from '../operation.ts';
import { objectId } from '../validation.ts';
import {
  type ActiveCloudUser,
  type CloudUser,
  ORG_MEMBERSHIP_STATUSES,
  type OrgMembershipStatus,
  type PendingCloudUser,
} from './common.ts';

/** `GroupActiveUserResponse`; `roles` are project roles, such as `GROUP_READ_ONLY`. */
export type ProjectActiveUser = ActiveCloudUser<string[]>;

/** `GroupPendingUserResponse`: an invitation that is open, expired or rejected. */
export type ProjectPendingUser = PendingCloudUser<string[]>;

/** `GroupUserResponse`; narrow on `orgMembershipStatus`. */
export type ProjectUser = CloudUser<string[]>;

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
    orgMembershipStatuses: z.optional(z.array(z.enum(ORG_MEMBERSHIP_STATUSES)).check(z.maxLength(4))),
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
