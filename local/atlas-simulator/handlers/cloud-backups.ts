/**
 * On-demand Cloud Backup snapshots of a dedicated cluster (2023-01-01):
 * - `POST /groups/{groupId}/clusters/{clusterName}/backup/snapshots` `DiskBackupOnDemandSnapshotRequest
 *   {description, retentionInDays ≥ 1}` → **200** `DiskBackupSnapshot` (reference Addendum 3; the spec declares
 *   no 409 and takes no key: every request that Atlas accepts is a new snapshot). Without `retentionInDays` the
 *   snapshot is kept 1 day (assumed; the subset does not require the field).
 * - `GET` of the same path → the paged `PaginatedCloudBackupReplicaSet`, oldest first; `pointInTimeUtcSeconds`,
 *   `oplogTs` and `oplogInc` must be whole numbers and change nothing.
 *
 * A snapshot is `queued` for `snapshotTransitionMs` (default 2 s of the simulator's clock), `inProgress` as
 * long again, then `completed`; it is gone once its `expiresAt` (creation plus the retention) has passed, as
 * Atlas deletes it. While one on-demand snapshot of the cluster is queued or in progress another is 400
 * UNFINISHED_ON_DEMAND_SNAPSHOT ("Another on-demand snapshot is queued or in progress.": Atlas's error-code
 * page; the Terraform provider's docs of `mongodbatlas_cloud_provider_snapshot` say to wait for it). A cluster
 * with Cloud Backup off is 400 BACKUP_JOB_NOT_FOUND, the page's code for "Backups are not enabled for this
 * cluster."; a missing cluster 404 CLUSTER_NOT_FOUND, a flex one 400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API.
 * A sharded cluster's snapshot is a `shardedCluster` one, with a member per shard and the config server.
 */
import { z } from 'zod';
import { badRequest } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import type { IdGenerator, SimCluster, SimSnapshot, SimState } from '../state.ts';
import { clusterName, objectId } from '../validation.ts';
import { findCluster, settleClusters } from './clusters.ts';
import { atlasDate, V2023_01_01 } from './common.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const params = z.object({ groupId: objectId, clusterName });
const wholeNumber = z.string().regex(/^\d+$/, 'must be a whole number');

type Status = 'queued' | 'inProgress' | 'completed';

function statusOf(snapshot: SimSnapshot, now: number, transitionMs: number): Status {
  const age = now - Date.parse(snapshot.createdAt);
  if (age < transitionMs) return 'queued';
  if (age < 2 * transitionMs) return 'inProgress';
  return 'completed';
}

/** Removes the snapshots past their `expiresAt` (Atlas deletes them itself). */
function purgeExpired(state: SimState, now: number): void {
  state.snapshots = state.snapshots.filter((s) => Date.parse(s.expiresAt) > now);
}

function snapshotsOf(state: SimState, cluster: SimCluster): SimSnapshot[] {
  return state.snapshots.filter((s) => s.groupId === cluster.groupId && s.clusterName === cluster.name);
}

interface RegionConfig {
  providerName?: string;
}

/** A new snapshot of the cluster as stored: `DiskBackupSnapshot` without its status and links. */
function newSnapshot(
  cluster: SimCluster,
  request: { description?: string | undefined; retentionInDays: number },
  now: number,
  ids: IdGenerator,
): SimSnapshot {
  const shards = (cluster.replicationSpecs as { regionConfigs?: RegionConfig[] }[] | undefined) ?? [];
  const cloudProvider = shards[0]?.regionConfigs?.[0]?.providerName ?? 'AWS';
  const tag = String(cluster.id).slice(-6);
  const base = {
    id: ids.next('snapshot'),
    groupId: cluster.groupId,
    clusterName: cluster.name,
    createdAt: atlasDate(now),
    expiresAt: atlasDate(now + request.retentionInDays * DAY_MS),
    frequencyType: 'ondemand',
    snapshotType: 'onDemand',
    mongodVersion: String(cluster.mongoDBVersion ?? ''),
    storageSizeBytes: 0,
    policyItems: [],
    ...(request.description === undefined ? {} : { description: request.description }),
  };
  if (cluster.clusterType === 'REPLICASET') {
    return {
      ...base,
      type: 'replicaSet',
      cloudProvider,
      copyRegions: [],
      replicaSetName: `atlas-${tag}-shard-0`,
    };
  }
  const members = [
    ...shards.map((_, index) => ({
      cloudProvider,
      id: ids.next('snapshot'),
      replicaSetName: `atlas-${tag}-shard-${index}`,
    })),
    { cloudProvider, id: ids.next('snapshot'), replicaSetName: `atlas-${tag}-config-0` },
  ];
  return {
    ...base,
    type: 'shardedCluster',
    configServerType: String(cluster.configServerType ?? 'DEDICATED'),
    members,
    snapshotIds: members.map((m) => m.id),
  };
}

function view(snapshot: SimSnapshot, status: Status, url: URL): Record<string, unknown> {
  const { groupId, clusterName: name, ...rest } = structuredClone(snapshot);
  const href = `${url.origin}/api/atlas/v2/groups/${groupId}/clusters/${encodeURIComponent(name)}/backup/snapshots/${snapshot.id}`;
  return { ...rest, status, links: [{ href, rel: 'self' }] };
}

export const cloudBackupRoutes = [
  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}/backup/snapshots',
    versions: V2023_01_01,
    endpointSet: 'cloud-backup',
    params,
    query: z
      .object({
        pointInTimeUtcSeconds: wholeNumber.optional(),
        oplogTs: wholeNumber.optional(),
        oplogInc: wholeNumber.optional(),
      })
      .loose(),
    handle: ({ state, params: p, now, url, settings }) => {
      settleClusters(state, now);
      purgeExpired(state, now);
      const cluster = findCluster(state, p.groupId, p.clusterName);
      const list = snapshotsOf(state, cluster).map((s) =>
        view(s, statusOf(s, now, settings.snapshotTransitionMs), url),
      );
      return { status: 200, list };
    },
  }),

  defineRoute({
    method: 'POST',
    path: '/groups/{groupId}/clusters/{clusterName}/backup/snapshots',
    versions: V2023_01_01,
    endpointSet: 'cloud-backup',
    params,
    body: z.object({
      description: z.string().optional(),
      retentionInDays: z
        .number()
        .int('must be a whole number of days')
        .min(1, 'must be at least 1')
        .optional(),
    }),
    handle: ({ state, params: p, body, now, url, ids, settings }) => {
      settleClusters(state, now);
      purgeExpired(state, now);
      const cluster = findCluster(state, p.groupId, p.clusterName);
      if (cluster.backupEnabled !== true) {
        throw badRequest('BACKUP_JOB_NOT_FOUND', 'Backups are not enabled for this cluster.', {
          parameters: [cluster.name],
        });
      }
      const unfinished = snapshotsOf(state, cluster).some(
        (s) => statusOf(s, now, settings.snapshotTransitionMs) !== 'completed',
      );
      if (unfinished) {
        throw badRequest(
          'UNFINISHED_ON_DEMAND_SNAPSHOT',
          'Another on-demand snapshot is queued or in progress.',
          {
            parameters: [cluster.name],
          },
        );
      }
      const snapshot = newSnapshot(
        cluster,
        { description: body.description, retentionInDays: body.retentionInDays ?? 1 },
        now,
        ids,
      );
      state.snapshots.push(snapshot);
      return { status: 200, body: view(snapshot, 'queued', url) };
    },
  }),
];
