/** `serviceAccountAccessList.delete`: removes one entry of a service account's API access list. */
import {
  type DeleteServiceAccountAccessListParams,
  deleteServiceAccountAccessListEntry,
} from '../../atlas/resources/service-account-access-list.ts';
import { deleteIfPresent } from '../delete-outcome.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { inOrganization } from '../target.ts';
import { defineOperationType } from '../types.ts';

export const serviceAccountAccessListDelete = defineOperationType<DeleteServiceAccountAccessListParams>({
  type: 'serviceAccountAccessList.delete',
  summary: "remove an IP address or CIDR block from a service account's API access list",
  risk: 'destructive',
  target: (params) => inOrganization(params.orgId, `service account ${params.clientId}, ${params.ipAddress}`),
  params: strictParams(deleteServiceAccountAccessListEntry.params),
  idempotency:
    'A 404 means the entry is already absent, the state the delete asks for, so a repeat succeeds.',
  plan: (params) => [planRequest(deleteServiceAccountAccessListEntry, params)],
  execute: (params, { atlas, callOptions }) =>
    deleteIfPresent(() => atlas.serviceAccountAccessList.delete(params, callOptions)),
});
