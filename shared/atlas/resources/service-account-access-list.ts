/** The API access list of a service account: the addresses its tokens may be used from (2024-08-05). */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
import { cidrBlock, ipAddress, ipOrCidr, objectId, serviceAccountClientId } from '../validation.ts';

/** `ServiceAccountIPAccessListEntry`: exactly one of `ipAddress` and `cidrBlock` is set. */
export interface ServiceAccountAccessListEntry {
  ipAddress?: string | null;
  cidrBlock?: string | null;
  createdAt?: string;
  lastUsedAddress?: string | null;
  lastUsedAt?: string | null;
  requestCount?: number;
}

const newEntry = z
  .strictObject({ ipAddress: z.optional(ipAddress), cidrBlock: z.optional(cidrBlock) })
  .check(
    z.refine(
      (entry) => (entry.ipAddress === undefined) !== (entry.cidrBlock === undefined),
      'must set exactly one of ipAddress and cidrBlock',
    ),
  );

/** One entry to add: an address or a CIDR block. */
export type NewServiceAccountAccessListEntry = z.infer<typeof newEntry>;

export interface ServiceAccountParams {
  orgId: string;
  clientId: string;
}

export interface AddServiceAccountAccessListParams extends ServiceAccountParams {
  entries: NewServiceAccountAccessListEntry[];
}

export interface DeleteServiceAccountAccessListParams extends ServiceAccountParams {
  /** The address or CIDR block of the entry (the client encodes a CIDR's `/` as `%2F`). */
  ipAddress: string;
}

const VERSION = '2024-08-05';
const serviceAccount = { orgId: objectId, clientId: serviceAccountClientId };

export const listServiceAccountAccessList = defineOperation<
  ServiceAccountParams,
  Page<ServiceAccountAccessListEntry>
>({
  name: 'listOrgServiceAccountAccessList',
  method: 'GET',
  path: '/orgs/{orgId}/serviceAccounts/{clientId}/accessList',
  version: VERSION,
  params: z.object(serviceAccount),
});

export const addServiceAccountAccessList = defineOperation<
  AddServiceAccountAccessListParams,
  Page<ServiceAccountAccessListEntry>
>({
  name: 'createOrgServiceAccountAccessList',
  method: 'POST',
  path: '/orgs/{orgId}/serviceAccounts/{clientId}/accessList',
  version: VERSION,
  params: z.object({
    ...serviceAccount,
    entries: z
      .array(newEntry)
      .check(
        z.minLength(1, 'must hold at least one entry'),
        z.maxLength(200, 'must hold at most 200 entries'),
      ),
  }),
  body: (params) => params.entries,
  // Atlas answers with the whole list, paginated: ask for its largest page (500 entries).
  fixedQuery: { itemsPerPage: 500 },
  // Adding entries is set-like: after a lost answer a repeat adds nothing new.
  retrySafe: true,
});

export const deleteServiceAccountAccessListEntry = defineOperation<
  DeleteServiceAccountAccessListParams,
  undefined
>({
  name: 'deleteOrgServiceAccountAccessListEntry',
  method: 'DELETE',
  path: '/orgs/{orgId}/serviceAccounts/{clientId}/accessList/{ipAddress}',
  version: VERSION,
  params: z.object({ ...serviceAccount, ipAddress: ipOrCidr }),
});

export class ServiceAccountAccessListApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** Every entry of a service account's API access list. */
  list(params: ServiceAccountParams, options?: PageOptions): AsyncGenerator<ServiceAccountAccessListEntry> {
    return this.#http.paginate(listServiceAccountAccessList, params, options);
  }

  /** Adds 1–200 entries; Atlas answers with the list, up to 500 entries (use `list` for all of a longer one). */
  add(
    params: AddServiceAccountAccessListParams,
    options?: CallOptions,
  ): Promise<Page<ServiceAccountAccessListEntry>> {
    return this.#http.call(addServiceAccountAccessList, params, options);
  }

  /** Removes one entry (Atlas refuses to remove the address the request comes from). */
  delete(params: DeleteServiceAccountAccessListParams, options?: CallOptions): Promise<void> {
    return this.#http.call(deleteServiceAccountAccessListEntry, params, options);
  }
}
