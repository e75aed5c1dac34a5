/** `globalCluster.removeAllCustomZoneMappings`: removes every custom zone mapping (the default mapping returns). */
import {
  type GeoSharding,
  type GlobalClusterParams,
  removeAllCustomZoneMappings,
} from '../../atlas/resources/global-clusters.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { defineOperationType } from '../types.ts';

export const globalClusterRemoveAllCustomZoneMappings = defineOperationType<GlobalClusterParams>({
  type: 'globalCluster.removeAllCustomZoneMappings',
  summary: 'remove every custom zone mapping of a Global Cluster',
  risk: 'destructive',
  target: (params) =>
    inProject(params.groupId, `Global Cluster ${params.clusterName}, every custom zone mapping`),
  params: strictParams(removeAllCustomZoneMappings.params),
  idempotency: 'Idempotent by nature: removing all mappings twice leaves none, the same as once.',
  plan: (params) => [planRequest(removeAllCustomZoneMappings, params)],
  execute: (params, { atlas, callOptions }): Promise<GeoSharding> =>
    atlas.globalClusters.removeAllCustomZoneMappings(params, callOptions),
});
