/**
 * Flex clusters (`FlexClusterDescription20241113`, 2024-11-13): `GET /groups/{groupId}/flexClusters` and
 * `GET /groups/{groupId}/flexClusters/{name}`. They share the clusters rate-limit bucket.
 *
 * A name that is no cluster at all is 404 CLUSTER_NOT_FOUND, as for dedicated clusters (the Atlas CLI's
 * recorded e2e answers: TestFlexCluster/Delete_flex_cluster/GET_…_flexClusters_cluster-83_2); a dedicated
 * cluster's name is 400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API (the same recordings, and the Terraform
 * provider's internal/service/flexcluster/state_transition.go, which waits through it during an upgrade).
 */
import { z } from 'zod';
import { notFound, SimError } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import { inGroup, type SimFlexCluster } from '../state.ts';
import { clusterName, objectId } from '../validation.ts';
import type { ResourceVersion } from '../versions.ts';

export const FLEX_CLUSTER_VERSIONS: readonly ResourceVersion[] = [{ date: '2024-11-13' }];

function present(cluster: SimFlexCluster, origin: string): Record<string, unknown> {
  const href = `${origin}/api/atlas/v2/groups/${cluster.groupId}/flexClusters/${encodeURIComponent(cluster.name)}`;
  return { ...cluster, links: [{ href, rel: 'self' }] };
}

export const flexClusterRoutes = [
  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/flexClusters',
    versions: FLEX_CLUSTER_VERSIONS,
    endpointSet: 'clusters',
    params: z.object({ groupId: objectId }),
    handle: ({ state, params, url }) => {
      const list = inGroup(state.flexClusters, params.groupId).map((c) => present(c, url.origin));
      return { status: 200, list };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/flexClusters/{name}',
    versions: FLEX_CLUSTER_VERSIONS,
    endpointSet: 'clusters',
    params: z.object({ groupId: objectId, name: clusterName }),
    handle: ({ state, params, url }) => {
      const cluster = inGroup(state.flexClusters, params.groupId).find((c) => c.name === params.name);
      if (cluster) return { status: 200, body: present(cluster, url.origin) };
      if (inGroup(state.clusters, params.groupId).some((c) => c.name === params.name)) {
        throw new SimError(
          400,
          'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API',
          `Cannot use non-flex cluster ${params.name} in the flex API.`,
          { parameters: [params.name] },
        );
      }
      throw notFound(
        'CLUSTER_NOT_FOUND',
        `No cluster named ${params.name} exists in group ${params.groupId}.`,
        [params.name, params.groupId],
      );
    },
  }),
];
