/**
 * Online archives of a cluster (2023-01-01): list, get and delete. The cluster must exist in the project
 * (404 CLUSTER_NOT_FOUND, Atlas's code and text). An unknown archive is Atlas's generic 404
 * RESOURCE_NOT_FOUND, "Cannot find resource Online archive with id …." (the Atlas CLI's recorded e2e answer,
 * test/e2e/atlas/onlinearchive/onlinearchives/testdata/.snapshots/TestOnlineArchives/Watch/GET_…_1). A deleted
 * archive is gone from later reads at once.
 */
import { z } from 'zod';
import { notFound } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import type { SimOnlineArchive, SimState } from '../state.ts';
import { clusterName, objectId } from '../validation.ts';
import { V2023_01_01 } from './common.ts';

const clusterParams = z.object({ groupId: objectId, clusterName });
const archiveParams = z.object({ groupId: objectId, clusterName, archiveId: objectId });

function requireCluster(state: SimState, groupId: string, name: string): void {
  if (!state.clusters.some((c) => c.groupId === groupId && c.name === name)) {
    throw notFound('CLUSTER_NOT_FOUND', `No cluster named ${name} exists in group ${groupId}.`, [
      name,
      groupId,
    ]);
  }
}

function findArchive(state: SimState, params: z.infer<typeof archiveParams>): SimOnlineArchive {
  requireCluster(state, params.groupId, params.clusterName);
  const archive = state.onlineArchives.find(
    (a) => a._id === params.archiveId && a.groupId === params.groupId && a.clusterName === params.clusterName,
  );
  if (!archive) {
    const resource = `Online archive with id ${params.archiveId}`;
    throw notFound('RESOURCE_NOT_FOUND', `Cannot find resource ${resource}.`, [resource]);
  }
  return archive;
}

/** `BackupOnlineArchive` as stored (a copy, so a caller cannot change the state through it). */
const archiveView = (archive: SimOnlineArchive) => structuredClone(archive);

export const onlineArchiveRoutes = [
  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}/onlineArchives',
    versions: V2023_01_01,
    endpointSet: 'online-archive',
    params: clusterParams,
    handle: ({ state, params }) => {
      requireCluster(state, params.groupId, params.clusterName);
      const list = state.onlineArchives
        .filter((a) => a.groupId === params.groupId && a.clusterName === params.clusterName)
        .map(archiveView);
      return { status: 200, list };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}/onlineArchives/{archiveId}',
    versions: V2023_01_01,
    endpointSet: 'online-archive',
    params: archiveParams,
    handle: ({ state, params }) => ({ status: 200, body: archiveView(findArchive(state, params)) }),
  }),

  defineRoute({
    method: 'DELETE',
    path: '/groups/{groupId}/clusters/{clusterName}/onlineArchives/{archiveId}',
    versions: V2023_01_01,
    endpointSet: 'online-archive',
    params: archiveParams,
    handle: ({ state, params }) => {
      const archive = findArchive(state, params);
      state.onlineArchives = state.onlineArchives.filter((a) => a !== archive);
      return { status: 204 };
    },
  }),
];
