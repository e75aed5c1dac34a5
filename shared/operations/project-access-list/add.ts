/**
 * `projectAccessList.add`. Atlas upserts: adding an entry that is already listed succeeds without a change,
 * so the POST itself is the idempotent step (the client repeats it after a 5xx, too). Success means Atlas
 * lists every asked-for entry afterwards.
 */

import { canonicalEntryKey } from '../../access-list/canonical-entry.ts';
import {
  type AddProjectAccessListParams,
  addProjectAccessList,
  type NewProjectAccessListEntry,
  type ProjectAccessListEntry,
} from '../../atlas/resources/project-access-list.ts';
import { TransientOperationError } from '../errors.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { entriesText, inProject } from '../target.ts';
import { defineOperationType } from '../types.ts';

/** The listed entries that match what was asked. */
export interface AddProjectAccessListResult {
  entries: ProjectAccessListEntry[];
}

/** The entries of `listed` that match `asked`, and the asked-for entries none matches (compared canonically). */
function match(asked: readonly NewProjectAccessListEntry[], listed: readonly ProjectAccessListEntry[]) {
  const wanted = new Set(asked.map(canonicalEntryKey));
  const entries = listed.filter((entry) => wanted.has(canonicalEntryKey(entry)));
  const found = new Set(entries.map(canonicalEntryKey));
  return { entries, notListed: asked.filter((entry) => !found.has(canonicalEntryKey(entry))) };
}

export const projectAccessListAdd = defineOperationType<AddProjectAccessListParams>({
  type: 'projectAccessList.add',
  summary: "add IP addresses, CIDR blocks or AWS security groups to a project's IP access list",
  risk: 'additive',
  target: (params) => inProject(params.groupId, entriesText(params.entries)),
  params: strictParams(addProjectAccessList.params),
  idempotency:
    'Set-like: Atlas upserts entries, so adding entries that are already listed leaves the list as it is ' +
    'and a repeat has no second effect; the result is the listed entries that match what was asked. An ' +
    'asked-for entry Atlas does not list afterwards is retried, not reported done.',
  plan: (params) => [planRequest(addProjectAccessList, params)],
  async execute(params, { atlas, callOptions }): Promise<AddProjectAccessListResult> {
    const answer = await atlas.projectAccessList.add(params, callOptions);
    let result = match(params.entries, answer.results);
    // The answer holds one page of the list (500 entries); a longer list needs the rest to find them all.
    if (result.notListed.length > 0) {
      result = match(
        params.entries,
        await Array.fromAsync(atlas.projectAccessList.list(params, callOptions)),
      );
    }
    if (result.notListed.length > 0) {
      // With concurrent writers to one project, Atlas can accept a POST and list the list without the new
      // entry: the Terraform provider (internal/service/projectipaccesslist/resource_project_ip_access_list.go,
      // `createEntry`) POSTs again until it reads the entry back, "in case of an external action". Not seeing
      // it is not done: the message comes back and POSTs again (set-like).
      const missing = result.notListed.map((entry) => canonicalEntryKey(entry)).join(', ');
      throw new TransientOperationError(`Atlas accepted the entries but does not list ${missing} yet`, {
        cause: { errorCode: 'ACCESS_LIST_ENTRY_NOT_LISTED' },
      });
    }
    return { entries: result.entries };
  },
});
