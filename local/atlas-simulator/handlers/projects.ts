/**
 * Projects (`Group`, 2023-01-01): `GET /groups` (every project of the caller's organization),
 * `GET /orgs/{orgId}/groups` (optionally by case-insensitive name prefix) and `GET /groups/{groupId}`.
 * `clusterCount` counts dedicated and flex clusters.
 */
import { z } from 'zod';
import { notFound } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import { inGroup, type SimProject, type SimState } from '../state.ts';
import { objectId } from '../validation.ts';
import { V2023_01_01 } from './common.ts';

/** A project as `Group`, with its cluster count and links. */
function group(state: SimState, project: SimProject, origin: string): Record<string, unknown> {
  const clusterCount =
    inGroup(state.clusters, project.id).length + inGroup(state.flexClusters, project.id).length;
  return {
    ...project,
    clusterCount,
    links: [{ href: `${origin}/api/atlas/v2/groups/${project.id}`, rel: 'self' }],
  };
}

export const projectRoutes = [
  defineRoute({
    method: 'GET',
    path: '/groups',
    versions: V2023_01_01,
    endpointSet: 'projects-user',
    handle: ({ state, principal, url }) => {
      const list = state.projects
        .filter((p) => p.orgId === principal.orgId)
        .map((p) => group(state, p, url.origin));
      return { status: 200, list };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/orgs/{orgId}/groups',
    versions: V2023_01_01,
    endpointSet: 'organizations',
    params: z.object({ orgId: objectId }),
    query: z.object({ name: z.string().optional() }).loose(),
    handle: ({ state, params, query, url }) => {
      const prefix = query.name?.toLowerCase();
      const list = state.projects
        .filter((p) => p.orgId === params.orgId)
        .filter((p) => prefix === undefined || p.name.toLowerCase().startsWith(prefix))
        .map((p) => group(state, p, url.origin));
      return { status: 200, list };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}',
    versions: V2023_01_01,
    endpointSet: 'projects',
    params: z.object({ groupId: objectId }),
    handle: ({ state, params, url }) => {
      const project = state.projects.find((p) => p.id === params.groupId);
      // The server checks this first; kept so the handler never answers 200 without a body.
      if (!project) {
        throw notFound('GROUP_NOT_FOUND', `No group with ID ${params.groupId} exists.`, [params.groupId]);
      }
      return { status: 200, body: group(state, project, url.origin) };
    },
  }),
];
