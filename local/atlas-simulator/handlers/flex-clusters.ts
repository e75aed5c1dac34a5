/**
 * Flex clusters (`FlexClusterDescription20241113`, 2024-11-13): `GET /groups/{groupId}/flexClusters` and
 * `GET /groups/{groupId}/flexClusters/{name}`. They share the clusters rate-limit bucket.
 */
import { z } from 'zod';
import { clusterName, objectId } from '../../../shared/atlas/validation.ts';
import { notFound } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import { inGroup, type SimFlexCluster } from '../state.ts';
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
      if (!cluster) {
        throw notFound(
          'FLEX_CLUSTER_NOT_FOUND',
          `No flex cluster named ${params.name} exists in group ${params.groupId}.`,
          [params.name, params.groupId],
        );
      }
      return { status: 200, body: present(cluster, url.origin) };
    },
  }),
];
