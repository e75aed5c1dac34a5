/**
 * Dedicated clusters: `GET /groups/{groupId}/clusters` and `GET /groups/{groupId}/clusters/{clusterName}`,
 * in the three versions Atlas serves. The state keeps the 2024-08-05 shape (`ClusterDescription20240805`, one
 * `replicationSpecs` element per shard, `diskSizeGB` in each hardware spec); the deprecated versions are
 * derived from it:
 * - 2023-02-01 (`AdvancedClusterDescription`): one `replicationSpecs` element per zone with `numShards`,
 *   hardware specs without `diskSizeGB`, which moves to the top level;
 * - 2023-01-01 (`LegacyAtlasCluster`): `providerSettings`, `numShards`, `replicationSpecs[].regionsConfig`
 *   maps, `mongoURI…` and `srvAddress`.
 * In both old shapes a replication spec's `id` is its zone's `zoneId` (what the old global-writes versions
 * name in `customZoneMapping`).
 *
 * Flex clusters are not listed here (Atlas stopped listing them in January 2026), and asking for one by
 * name answers 400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API, with the text the Atlas CLI's recorded e2e answers
 * show (test/e2e/atlas/backup/flex/backupflex/testdata/.snapshots/TestFlexBackup/GET_…_clusters_cluster-833_1).
 * Atlas also answers the list that way while a cluster of the project is being upgraded to flex; a scripted
 * fault (`/__sim/faults`, status 400 and that errorCode) plays it.
 *
 * `PATCH /groups/{groupId}/clusters/{clusterName}` (2024-10-23, the version of the spec subset; answers
 * `ClusterDescription20240805`) pauses and resumes with `{"paused": true|false}` (reference Addendum 3;
 * mongodb-mcp-server's pauseResumeCluster tool) and changes the simple settings `tags`, `labels`,
 * `terminationProtectionEnabled`, `backupEnabled`, `pitEnabled` and `redactClientLogData`. A pause or a resume
 * holds the cluster in `stateName: UPDATING` for `clusterTransitionMs` (default 2 s of the simulator's clock),
 * then it is IDLE again. The codes and texts are those of Atlas's error-code page:
 * - a paused cluster takes nothing but a resume: 409 CANNOT_UPDATE_PAUSED_CLUSTER (also for a resume that
 *   changes something else, assumed), and pausing it again is 409 CLUSTER_ALREADY_PAUSED;
 * - pausing and changing something else in one request: 409 CANNOT_UPDATE_AND_PAUSE_CLUSTER;
 * - pausing a cluster that is not IDLE (a pause or resume still running): 409
 *   CANNOT_PAUSE_CLUSTER_WITH_PENDING_CHANGES (the page's "pending changes" read as "not IDLE");
 * - pausing within 60 minutes of a resume: 400 CANNOT_PAUSE_RECENTLY_RESUMED_CLUSTER (the 60 is assumed);
 * - an M0/M2/M5 (shared-tier) cluster: 400 TENANT_CLUSTER_UPDATE_UNSUPPORTED, for any update; flex clusters
 *   are the flex API's (400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API);
 * - a new `name`: 400 CLUSTER_CANNOT_CHANGE_NAME. Read-only fields (`id`, `stateName`, `createDate`,
 *   `connectionStrings`, …) are ignored; any other field is a change the simulator does not model: 400
 *   INVALID_ATTRIBUTE (assumed; Atlas would apply it).
 * Atlas resumes a cluster that stayed paused for 30 days; the simulator does not.
 */
import { z } from 'zod';
import { badRequest, notFound, SimError } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import { inGroup, type SimCluster, type SimState } from '../state.ts';
import { clusterName, objectId } from '../validation.ts';
import { CLUSTER_VERSIONS, V2024_10_23, withoutKeys } from './common.ts';

type Json = Record<string, unknown>;

interface HardwareSpec extends Json {
  instanceSize?: string;
  nodeCount?: number;
  diskSizeGB?: number;
  diskIOPS?: number;
  ebsVolumeType?: string;
}

interface RegionConfig extends Json {
  providerName: string;
  regionName: string;
  priority?: number;
  electableSpecs?: HardwareSpec;
  readOnlySpecs?: HardwareSpec;
  analyticsSpecs?: HardwareSpec;
  autoScaling?: {
    compute?: Json & { enabled?: boolean; scaleDownEnabled?: boolean };
    diskGB?: { enabled?: boolean };
  };
}

interface ReplicationSpec {
  id?: string;
  zoneId?: string;
  zoneName?: string;
  regionConfigs?: RegionConfig[];
}

/** Fields that only the 2024-08-05 shape has. */
const ONLY_2024_08_05 = [
  'effectiveReplicationSpecs',
  'adaptiveCapacity',
  'retainBackups',
  'redactClientLogData',
  'useAwsTimeBasedSnapshotCopyForFastInitialSync',
  'internalClusterRole',
];

function replicationSpecs(cluster: SimCluster): ReplicationSpec[] {
  return (cluster.replicationSpecs as ReplicationSpec[] | undefined) ?? [];
}

/** Shards grouped by zone, in order: the zone's first shard (symmetric clusters) and how many it has. */
function zones(
  cluster: SimCluster,
): { spec: ReplicationSpec; zoneId: string | undefined; numShards: number }[] {
  const byZone = new Map<string, { spec: ReplicationSpec; zoneId: string | undefined; numShards: number }>();
  for (const [index, spec] of replicationSpecs(cluster).entries()) {
    const key = spec.zoneId ?? spec.zoneName ?? `#${index}`;
    const zone = byZone.get(key);
    if (zone) zone.numShards += 1;
    else byZone.set(key, { spec, zoneId: spec.zoneId ?? spec.id, numShards: 1 });
  }
  return [...byZone.values()];
}

function firstRegion(cluster: SimCluster): RegionConfig | undefined {
  return replicationSpecs(cluster)[0]?.regionConfigs?.[0];
}

function withoutDisk(spec: HardwareSpec | undefined): HardwareSpec | undefined {
  if (!spec) return undefined;
  const { diskSizeGB: _disk, ...rest } = spec;
  return rest;
}

/** 2023-02-01: `AdvancedClusterDescription`. */
function advancedShape(cluster: SimCluster): Json {
  const diskSizeGB = firstRegion(cluster)?.electableSpecs?.diskSizeGB;
  return {
    ...withoutKeys(cluster, ...ONLY_2024_08_05, 'replicationSpecs'),
    ...(diskSizeGB === undefined ? {} : { diskSizeGB }),
    replicationSpecs: zones(cluster).map(({ spec, zoneId, numShards }) => ({
      id: zoneId,
      numShards,
      regionConfigs: (spec.regionConfigs ?? []).map((region) => {
        const copy: Json = { ...region };
        for (const key of ['electableSpecs', 'readOnlySpecs', 'analyticsSpecs'] as const) {
          if (region[key]) copy[key] = withoutDisk(region[key]);
        }
        return copy;
      }),
      ...(zoneId === undefined ? {} : { zoneId }),
      zoneName: spec.zoneName ?? 'Zone 1',
    })),
  };
}

/** Azure premium disk tier that holds `diskSizeGB`. */
function azureDiskType(diskSizeGB: number): string {
  const tiers: [string, number][] = [
    ['P2', 8],
    ['P3', 16],
    ['P4', 32],
    ['P6', 64],
    ['P10', 128],
    ['P15', 256],
    ['P20', 512],
    ['P30', 1024],
    ['P40', 2048],
  ];
  return tiers.find(([, size]) => diskSizeGB <= size)?.[0] ?? 'P50';
}

function regionsConfig(spec: ReplicationSpec): Record<string, Json> {
  return Object.fromEntries(
    (spec.regionConfigs ?? []).map((region) => [
      region.regionName,
      {
        analyticsNodes: region.analyticsSpecs?.nodeCount ?? 0,
        electableNodes: region.electableSpecs?.nodeCount ?? 0,
        priority: region.priority ?? 7,
        readOnlyNodes: region.readOnlySpecs?.nodeCount ?? 0,
      },
    ]),
  );
}

/** 2023-01-01: `LegacyAtlasCluster` (symmetric clusters, one provider setting for the whole cluster). */
function legacyShape(cluster: SimCluster): Json {
  const region = firstRegion(cluster);
  const electable = region?.electableSpecs;
  const compute = region?.autoScaling?.compute;
  const diskSizeGB = electable?.diskSizeGB;
  const providerName = region?.providerName ?? 'AWS';
  const providerSettings: Json = {
    providerName,
    instanceSizeName: electable?.instanceSize,
    regionName: region?.regionName,
  };
  if (providerName === 'AWS') {
    providerSettings.diskIOPS = electable?.diskIOPS ?? 3000;
    providerSettings.volumeType = electable?.ebsVolumeType ?? 'STANDARD';
    providerSettings.encryptEBSVolume = true;
  }
  if (providerName === 'AZURE' && diskSizeGB !== undefined)
    providerSettings.diskTypeName = azureDiskType(diskSizeGB);
  if (compute?.enabled && compute.minInstanceSize && compute.maxInstanceSize) {
    providerSettings.autoScaling = {
      compute: { minInstanceSize: compute.minInstanceSize, maxInstanceSize: compute.maxInstanceSize },
    };
  }
  const allZones = zones(cluster);
  const connection = (cluster.connectionStrings ?? {}) as { standard?: string; standardSrv?: string };
  const electableNodes = electable?.nodeCount ?? 3;
  return {
    ...withoutKeys(cluster, ...ONLY_2024_08_05, 'replicationSpecs'),
    // In this version `backupEnabled` is the retired legacy backup; Cloud Backup is `providerBackupEnabled`.
    backupEnabled: false,
    providerBackupEnabled: cluster.backupEnabled === true,
    autoScaling: {
      compute: { enabled: compute?.enabled ?? false, scaleDownEnabled: compute?.scaleDownEnabled ?? false },
      diskGBEnabled: region?.autoScaling?.diskGB?.enabled ?? false,
    },
    ...(diskSizeGB === undefined ? {} : { diskSizeGB }),
    numShards: allZones[0]?.numShards ?? 1,
    providerSettings,
    ...([3, 5, 7].includes(electableNodes) ? { replicationFactor: electableNodes } : {}),
    replicationSpec: allZones[0] ? regionsConfig(allZones[0].spec) : {},
    replicationSpecs: allZones.map(({ spec, zoneId, numShards }) => ({
      ...(zoneId === undefined ? {} : { id: zoneId }),
      numShards,
      regionsConfig: regionsConfig(spec),
      zoneName: spec.zoneName ?? 'Zone 1',
    })),
    ...(connection.standard
      ? {
          mongoURI: connection.standard.split('/?')[0],
          mongoURIWithOptions: connection.standard,
          mongoURIUpdated: cluster.createDate,
        }
      : {}),
    ...(connection.standardSrv ? { srvAddress: connection.standardSrv } : {}),
  };
}

/** The cluster in the shape of `version`, with its links. */
function present(cluster: SimCluster, version: string, origin: string): Json {
  const body =
    version === '2023-01-01'
      ? legacyShape(cluster)
      : version === '2023-02-01'
        ? advancedShape(cluster)
        : { ...cluster };
  const href = `${origin}/api/atlas/v2/groups/${cluster.groupId}/clusters/${encodeURIComponent(cluster.name)}`;
  return { ...body, links: [{ href, rel: 'self' }] };
}

const booleanText = z.enum(['true', 'false']);

/** Ends the pauses and resumes whose time is up: the cluster is IDLE again. */
export function settleClusters(state: SimState, now: number): void {
  for (const [clusterId, activity] of Object.entries(state.clusterActivity)) {
    if (activity.updatingUntil === undefined || activity.updatingUntil > now) continue;
    delete activity.updatingUntil;
    const cluster = state.clusters.find((c) => c.id === clusterId);
    if (cluster) cluster.stateName = 'IDLE';
  }
}

/** The dedicated cluster of that name in the project; Atlas's 400 for a flex one, else 404. */
export function findCluster(state: SimState, groupId: string, name: string): SimCluster {
  const cluster = inGroup(state.clusters, groupId).find((c) => c.name === name);
  if (cluster) return cluster;
  if (inGroup(state.flexClusters, groupId).some((c) => c.name === name)) {
    throw new SimError(
      400,
      'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
      `Flex cluster ${name} cannot be used in the Cluster API.`,
      { parameters: [name] },
    );
  }
  throw notFound('CLUSTER_NOT_FOUND', `No cluster named ${name} exists in group ${groupId}.`, [
    name,
    groupId,
  ]);
}

/** The instance size of the cluster's first region (`M10`, … or a shared tier's `M0`, `M2`, `M5`). */
function instanceSize(cluster: SimCluster): string | undefined {
  return firstRegion(cluster)?.electableSpecs?.instanceSize;
}

const SHARED_TIERS = new Set(['M0', 'M2', 'M5']);
/** How long a resumed cluster must run before it may be paused again (assumed: 60 minutes). */
const RESUME_HOLD_MINUTES = 60;

/** Fields a client may send back unchanged that an update ignores (read-only in the spec). */
const READ_ONLY_FIELDS = new Set([
  'configServerType',
  'connectionStrings',
  'createDate',
  'effectiveReplicationSpecs',
  'featureCompatibilityVersion',
  'featureCompatibilityVersionExpirationDate',
  'groupId',
  'id',
  'internalClusterRole',
  'links',
  'mongoDBVersion',
  'stateName',
]);

const resourceTag = z.object({ key: z.string().min(1).max(255), value: z.string().min(1).max(255) });

/** The settings an update changes in place (beside `paused`). */
const settingsSchema = {
  tags: z.array(resourceTag).optional(),
  labels: z.array(resourceTag).optional(),
  terminationProtectionEnabled: z.boolean().optional(),
  backupEnabled: z.boolean().optional(),
  pitEnabled: z.boolean().optional(),
  redactClientLogData: z.boolean().optional(),
};
const SETTINGS = Object.keys(settingsSchema);

const clusterUpdate = z
  .object({ paused: z.boolean().optional(), name: clusterName.optional(), ...settingsSchema })
  .loose();

function updateCluster(
  state: SimState,
  cluster: SimCluster,
  body: z.infer<typeof clusterUpdate>,
  now: number,
  transitionMs: number,
): void {
  const name = cluster.name;
  const size = instanceSize(cluster);
  if ((size !== undefined && SHARED_TIERS.has(size)) || firstRegion(cluster)?.providerName === 'TENANT') {
    throw new SimError(
      400,
      'TENANT_CLUSTER_UPDATE_UNSUPPORTED',
      'Cannot update a M0/M2/M5 cluster through the public API.',
    );
  }
  if (body.name !== undefined && body.name !== name) {
    throw new SimError(400, 'CLUSTER_CANNOT_CHANGE_NAME', 'Cannot change name of cluster during an update.', {
      parameters: [name],
    });
  }
  const fields = body as Record<string, unknown>;
  // A setting sent is an update, even with the value it has (Terraform and the CLI send only what changes).
  const changes = SETTINGS.filter((key) => fields[key] !== undefined);
  const unmodelled = Object.keys(fields).filter(
    (key) => key !== 'paused' && key !== 'name' && !SETTINGS.includes(key) && !READ_ONLY_FIELDS.has(key),
  );
  state.clusterActivity[cluster.id] ??= {};
  const activity = state.clusterActivity[cluster.id] ?? {};
  if (cluster.paused === true) {
    if (changes.length > 0 || unmodelled.length > 0) {
      throw new SimError(
        409,
        'CANNOT_UPDATE_PAUSED_CLUSTER',
        `Cannot update cluster ${name} while it is paused or being paused.`,
        { parameters: [name] },
      );
    }
    if (body.paused === true) {
      throw new SimError(409, 'CLUSTER_ALREADY_PAUSED', 'Cannot pause a cluster that is already paused.');
    }
  }
  if (unmodelled.length > 0) {
    throw badRequest('INVALID_ATTRIBUTE', `Invalid attribute ${unmodelled[0]} specified.`, {
      parameters: [unmodelled[0]],
      field: unmodelled[0] ?? '',
      description: `the simulator changes only paused, ${SETTINGS.join(', ')}`,
    });
  }
  if (body.paused === true && cluster.paused !== true) {
    if (changes.length > 0) {
      throw new SimError(
        409,
        'CANNOT_UPDATE_AND_PAUSE_CLUSTER',
        `Cannot update and pause cluster ${name} at the same time.`,
        { parameters: [name] },
      );
    }
    if (cluster.stateName !== 'IDLE') {
      throw new SimError(
        409,
        'CANNOT_PAUSE_CLUSTER_WITH_PENDING_CHANGES',
        'Cannot pause a cluster with pending changes.',
        { parameters: [name] },
      );
    }
    if (activity.resumedAt !== undefined && now - activity.resumedAt < RESUME_HOLD_MINUTES * 60_000) {
      throw badRequest(
        'CANNOT_PAUSE_RECENTLY_RESUMED_CLUSTER',
        `Recently resumed clusters must remain running for ${RESUME_HOLD_MINUTES} minutes to process all queued maintenance.`,
        { parameters: [RESUME_HOLD_MINUTES] },
      );
    }
  }
  for (const key of changes) cluster[key] = structuredClone(fields[key]);
  if (body.paused !== undefined && body.paused !== cluster.paused) {
    cluster.paused = body.paused;
    cluster.stateName = 'UPDATING';
    activity.updatingUntil = now + transitionMs;
    if (!body.paused) activity.resumedAt = now;
  }
}

export const clusterRoutes = [
  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/clusters',
    versions: CLUSTER_VERSIONS,
    endpointSet: 'clusters',
    params: z.object({ groupId: objectId }),
    // Spec: `includeDeletedWithRetainedBackups`, boolean, default false. The simulator keeps no terminated
    // clusters, so it changes nothing but must be a boolean.
    query: z.object({ includeDeletedWithRetainedBackups: booleanText.optional() }).loose(),
    handle: ({ state, params, version, url, now }) => {
      settleClusters(state, now);
      const list = inGroup(state.clusters, params.groupId).map((c) => present(c, version, url.origin));
      return { status: 200, list };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}',
    versions: CLUSTER_VERSIONS,
    endpointSet: 'clusters',
    params: z.object({ groupId: objectId, clusterName }),
    handle: ({ state, params, version, url, now }) => {
      settleClusters(state, now);
      const cluster = findCluster(state, params.groupId, params.clusterName);
      return { status: 200, body: present(cluster, version, url.origin) };
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/groups/{groupId}/clusters/{clusterName}',
    versions: V2024_10_23,
    endpointSet: 'clusters',
    params: z.object({ groupId: objectId, clusterName }),
    body: clusterUpdate,
    handle: ({ state, params, body, version, url, now, settings }) => {
      settleClusters(state, now);
      const cluster = findCluster(state, params.groupId, params.clusterName);
      updateCluster(state, cluster, body, now, settings.clusterTransitionMs);
      return { status: 200, body: present(cluster, version, url.origin) };
    },
  }),
];
