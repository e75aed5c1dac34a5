/** `projectAccessList.delete`: removes one entry of a project's IP access list. */
import {
  deleteProjectAccessListEntry,
  type ProjectAccessListEntryParams,
} from '../../atlas/resources/project-access-list.ts';
import { deleteIfPresent } from '../delete-outcome.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { defineOperationType } from '../types.ts';

export const projectAccessListDelete = defineOperationType<ProjectAccessListEntryParams>({
  type: 'projectAccessList.delete',
  summary: "remove an IP address, CIDR block or AWS security group from a project's IP access list",
  risk: 'destructive',
  target: (params) => inProject(params.groupId, params.entryValue),
  params: strictParams(deleteProjectAccessListEntry.params),
  idempotency:
    'A 404 means the entry is already absent, the state the delete asks for, so a repeat succeeds.',
  plan: (params) => [planRequest(deleteProjectAccessListEntry, params)],
  execute: (params, { atlas, callOptions }) =>
    deleteIfPresent(() => atlas.projectAccessList.delete(params, callOptions)),
});
