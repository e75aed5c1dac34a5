/** Dedicated clusters, in the 2024-08-05 shape (one `replicationSpecs` element per shard, no `numShards`). */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
import { clusterName, objectId } from '../validation.ts';
import type { Link, ResourceTag } from './common.ts';

export interface HardwareSpec20240805 {
  instanceSize?: string;
  nodeCount?: number;
  diskSizeGB?: number;
  diskIOPS?: number;
  ebsVolumeType?: string;
}

export interface CloudRegionConfig20240805 {
  providerName: 'AWS' | 'AZURE' | 'GCP' | 'TENANT';
  /** For TENANT region configs, the provider the tenant runs on. */
  backingProviderName?: string;
  regionName: string;
  priority?: number;
  electableSpecs?: HardwareSpec20240805;
  readOnlySpecs?: HardwareSpec20240805;
  analyticsSpecs?: HardwareSpec20240805;
  autoScaling?: Record<string, unknown>;
  analyticsAutoScaling?: Record<string, unknown>;
}

export interface ReplicationSpec20240805 {
  /** The shard's id. */
  id?: string;
  zoneId?: string;
  zoneName?: string;
  regionConfigs: CloudRegionConfig20240805[];
}

export interface Cluster {
  id: string;
  groupId: string;
  name: string;
  clusterType?: 'REPLICASET' | 'SHARDED' | 'GEOSHARDED';
  stateName?: 'IDLE' | 'CREATING' | 'UPDATING' | 'DELETING' | 'REPAIRING';
  mongoDBMajorVersion?: string;
  mongoDBVersion?: string;
  versionReleaseSystem?: 'LTS' | 'CONTINUOUS';
  paused?: boolean;
  backupEnabled?: boolean;
  pitEnabled?: boolean;
  terminationProtectionEnabled?: boolean;
  encryptionAtRestProvider?: 'NONE' | 'AWS' | 'AZURE' | 'GCP';
  advancedConfiguration?: {
    minimumEnabledTlsProtocol?: 'TLS1_0' | 'TLS1_1' | 'TLS1_2' | 'TLS1_3';
    tlsCipherConfigMode?: string;
    customOpensslCipherConfigTls12?: string[];
  };
  globalClusterSelfManagedSharding?: boolean;
  replicationSpecs?: ReplicationSpec20240805[];
  tags?: ResourceTag[];
  labels?: { key: string; value: string }[];
  connectionStrings?: Record<string, unknown>;
  createDate?: string;
  links?: Link[];
}

const VERSION = '2024-08-05';

export interface ListClustersParams {
  groupId: string;
  /** Also list deleted clusters whose backups are retained (Atlas's default: false). */
  includeDeletedWithRetainedBackups?: boolean | undefined;
}

export const listClusters = defineOperation<ListClustersParams, Page<Cluster>>({
  name: 'listGroupClusters',
  method: 'GET',
  path: '/groups/{groupId}/clusters',
  version: VERSION,
  params: z.object({ groupId: objectId, includeDeletedWithRetainedBackups: z.optional(z.boolean()) }),
  query: ['includeDeletedWithRetainedBackups'],
});

export const getCluster = defineOperation<{ groupId: string; clusterName: string }, Cluster>({
  name: 'getGroupCluster',
  method: 'GET',
  path: '/groups/{groupId}/clusters/{clusterName}',
  version: VERSION,
  params: z.object({ groupId: objectId, clusterName }),
});

export interface SetClusterPausedParams {
  groupId: string;
  clusterName: string;
  paused: boolean;
}

/**
 * Pauses or resumes a dedicated cluster: `updateCluster` with only `paused` (2024-10-23, answering
 * `ClusterDescription20240805`). A paused cluster cannot be otherwise modified (`CANNOT_UPDATE_PAUSED_CLUSTER`);
 * Atlas resumes a cluster paused for 30 days.
 */
export const setClusterPaused = defineOperation<SetClusterPausedParams, Cluster>({
  name: 'updateCluster',
  method: 'PATCH',
  path: '/groups/{groupId}/clusters/{clusterName}',
  version: '2024-10-23',
  params: z.object({ groupId: objectId, clusterName, paused: z.boolean() }),
  body: (params) => ({ paused: params.paused }),
  // Setting the same state again changes nothing.
  retrySafe: true,
});

export class ClustersApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** Every dedicated cluster of a project (flex clusters come from `flexClusters.list`). */
  list(params: ListClustersParams, options?: PageOptions): AsyncGenerator<Cluster> {
    return this.#http.paginate(listClusters, params, options);
  }

  /** One cluster by name. */
  get(params: { groupId: string; clusterName: string }, options?: CallOptions): Promise<Cluster> {
    return this.#http.call(getCluster, params, options);
  }

  setPaused(params: SetClusterPausedParams, options?: CallOptions): Promise<Cluster> {
    return this.#http.call(setClusterPaused, params, options);
  }
}
