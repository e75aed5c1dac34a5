/**
 * `serviceAccountAccessList.add`. Looks first and sends only the entries that are missing: a repeat of a
 * message whose first delivery succeeded sends no POST at all.
 */

import { canonicalEntryKey } from '../../access-list/canonical-entry.ts';
import { AtlasApiError } from '../../atlas/errors.ts';
import type { AtlasClient, CallOptions } from '../../atlas/index.ts';
import {
  type AddServiceAccountAccessListParams,
  addServiceAccountAccessList,
  listServiceAccountAccessList,
  type NewServiceAccountAccessListEntry,
  type ServiceAccountParams,
} from '../../atlas/resources/service-account-access-list.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { entriesText, inOrganization } from '../target.ts';
import { defineOperationType } from '../types.ts';

/** Which of the asked-for entries this run added, and which were listed already. */
export interface AddServiceAccountAccessListResult {
  added: NewServiceAccountAccessListEntry[];
  alreadyPresent: NewServiceAccountAccessListEntry[];
}

/** The networks the service account's list admits now (all pages). */
async function listedNetworks(
  atlas: AtlasClient,
  { orgId, clientId }: ServiceAccountParams,
  callOptions: CallOptions | undefined,
): Promise<Set<string | undefined>> {
  const listed = await Array.fromAsync(atlas.serviceAccountAccessList.list({ orgId, clientId }, callOptions));
  return new Set(listed.map(canonicalEntryKey));
}

export const serviceAccountAccessListAdd = defineOperationType<AddServiceAccountAccessListParams>({
  type: 'serviceAccountAccessList.add',
  summary: "add IP addresses or CIDR blocks to a service account's API access list",
  risk: 'additive',
  target: (params) =>
    inOrganization(params.orgId, `service account ${params.clientId}, ${entriesText(params.entries)}`),
  params: strictParams(addServiceAccountAccessList.params),
  idempotency:
    'Set-like: lists the current entries first and sends only the missing ones (none missing: no POST); a 409 ' +
    'on the POST is success once a second look finds every asked-for entry listed.',
  plan: (params) => [
    planRequest(
      listServiceAccountAccessList,
      { orgId: params.orgId, clientId: params.clientId },
      { list: true },
    ),
    planRequest(addServiceAccountAccessList, params),
  ],
  async execute(params, { atlas, callOptions }): Promise<AddServiceAccountAccessListResult> {
    const listed = await listedNetworks(atlas, params, callOptions);
    const alreadyPresent = params.entries.filter((entry) => listed.has(canonicalEntryKey(entry)));
    // One entry per network, even when the message names one twice (Atlas would refuse the duplicate).
    const missing = [...new Map(params.entries.map((e) => [canonicalEntryKey(e), e] as const)).entries()]
      .filter(([key]) => !listed.has(key))
      .map(([, entry]) => entry);
    if (missing.length === 0) return { added: [], alreadyPresent };
    try {
      await atlas.serviceAccountAccessList.add({ ...params, entries: missing }, callOptions);
    } catch (error) {
      if (!(error instanceof AtlasApiError && error.status === 409)) throw error;
      // A duplicate: someone added an entry since we looked. Done only if every entry is listed now; any
      // other conflict is Atlas's to explain, so its error stands.
      const now = await listedNetworks(atlas, params, callOptions);
      if (!params.entries.every((entry) => now.has(canonicalEntryKey(entry)))) throw error;
      return { added: [], alreadyPresent: params.entries };
    }
    return { added: missing, alreadyPresent };
  },
});
