import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../../../shared/atlas/resources/clusters.ts';
import {
  majorVersionOf,
  normaliseCluster,
  normaliseFlexCluster,
  tagsToRecord,
} from '../../../../shared/inventory/normalise.ts';
import { ANALYTICS, flex, geoSharded, PAYMENTS, replicaSet, shardedTwo, tenant } from './fixtures.ts';

const totals = (regions: { electableNodes: number; readOnlyNodes: number; analyticsNodes: number }[]) => ({
  electable: regions.reduce((n, r) => n + r.electableNodes, 0),
  readOnly: regions.reduce((n, r) => n + r.readOnlyNodes, 0),
  analytics: regions.reduce((n, r) => n + r.analyticsNodes, 0),
});

describe('normaliseCluster', () => {
  it('turns a replica set into an inventory cluster with one region per region config', () => {
    // Act
    const cluster = normaliseCluster(replicaSet, PAYMENTS);

    // Assess
    expect(cluster).toEqual({
      groupId: PAYMENTS.id,
      projectName: 'payments',
      name: 'payments-main',
      id: '65a000000000000000000001',
      kind: 'dedicated',
      stateName: 'IDLE',
      clusterType: 'REPLICASET',
      mongoDBVersion: '7.0.12',
      mongoDBMajorVersion: '7.0',
      paused: false,
      backupEnabled: true,
      pitEnabled: true,
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
          analyticsNodes: 1,
        },
        {
          provider: 'AWS',
          region: 'US_WEST_2',
          instanceSize: 'M30',
          electableNodes: 0,
          readOnlyNodes: 2,
          analyticsNodes: 0,
        },
      ],
      tags: { env: 'prod', owner: 'team-payments' },
      createDate: '2024-03-01T10:00:00Z',
    });
  });

  it('counts one shard per replication spec and totals nodes over every shard', () => {
    // Act
    const cluster = normaliseCluster(shardedTwo, PAYMENTS);

    // Assess
    expect(cluster.shardCount).toBe(2);
    expect(cluster.regions).toHaveLength(2);
    expect(totals(cluster.regions)).toEqual({ electable: 6, readOnly: 0, analytics: 0 });
    expect(cluster.regions.every((r) => r.instanceSize === 'M40' && r.region === 'EU_WEST_1')).toBe(true);
  });

  it('keeps zone names for a global cluster only', () => {
    // Act
    const global = normaliseCluster(geoSharded, PAYMENTS);
    const sharded = normaliseCluster(shardedTwo, PAYMENTS);

    // Assess
    expect(global.shardCount).toBe(2);
    expect(global.regions.map((r) => [r.zoneName, r.provider, r.region])).toEqual([
      ['Americas', 'AWS', 'US_EAST_1'],
      ['Europe', 'GCP', 'WESTERN_EUROPE'],
    ]);
    expect(sharded.regions.every((r) => r.zoneName === undefined)).toBe(true);
  });

  it('derives the major version from the full version when Atlas leaves it out', () => {
    // Act
    const cluster = normaliseCluster(shardedTwo, PAYMENTS);

    // Assess
    expect(cluster.mongoDBMajorVersion).toBe('8.0');
  });

  it('reports a TENANT region config under its backing provider, with 0 nodes when Atlas gives no count', () => {
    // Act
    const cluster = normaliseCluster(tenant, ANALYTICS);

    // Assess
    expect(cluster.regions).toEqual([
      {
        provider: 'AWS',
        region: 'US_EAST_1',
        instanceSize: 'M0',
        electableNodes: 0,
        readOnlyNodes: 0,
        analyticsNodes: 0,
      },
    ]);
  });

  it('takes the instance size from read-only or analytics specs when there are no electable specs', () => {
    // Prepare
    const readOnlyOnly: Cluster = {
      ...replicaSet,
      replicationSpecs: [
        {
          regionConfigs: [
            {
              providerName: 'AZURE',
              regionName: 'US_EAST_2',
              readOnlySpecs: { instanceSize: 'M50', nodeCount: 1 },
            },
            {
              providerName: 'AZURE',
              regionName: 'US_WEST',
              analyticsSpecs: { instanceSize: 'M60', nodeCount: 1 },
            },
          ],
        },
      ],
    };

    // Act
    const cluster = normaliseCluster(readOnlyOnly, PAYMENTS);

    // Assess
    expect(cluster.regions.map((r) => r.instanceSize)).toEqual(['M50', 'M60']);
  });

  it('gives safe defaults to every field Atlas leaves out', () => {
    // Prepare
    const bare = { id: '65a000000000000000000009', groupId: '', name: 'bare' } as Cluster;

    // Act
    const cluster = normaliseCluster(bare, PAYMENTS);

    // Assess
    expect(cluster).toStrictEqual({
      groupId: PAYMENTS.id,
      projectName: 'payments',
      name: 'bare',
      id: '65a000000000000000000009',
      kind: 'dedicated',
      stateName: '',
      clusterType: '',
      mongoDBVersion: '',
      mongoDBMajorVersion: '',
      paused: false,
      backupEnabled: false,
      pitEnabled: false,
      terminationProtectionEnabled: false,
      shardCount: 0,
      regions: [],
      tags: {},
    });
  });
});

describe('normaliseFlexCluster', () => {
  it('turns a flex cluster into one FLEX region on its backing provider', () => {
    // Act
    const cluster = normaliseFlexCluster(flex, ANALYTICS);

    // Assess
    expect(cluster).toStrictEqual({
      groupId: ANALYTICS.id,
      projectName: 'analytics',
      name: 'sandbox-flex',
      id: '65a000000000000000000005',
      kind: 'flex',
      stateName: 'IDLE',
      clusterType: 'REPLICASET',
      mongoDBVersion: '8.0.6',
      mongoDBMajorVersion: '8.0',
      paused: false,
      backupEnabled: true,
      pitEnabled: false,
      terminationProtectionEnabled: false,
      shardCount: 1,
      regions: [
        {
          provider: 'GCP',
          region: 'CENTRAL_US',
          instanceSize: 'FLEX',
          electableNodes: 0,
          readOnlyNodes: 0,
          analyticsNodes: 0,
        },
      ],
      tags: {},
      createDate: '2025-02-01T00:00:00Z',
    });
  });

  it('gives safe defaults when the flex cluster says almost nothing', () => {
    // Act
    const cluster = normaliseFlexCluster({ providerSettings: {} }, ANALYTICS);

    // Assess
    expect(cluster).toMatchObject({
      groupId: ANALYTICS.id,
      name: '',
      id: '',
      kind: 'flex',
      clusterType: 'REPLICASET',
      mongoDBMajorVersion: '',
      backupEnabled: false,
      terminationProtectionEnabled: false,
      regions: [{ provider: '', region: '', instanceSize: 'FLEX' }],
    });
    expect('minimumTlsProtocol' in cluster).toBe(false);
  });

  it('keeps tags when Atlas returns them on a flex cluster', () => {
    // Act
    const cluster = normaliseFlexCluster({ ...flex, tags: [{ key: 'env', value: 'dev' }] }, ANALYTICS);

    // Assess
    expect(cluster.tags).toEqual({ env: 'dev' });
  });
});

describe('helpers', () => {
  it.each([
    ['7.0.12', '7.0'],
    ['8.0', '8.0'],
    ['10.1.0-rc1', '10.1'],
    ['', ''],
    [undefined, ''],
    ['latest', ''],
  ])('majorVersionOf(%j) is %j', (version, major) => {
    expect(majorVersionOf(version)).toBe(major);
  });

  it('turns tags into a record where a repeated key keeps its last value and __proto__ is a plain key', () => {
    // Act
    const tags = tagsToRecord([
      { key: 'env', value: 'dev' },
      { key: 'env', value: 'prod' },
      { key: '__proto__', value: 'x' },
    ]);

    // Assess
    expect(Object.keys(tags)).toEqual(['env', '__proto__']);
    expect(tags.env).toBe('prod');
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
  });
});
