import { describe, expect, it } from 'vitest';
import { collectInventory } from '../../../../shared/inventory/collect.ts';
import { atlasWorld, clustersPath, flexClustersPath, world } from './atlas-world.ts';
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
