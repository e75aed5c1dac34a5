/**
 * The `demo` seed: one organization with three projects, ten dedicated clusters that cover what the
 * workers look at (providers, regions, a sharded and a global cluster, a paused one, backup off, TLS 1.0, an
 * old MongoDB major, missing tags), a flex cluster, online archives, org users and a pending invitation,
 * peering containers and a peering, project and service-account access lists, and three database users in
 * each project (a permanent `atlasAdmin`, a read-only user scoped to one cluster, a temporary user).
 *
 * Everything is fixed: ids come from an `IdGenerator` with its own namespace and dates are constants, so
 * every build is identical and tests and docs can name what they need through the exported constants.
 * The cluster builders are exported for the `large:PxC` seed.
 */
import {
  IdGenerator,
  type SimAccessListEntry,
  type SimCluster,
  type SimContainer,
  type SimDatabaseUser,
  type SimFlexCluster,
  type SimGlobalWrites,
  type SimInvitation,
  type SimOnlineArchive,
  type SimOrg,
  type SimPeer,
  type SimProject,
  type SimServiceAccountAccessEntry,
  type SimState,
  type SimUser,
} from '../state.ts';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_PRIVATE_KEY, SIM_PUBLIC_KEY } from './credentials.ts';

// ---------------------------------------------------------------------------------------------------------
// Cluster builders (shared with the large seed)

export type CloudProvider = 'AWS' | 'AZURE' | 'GCP';

/** One region of a shard: where its nodes run and how many of each kind. */
export interface RegionInput {
  provider: CloudProvider;
  /** Atlas's spelling of the region (`US_EAST_1`, `CENTRAL_US`, `US_EAST_2`, …). */
  region: string;
  /** 7 for the highest-priority region. Default 7. */
  priority?: number;
  /** Default 3. */
  electableNodes?: number;
  readOnlyNodes?: number;
  analyticsNodes?: number;
}

/** One shard (`ReplicationSpec20240805`): its id, the zone it belongs to and its regions. */
export interface ShardInput {
  id: string;
  zoneId: string;
  zoneName: string;
  regions: RegionInput[];
}

export interface ClusterInput {
  id: string;
  groupId: string;
  name: string;
  clusterType: 'REPLICASET' | 'SHARDED' | 'GEOSHARDED';
  /** `6.0`, `7.0`, `8.0`. */
  mongoDBMajorVersion: string;
  instanceSize: string;
  diskSizeGB: number;
  shards: ShardInput[];
  createDate: string;
  paused?: boolean;
  backupEnabled?: boolean;
  pitEnabled?: boolean;
  terminationProtectionEnabled?: boolean;
  encryptionAtRestProvider?: 'NONE' | CloudProvider;
  minimumEnabledTlsProtocol?: 'TLS1_0' | 'TLS1_1' | 'TLS1_2' | 'TLS1_3';
  tags?: { key: string; value: string }[];
  /** Compute auto-scaling between two sizes; off when absent. */
  computeAutoScaling?: { minInstanceSize: string; maxInstanceSize: string };
  versionReleaseSystem?: 'LTS' | 'CONTINUOUS';
}

/** The newest patch release the simulator reports for each major version. */
export const MONGODB_PATCH_RELEASES: Readonly<Record<string, string>> = {
  '6.0': '6.0.20',
  '7.0': '7.0.17',
  '8.0': '8.0.6',
};

function hardwareSpec(provider: CloudProvider, instanceSize: string, nodeCount: number, diskSizeGB: number) {
  const spec: Record<string, unknown> = { instanceSize, nodeCount, diskSizeGB };
  if (provider === 'AWS') {
    spec.diskIOPS = 3000;
    spec.ebsVolumeType = 'STANDARD';
  }
  return spec;
}

function regionConfig(input: ClusterInput, region: RegionInput): Record<string, unknown> {
  const { instanceSize, diskSizeGB } = input;
  const compute = input.computeAutoScaling
    ? { enabled: true, scaleDownEnabled: true, ...input.computeAutoScaling }
    : { enabled: false, scaleDownEnabled: false };
  return {
    providerName: region.provider,
    regionName: region.region,
    priority: region.priority ?? 7,
    electableSpecs: hardwareSpec(region.provider, instanceSize, region.electableNodes ?? 3, diskSizeGB),
    readOnlySpecs: hardwareSpec(region.provider, instanceSize, region.readOnlyNodes ?? 0, diskSizeGB),
    analyticsSpecs: hardwareSpec(region.provider, instanceSize, region.analyticsNodes ?? 0, diskSizeGB),
    autoScaling: { compute, diskGB: { enabled: true } },
    analyticsAutoScaling: { compute: { enabled: false, scaleDownEnabled: false }, diskGB: { enabled: true } },
  };
}

/** The connection strings Atlas gives a cluster: hosts under a per-project DNS label. */
function connectionStrings(input: ClusterInput): Record<string, string> {
  const host = input.name.toLowerCase();
  const label = input.groupId.slice(0, 5);
  const sharded = input.clusterType !== 'REPLICASET';
  const hosts = [0, 1, 2].map(
    (n) => `${host}-shard-00-0${n}.${label}.mongodb.net:${sharded ? 27016 : 27017}`,
  );
  const options = sharded
    ? 'ssl=true&authSource=admin'
    : `ssl=true&authSource=admin&replicaSet=atlas-${input.id.slice(-6)}-shard-0`;
  return {
    standard: `mongodb://${hosts.join(',')}/?${options}`,
    standardSrv: `mongodb+srv://${host}.${label}.mongodb.net`,
  };
}

/** A dedicated cluster in the 2024-08-05 shape (`ClusterDescription20240805`), without links. */
export function buildCluster(input: ClusterInput): SimCluster {
  const sharded = input.clusterType !== 'REPLICASET';
  const backupEnabled = input.backupEnabled ?? true;
  return {
    id: input.id,
    groupId: input.groupId,
    name: input.name,
    clusterType: input.clusterType,
    stateName: 'IDLE',
    mongoDBMajorVersion: input.mongoDBMajorVersion,
    mongoDBVersion: MONGODB_PATCH_RELEASES[input.mongoDBMajorVersion] ?? `${input.mongoDBMajorVersion}.0`,
    featureCompatibilityVersion: input.mongoDBMajorVersion,
    versionReleaseSystem: input.versionReleaseSystem ?? 'LTS',
    paused: input.paused ?? false,
    backupEnabled,
    pitEnabled: input.pitEnabled ?? false,
    terminationProtectionEnabled: input.terminationProtectionEnabled ?? false,
    encryptionAtRestProvider: input.encryptionAtRestProvider ?? 'NONE',
    advancedConfiguration: {
      minimumEnabledTlsProtocol: input.minimumEnabledTlsProtocol ?? 'TLS1_2',
      tlsCipherConfigMode: 'DEFAULT',
    },
    biConnector: { enabled: false, readPreference: 'SECONDARY' },
    ...(sharded ? { configServerType: 'DEDICATED', configServerManagementMode: 'ATLAS_MANAGED' } : {}),
    ...(input.clusterType === 'GEOSHARDED' ? { globalClusterSelfManagedSharding: false } : {}),
    replicationSpecs: input.shards.map((shard) => ({
      id: shard.id,
      zoneId: shard.zoneId,
      zoneName: shard.zoneName,
      regionConfigs: shard.regions.map((region) => regionConfig(input, region)),
    })),
    diskWarmingMode: 'FULLY_WARMED',
    replicaSetScalingStrategy: 'WORKLOAD_TYPE',
    redactClientLogData: false,
    rootCertType: 'ISRGROOTX1',
    tags: input.tags ?? [],
    labels: [],
    connectionStrings: connectionStrings(input),
    createDate: input.createDate,
  };
}

/** Fixed dates for everything the demo seed creates. */
const DAY = 86_400_000;
const at = (iso: string, plusDays = 0) =>
  new Date(Date.parse(iso) + plusDays * DAY).toISOString().replace('.000Z', 'Z');

// ---------------------------------------------------------------------------------------------------------
// Ids (drawn in a fixed order from the demo namespace)

const ids = new IdGenerator('atlas-simulator:demo-seed');

export const DEMO_ORG_ID = ids.next('org');
export const DEMO_ORG_NAME = 'Demo-Org';

export const DEMO_PROJECT_IDS = {
  paymentsProd: ids.next('project'),
  analytics: ids.next('project'),
  sandbox: ids.next('project'),
} as const;

/** The dedicated clusters, by name. */
export const DEMO_CLUSTERS = {
  /** AWS US_EAST_1 replica set, production, fully tagged. */
  paymentsMain: 'payments-main',
  /** AWS EU_WEST_1 replica set, tagged `env` but no `owner`. */
  paymentsEu: 'payments-eu',
  /** SHARDED, two shards. */
  ledger: 'ledger-sharded',
  /** GEOSHARDED with two zones, with global-writes settings. */
  checkoutGlobal: 'checkout-global',
  /** GCP CENTRAL_US replica set with an analytics node. */
  analyticsGcp: 'analytics-gcp',
  /** GCP WESTERN_EUROPE replica set. */
  analyticsEu: 'analytics-eu',
  /** Azure US_EAST_2 replica set, tagged `owner` but no `env`. */
  reportingAzure: 'reporting-azure',
  /** MongoDB 6.0 and TLS 1.0, no tags. */
  legacyReports: 'legacy-reports',
  /** Paused. */
  sandboxPaused: 'sandbox-paused',
  /** Backup off, no tags. */
  sandboxDev: 'sandbox-dev',
} as const;

export const DEMO_FLEX_CLUSTER_NAME = 'sandbox-flex';

type DemoClusterKey = keyof typeof DEMO_CLUSTERS;
const clusterKeys = Object.keys(DEMO_CLUSTERS) as DemoClusterKey[];

export const DEMO_CLUSTER_IDS = Object.fromEntries(
  clusterKeys.map((key) => [key, ids.next('cluster')]),
) as Record<DemoClusterKey, string>;
export const DEMO_FLEX_CLUSTER_ID = ids.next('flex-cluster');

/** Shard and zone ids of the clusters (the sharded and global ones have two of each). */
const shardIds = Object.fromEntries(
  clusterKeys.map((key) => {
    const count = key === 'ledger' || key === 'checkoutGlobal' ? 2 : 1;
    return [key, Array.from({ length: count }, () => ids.next('replication-spec'))];
  }),
) as Record<DemoClusterKey, string[]>;
const zoneIds = Object.fromEntries(
  clusterKeys.map((key) => [
    key,
    Array.from({ length: key === 'checkoutGlobal' ? 2 : 1 }, () => ids.next('zone')),
  ]),
) as Record<DemoClusterKey, string[]>;

/** The two zones of `checkout-global`. */
export const DEMO_GLOBAL_ZONE_IDS = {
  americas: zoneIds.checkoutGlobal[0] ?? '',
  europe: zoneIds.checkoutGlobal[1] ?? '',
};

export const DEMO_ARCHIVE_IDS = {
  ordersByDate: ids.next('online-archive'),
  paymentEvents: ids.next('online-archive'),
  clickstream: ids.next('online-archive'),
} as const;

export const DEMO_USER_IDS = {
  /** ACTIVE org owner, GROUP_OWNER of payments-prod. */
  owner: ids.next('user'),
  /** ACTIVE member with roles in payments-prod and analytics. */
  analyst: ids.next('user'),
  /** ACTIVE member with a role in sandbox only. */
  developer: ids.next('user'),
  /** ACTIVE billing admin with no project role. */
  billing: ids.next('user'),
  /** PENDING (invited), GROUP_READ_ONLY in analytics; matches the pending invitation. */
  pending: ids.next('user'),
  /** INVITATION_EXPIRED, GROUP_READ_ONLY in sandbox. */
  expired: ids.next('user'),
} as const;

export const DEMO_PENDING_USERNAME = 'erin.pending@example.com';
export const DEMO_INVITATION_ID = ids.next('invitation');

export const DEMO_CONTAINER_IDS = {
  aws: ids.next('container'),
  azure: ids.next('container'),
  gcp: ids.next('container'),
} as const;
export const DEMO_PEER_ID = ids.next('peer');

// Database users have no ids (a project, an auth database and a username name one), so nothing below draws
// from `ids`; a new id for something else goes after every id above, or the existing ones would shift.

/** The database users of each project (all SCRAM on `admin` except the analytics reader, an AWS IAM role). */
export const DEMO_DATABASE_USERS = {
  paymentsProd: {
    /** Permanent, `atlasAdmin@admin`, every cluster. */
    admin: 'payments-admin',
    /** `read@payments`, scoped to payments-main. */
    reader: 'payments-reporting',
    /** `readWrite@payments`, deleted at `DEMO_TEMPORARY_USER_EXPIRY`. */
    temporary: 'payments-oncall-tmp',
  },
  analytics: {
    admin: 'analytics-admin',
    /** An AWS IAM role on `$external` (its `/` is `%2F` in a path), `readAnyDatabase@admin`, scoped to analytics-gcp. */
    reader: 'arn:aws:iam::123456789012:role/bi-reader',
    temporary: 'analytics-backfill-tmp',
  },
  sandbox: {
    admin: 'sandbox-admin',
    /** `read@app`, scoped to sandbox-dev. */
    reader: 'sandbox-reader',
    temporary: 'sandbox-debug-tmp',
  },
} as const;

/**
 * When the demo's temporary database users expire. The seed's dates are constants and the simulator's clock
 * is the wall clock, so a date near the seed's own (late 2026) would have passed already and the users would
 * never be seen; like the temporary access-list entry, they expire at a fixed future date instead (Atlas caps
 * a new expiry at a week; a seed is not a request). Advance the clock (`/__sim/clock`) past it to see them go.
 */
export const DEMO_TEMPORARY_USER_EXPIRY = '2029-12-31T00:00:00Z';

// ---------------------------------------------------------------------------------------------------------
// The seed

const ORG_CREATED = '2024-03-04T09:15:00Z';

function projects(): SimProject[] {
  const project = (id: string, name: string, created: string, tags: { key: string; value: string }[]) => ({
    id,
    name,
    orgId: DEMO_ORG_ID,
    created,
    tags,
    withDefaultAlertsSettings: true,
    regionUsageRestrictions: 'COMMERCIAL_FEDRAMP_REGIONS_ONLY',
  });
  return [
    project(DEMO_PROJECT_IDS.paymentsProd, 'payments-prod', at(ORG_CREATED, 1), [
      { key: 'env', value: 'prod' },
      { key: 'owner', value: 'payments-team' },
      { key: 'cost-center', value: 'cc-1001' },
    ]),
    project(DEMO_PROJECT_IDS.analytics, 'analytics', at(ORG_CREATED, 30), [
      { key: 'env', value: 'prod' },
      { key: 'owner', value: 'data-team' },
    ]),
    project(DEMO_PROJECT_IDS.sandbox, 'sandbox', at(ORG_CREATED, 120), [{ key: 'env', value: 'dev' }]),
  ];
}

function shard(key: DemoClusterKey, index: number, zoneName: string, regions: RegionInput[]): ShardInput {
  return {
    id: shardIds[key][index] ?? '',
    zoneId: zoneIds[key][index] ?? zoneIds[key][0] ?? '',
    zoneName,
    regions,
  };
}

function clusters(): SimCluster[] {
  const { paymentsProd, analytics, sandbox } = DEMO_PROJECT_IDS;
  const base = (key: DemoClusterKey, groupId: string, createDate: string) => ({
    id: DEMO_CLUSTER_IDS[key],
    groupId,
    name: DEMO_CLUSTERS[key],
    createDate,
  });
  const inputs: ClusterInput[] = [
    {
      ...base('paymentsMain', paymentsProd, '2024-03-06T10:00:00Z'),
      clusterType: 'REPLICASET',
      mongoDBMajorVersion: '7.0',
      instanceSize: 'M40',
      diskSizeGB: 160,
      shards: [shard('paymentsMain', 0, 'Zone 1', [{ provider: 'AWS', region: 'US_EAST_1' }])],
      pitEnabled: true,
      terminationProtectionEnabled: true,
      encryptionAtRestProvider: 'AWS',
      computeAutoScaling: { minInstanceSize: 'M30', maxInstanceSize: 'M60' },
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'owner', value: 'payments-team' },
      ],
    },
    {
      ...base('paymentsEu', paymentsProd, '2024-05-13T08:30:00Z'),
      clusterType: 'REPLICASET',
      mongoDBMajorVersion: '8.0',
      instanceSize: 'M30',
      diskSizeGB: 40,
      shards: [shard('paymentsEu', 0, 'Zone 1', [{ provider: 'AWS', region: 'EU_WEST_1' }])],
      pitEnabled: true,
      tags: [{ key: 'env', value: 'prod' }],
    },
    {
      ...base('ledger', paymentsProd, '2024-06-20T14:45:00Z'),
      clusterType: 'SHARDED',
      mongoDBMajorVersion: '8.0',
      instanceSize: 'M50',
      diskSizeGB: 320,
      shards: [
        shard('ledger', 0, 'Zone 1', [{ provider: 'AWS', region: 'US_EAST_1' }]),
        shard('ledger', 1, 'Zone 1', [{ provider: 'AWS', region: 'US_EAST_1' }]),
      ],
      pitEnabled: true,
      terminationProtectionEnabled: true,
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'owner', value: 'ledger-team' },
      ],
    },
    {
      ...base('checkoutGlobal', paymentsProd, '2024-09-02T12:00:00Z'),
      clusterType: 'GEOSHARDED',
      mongoDBMajorVersion: '7.0',
      instanceSize: 'M30',
      diskSizeGB: 80,
      shards: [
        shard('checkoutGlobal', 0, 'Americas', [{ provider: 'AWS', region: 'US_EAST_1' }]),
        shard('checkoutGlobal', 1, 'Europe', [{ provider: 'AWS', region: 'EU_WEST_1' }]),
      ],
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'owner', value: 'checkout-team' },
      ],
    },
    {
      ...base('analyticsGcp', analytics, '2024-04-08T07:20:00Z'),
      clusterType: 'REPLICASET',
      mongoDBMajorVersion: '7.0',
      instanceSize: 'M30',
      diskSizeGB: 100,
      shards: [
        shard('analyticsGcp', 0, 'Zone 1', [{ provider: 'GCP', region: 'CENTRAL_US', analyticsNodes: 1 }]),
      ],
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'owner', value: 'data-team' },
      ],
    },
    {
      ...base('analyticsEu', analytics, '2025-01-15T16:05:00Z'),
      clusterType: 'REPLICASET',
      mongoDBMajorVersion: '8.0',
      instanceSize: 'M20',
      diskSizeGB: 20,
      shards: [shard('analyticsEu', 0, 'Zone 1', [{ provider: 'GCP', region: 'WESTERN_EUROPE' }])],
      encryptionAtRestProvider: 'GCP',
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'owner', value: 'data-team' },
      ],
    },
    {
      ...base('reportingAzure', analytics, '2025-02-03T11:40:00Z'),
      clusterType: 'REPLICASET',
      mongoDBMajorVersion: '7.0',
      instanceSize: 'M30',
      diskSizeGB: 32,
      shards: [shard('reportingAzure', 0, 'Zone 1', [{ provider: 'AZURE', region: 'US_EAST_2' }])],
      tags: [{ key: 'owner', value: 'bi-team' }],
    },
    {
      ...base('legacyReports', analytics, '2023-07-19T09:00:00Z'),
      clusterType: 'REPLICASET',
      mongoDBMajorVersion: '6.0',
      instanceSize: 'M10',
      diskSizeGB: 10,
      shards: [shard('legacyReports', 0, 'Zone 1', [{ provider: 'AWS', region: 'US_EAST_1' }])],
      minimumEnabledTlsProtocol: 'TLS1_0',
    },
    {
      ...base('sandboxPaused', sandbox, '2025-06-30T13:25:00Z'),
      clusterType: 'REPLICASET',
      mongoDBMajorVersion: '8.0',
      instanceSize: 'M10',
      diskSizeGB: 10,
      shards: [shard('sandboxPaused', 0, 'Zone 1', [{ provider: 'AWS', region: 'US_EAST_1' }])],
      paused: true,
      tags: [
        { key: 'env', value: 'dev' },
        { key: 'owner', value: 'platform-team' },
      ],
    },
    {
      ...base('sandboxDev', sandbox, '2025-10-01T10:10:00Z'),
      clusterType: 'REPLICASET',
      mongoDBMajorVersion: '8.0',
      instanceSize: 'M10',
      diskSizeGB: 10,
      shards: [shard('sandboxDev', 0, 'Zone 1', [{ provider: 'AWS', region: 'US_EAST_1' }])],
      backupEnabled: false,
    },
  ];
  return inputs.map(buildCluster);
}

function flexClusters(): SimFlexCluster[] {
  const host = DEMO_FLEX_CLUSTER_NAME;
  const label = DEMO_PROJECT_IDS.sandbox.slice(0, 5);
  return [
    {
      id: DEMO_FLEX_CLUSTER_ID,
      groupId: DEMO_PROJECT_IDS.sandbox,
      name: DEMO_FLEX_CLUSTER_NAME,
      clusterType: 'REPLICASET',
      stateName: 'IDLE',
      mongoDBVersion: MONGODB_PATCH_RELEASES['8.0'],
      versionReleaseSystem: 'LTS',
      terminationProtectionEnabled: false,
      providerSettings: {
        providerName: 'FLEX',
        backingProviderName: 'AWS',
        regionName: 'US_EAST_1',
        diskSizeGB: 5,
      },
      backupSettings: { enabled: true },
      connectionStrings: {
        standard: `mongodb://${host}-shard-00-00.${label}.mongodb.net:27017,${host}-shard-00-01.${label}.mongodb.net:27017,${host}-shard-00-02.${label}.mongodb.net:27017/?ssl=true&authSource=admin`,
        standardSrv: `mongodb+srv://${host}.${label}.mongodb.net`,
      },
      createDate: '2025-11-12T15:00:00Z',
    },
  ];
}

function globalWrites(): Record<string, SimGlobalWrites> {
  const { americas, europe } = DEMO_GLOBAL_ZONE_IDS;
  return {
    [DEMO_CLUSTER_IDS.checkoutGlobal]: {
      customZoneMapping: { CA: americas, MX: americas, GB: europe, IE: europe },
      managedNamespaces: [
        {
          db: 'checkout',
          collection: 'orders',
          customShardKey: 'customerId',
          isCustomShardKeyHashed: false,
          isShardKeyUnique: false,
          numInitialChunks: 0,
          presplitHashedZones: false,
        },
        {
          db: 'checkout',
          collection: 'carts',
          customShardKey: 'sessionId',
          isCustomShardKeyHashed: true,
          isShardKeyUnique: false,
          numInitialChunks: 8,
          presplitHashedZones: true,
        },
      ],
      selfManagedSharding: false,
    },
  };
}

function onlineArchives(): SimOnlineArchive[] {
  const archive = (
    id: string,
    groupId: string,
    clusterName: string,
    dbName: string,
    collName: string,
    dateField: string,
    archiveAfterDays: number,
    deleteAfterDays: number,
    paused: boolean,
  ): SimOnlineArchive => ({
    _id: id,
    groupId,
    clusterName,
    dbName,
    collName,
    collectionType: 'STANDARD',
    criteria: { type: 'DATE', dateField, dateFormat: 'ISODATE', expireAfterDays: archiveAfterDays },
    partitionFields: [
      { fieldName: dateField, order: 0, fieldType: 'date' },
      { fieldName: 'region', order: 1, fieldType: 'string' },
    ],
    paused,
    state: paused ? 'PAUSED' : 'ACTIVE',
    dataExpirationRule: { expireAfterDays: deleteAfterDays },
    schedule: { type: 'DEFAULT' },
  });
  return [
    archive(
      DEMO_ARCHIVE_IDS.ordersByDate,
      DEMO_PROJECT_IDS.paymentsProd,
      DEMO_CLUSTERS.paymentsMain,
      'shop',
      'orders',
      'createdAt',
      90,
      365,
      false,
    ),
    archive(
      DEMO_ARCHIVE_IDS.paymentEvents,
      DEMO_PROJECT_IDS.paymentsProd,
      DEMO_CLUSTERS.paymentsMain,
      'payments',
      'events',
      'occurredAt',
      60,
      730,
      true,
    ),
    archive(
      DEMO_ARCHIVE_IDS.clickstream,
      DEMO_PROJECT_IDS.analytics,
      DEMO_CLUSTERS.analyticsGcp,
      'web',
      'clickstream',
      'ts',
      30,
      180,
      false,
    ),
  ];
}

function users(): SimUser[] {
  const { paymentsProd, analytics, sandbox } = DEMO_PROJECT_IDS;
  const active = (
    id: string,
    username: string,
    firstName: string,
    lastName: string,
    country: string,
    createdAt: string,
    lastAuth: string,
    roles: SimUser['roles'],
  ): SimUser => ({
    id,
    orgId: DEMO_ORG_ID,
    username,
    orgMembershipStatus: 'ACTIVE',
    roles,
    teamIds: [],
    firstName,
    lastName,
    country,
    createdAt,
    lastAuth,
  });
  return [
    active(
      DEMO_USER_IDS.owner,
      'alice.owner@example.com',
      'Alice',
      'Owner',
      'US',
      ORG_CREATED,
      '2026-11-27T08:12:00Z',
      {
        orgRoles: ['ORG_OWNER'],
        groupRoleAssignments: [{ groupId: paymentsProd, groupRoles: ['GROUP_OWNER'] }],
      },
    ),
    active(
      DEMO_USER_IDS.analyst,
      'bob.analyst@example.com',
      'Bob',
      'Analyst',
      'DE',
      '2024-04-10T10:00:00Z',
      '2026-11-25T17:45:00Z',
      {
        orgRoles: ['ORG_MEMBER'],
        groupRoleAssignments: [
          { groupId: paymentsProd, groupRoles: ['GROUP_READ_ONLY'] },
          { groupId: analytics, groupRoles: ['GROUP_DATA_ACCESS_READ_WRITE', 'GROUP_READ_ONLY'] },
        ],
      },
    ),
    active(
      DEMO_USER_IDS.developer,
      'carol.dev@example.com',
      'Carol',
      'Developer',
      'GB',
      '2025-06-01T09:30:00Z',
      '2026-11-20T12:00:00Z',
      {
        orgRoles: ['ORG_MEMBER'],
        groupRoleAssignments: [{ groupId: sandbox, groupRoles: ['GROUP_CLUSTER_MANAGER'] }],
      },
    ),
    active(
      DEMO_USER_IDS.billing,
      'dave.billing@example.com',
      'Dave',
      'Billing',
      'US',
      '2024-08-19T14:00:00Z',
      '2026-10-31T16:20:00Z',
      { orgRoles: ['ORG_BILLING_ADMIN'], groupRoleAssignments: [] },
    ),
    {
      id: DEMO_USER_IDS.pending,
      orgId: DEMO_ORG_ID,
      username: DEMO_PENDING_USERNAME,
      orgMembershipStatus: 'PENDING',
      roles: {
        orgRoles: ['ORG_MEMBER'],
        groupRoleAssignments: [{ groupId: analytics, groupRoles: ['GROUP_READ_ONLY'] }],
      },
      teamIds: [],
      invitationCreatedAt: '2026-11-20T09:00:00Z',
      invitationExpiresAt: '2026-12-20T09:00:00Z',
      inviterUsername: 'alice.owner@example.com',
    },
    {
      id: DEMO_USER_IDS.expired,
      orgId: DEMO_ORG_ID,
      username: 'frank.expired@example.com',
      orgMembershipStatus: 'INVITATION_EXPIRED',
      roles: {
        orgRoles: ['ORG_MEMBER'],
        groupRoleAssignments: [{ groupId: sandbox, groupRoles: ['GROUP_READ_ONLY'] }],
      },
      teamIds: [],
      invitationCreatedAt: '2026-09-01T09:00:00Z',
      invitationExpiresAt: '2026-10-01T09:00:00Z',
      inviterUsername: 'alice.owner@example.com',
    },
  ];
}

function invitations(): SimInvitation[] {
  return [
    {
      id: DEMO_INVITATION_ID,
      orgId: DEMO_ORG_ID,
      orgName: DEMO_ORG_NAME,
      username: DEMO_PENDING_USERNAME,
      roles: ['ORG_MEMBER'],
      groupRoleAssignments: [{ groupId: DEMO_PROJECT_IDS.analytics, groupRole: 'GROUP_READ_ONLY' }],
      teamIds: [],
      createdAt: '2026-11-20T09:00:00Z',
      expiresAt: '2026-12-20T09:00:00Z',
      inviterUsername: 'alice.owner@example.com',
    },
  ];
}

function containers(): SimContainer[] {
  return [
    {
      id: DEMO_CONTAINER_IDS.aws,
      groupId: DEMO_PROJECT_IDS.paymentsProd,
      providerName: 'AWS',
      regionName: 'US_EAST_1',
      atlasCidrBlock: '192.168.248.0/21',
      vpcId: 'vpc-0c3d2f1e0a9b87654',
      provisioned: true,
    },
    {
      id: DEMO_CONTAINER_IDS.azure,
      groupId: DEMO_PROJECT_IDS.analytics,
      providerName: 'AZURE',
      atlasCidrBlock: '192.168.208.0/21',
      region: 'US_EAST_2',
      azureSubscriptionId: '5e8f2a6c9d1b4f3a7c0e2d41',
      vnetName: 'vnet_5e8f2a6c9d1b4f3a7c0e2d41_x7k2m9pq',
      provisioned: true,
    },
    {
      id: DEMO_CONTAINER_IDS.gcp,
      groupId: DEMO_PROJECT_IDS.analytics,
      providerName: 'GCP',
      atlasCidrBlock: '192.168.0.0/18',
      regions: ['CENTRAL_US'],
      gcpProjectId: 'p-4k9x2m7q1w8e5r3t6y0u2i4o',
      networkName: 'nt-6a1f9c3e5b7d2f4a8c0e1b3d-q4w8e2r6',
      provisioned: true,
    },
  ];
}

const PEER_REQUESTED = '2025-03-18T10:30:00Z';

function peers(): SimPeer[] {
  return [
    {
      id: DEMO_PEER_ID,
      groupId: DEMO_PROJECT_IDS.paymentsProd,
      providerName: 'AWS',
      containerId: DEMO_CONTAINER_IDS.aws,
      accepterRegionName: 'us-east-1',
      awsAccountId: '123456789012',
      routeTableCidrBlock: '10.0.0.0/16',
      vpcId: 'vpc-0a1b2c3d4e5f67890',
      connectionId: 'pcx-0f1e2d3c4b5a69788',
      statusName: 'AVAILABLE',
    },
  ];
}

function projectAccessList(): SimAccessListEntry[] {
  const { paymentsProd, analytics } = DEMO_PROJECT_IDS;
  return [
    { groupId: paymentsProd, ipAddress: '203.0.113.10', comment: 'Office VPN egress' },
    { groupId: paymentsProd, cidrBlock: '10.0.0.0/16', comment: 'Application VPC (peered)' },
    {
      groupId: paymentsProd,
      ipAddress: '198.51.100.7',
      comment: 'Temporary: on-call laptop',
      deleteAfterDate: '2029-12-31T00:00:00Z',
    },
    { groupId: analytics, cidrBlock: '192.0.2.0/24', comment: 'BI tool egress range' },
    { groupId: analytics, ipAddress: '203.0.113.50', comment: 'Analysts bastion' },
  ];
}

function databaseUsers(): SimDatabaseUser[] {
  const scram = { awsIAMType: 'NONE', ldapAuthType: 'NONE', oidcAuthType: 'NONE', x509Type: 'NONE' } as const;
  const user = (
    groupId: string,
    username: string,
    roles: SimDatabaseUser['roles'],
    extra: Partial<SimDatabaseUser> = {},
  ): SimDatabaseUser => ({
    groupId,
    databaseName: 'admin',
    username,
    roles,
    scopes: [],
    labels: [],
    ...scram,
    ...extra,
  });
  const { paymentsProd, analytics, sandbox } = DEMO_PROJECT_IDS;
  const names = DEMO_DATABASE_USERS;
  const cluster = (name: string) => [{ name, type: 'CLUSTER' as const }];
  return [
    user(paymentsProd, names.paymentsProd.admin, [{ databaseName: 'admin', roleName: 'atlasAdmin' }], {
      description: 'Platform team break-glass admin',
    }),
    user(paymentsProd, names.paymentsProd.reader, [{ databaseName: 'payments', roleName: 'read' }], {
      scopes: cluster(DEMO_CLUSTERS.paymentsMain),
      labels: [{ key: 'team', value: 'finance' }],
    }),
    user(paymentsProd, names.paymentsProd.temporary, [{ databaseName: 'payments', roleName: 'readWrite' }], {
      deleteAfterDate: DEMO_TEMPORARY_USER_EXPIRY,
      description: 'On-call access',
    }),
    user(analytics, names.analytics.admin, [{ databaseName: 'admin', roleName: 'atlasAdmin' }]),
    user(analytics, names.analytics.reader, [{ databaseName: 'admin', roleName: 'readAnyDatabase' }], {
      databaseName: '$external',
      awsIAMType: 'ROLE',
      scopes: cluster(DEMO_CLUSTERS.analyticsGcp),
    }),
    user(analytics, names.analytics.temporary, [{ databaseName: 'web', roleName: 'readWrite' }], {
      deleteAfterDate: DEMO_TEMPORARY_USER_EXPIRY,
    }),
    user(sandbox, names.sandbox.admin, [{ databaseName: 'admin', roleName: 'atlasAdmin' }]),
    user(sandbox, names.sandbox.reader, [{ databaseName: 'app', roleName: 'read' }], {
      scopes: cluster(DEMO_CLUSTERS.sandboxDev),
    }),
    user(sandbox, names.sandbox.temporary, [{ databaseName: 'app', roleName: 'readWrite' }], {
      deleteAfterDate: DEMO_TEMPORARY_USER_EXPIRY,
    }),
  ];
}

function serviceAccountAccessList(): SimServiceAccountAccessEntry[] {
  return [
    { ipAddress: '127.0.0.1', createdAt: '2025-01-10T08:00:00Z', requestCount: 0 },
    { cidrBlock: '10.20.0.0/16', createdAt: '2025-01-10T08:05:00Z', requestCount: 0 },
  ];
}

/** The demo organization, built fresh (every call returns an equal, independent state). */
export function demoSeed(): SimState {
  const org: SimOrg = {
    id: DEMO_ORG_ID,
    name: DEMO_ORG_NAME,
    isDeleted: false,
    skipDefaultAlertsSettings: false,
  };
  return {
    orgs: [org],
    projects: projects(),
    clusters: clusters(),
    flexClusters: flexClusters(),
    onlineArchives: onlineArchives(),
    users: users(),
    invitations: invitations(),
    containers: containers(),
    peers: peers(),
    peerCreatedAt: { [DEMO_PEER_ID]: Date.parse(PEER_REQUESTED) },
    projectAccessList: projectAccessList(),
    serviceAccounts: [
      {
        clientId: SIM_CLIENT_ID,
        clientSecret: SIM_CLIENT_SECRET,
        orgId: DEMO_ORG_ID,
        name: 'simulator',
        accessList: serviceAccountAccessList(),
      },
    ],
    apiKeys: [{ publicKey: SIM_PUBLIC_KEY, privateKey: SIM_PRIVATE_KEY, orgId: DEMO_ORG_ID }],
    globalWrites: globalWrites(),
    databaseUsers: databaseUsers(),
    snapshots: [],
    clusterActivity: {},
  };
}
