/** One run of the sync: plan or apply, the record of managed entries across runs, the report and its exit code. */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { checkDesiredState } from '../../../../shared/access-list/desired-state.ts';
import { MemoryManagedEntriesStore } from '../../../../shared/access-list/managed-entries.ts';
import { recordSyncMetrics } from '../../../../shared/access-list/metrics.ts';
import { renderSyncReport, syncExitCode } from '../../../../shared/access-list/report.ts';
import { runAccessListSync } from '../../../../shared/access-list/run.ts';
import { atlasError, FakeAtlas } from './fake-atlas.ts';

const A = '5f1b2c3d4e5f6a7b8c9d0e1f';
const MISSING = '5f1b2c3d4e5f6a7b8c9d0eff';
const ORG = '6a1b2c3d4e5f6a7b8c9d0e1f';
const CLIENT = 'mdb_sa_id_0123456789abcdef01234567';
const NOW = () => new Date('2026-11-29T12:00:00Z');

const managedDoc = (entries: object[]) =>
  checkDesiredState({ projects: [{ groupId: A, prune: 'managed', entries }] });

/**
 * Project A lists 10.1.0.0/16 and 10.9.0.0/16 and should list 10.2.0.0/16 instead of the first (`prune: all`):
 * one add, one remove (half the list, as much as a run may remove by default).
 */
function driftingProject() {
  return {
    atlas: new FakeAtlas().project(A, [{ cidrBlock: '10.1.0.0/16' }, { cidrBlock: '10.9.0.0/16' }]),
    desired: checkDesiredState({
      projects: [
        { groupId: A, prune: 'all', entries: [{ cidrBlock: '10.2.0.0/16' }, { cidrBlock: '10.9.0.0/16' }] },
      ],
    }),
  };
}

describe('runAccessListSync', () => {
  it('plan mode: reports the drift, sends no write, exit code 3', async () => {
    // Prepare
    const { atlas, desired } = driftingProject();

    // Act
    const report = await runAccessListSync({
      atlas,
      desired,
      mode: 'plan',
      managed: new MemoryManagedEntriesStore(),
      now: NOW,
    });

    // Assess
    expect(atlas.writes()).toEqual([]);
    expect(report.lists[0]?.status).toBe('drift');
    expect(report.totals).toMatchObject({
      lists: 1,
      listsInDrift: 1,
      added: 1,
      removed: 1,
      refused: 0,
      failed: 0,
    });
    expect(syncExitCode(report)).toBe(3);
  });

  it('apply mode: makes the changes, exit code 0; the next plan finds nothing to do', async () => {
    // Prepare
    const { atlas, desired } = driftingProject();
    const managed = new MemoryManagedEntriesStore();

    // Act
    const applied = await runAccessListSync({ atlas, desired, mode: 'apply', managed });
    const again = await runAccessListSync({ atlas, desired, mode: 'plan', managed });

    // Assess
    expect(applied.lists[0]?.status).toBe('applied');
    expect(syncExitCode(applied)).toBe(0);
    expect(atlas.keys(`project:${A}`)).toEqual(['10.9.0.0/16', '10.2.0.0/16']);
    expect(again.lists[0]?.status).toBe('inSync');
    expect(syncExitCode(again)).toBe(0);
  });

  it('prune managed: records what it adds, removes it once undeclared, and never what a person added', async () => {
    // Prepare
    const atlas = new FakeAtlas().project(A, [{ cidrBlock: '10.1.0.0/16', comment: 'added by hand' }]);
    const managed = new MemoryManagedEntriesStore();

    // Act
    await runAccessListSync({
      atlas,
      desired: managedDoc([{ cidrBlock: '10.2.0.0/16', comment: 'VPN' }]),
      mode: 'apply',
      managed,
    });
    const recorded = await managed.read();
    const undeclared = await runAccessListSync({
      atlas,
      desired: managedDoc([{ cidrBlock: '10.3.0.0/16' }]),
      mode: 'apply',
      managed,
    });

    // Assess
    expect(recorded).toEqual({ [`project:${A}`]: ['10.2.0.0/16'] });
    expect(undeclared.lists[0]?.changes.map((c) => [c.action, c.key, c.state])).toEqual([
      ['add', '10.3.0.0/16', 'applied'],
      ['remove', '10.2.0.0/16', 'applied'],
    ]);
    expect(atlas.lists.get(`project:${A}`)).toEqual([
      { cidrBlock: '10.1.0.0/16', comment: 'added by hand' },
      { cidrBlock: '10.3.0.0/16', comment: '[atlas-ops]' },
    ]);
    expect(await managed.read()).toEqual({ [`project:${A}`]: ['10.3.0.0/16'] });
  });

  it('forgets a managed entry someone removed by hand, so the same address added later by hand is not the sync’s', async () => {
    // Prepare
    const atlas = new FakeAtlas().project(A, [{ cidrBlock: '10.9.0.0/16' }]);
    const managed = new MemoryManagedEntriesStore({ [`project:${A}`]: ['10.2.0.0/16'] });

    // Act
    await runAccessListSync({
      atlas,
      desired: managedDoc([{ cidrBlock: '10.9.0.0/16' }]),
      mode: 'apply',
      managed,
    });

    // Assess
    expect(await managed.read()).toEqual({});
  });

  it('does not read the record when no list is managed (a broken record cannot stop such a run)', async () => {
    // Prepare
    const atlas = new FakeAtlas().project(A, []);
    const managed = {
      location: '(broken)',
      read: vi.fn(async () => ({})),
      write: vi.fn(async () => undefined),
    };

    // Act
    await runAccessListSync({
      atlas,
      desired: checkDesiredState({ projects: [{ groupId: A, entries: [{ cidrBlock: '10.2.0.0/16' }] }] }),
      mode: 'apply',
      managed,
    });

    // Assess
    expect(managed.read).not.toHaveBeenCalled();
    expect(managed.write).not.toHaveBeenCalled();
  });

  it('reports a list it cannot read and plans the others; exit code 1', async () => {
    // Prepare
    const atlas = new FakeAtlas().account(ORG, CLIENT, []);
    const desired = checkDesiredState({
      projects: [{ groupId: MISSING, entries: [] }],
      serviceAccounts: [{ orgId: ORG, clientId: CLIENT, entries: [{ cidrBlock: '10.2.0.0/16' }] }],
    });

    // Act
    const report = await runAccessListSync({
      atlas,
      desired,
      mode: 'apply',
      managed: new MemoryManagedEntriesStore(),
    });

    // Assess
    expect(report.lists.map((l) => l.status)).toEqual(['unreadable', 'applied']);
    expect(report.lists[0]?.error).toMatchObject({ status: 404, errorCode: 'GROUP_NOT_FOUND' });
    expect(report.totals).toMatchObject({ listsUnreadable: 1, failed: 1, added: 1 });
    expect(syncExitCode(report)).toBe(1);
  });

  it('throws refused credentials, so the session can read the secret again and rerun', async () => {
    // Prepare
    const atlas = new FakeAtlas().project(A, []);
    atlas.failures.push(() => atlasError(401, 'UNAUTHORIZED', 'GET'));

    // Act
    const run = runAccessListSync({
      atlas,
      desired: checkDesiredState({ projects: [{ groupId: A, entries: [] }] }),
      mode: 'plan',
      managed: new MemoryManagedEntriesStore(),
    });

    // Assess
    await expect(run).rejects.toMatchObject({ status: 401 });
  });

  it('reports a record it could not save as an error; exit code 1', async () => {
    // Prepare
    const atlas = new FakeAtlas().project(A, []);
    const managed = new MemoryManagedEntriesStore();
    managed.write = async () => {
      throw new Error('AccessDenied');
    };

    // Act
    const report = await runAccessListSync({
      atlas,
      desired: managedDoc([{ cidrBlock: '10.2.0.0/16' }]),
      mode: 'apply',
      managed,
    });

    // Assess
    expect(report.errors).toEqual([expect.stringContaining('could not save the record of managed entries')]);
    expect(syncExitCode(report)).toBe(1);
  });

  it('exit code 1 when a guard refuses a change, even in plan mode', async () => {
    // Prepare
    const atlas = new FakeAtlas().project(A, [{ cidrBlock: '10.1.0.0/16' }, { cidrBlock: '10.2.0.0/16' }]);
    const desired = checkDesiredState({
      maxDeletions: 1,
      projects: [{ groupId: A, prune: 'all', entries: [{ cidrBlock: '10.3.0.0/16' }] }],
    });

    // Act
    const report = await runAccessListSync({
      atlas,
      desired,
      mode: 'plan',
      managed: new MemoryManagedEntriesStore(),
    });

    // Assess
    expect(report.lists[0]?.status).toBe('refused');
    expect(syncExitCode(report)).toBe(1);
  });
});

describe('the report', () => {
  it('renders a table, one line per change, and the totals', async () => {
    // Prepare
    const atlas = new FakeAtlas().project(A, [
      { cidrBlock: '10.1.0.0/16', comment: 'old' },
      { cidrBlock: '192.0.2.0/24' },
    ]);
    const desired = checkDesiredState({
      projects: [{ groupId: A, prune: 'all', entries: [{ cidrBlock: '10.2.0.0/16', comment: 'new' }] }],
      protect: ['192.0.2.10'],
    });

    // Act
    const text = renderSyncReport(
      await runAccessListSync({
        atlas,
        desired,
        mode: 'plan',
        managed: new MemoryManagedEntriesStore(),
        now: NOW,
      }),
    );

    // Assess
    expect(text).toContain('Access-list sync, plan mode, 2026-11-29T12:00:00.000Z');
    expect(text).toMatch(/LIST\s+PRUNE\s+ADD\s+REMOVE\s+KEEP\s+REFUSED\s+FAILED\s+STATUS/);
    expect(text).toMatch(new RegExp(`project ${A}\\s+all\\s+1\\s+1\\s+0\\s+1\\s+0\\s+refused`));
    expect(text).toContain('+ 10.2.0.0/16 (new): to add');
    expect(text).toContain('- 10.1.0.0/16 (old): to remove');
    expect(text).toContain(
      '- 192.0.2.0/24: remove refused (protected: admits 192.0.2.10/32, which protect names)',
    );
    expect(text).toContain(
      'Plan only, nothing changed: 1 of 1 lists in drift, 1 entries to add, 1 to remove, 1 refused',
    );
  });

  it('gives the five metrics; in plan mode nothing counts as added or removed', async () => {
    // Prepare
    const { atlas, desired } = driftingProject();
    const report = await runAccessListSync({
      atlas,
      desired,
      mode: 'plan',
      managed: new MemoryManagedEntriesStore(),
    });
    const metrics = { addMetric: vi.fn() };

    // Act
    recordSyncMetrics(metrics as unknown as Metrics, report);

    // Assess
    expect(Object.fromEntries(metrics.addMetric.mock.calls.map(([name, , value]) => [name, value]))).toEqual({
      EntriesAdded: 0,
      EntriesRemoved: 0,
      ListsInDrift: 1,
      ChangesRefused: 0,
      ChangesFailed: 0,
    });
  });
});
