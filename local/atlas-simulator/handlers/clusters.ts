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
 */
import { z } from 'zod';
import { notFound, SimError } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import { inGroup, type SimCluster } from '../state.ts';
import { clusterName, objectId } from '../validation.ts';
import { CLUSTER_VERSIONS, withoutKeys } from './common.ts';

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
    handle: ({ state, params, version, url }) => {
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
    handle: ({ state, params, version, url }) => {
      const { groupId, clusterName: name } = params;
      const cluster = inGroup(state.clusters, groupId).find((c) => c.name === name);
      if (cluster) return { status: 200, body: present(cluster, version, url.origin) };
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
    },
  }),
];
