/**
 * One inventory run end to end on a mock Atlas and a snapshot folder: what the diff compares when a run, or
 * the one before it, could not read everything, and what happens when the previous snapshot is unusable.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../../shared/atlas/resources/clusters.ts';
import { FileSnapshotStore } from '../../../../shared/inventory/adapters/snapshot-store.ts';
import { parseFindingRules } from '../../../../shared/inventory/findings.ts';
import type { ClusterRef, Snapshot } from '../../../../shared/inventory/model.ts';
import { runInventory } from '../../../../shared/inventory/run.ts';
import { type AtlasWorld, atlasWorld, clustersPath, world } from './atlas-world.ts';
import { ANALYTICS, flex, inventoryCluster, PAYMENTS, replicaSet, snapshot, tenant } from './fixtures.ts';

let dir: string;
let store: FileSnapshotStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'atlas-ops-inventory-run-'));
  store = new FileSnapshotStore({ dir });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One run against `atlas`, storing only the JSON snapshot. */
async function run(atlas: AtlasWorld): Promise<Snapshot> {
  const { snapshot: result } = await runInventory({
    atlas: atlasWorld(atlas).client,
    store,
    concurrency: 1,
    rules: parseFindingRules({}),
    formats: { csv: false, html: false },
  });
  return result;
}

const names = (refs: readonly ClusterRef[]) => refs.map((r) => `${r.projectName}/${r.kind}/${r.name}`);

const dedicated = (name: string): Cluster => ({ ...replicaSet, id: '65a0000000000000000000ff', name });

describe('runInventory: what the diff compares', () => {
  it('reports clusters added and removed between two complete runs', async () => {
    // Prepare
    await run(world());

    // Act
    const second = await run(world({ clusters: [dedicated('payments-new'), tenant] }));

    // Assess
    expect(names(second.changes.added)).toEqual(['payments/dedicated/payments-new']);
    expect(names(second.changes.removed)).toEqual(['payments/dedicated/payments-main']);
    expect(second.changes.firstRun).toBe(false);
  });

  it('does not report as removed the clusters of a project it could not read this time', async () => {
    // Prepare
    await run(world());

    // Act
    const second = await run(
      world({ faults: [{ path: clustersPath(ANALYTICS.id), status: 403, errorCode: 'NOT_IN_GROUP' }] }),
    );

    // Assess
    expect(second.changes.removed).toEqual([]);
    expect(second.unreadProjectIds).toEqual([ANALYTICS.id]);
  });

  it('does not report as added the clusters of a project the previous run could not read', async () => {
    // Prepare
    await run(
      world({ faults: [{ path: clustersPath(ANALYTICS.id), status: 403, errorCode: 'NOT_IN_GROUP' }] }),
    );

    // Act: the project is readable again, and one cluster is new in another
    const second = await run(world({ clusters: [replicaSet, tenant, dedicated('payments-new')] }));

    // Assess
    expect(names(second.changes.added)).toEqual(['payments/dedicated/payments-new']);
    expect(second.changes.removed).toEqual([]);
  });

  it('does not report as added the clusters of projects a partial previous run did not reach', async () => {
    // Prepare: the previous run stopped at its deadline before it read analytics
    await store.write(
      snapshot({
        partial: true,
        projects: [PAYMENTS],
        unreadProjectIds: [ANALYTICS.id],
        clusters: [inventoryCluster({ name: 'payments-main', id: replicaSet.id ?? '' })],
      }),
      {},
    );

    // Act
    const current = await run(world());

    // Assess
    expect(current.changes.added).toEqual([]);
    expect(current.changes.firstRun).toBe(false);
  });

  it.each([
    [
      'that could not read it',
      { errors: [{ projectId: ANALYTICS.id, status: 403, errorCode: 'NOT_IN_GROUP', detail: 'x' }] },
    ],
    ['that was partial and did not list it', { partial: true }],
  ])(
    'does not report as added the clusters of a project an older snapshot (no unreadProjectIds) %s',
    async (_case, older) => {
      // Prepare: written before snapshots listed their unread projects
      const previous: Partial<Snapshot> = {
        projects: [PAYMENTS],
        clusters: [inventoryCluster({ name: 'payments-main', id: replicaSet.id ?? '' })],
        ...older,
      };
      const { unreadProjectIds: _unread, warnings: _warnings, ...old } = snapshot(previous);
      await store.write(old as Snapshot, {});

      // Act
      const current = await run(world());

      // Assess
      expect(current.changes.added).toEqual([]);
    },
  );

  it('reports as added the clusters of a project created since a complete older snapshot', async () => {
    // Prepare: an older snapshot (no unreadProjectIds) that read everything; analytics did not exist yet
    const {
      unreadProjectIds: _unread,
      warnings: _warnings,
      ...old
    } = snapshot({
      projects: [PAYMENTS],
      clusters: [inventoryCluster({ name: 'payments-main', id: replicaSet.id ?? '' })],
    });
    await store.write(old as Snapshot, {});

    // Act
    const current = await run(world());

    // Assess
    expect(names(current.changes.added)).toEqual([
      'analytics/flex/sandbox-flex',
      'analytics/dedicated/sandbox-free',
    ]);
  });
});

describe('runInventory: a project whose cluster list fails during an upgrade to flex', () => {
  const FLEX_UPGRADE = {
    path: clustersPath(ANALYTICS.id),
    status: 400,
    errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
  };

  it('keeps its flex clusters and their changes, and does not report its dedicated clusters as removed', async () => {
    // Prepare
    await run(world({ flexClusters: [flex, { ...flex, name: 'old-flex' }] }));

    // Act
    const current = await run(
      world({ flexClusters: [flex, { ...flex, name: 'new-flex' }], faults: [FLEX_UPGRADE] }),
    );

    // Assess
    expect(current.clusters.filter((c) => c.groupId === ANALYTICS.id).map((c) => c.name)).toEqual([
      'new-flex',
      'sandbox-flex',
    ]);
    expect(current.errors).toEqual([
      expect.objectContaining({
        projectId: ANALYTICS.id,
        kind: 'dedicated',
        status: 400,
        errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
      }),
    ]);
    expect(names(current.changes.added)).toEqual(['analytics/flex/new-flex']);
    expect(names(current.changes.removed)).toEqual(['analytics/flex/old-flex']);
  });

  it('does not report its dedicated clusters as added on the next run', async () => {
    // Prepare
    await run(world());
    await run(world({ faults: [FLEX_UPGRADE] }));

    // Act
    const next = await run(world());

    // Assess
    expect(next.changes.added).toEqual([]);
    expect(next.changes.removed).toEqual([]);
  });
});

describe('runInventory: an unusable previous snapshot', () => {
  it('runs as a first run, with a warning, when the snapshot latest.json points at is gone', async () => {
    // Prepare: the dated snapshot expired (lifecycle rule) while latest.json stayed
    await store.write(snapshot({ clusters: [inventoryCluster()] }), {});
    await writeFile(
      path.join(dir, 'latest.json'),
      JSON.stringify({ generatedAt: '2025-01-01T00:00:00Z', snapshot: '2025/01/01/expired/snapshot.json' }),
    );

    // Act
    const current = await run(world());

    // Assess
    expect(current.changes.firstRun).toBe(true);
    expect(current.changes.added).toEqual([]);
    expect(current.warnings).toEqual([expect.stringContaining('does not exist')]);
    expect((await store.readLatest()).snapshot?.generatedAt).toBe(current.generatedAt);
  });

  it('runs as a first run, with a warning, when latest.json is not JSON', async () => {
    // Prepare
    await store.write(snapshot({ clusters: [inventoryCluster()] }), {});
    await writeFile(path.join(dir, 'latest.json'), '{"generatedAt": "2026-');

    // Act
    const current = await run(world());

    // Assess
    expect(current.changes.firstRun).toBe(true);
    expect(current.warnings).toEqual([expect.stringContaining('latest.json is not valid JSON')]);
  });

  it('has no warnings when the previous snapshot was read', async () => {
    // Prepare
    await run(world());

    // Act
    const current = await run(world());

    // Assess
    expect(current.warnings).toEqual([]);
    expect(current.changes.firstRun).toBe(false);
  });
});
