/** Online archives of a cluster (2023-01-01). */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
import { clusterName, objectId } from '../validation.ts';
import type { CloudProvider } from './common.ts';

/** `OnlineArchiveSchedule`: when archiving runs; the hour and day fields depend on `type`. */
export interface OnlineArchiveSchedule {
  type: 'DEFAULT' | 'DAILY' | 'WEEKLY' | 'MONTHLY';
  startHour?: number;
  startMinute?: number;
  endHour?: number;
  endMinute?: number;
  /** WEEKLY: 1 (Monday) to 7. */
  dayOfWeek?: number;
  /** MONTHLY: 1 to 31. */
  dayOfMonth?: number;
}

/** `BackupOnlineArchive`. Every field is optional in the spec. */
export interface OnlineArchive {
  /** The archive id: note the underscore. */
  _id?: string;
  groupId?: string;
  clusterName?: string;
  dbName?: string;
  collName?: string;
  collectionType?: 'TIMESERIES' | 'STANDARD';
  /** Which documents are archived: DATE (by a date field's age) or CUSTOM (a query); other fields by type. */
  criteria?: { type?: 'DATE' | 'CUSTOM'; [field: string]: unknown };
  dataExpirationRule?: { expireAfterDays?: number };
  dataProcessRegion?: { cloudProvider?: CloudProvider; region?: string };
  dataSetName?: string;
  partitionFields?: { fieldName: string; fieldType?: string; order: number }[];
  paused?: boolean;
  schedule?: OnlineArchiveSchedule;
  state?: 'PENDING' | 'ACTIVE' | 'PAUSING' | 'PAUSED' | 'DELETED' | 'ORPHANED';
}

export interface OnlineArchiveParams {
  groupId: string;
  clusterName: string;
  archiveId: string;
}

const VERSION = '2023-01-01';

export const listOnlineArchives = defineOperation<
  { groupId: string; clusterName: string },
  Page<OnlineArchive>
>({
  name: 'listGroupClusterOnlineArchives',
  method: 'GET',
  path: '/groups/{groupId}/clusters/{clusterName}/onlineArchives',
  version: VERSION,
  params: z.object({ groupId: objectId, clusterName }),
});

export const getOnlineArchive = defineOperation<OnlineArchiveParams, OnlineArchive>({
  name: 'getGroupClusterOnlineArchive',
  method: 'GET',
  path: '/groups/{groupId}/clusters/{clusterName}/onlineArchives/{archiveId}',
  version: VERSION,
  params: z.object({ groupId: objectId, clusterName, archiveId: objectId }),
});

export const deleteOnlineArchive = defineOperation<OnlineArchiveParams, undefined>({
  name: 'deleteGroupClusterOnlineArchive',
  method: 'DELETE',
  path: '/groups/{groupId}/clusters/{clusterName}/onlineArchives/{archiveId}',
  version: VERSION,
  params: z.object({ groupId: objectId, clusterName, archiveId: objectId }),
});

export class OnlineArchivesApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** Every online archive of a cluster. */
  list(
    params: { groupId: string; clusterName: string },
    options?: PageOptions,
  ): AsyncGenerator<OnlineArchive> {
    return this.#http.paginate(listOnlineArchives, params, options);
  }

  /** One online archive by id. */
  get(params: OnlineArchiveParams, options?: CallOptions): Promise<OnlineArchive> {
    return this.#http.call(getOnlineArchive, params, options);
  }

  /** Removes an online archive (the archived data goes with it). */
  delete(params: OnlineArchiveParams, options?: CallOptions): Promise<void> {
    return this.#http.call(deleteOnlineArchive, params, options);
  }
}
