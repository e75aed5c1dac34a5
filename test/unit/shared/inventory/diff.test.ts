import { describe, expect, it } from 'vitest';
import { diffRuns, diffSnapshots, type RunCoverage, readScope } from '../../../../shared/inventory/diff.ts';
import type { ClusterRegion, InventoryCluster, ProjectError } from '../../../../shared/inventory/model.ts';
import { ANALYTICS, inventoryCluster, PAYMENTS } from './fixtures.ts';

const east: ClusterRegion = {
  provider: 'AWS',
  region: 'US_EAST_1',
  instanceSize: 'M30',
  electableNodes: 3,
  readOnlyNodes: 0,
  analyticsNodes: 0,
};
const west: ClusterRegion = { ...east, region: 'US_WEST_2', electableNodes: 0, readOnlyNodes: 2 };

describe('diffSnapshots', () => {
  it('reports a first run, with nothing added, when there is no previous snapshot', () => {
    // Act
    const changes = diffSnapshots(undefined, [inventoryCluster()]);

    // Assess
    expect(changes).toEqual({ added: [], removed: [], changed: [], firstRun: true });
  });

  it('reports nothing when the clusters are the same', () => {
    // Prepare
    const clusters = [inventoryCluster({ name: 'a' }), inventoryCluster({ name: 'b' })];

    // Act
    const changes = diffSnapshots({ clusters }, structuredClone(clusters));

    // Assess
    expect(changes).toEqual({ added: [], removed: [], changed: [], firstRun: false });
  });

  it('reports added and removed clusters as references, sorted by project name then cluster name', () => {
    // Prepare
    const kept = inventoryCluster({ name: 'kept' });
    const previous = [
      kept,
      inventoryCluster({ name: 'zeta-gone' }),
      inventoryCluster({ name: 'alpha-gone', groupId: ANALYTICS.id, projectName: ANALYTICS.name }),
    ];
    const current = [
      kept,
      inventoryCluster({ name: 'new-b' }),
      inventoryCluster({ name: 'new-a' }),
      inventoryCluster({ name: 'zz-new', groupId: ANALYTICS.id, projectName: ANALYTICS.name, kind: 'flex' }),
    ];

    // Act
    const changes = diffSnapshots({ clusters: previous }, current);

    // Assess
    expect(changes.added).toEqual([
      { groupId: ANALYTICS.id, projectName: 'analytics', name: 'zz-new', kind: 'flex' },
      { groupId: PAYMENTS.id, projectName: 'payments', name: 'new-a', kind: 'dedicated' },
      { groupId: PAYMENTS.id, projectName: 'payments', name: 'new-b', kind: 'dedicated' },
    ]);
    expect(changes.removed).toEqual([
      { groupId: ANALYTICS.id, projectName: 'analytics', name: 'alpha-gone', kind: 'dedicated' },
      { groupId: PAYMENTS.id, projectName: 'payments', name: 'zeta-gone', kind: 'dedicated' },
    ]);
    expect(changes.changed).toEqual([]);
    expect(changes.firstRun).toBe(false);
  });

  it('reports each changed field with its value before and after, in the documented field order', () => {
    // Prepare
    const before = inventoryCluster({ tags: { env: 'dev' }, stateName: 'IDLE', paused: false });
    const after = inventoryCluster({ tags: { env: 'prod' }, stateName: 'UPDATING', paused: true });

    // Act
    const changes = diffSnapshots({ clusters: [before] }, [after]);

    // Assess
    expect(changes.changed).toEqual([
      {
        groupId: PAYMENTS.id,
        projectName: 'payments',
        name: 'clean',
        kind: 'dedicated',
        fields: [
          { field: 'stateName', before: 'IDLE', after: 'UPDATING' },
          { field: 'paused', before: false, after: true },
          { field: 'tags', before: { env: 'dev' }, after: { env: 'prod' } },
        ],
      },
    ]);
  });

  it('reports a cluster deleted and recreated under the same name as changed in id', () => {
    // Prepare
    const before = inventoryCluster({ id: '65b000000000000000000001' });
    const after = inventoryCluster({ id: '65b000000000000000000099' });

    // Act
    const changes = diffSnapshots({ clusters: [before] }, [after]);

    // Assess
    expect(changes.added).toEqual([]);
    expect(changes.removed).toEqual([]);
    expect(changes.changed[0]?.fields).toEqual([
      { field: 'id', before: '65b000000000000000000001', after: '65b000000000000000000099' },
    ]);
  });

  it('ignores the order of regions and of tags', () => {
    // Prepare
    const before = inventoryCluster({ regions: [east, west], tags: { env: 'prod', owner: 'team' } });
    const after = inventoryCluster({ regions: [west, east], tags: { owner: 'team', env: 'prod' } });

    // Act
    const changes = diffSnapshots({ clusters: [before] }, [after]);

    // Assess
    expect(changes.changed).toEqual([]);
  });

  it('reports regions as a whole when one of them changes', () => {
    // Prepare
    const bigger = { ...east, instanceSize: 'M40' };
    const before = inventoryCluster({ regions: [east, west] });
    const after = inventoryCluster({ regions: [west, bigger] });

    // Act
    const changes = diffSnapshots({ clusters: [before] }, [after]);

    // Assess
    const fields = changes.changed[0]?.fields ?? [];
    expect(fields.map((f) => f.field)).toEqual(['regions']);
    expect(fields[0]?.before).toEqual(expect.arrayContaining([east, west]));
    expect(fields[0]?.after).toEqual(expect.arrayContaining([west, bigger]));
  });

  it('reports a setting that appears as a change from null, so it survives JSON', () => {
    // Prepare
    const before = inventoryCluster({ minimumTlsProtocol: undefined });
    const after = inventoryCluster({ minimumTlsProtocol: 'TLS1_2' });

    // Act
    const changes = diffSnapshots({ clusters: [before] }, [after]);

    // Assess
    expect(changes.changed[0]?.fields).toEqual([
      { field: 'minimumTlsProtocol', before: null, after: 'TLS1_2' },
    ]);
  });

  it('does not report fields outside the compared list', () => {
    // Prepare
    const before = inventoryCluster({ projectName: 'old name', createDate: '2024-01-01T00:00:00Z' });
    const after = inventoryCluster({ projectName: 'new name', createDate: '2024-06-01T00:00:00Z' });

    // Act
    const changes = diffSnapshots({ clusters: [before] }, [after]);

    // Assess
    expect(changes.changed).toEqual([]);
  });

  it('tells a flex cluster from a dedicated one with the same name, and projects apart', () => {
    // Prepare
    const dedicated = inventoryCluster({ name: 'same' });
    const asFlex = inventoryCluster({ name: 'same', kind: 'flex' });
    const otherProject = inventoryCluster({ name: 'same', groupId: ANALYTICS.id, projectName: 'analytics' });

    // Act
    const changes = diffSnapshots({ clusters: [dedicated] }, [asFlex, otherProject]);

    // Assess
    expect(changes.added.map((r) => [r.projectName, r.kind])).toEqual([
      ['analytics', 'dedicated'],
      ['payments', 'flex'],
    ]);
    expect(changes.removed.map((r) => [r.projectName, r.kind])).toEqual([['payments', 'dedicated']]);
    expect(changes.changed).toEqual([]);
  });
});

/** A run that read `clusters` and everything else in scope, unless `overrides` say otherwise. */
function run(clusters: InventoryCluster[], overrides: Partial<RunCoverage> = {}): RunCoverage {
  return {
    clusters,
    partial: false,
    projects: [PAYMENTS, ANALYTICS],
    errors: [],
    unreadProjectIds: [],
    ...overrides,
  };
}

const forbidden = (projectId: string, kind?: 'dedicated' | 'flex'): ProjectError => ({
  projectId,
  status: kind ? 400 : 403,
  errorCode: kind ? 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API' : 'NOT_IN_GROUP',
  detail: 'not read',
  ...(kind ? { kind } : {}),
});

describe('readScope', () => {
  it('counts every list as read, but those of unread projects and of errors', () => {
    // Act
    const read = readScope(
      run([], {
        unreadProjectIds: ['a'],
        errors: [forbidden('a'), forbidden('b'), forbidden('c', 'dedicated')],
      }),
    );

    // Assess
    expect([read('a', 'dedicated'), read('a', 'flex')]).toEqual([false, false]);
    expect([read('b', 'dedicated'), read('b', 'flex')]).toEqual([false, false]);
    expect([read('c', 'dedicated'), read('c', 'flex')]).toEqual([false, true]);
    expect([read('new', 'dedicated'), read('new', 'flex')]).toEqual([true, true]);
  });

  it('counts only the listed projects as read in an older partial snapshot, which did not say what it missed', () => {
    // Act
    const read = readScope({ partial: true, projects: [PAYMENTS], errors: [] });

    // Assess
    expect(read(PAYMENTS.id, 'dedicated')).toBe(true);
    expect(read(ANALYTICS.id, 'dedicated')).toBe(false);
  });

  it('counts every project but those of errors as read in an older complete snapshot', () => {
    // Act
    const read = readScope({ partial: false, projects: [PAYMENTS], errors: [forbidden('b')] });

    // Assess
    expect(read(ANALYTICS.id, 'flex')).toBe(true);
    expect(read('b', 'flex')).toBe(false);
  });
});

describe('diffRuns', () => {
  const main = inventoryCluster({ name: 'main' });
  const sandbox = inventoryCluster({ name: 'sandbox', groupId: ANALYTICS.id, projectName: ANALYTICS.name });
  const sandboxFlex = { ...sandbox, name: 'sandbox-flex', kind: 'flex' as const };

  it('is a first run without a previous run', () => {
    expect(diffRuns(undefined, run([main]))).toEqual({ added: [], removed: [], changed: [], firstRun: true });
  });

  it('reports neither as removed the clusters of a project not read now, nor as added those not read before', () => {
    // Prepare
    const before = run([main], { unreadProjectIds: [ANALYTICS.id], errors: [forbidden(ANALYTICS.id)] });
    const now = run([sandbox], { unreadProjectIds: [PAYMENTS.id] });

    // Act
    const changes = diffRuns(before, now);

    // Assess
    expect(changes).toEqual({ added: [], removed: [], changed: [], firstRun: false });
  });

  it('compares the flex clusters of a project whose dedicated list alone was not read', () => {
    // Prepare
    const before = run([main, sandbox]);
    const now = run([main, sandboxFlex], { errors: [forbidden(ANALYTICS.id, 'dedicated')] });

    // Act
    const changes = diffRuns(before, now);

    // Assess
    expect(changes.removed).toEqual([]);
    expect(changes.added).toEqual([
      { groupId: ANALYTICS.id, projectName: ANALYTICS.name, name: 'sandbox-flex', kind: 'flex' },
    ]);
  });
});
