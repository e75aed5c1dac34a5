/**
 * `projectAccessList.add`. Atlas upserts: adding an entry that is already listed succeeds without a change,
 * so the POST itself is the idempotent step (the client repeats it after a 5xx, too).
 */
import {
  type AddProjectAccessListParams,
  addProjectAccessList,
  type NewProjectAccessListEntry,
  type ProjectAccessListEntry,
} from '../../atlas/resources/project-access-list.ts';
import { accessListKey } from '../access-list-key.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { defineOperationType } from '../types.ts';

/** The listed entries that match what was asked; `notListed` names any Atlas accepted but does not list yet. */
export interface AddProjectAccessListResult {
  entries: ProjectAccessListEntry[];
  notListed?: NewProjectAccessListEntry[];
}

/** The entries of `listed` that match `asked`, and the asked-for entries none matches. */
function match(asked: readonly NewProjectAccessListEntry[], listed: readonly ProjectAccessListEntry[]) {
  const wanted = new Set(asked.map(accessListKey));
  const entries = listed.filter((entry) => wanted.has(accessListKey(entry)));
  const found = new Set(entries.map(accessListKey));
  return { entries, notListed: asked.filter((entry) => !found.has(accessListKey(entry))) };
}

export const projectAccessListAdd = defineOperationType<AddProjectAccessListParams>({
  type: 'projectAccessList.add',
  summary: "add IP addresses, CIDR blocks or AWS security groups to a project's IP access list",
  params: strictParams(addProjectAccessList.params),
  idempotency:
    'Set-like: Atlas upserts entries, so adding entries that are already listed leaves the list as it is ' +
    'and a repeat has no second effect; the result is the listed entries that match what was asked.',
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
    return result.notListed.length > 0 ? result : { entries: result.entries };
  },
});
