/**
 * The sync's guards from the stack, the document only tightening them (shared/access-list/guards.ts), and
 * the lock-out refused: as a plan, and as a run's report and exit code.
 */
import { describe, expect, it } from 'vitest';
import { checkDesiredState } from '../../../../shared/access-list/desired-state.ts';
import { DesiredStateError } from '../../../../shared/access-list/errors.ts';
import {
  DEFAULT_SYNC_LIMITS,
  guardSettingsFor,
  type SyncLimits,
} from '../../../../shared/access-list/guards.ts';
import { MemoryManagedEntriesStore } from '../../../../shared/access-list/managed-entries.ts';
import type { AccessEntry } from '../../../../shared/access-list/model.ts';
import { planList } from '../../../../shared/access-list/plan.ts';
import { renderSyncReport, syncExitCode } from '../../../../shared/access-list/report.ts';
import { runAccessListSync } from '../../../../shared/access-list/run.ts';
import { FakeAtlas } from './fake-atlas.ts';

const A = '5f1b2c3d4e5f6a7b8c9d0e1f';
const limits = (overrides: Partial<SyncLimits> = {}): SyncLimits => ({
  ...DEFAULT_SYNC_LIMITS,
  ...overrides,
});

describe('guardSettingsFor: the stack sets the limits, the document may only tighten them', () => {
  it('takes the stack maxDeletions when the document has none', () => {
    // Act
    const { settings, notes } = guardSettingsFor({ protect: [] }, limits({ maxDeletions: 25 }), []);

    // Assess
    expect(settings.maxDeletions).toBe(25);
    expect(notes).toEqual([]);
  });

  it('lets the document lower maxDeletions', () => {
    // Act
    const { settings, notes } = guardSettingsFor({ maxDeletions: 3, protect: [] }, limits(), []);

    // Assess
    expect(settings.maxDeletions).toBe(3);
    expect(notes).toEqual([]);
  });

  it('caps a looser maxDeletions at the stack’s, and says so', () => {
    // Act
    const { settings, notes } = guardSettingsFor({ maxDeletions: 500, protect: [] }, limits(), []);

    // Assess
    expect(settings.maxDeletions).toBe(10);
    expect(notes).toEqual(["the desired state's maxDeletions (500) is capped at the stack's 10"]);
  });

  it('adds the document’s protect to the stack’s floor, never replacing it', () => {
    // Act
    const { settings } = guardSettingsFor(
      { protect: ['192.0.2.10'] },
      limits({ protectedAddresses: ['203.0.113.10', '::ffff:198.51.100.1'], maxRemovalShare: 0.25 }),
      ['52.1.2.3'],
    );

    // Assess
    expect(settings.protect.map((n) => n.key)).toEqual(['192.0.2.10/32']);
    expect(settings.stackProtect?.map((n) => n.key)).toEqual(['203.0.113.10/32', '::ffff:c633:6401/128']);
    expect(settings.staticEgress.map((n) => n.key)).toEqual(['52.1.2.3/32']);
    expect(settings.maxRemovalShare).toBe(0.25);
  });
});

/** The project list declared `prune: all` with `entries`, planned against `listed` with `guards`. */
function plan(entries: AccessEntry[], listed: AccessEntry[], overrides: Partial<SyncLimits> = {}) {
  const desired = checkDesiredState({ projects: [{ groupId: A, prune: 'all', entries }] });
  const [declared] = desired.projects;
  if (!declared) throw new Error('no list');
  return planList({
    list: { kind: 'project', groupId: A },
    declared,
    listed,
    managed: new Set(),
    guards: guardSettingsFor(desired, limits(overrides), []).settings,
    now: Date.parse('2026-11-29T12:00:00Z'),
  });
}

const LISTED = [{ cidrBlock: '10.1.0.0/16' }, { cidrBlock: '10.2.0.0/16' }, { cidrBlock: '10.3.0.0/16' }];

describe('the removal share: the lock-out refused', () => {
  it('refuses a placeholder that would replace every entry of the list, the list left as it is', () => {
    // Act
    const result = plan([{ ipAddress: '192.0.2.1', comment: 'placeholder' }], LISTED);

    // Assess
    expect(result.add).toEqual([]);
    expect(result.remove).toEqual([]);
    expect(result.refused.map((r) => [r.action, r.key, r.guard])).toEqual([
      ['add', '192.0.2.1/32', 'removalShare'],
      ['remove', '10.1.0.0/16', 'removalShare'],
      ['remove', '10.2.0.0/16', 'removalShare'],
      ['remove', '10.3.0.0/16', 'removalShare'],
    ]);
    expect(result.refused[0]?.reason).toBe(
      "the run would remove 3 of the list's 3 entries (100%), more than the 50% a run may remove " +
        '(maxRemovalShare); nothing on it is changed',
    );
  });

  it('refuses replacing a list’s only entry, by default', () => {
    // Act
    const result = plan([{ cidrBlock: '10.9.0.0/16' }], [{ cidrBlock: '10.1.0.0/16' }]);

    // Assess
    expect(result.refused.map((r) => r.guard)).toEqual(['removalShare', 'removalShare']);
    expect(result.refused[0]?.reason).toContain("remove 1 of the list's 1 entry (100%)");
  });

  it('allows exactly the share: one of two entries', () => {
    // Act
    const result = plan(
      [{ cidrBlock: '10.9.0.0/16' }, { cidrBlock: '10.2.0.0/16' }],
      [{ cidrBlock: '10.1.0.0/16' }, { cidrBlock: '10.2.0.0/16' }],
    );

    // Assess
    expect(result.refused).toEqual([]);
    expect(result.remove.map((r) => r.key)).toEqual(['10.1.0.0/16']);
  });

  it('follows the stack’s share: two of three go at 0.7, not at 0.5', () => {
    // Act
    const loose = plan([{ cidrBlock: '10.1.0.0/16' }], LISTED, { maxRemovalShare: 0.7 });
    const strict = plan([{ cidrBlock: '10.1.0.0/16' }], LISTED);

    // Assess
    expect(loose.remove.map((r) => r.key)).toEqual(['10.2.0.0/16', '10.3.0.0/16']);
    expect(strict.remove).toEqual([]);
    expect(strict.refused.every((r) => r.guard === 'removalShare')).toBe(true);
  });

  it('counts only what the protect guards let through', () => {
    // Act: two of three would go, but one of them the stack protects
    const result = plan([{ cidrBlock: '10.1.0.0/16' }], LISTED, { protectedAddresses: ['10.2.3.4'] });

    // Assess
    expect(result.remove.map((r) => r.key)).toEqual(['10.3.0.0/16']);
    expect(result.refused).toEqual([
      expect.objectContaining({
        key: '10.2.0.0/16',
        guard: 'protected',
        reason: 'admits 10.2.3.4/32, which the stack protects (protectedAddresses)',
      }),
    ]);
  });
});

describe('a run with the stack’s limits', () => {
  const run = (document: unknown, overrides: Partial<SyncLimits> = {}, listed: AccessEntry[] = LISTED) => {
    const atlas = new FakeAtlas().project(A, listed);
    const report = runAccessListSync({
      atlas,
      desired: checkDesiredState(document),
      mode: 'apply',
      managed: new MemoryManagedEntriesStore(),
      limits: overrides,
    });
    return { atlas, report };
  };

  it('refuses the lock-out in apply mode: nothing sent, the reason in the report, exit code 1', async () => {
    // Act
    const { atlas, report } = run({
      projects: [{ groupId: A, prune: 'all', entries: [{ ipAddress: '192.0.2.1' }] }],
    });
    const done = await report;

    // Assess
    expect(atlas.writes()).toEqual([]);
    expect(done.lists[0]?.status).toBe('refused');
    expect(done.maxRemovalShare).toBe(0.5);
    expect(syncExitCode(done)).toBe(1);
    expect(renderSyncReport(done)).toContain(
      "- 10.1.0.0/16: remove refused (removalShare: the run would remove 3 of the list's 3 entries (100%)",
    );
  });

  it('caps a document’s looser maxDeletions and says so in the report', async () => {
    // Act: the document allows 100 removals; the stack 1
    const { atlas, report } = run(
      {
        maxDeletions: 100,
        projects: [{ groupId: A, prune: 'all', entries: [{ cidrBlock: '10.1.0.0/16' }] }],
      },
      { maxDeletions: 1, maxRemovalShare: 1 },
    );
    const done = await report;

    // Assess
    expect(atlas.writes()).toEqual([]);
    expect(done.maxDeletions).toBe(1);
    expect(done.notes).toEqual(["the desired state's maxDeletions (100) is capped at the stack's 1"]);
    expect(done.lists[0]?.changes.every((c) => c.guard === 'maxDeletions')).toBe(true);
    expect(renderSyncReport(done)).toContain(
      "Note: the desired state's maxDeletions (100) is capped at the stack's 1",
    );
  });

  it('never removes the stack’s protected addresses, whatever the document protects', async () => {
    // Act
    const { atlas, report } = run(
      { projects: [{ groupId: A, prune: 'all', entries: [{ cidrBlock: '10.1.0.0/16' }] }], protect: [] },
      { protectedAddresses: ['::ffff:10.3.0.1'], maxRemovalShare: 1 },
    );
    const done = await report;

    // Assess: 10.2 goes, 10.3 (protected as IPv4-mapped IPv6) stays
    expect(atlas.keys(`project:${A}`)).toEqual(['10.1.0.0/16', '10.3.0.0/16']);
    expect(done.protectedByStack).toEqual(['::ffff:a03:1/128']);
  });

  it('refuses a desired state with a wide network before reading Atlas, unless the stack allows it', async () => {
    // Prepare
    const wide = {
      projects: [
        { groupId: A, prune: 'none', entries: [{ cidrBlock: '10.1.0.0/16' }, { cidrBlock: '0.0.0.0/0' }] },
      ],
    };

    // Act
    const refused = run(wide);
    const allowed = run(wide, { allowWideNetworks: true });

    // Assess
    await expect(refused.report).rejects.toThrow(DesiredStateError);
    await expect(refused.report).rejects.toThrow(
      'projects.0.entries.1.cidrBlock: 0.0.0.0/0 admits every IPv4 address; the sync refuses wide networks',
    );
    expect(refused.atlas.calls).toEqual([]);
    expect((await allowed.report).totals.added).toBe(1);
    expect(allowed.atlas.keys(`project:${A}`)).toContain('0.0.0.0/0');
  });
});
