/** `projectUser.get`: reads one user of a project; the user is the result stored in the status record. */
import {
  type GetProjectUserParams,
  getProjectUser,
  type ProjectUser,
} from '../../atlas/resources/project-users.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { defineOperationType } from '../types.ts';

export const projectUserGet = defineOperationType<GetProjectUserParams>({
  type: 'projectUser.get',
  summary: 'read one user of a project (active or invited)',
  risk: 'read',
  target: (params) => inProject(params.groupId, `user ${params.userId}`),
  params: strictParams(getProjectUser.params),
  idempotency:
    'A read changes nothing, so any number of repeats is safe; each returns the user as it is then.',
  plan: (params) => [planRequest(getProjectUser, params)],
  execute: (params, { atlas, callOptions }): Promise<ProjectUser> =>
    atlas.projectUsers.get(params, callOptions),
});
