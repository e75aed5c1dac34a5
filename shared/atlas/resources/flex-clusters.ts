/**
 * Flex clusters (2024-11-13). Atlas stopped returning them from the dedicated-clusters list in January 2026,
 * so a complete inventory of a project lists both.
 */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
import { clusterName, objectId } from '../validation.ts';
import type { CloudProvider, Link } from './common.ts';

/** `FlexClusterDescription20241113`. */
export interface FlexCluster {
  id?: string;
  groupId?: string;
  name?: string;
  clusterType?: 'REPLICASET';
  stateName?: 'IDLE' | 'CREATING' | 'UPDATING' | 'DELETING' | 'REPAIRING';
  mongoDBVersion?: string;
  versionReleaseSystem?: 'LTS';
  terminationProtectionEnabled?: boolean;
  providerSettings: {
    providerName?: 'FLEX';
    /** The cloud the flex cluster runs on. */
    backingProviderName?: CloudProvider;
    regionName?: string;
    diskSizeGB?: number;
  };
  backupSettings?: { enabled?: boolean };
  connectionStrings?: { standard?: string; standardSrv?: string };
  createDate?: string;
  links?: Link[];
}

const VERSION = '2024-11-13';

export const listFlexClusters = defineOperation<{ groupId: string }, Page<FlexCluster>>({
  name: 'listGroupFlexClusters',
  method: 'GET',
  path: '/groups/{groupId}/flexClusters',
  version: VERSION,
  params: z.object({ groupId: objectId }),
});

export const getFlexCluster = defineOperation<{ groupId: string; name: string }, FlexCluster>({
  name: 'getGroupFlexCluster',
  method: 'GET',
  path: '/groups/{groupId}/flexClusters/{name}',
  version: VERSION,
  params: z.object({ groupId: objectId, name: clusterName }),
});

export class FlexClustersApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** Every flex cluster of a project (dedicated clusters come from `clusters.list`). */
  list(params: { groupId: string }, options?: PageOptions): AsyncGenerator<FlexCluster> {
    return this.#http.paginate(listFlexClusters, params, options);
  }

  /** One flex cluster by name. */
  get(params: { groupId: string; name: string }, options?: CallOptions): Promise<FlexCluster> {
    return this.#http.call(getFlexCluster, params, options);
  }
}
