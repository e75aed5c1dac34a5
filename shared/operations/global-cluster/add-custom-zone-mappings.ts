/** `globalCluster.addCustomZoneMappings`: maps locations to zones (by zone name) on a Global Cluster. */
import {
  addCustomZoneMappings,
  type GeoSharding,
  type GlobalClusterParams,
  type ZoneMapping,
} from '../../atlas/resources/global-clusters.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { defineOperationType } from '../types.ts';

export const globalClusterAddCustomZoneMappings = defineOperationType<
  GlobalClusterParams & { mappings: ZoneMapping[] }
>({
  type: 'globalCluster.addCustomZoneMappings',
  summary: 'map locations to zones of a Global Cluster (custom zone mappings)',
  risk: 'additive',
  target: (params) =>
    inProject(
      params.groupId,
      `Global Cluster ${params.clusterName}, ${params.mappings.map((m) => `${m.location} → ${m.zone}`).join(', ')}`,
    ),
  params: strictParams(addCustomZoneMappings.params),
  idempotency:
    'Set-like: mapping a location to the zone it already maps to changes nothing, so the POST is safe to repeat; ' +
    'the result is the Global Cluster configuration after it.',
  plan: (params) => [planRequest(addCustomZoneMappings, params)],
  execute: (params, { atlas, callOptions }): Promise<GeoSharding> =>
    atlas.globalClusters.addCustomZoneMappings(params, callOptions),
});
