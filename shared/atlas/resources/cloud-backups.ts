/** On-demand snapshots of a dedicated cluster's cloud backup (2023-01-01). */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
import { clusterName, objectId } from '../validation.ts';

/** `DiskBackupSnapshot` (the replica-set shape), the fields we read. */
export interface BackupSnapshot {
  id?: string;
  description?: string;
  status?: 'queued' | 'inProgress' | 'completed' | 'failed';
  snapshotType?: 'onDemand' | 'scheduled' | 'fallback';
  createdAt?: string;
  expiresAt?: string;
  [field: string]: unknown;
}

export interface ClusterRef {
  groupId: string;
  clusterName: string;
}

export interface TakeSnapshotParams extends ClusterRef {
  description: string;
  retentionInDays: number;
}

const VERSION = '2023-01-01';

export const listBackupSnapshots = defineOperation<ClusterRef, Page<BackupSnapshot>>({
  name: 'listBackupSnapshots',
  method: 'GET',
  path: '/groups/{groupId}/clusters/{clusterName}/backup/snapshots',
  version: VERSION,
  params: z.object({ groupId: objectId, clusterName }),
});

/** Answers 200, and a repeat makes a second snapshot: the spec has no 409 (a caller looks first). */
export const takeSnapshot = defineOperation<TakeSnapshotParams, BackupSnapshot>({
  name: 'takeSnapshots',
  method: 'POST',
  path: '/groups/{groupId}/clusters/{clusterName}/backup/snapshots',
  version: VERSION,
  params: z.object({ groupId: objectId, clusterName, description: z.string(), retentionInDays: z.int() }),
  body: (params) => ({ description: params.description, retentionInDays: params.retentionInDays }),
});

export class CloudBackupsApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  snapshots(params: ClusterRef, options?: PageOptions): AsyncGenerator<BackupSnapshot> {
    return this.#http.paginate(listBackupSnapshots, params, options);
  }

  takeSnapshot(params: TakeSnapshotParams, options?: CallOptions): Promise<BackupSnapshot> {
    return this.#http.call(takeSnapshot, params, options);
  }
}
