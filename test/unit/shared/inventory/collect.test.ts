import { describe, expect, it } from 'vitest';
import { collectInventory } from '../../../../shared/inventory/collect.ts';
import { atlasWorld, clustersPath, databaseUsersPath, flexClustersPath, world } from './atlas-world.ts';
import { ANALYTICS, PAYMENTS } from './fixtures.ts';

const FLEX_UPGRADE = { status: 400, errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API' };

describe('collectInventory', () => {
  it('reads every dedicated and flex cluster of every project', async () => {
    // Prepare
    const atlas = atlasWorld(world());

    // Act
    const collected = await collectInventory({ atlas: atlas.client, concurrency: 2 });

    // Assess
    expect(collected.clusters.map((c) => [c.projectName, c.kind, c.name])).toEqual([
      ['analytics', 'flex', 'sandbox-flex'],
      ['analytics', 'dedicated', 'sandbox-free'],
      ['payments', 'dedicated', 'payments-main'],
    ]);
    expect(collected.errors).toEqual([]);
    expect(collected.unreadProjectIds).toEqual([]);
  });

  it('keeps the flex clusters of a project whose cluster list Atlas refuses during an upgrade to flex', async () => {
    // Prepare
    const atlas = atlasWorld(world({ faults: [{ path: clustersPath(ANALYTICS.id), ...FLEX_UPGRADE }] }));

    // Act
    const collected = await collectInventory({ atlas: atlas.client, concurrency: 1 });

    // Assess
    expect(collected.clusters.map((c) => [c.projectName, c.kind, c.name])).toEqual([
      ['analytics', 'flex', 'sandbox-flex'],
      ['payments', 'dedicated', 'payments-main'],
    ]);
    expect(collected.projects.map((p) => p.id).sort()).toEqual([PAYMENTS.id, ANALYTICS.id].sort());
    expect(collected.errors).toEqual([
      expect.objectContaining({ projectId: ANALYTICS.id, kind: 'dedicated', ...FLEX_UPGRADE }),
    ]);
    expect(collected.unreadProjectIds).toEqual([]);
  });

  it('gives up on the whole project when its cluster list fails for any other reason', async () => {
    // Prepare
    const atlas = atlasWorld(
      world({ faults: [{ path: clustersPath(ANALYTICS.id), status: 403, errorCode: 'NOT_IN_GROUP' }] }),
    );

    // Act
    const collected = await collectInventory({ atlas: atlas.client, concurrency: 1 });

    // Assess
    expect(collected.clusters.map((c) => c.name)).toEqual(['payments-main']);
    expect(collected.projects).toEqual([PAYMENTS]);
    expect(collected.errors).toEqual([
      { projectId: ANALYTICS.id, status: 403, errorCode: 'NOT_IN_GROUP', detail: 'NOT_IN_GROUP here' },
    ]);
    expect(collected.unreadProjectIds).toEqual([ANALYTICS.id]);
  });

  it('gives up on the project when its flex list fails too during an upgrade to flex', async () => {
    // Prepare
    const atlas = atlasWorld(
      world({
        faults: [
          { path: clustersPath(ANALYTICS.id), ...FLEX_UPGRADE },
          { path: flexClustersPath(ANALYTICS.id), status: 404, errorCode: 'GROUP_NOT_FOUND' },
        ],
      }),
    );

    // Act
    const collected = await collectInventory({ atlas: atlas.client, concurrency: 1 });

    // Assess
    expect(collected.clusters.map((c) => c.name)).toEqual(['payments-main']);
    expect(collected.errors).toEqual([
      expect.objectContaining({ projectId: ANALYTICS.id, status: 404, errorCode: 'GROUP_NOT_FOUND' }),
    ]);
    expect(collected.errors[0]?.kind).toBeUndefined();
    expect(collected.unreadProjectIds).toEqual([ANALYTICS.id]);
  });
});

describe('collectInventory: database users', () => {
  const reader = {
    groupId: PAYMENTS.id,
    username: 'reader',
    databaseName: 'admin' as const,
    roles: [{ roleName: 'read', databaseName: 'payments' }],
    scopes: [{ name: 'payments-main', type: 'CLUSTER' as const }],
    deleteAfterDate: '2026-12-09T10:00:00Z',
    description: 'OPS-1 [atlas-ops 0123456789ab until 2026-12-09T10:00:00Z]',
  };

  it('reads each project’s database users, one more call per project, never a password', async () => {
    // Prepare
    const atlas = atlasWorld(world({ databaseUsers: [reader] }));

    // Act
    const collected = await collectInventory({ atlas: atlas.client, concurrency: 2 });

    // Assess
    expect(collected.databaseUsers).toEqual([
      {
        groupId: PAYMENTS.id,
        projectName: PAYMENTS.name,
        username: 'reader',
        databaseName: 'admin',
        roles: ['read@payments'],
        scopes: ['payments-main'],
        deleteAfterDate: '2026-12-09T10:00:00Z',
        authentication: 'password',
        grantedUntil: '2026-12-09T10:00:00Z',
      },
    ]);
    expect(atlas.apiCalls().filter((call) => call.path.includes('/databaseUsers'))).toHaveLength(2);
  });

  it('keeps a project’s clusters when its users may not be read, and records the gap', async () => {
    // Prepare
    const atlas = atlasWorld(
      world({
        databaseUsers: [reader],
        faults: [{ path: databaseUsersPath(PAYMENTS.id), status: 403, errorCode: 'USER_UNAUTHORIZED' }],
      }),
    );

    // Act
    const collected = await collectInventory({ atlas: atlas.client, concurrency: 1 });

    // Assess
    expect(collected.clusters.map((c) => c.name)).toContain('payments-main');
    expect(collected.databaseUsers).toEqual([]);
    expect(collected.errors).toEqual([
      expect.objectContaining({ projectId: PAYMENTS.id, kind: 'databaseUsers', status: 403 }),
    ]);
    expect(collected.unreadProjectIds).toEqual([]);
  });
});
