/** Small hand-written Atlas shapes and inventory values for the inventory tests. */
import type { Cluster } from '../../../../shared/atlas/resources/clusters.ts';
import type { FlexCluster } from '../../../../shared/atlas/resources/flex-clusters.ts';
import type {
  Changes,
  InventoryCluster,
  InventoryProject,
  Snapshot,
} from '../../../../shared/inventory/model.ts';

export const ORG_ID = '5f0000000000000000000001';

export const PAYMENTS: InventoryProject = { id: '5f1b2c3d4e5f6a7b8c9d0e1f', name: 'payments', orgId: ORG_ID };
export const ANALYTICS: InventoryProject = {
  id: '6a1b2c3d4e5f6a7b8c9d0e2a',
  name: 'analytics',
  orgId: ORG_ID,
};

/** AWS replica set: 3 electable + 1 analytics in US_EAST_1, 2 read-only in US_WEST_2, tagged. */
export const replicaSet: Cluster = {
  id: '65a000000000000000000001',
  groupId: PAYMENTS.id,
  name: 'payments-main',
  clusterType: 'REPLICASET',
  stateName: 'IDLE',
  mongoDBMajorVersion: '7.0',
  mongoDBVersion: '7.0.12',
  paused: false,
  backupEnabled: true,
  pitEnabled: true,
  terminationProtectionEnabled: true,
  advancedConfiguration: { minimumEnabledTlsProtocol: 'TLS1_2' },
  replicationSpecs: [
    {
      id: '65a0000000000000000000a1',
      zoneName: 'Zone 1',
      regionConfigs: [
        {
          providerName: 'AWS',
          regionName: 'US_EAST_1',
          priority: 7,
          electableSpecs: { instanceSize: 'M30', nodeCount: 3 },
          readOnlySpecs: { instanceSize: 'M30', nodeCount: 0 },
          analyticsSpecs: { instanceSize: 'M30', nodeCount: 1 },
        },
        {
          providerName: 'AWS',
          regionName: 'US_WEST_2',
          priority: 0,
          electableSpecs: { instanceSize: 'M30', nodeCount: 0 },
          readOnlySpecs: { instanceSize: 'M30', nodeCount: 2 },
        },
      ],
    },
  ],
  tags: [
    { key: 'env', value: 'prod' },
    { key: 'owner', value: 'team-payments' },
  ],
  createDate: '2024-03-01T10:00:00Z',
};

/** SHARDED with two identical shards on AWS EU_WEST_1 (3 electable each); no major version field. */
export const shardedTwo: Cluster = {
  id: '65a000000000000000000002',
  groupId: PAYMENTS.id,
  name: 'ledger-sharded',
  clusterType: 'SHARDED',
  stateName: 'IDLE',
  mongoDBVersion: '8.0.4',
  backupEnabled: true,
  terminationProtectionEnabled: true,
  advancedConfiguration: { minimumEnabledTlsProtocol: 'TLS1_2' },
  replicationSpecs: ['shard-a', 'shard-b'].map((id) => ({
    id,
    zoneName: 'Zone 1',
    regionConfigs: [
      {
        providerName: 'AWS' as const,
        regionName: 'EU_WEST_1',
        priority: 7,
        electableSpecs: { instanceSize: 'M40', nodeCount: 3 },
      },
    ],
  })),
  tags: [{ key: 'env', value: 'prod' }],
};

/** GEOSHARDED with two zones, one shard each: Americas on AWS, Europe on GCP. */
export const geoSharded: Cluster = {
  id: '65a000000000000000000003',
  groupId: PAYMENTS.id,
  name: 'checkout-global',
  clusterType: 'GEOSHARDED',
  stateName: 'UPDATING',
  mongoDBMajorVersion: '8.0',
  mongoDBVersion: '8.0.6',
  backupEnabled: true,
  terminationProtectionEnabled: true,
  advancedConfiguration: { minimumEnabledTlsProtocol: 'TLS1_2' },
  replicationSpecs: [
    {
      id: 'shard-americas',
      zoneId: 'zone-americas',
      zoneName: 'Americas',
      regionConfigs: [
        {
          providerName: 'AWS',
          regionName: 'US_EAST_1',
          priority: 7,
          electableSpecs: { instanceSize: 'M30', nodeCount: 3 },
        },
      ],
    },
    {
      id: 'shard-europe',
      zoneId: 'zone-europe',
      zoneName: 'Europe',
      regionConfigs: [
        {
          providerName: 'GCP',
          regionName: 'WESTERN_EUROPE',
          priority: 7,
          electableSpecs: { instanceSize: 'M30', nodeCount: 3 },
        },
      ],
    },
  ],
};

/** A free cluster as the clusters API shows it: a TENANT region config backed by AWS, no node counts. */
export const tenant: Cluster = {
  id: '65a000000000000000000004',
  groupId: ANALYTICS.id,
  name: 'sandbox-free',
  clusterType: 'REPLICASET',
  stateName: 'IDLE',
  mongoDBVersion: '8.0.6',
  replicationSpecs: [
    {
      regionConfigs: [
        {
          providerName: 'TENANT',
          backingProviderName: 'AWS',
          regionName: 'US_EAST_1',
          electableSpecs: { instanceSize: 'M0' },
        },
      ],
    },
  ],
};

/** A flex cluster on GCP, backup on. */
export const flex: FlexCluster = {
  id: '65a000000000000000000005',
  groupId: ANALYTICS.id,
  name: 'sandbox-flex',
  clusterType: 'REPLICASET',
  stateName: 'IDLE',
  mongoDBVersion: '8.0.6',
  terminationProtectionEnabled: false,
  providerSettings: {
    providerName: 'FLEX',
    backingProviderName: 'GCP',
    regionName: 'CENTRAL_US',
    diskSizeGB: 5,
  },
  backupSettings: { enabled: true },
  createDate: '2025-02-01T00:00:00Z',
};

/**
 * An inventory cluster that breaks no default rule (dedicated, backup on, TLS 1.2, termination protection,
 * MongoDB 8.0, running, tagged `env` and `owner`); tests change only what they are about.
 */
export function inventoryCluster(overrides: Partial<InventoryCluster> = {}): InventoryCluster {
  return {
    groupId: PAYMENTS.id,
    projectName: PAYMENTS.name,
    name: 'clean',
    id: '65b000000000000000000001',
    kind: 'dedicated',
    stateName: 'IDLE',
    clusterType: 'REPLICASET',
    mongoDBVersion: '8.0.6',
    mongoDBMajorVersion: '8.0',
    paused: false,
    backupEnabled: true,
    pitEnabled: false,
    terminationProtectionEnabled: true,
    minimumTlsProtocol: 'TLS1_2',
    shardCount: 1,
    regions: [
      {
        provider: 'AWS',
        region: 'US_EAST_1',
        instanceSize: 'M30',
        electableNodes: 3,
        readOnlyNodes: 0,
        analyticsNodes: 0,
      },
    ],
    tags: { env: 'prod', owner: 'team' },
    createDate: '2024-01-01T00:00:00Z',
    ...overrides,
  };
}

export const NO_CHANGES: Changes = { added: [], removed: [], changed: [], firstRun: false };

/** A complete snapshot around `clusters`; the other parts default to "nothing happened". */
export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    generatedAt: '2026-03-01T06:00:00Z',
    source: { baseUrl: 'https://cloud.mongodb.com' },
    partial: false,
    warnings: [],
    projects: [PAYMENTS, ANALYTICS],
    clusters: [],
    databaseUsers: [],
    errors: [],
    unreadProjectIds: [],
    findings: [],
    changes: NO_CHANGES,
    stats: { atlasCalls: 12, retries: 1, throttled: 0, durationMs: 4200 },
    ...overrides,
  };
}
