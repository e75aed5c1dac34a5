/** MongoDB Cloud users of one project (2025-02-19: human users only, active or invited). */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
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

export interface ProjectUserRef {
  groupId: string;
  userId: string;
}

/** `GroupUserRequest`: a MongoDB Cloud user (by email) and the project roles to give them. */
export interface AddProjectUserParams {
  groupId: string;
  username: string;
  roles: string[];
}

export interface ProjectRoleParams extends ProjectUserRef {
  /** A project role, such as `GROUP_READ_ONLY`. */
  groupRole: string;
}

const PROJECT_USERS_VERSION = '2025-02-19';

export const listProjectUsers = defineOperation<{ groupId: string; username?: string }, Page<ProjectUser>>({
  name: 'listGroupUsers',
  method: 'GET',
  path: '/groups/{groupId}/users',
  version: PROJECT_USERS_VERSION,
  params: z.object({ groupId: objectId, username: z.optional(z.string()) }),
  query: ['username'],
});

export const addProjectUser = defineOperation<AddProjectUserParams, ProjectUser>({
  name: 'addGroupUsers',
  method: 'POST',
  path: '/groups/{groupId}/users',
  version: PROJECT_USERS_VERSION,
  params: z.object({ groupId: objectId, username: z.string(), roles: z.array(z.string()) }),
  body: (params) => ({ username: params.username, roles: params.roles }),
});

const roleParams = z.object({ groupId: objectId, userId: objectId, groupRole: z.string() });

export const addProjectRole = defineOperation<ProjectRoleParams, ProjectUser>({
  name: 'addGroupUserRole',
  method: 'POST',
  path: '/groups/{groupId}/users/{userId}:addRole',
  version: PROJECT_USERS_VERSION,
  params: roleParams,
  body: (params) => ({ groupRole: params.groupRole }),
  // Adding a role the user holds changes nothing.
  retrySafe: true,
});

export const removeProjectRole = defineOperation<ProjectRoleParams, ProjectUser>({
  name: 'removeGroupUserRole',
  method: 'POST',
  path: '/groups/{groupId}/users/{userId}:removeRole',
  version: PROJECT_USERS_VERSION,
  params: roleParams,
  body: (params) => ({ groupRole: params.groupRole }),
  retrySafe: true,
});

export const removeProjectUser = defineOperation<ProjectUserRef, undefined>({
  name: 'removeGroupUser',
  method: 'DELETE',
  path: '/groups/{groupId}/users/{userId}',
  version: PROJECT_USERS_VERSION,
  params: z.object({ groupId: objectId, userId: objectId }),
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

  /** The project's users, or the one with `username` (an email). */
  list(params: { groupId: string; username?: string }, options?: PageOptions): AsyncGenerator<ProjectUser> {
    return this.#http.paginate(listProjectUsers, params, options);
  }

  /** Gives a user roles in the project (inviting them to the organization if they are not in it); 409 if they are in it. */
  add(params: AddProjectUserParams, options?: CallOptions): Promise<ProjectUser> {
    return this.#http.call(addProjectUser, params, options);
  }

  addRole(params: ProjectRoleParams, options?: CallOptions): Promise<ProjectUser> {
    return this.#http.call(addProjectRole, params, options);
  }

  removeRole(params: ProjectRoleParams, options?: CallOptions): Promise<ProjectUser> {
    return this.#http.call(removeProjectRole, params, options);
  }

  /** Removes the user from the project (every role in it). */
  remove(params: ProjectUserRef, options?: CallOptions): Promise<undefined> {
    return this.#http.call(removeProjectUser, params, options);
  }
}
