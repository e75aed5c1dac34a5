/**
 * `GET /clusters` (2023-01-01): every cluster of every project the caller can see, grouped by project, in the
 * summary shape (`OrgGroup` of `CloudCluster`). atlas-ops does not call it; third-party clients do (the
 * MongoDB MCP server lists clusters this way when it is given no project).
 */
import { defineRoute } from '../routes.ts';
import { inGroup, type SimCluster } from '../state.ts';
import { V2023_01_01 } from './common.ts';

interface RegionConfig {
  electableSpecs?: { nodeCount?: number };
  readOnlySpecs?: { nodeCount?: number };
  analyticsSpecs?: { nodeCount?: number };
}

function nodeCount(cluster: SimCluster): number {
  const specs = (cluster.replicationSpecs as { regionConfigs?: RegionConfig[] }[] | undefined) ?? [];
  return specs
    .flatMap((spec) => spec.regionConfigs ?? [])
    .reduce(
      (sum, region) =>
        sum +
        (region.electableSpecs?.nodeCount ?? 0) +
        (region.readOnlySpecs?.nodeCount ?? 0) +
        (region.analyticsSpecs?.nodeCount ?? 0),
      0,
    );
}

export const allClustersRoutes = [
  defineRoute({
    method: 'GET',
    path: '/clusters',
    versions: V2023_01_01,
    endpointSet: 'clusters-user',
    handle: ({ state, principal }) => {
      const org = state.orgs.find((o) => o.id === principal.orgId);
      const list = state.projects
        .filter((project) => project.orgId === principal.orgId)
        .map((project) => ({
          groupId: project.id,
          groupName: project.name,
          orgId: project.orgId,
          orgName: org?.name ?? '',
          planType: 'Atlas',
          tags: project.tags ?? [],
          clusters: inGroup(state.clusters, project.id).map((cluster) => ({
            clusterId: cluster.id,
            name: cluster.name,
            type: cluster.clusterType === 'REPLICASET' ? 'REPLICA_SET' : 'SHARDED_CLUSTER',
            availability: cluster.paused ? 'unavailable' : 'available',
            backupEnabled: cluster.backupEnabled === true,
            authEnabled: true,
            sslEnabled: true,
            alertCount: 0,
            dataSizeBytes: 0,
            nodeCount: nodeCount(cluster),
            versions: cluster.mongoDBVersion ? [String(cluster.mongoDBVersion)] : [],
          })),
        }));
      return { status: 200, list };
    },
  }),
];
