/**
 * The IP access list of a project: who may connect to its clusters (2023-01-01). Atlas does not support
 * concurrent changes to one project's list, so adds and deletes for the same project run one at a time.
 */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
import {
  accessListEntryValue,
  awsSecurityGroupId,
  cidrBlock,
  ipAddress,
  isoDateTime,
  objectId,
} from '../validation.ts';
import type { Link } from './common.ts';

/** `NetworkPermissionEntry`: exactly one of `ipAddress`, `cidrBlock` and `awsSecurityGroup` is set. */
export interface ProjectAccessListEntry {
  ipAddress?: string;
  cidrBlock?: string;
  awsSecurityGroup?: string;
  comment?: string;
  /** When Atlas removes a temporary entry. */
  deleteAfterDate?: string;
  groupId?: string;
  links?: Link[];
}

/** `NetworkPermissionEntryStatus`: whether the entry has reached every cloud provider. */
export interface ProjectAccessListEntryStatus {
  STATUS: 'PENDING' | 'FAILED' | 'ACTIVE';
}

const newEntry = z
  .strictObject({
    ipAddress: z.optional(ipAddress),
    cidrBlock: z.optional(cidrBlock),
    awsSecurityGroup: z.optional(awsSecurityGroupId),
    comment: z.optional(z.string().check(z.maxLength(80, 'must be at most 80 characters'))),
    deleteAfterDate: z.optional(isoDateTime),
  })
  .check(
    z.refine(
      (entry) =>
        [entry.ipAddress, entry.cidrBlock, entry.awsSecurityGroup].filter((v) => v !== undefined).length ===
        1,
      'must set exactly one of ipAddress, cidrBlock and awsSecurityGroup',
    ),
    z.refine((entry) => entry.awsSecurityGroup === undefined || entry.deleteAfterDate === undefined, {
      message: 'a security group entry cannot be temporary',
      path: ['deleteAfterDate'],
    }),
  );

/** One entry to add: an address, a CIDR block or a security group (which needs VPC peering first). */
export type NewProjectAccessListEntry = z.infer<typeof newEntry>;

export interface AddProjectAccessListParams {
  groupId: string;
  entries: NewProjectAccessListEntry[];
}

export interface ProjectAccessListEntryParams {
  groupId: string;
  /** The entry's address, CIDR block or security group id (the client encodes a CIDR's `/` as `%2F`). */
  entryValue: string;
}

const VERSION = '2023-01-01';

/** One queue per project for every change to its list (the key is namespaced so no other resource shares it). */
const serialiseByProject = (params: { groupId: string }) => `project-access-list:${params.groupId}`;

export const listProjectAccessList = defineOperation<{ groupId: string }, Page<ProjectAccessListEntry>>({
  name: 'listGroupAccessListEntries',
  method: 'GET',
  path: '/groups/{groupId}/accessList',
  version: VERSION,
  params: z.object({ groupId: objectId }),
});

export const addProjectAccessList = defineOperation<AddProjectAccessListParams, Page<ProjectAccessListEntry>>(
  {
    name: 'createGroupAccessListEntry',
    method: 'POST',
    path: '/groups/{groupId}/accessList',
    version: VERSION,
    params: z.object({
      groupId: objectId,
      entries: z.array(newEntry).check(z.minLength(1, 'must hold at least one entry')),
    }),
    body: (params) => params.entries,
    // Atlas answers with the whole list, paginated: ask for its largest page (500 entries).
    fixedQuery: { itemsPerPage: 500 },
    // Adding an entry that exists succeeds without a change, so a repeat is harmless.
    retrySafe: true,
    serialiseBy: serialiseByProject,
  },
);

export const getProjectAccessListEntry = defineOperation<
  ProjectAccessListEntryParams,
  ProjectAccessListEntry
>({
  name: 'getGroupAccessListEntry',
  method: 'GET',
  path: '/groups/{groupId}/accessList/{entryValue}',
  version: VERSION,
  params: z.object({ groupId: objectId, entryValue: accessListEntryValue }),
});

export const deleteProjectAccessListEntry = defineOperation<ProjectAccessListEntryParams, undefined>({
  name: 'deleteGroupAccessListEntry',
  method: 'DELETE',
  path: '/groups/{groupId}/accessList/{entryValue}',
  version: VERSION,
  params: z.object({ groupId: objectId, entryValue: accessListEntryValue }),
  // The spec only names POSTs, but concurrent DELETEs fail the same way (terraform-provider-mongodbatlas
  // PR #4628 serialises them too).
  serialiseBy: serialiseByProject,
});

export const getProjectAccessListStatus = defineOperation<
  ProjectAccessListEntryParams,
  ProjectAccessListEntryStatus
>({
  name: 'getGroupAccessListStatus',
  method: 'GET',
  path: '/groups/{groupId}/accessList/{entryValue}/status',
  version: VERSION,
  params: z.object({ groupId: objectId, entryValue: accessListEntryValue }),
});

export class ProjectAccessListApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** Every entry of a project's IP access list. */
  list(params: { groupId: string }, options?: PageOptions): AsyncGenerator<ProjectAccessListEntry> {
    return this.#http.paginate(listProjectAccessList, params, options);
  }

  /** Adds entries; Atlas answers with the list, up to 500 entries (use `list` for all of a longer one). */
  add(params: AddProjectAccessListParams, options?: CallOptions): Promise<Page<ProjectAccessListEntry>> {
    return this.#http.call(addProjectAccessList, params, options);
  }

  /** One entry by its address, CIDR block or security group. */
  get(params: ProjectAccessListEntryParams, options?: CallOptions): Promise<ProjectAccessListEntry> {
    return this.#http.call(getProjectAccessListEntry, params, options);
  }

  /** Removes one entry (connections already open may stay open for a while). */
  delete(params: ProjectAccessListEntryParams, options?: CallOptions): Promise<void> {
    return this.#http.call(deleteProjectAccessListEntry, params, options);
  }

  /** Whether an entry has reached every cloud provider the project uses. */
  status(params: ProjectAccessListEntryParams, options?: CallOptions): Promise<ProjectAccessListEntryStatus> {
    return this.#http.call(getProjectAccessListStatus, params, options);
  }
}
