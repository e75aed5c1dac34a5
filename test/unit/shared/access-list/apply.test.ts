/** Applying plans: adds before removes, every outcome recorded, and one list's failure never stops another. */
import { describe, expect, it } from 'vitest';
import { applyPlans, MAX_ENTRIES_PER_POST } from '../../../../shared/access-list/apply.ts';
import type { AccessListRef, ListPlan, PlannedEntry } from '../../../../shared/access-list/model.ts';
import { AtlasDeadlineError } from '../../../../shared/atlas/index.ts';
import { atlasError, FakeAtlas } from './fake-atlas.ts';

const A = '5f1b2c3d4e5f6a7b8c9d0e1f';
const B = '5f1b2c3d4e5f6a7b8c9d0e2f';
const ORG = '6a1b2c3d4e5f6a7b8c9d0e1f';
const CLIENT = 'mdb_sa_id_0123456789abcdef01234567';
const projectA: AccessListRef = { kind: 'project', groupId: A };
const projectB: AccessListRef = { kind: 'project', groupId: B };
const account: AccessListRef = { kind: 'serviceAccount', orgId: ORG, clientId: CLIENT };

const address = (ip: string, comment?: string): PlannedEntry => ({
  key: `${ip}/32`,
  entry: { ipAddress: ip, ...(comment ? { comment } : {}) },
});
const block = (cidr: string): PlannedEntry => ({ key: cidr, entry: { cidrBlock: cidr } });

function planFor(list: AccessListRef, add: PlannedEntry[], remove: PlannedEntry[] = []): ListPlan {
  return { list, prune: 'all', add, remove, keep: [], refused: [] };
}

describe('applyPlans', () => {
  it('adds in one POST, then removes one entry at a time, and records each outcome', async () => {
    // Prepare
    const atlas = new FakeAtlas().project(A, [{ ipAddress: '10.0.0.1' }, { cidrBlock: '10.1.0.0/16' }]);
    const plan = planFor(
      projectA,
      [address('10.9.0.1', 'new'), block('10.8.0.0/16')],
      [
        { key: '10.0.0.1/32', entry: { ipAddress: '10.0.0.1', cidrBlock: '10.0.0.1/32' } },
        block('10.1.0.0/16'),
      ],
    );

    // Act
    const [outcome] = await applyPlans(atlas, [plan]);

    // Assess
    expect(atlas.writes()).toEqual([
      {
        method: 'POST',
        list: `project:${A}`,
        entries: [{ ipAddress: '10.9.0.1', comment: 'new' }, { cidrBlock: '10.8.0.0/16' }],
      },
      // An address is deleted by its address, a block by its block.
      { method: 'DELETE', list: `project:${A}`, value: '10.0.0.1' },
      { method: 'DELETE', list: `project:${A}`, value: '10.1.0.0/16' },
    ]);
    expect(outcome?.changes.map((c) => [c.action, c.key, c.state])).toEqual([
      ['add', '10.9.0.1/32', 'applied'],
      ['add', '10.8.0.0/16', 'applied'],
      ['remove', '10.0.0.1/32', 'applied'],
      ['remove', '10.1.0.0/16', 'applied'],
    ]);
  });

  it('reads a 404 on a remove as already absent: the state the remove asks for', async () => {
    // Prepare
    const atlas = new FakeAtlas().project(A, [{ cidrBlock: '10.1.0.0/16' }]);

    // Act
    const [outcome] = await applyPlans(atlas, [planFor(projectA, [], [block('10.2.0.0/16')])]);

    // Assess
    expect(outcome?.changes).toEqual([expect.objectContaining({ action: 'remove', state: 'alreadyAbsent' })]);
  });

  it('goes on with the other lists when one fails, and records Atlas’s error on each change', async () => {
    // Prepare
    const atlas = new FakeAtlas()
      .project(A, [{ cidrBlock: '10.1.0.0/16' }])
      .project(B, [{ cidrBlock: '10.1.0.0/16' }])
      .account(ORG, CLIENT, [{ cidrBlock: '10.1.0.0/16' }]);
    atlas.failures.push((call) =>
      call.list === `project:${A}` && call.method === 'POST'
        ? atlasError(500, 'UNEXPECTED_ERROR')
        : undefined,
    );

    // Act
    const outcomes = await applyPlans(atlas, [
      planFor(projectA, [block('10.2.0.0/16')]),
      planFor(projectB, [block('10.2.0.0/16')]),
      planFor(account, [block('10.2.0.0/16')]),
    ]);

    // Assess
    expect(outcomes.map((o) => o.changes[0]?.state)).toEqual(['failed', 'applied', 'applied']);
    expect(outcomes[0]?.changes[0]?.error).toEqual({
      status: 500,
      errorCode: 'UNEXPECTED_ERROR',
      detail: 'UNEXPECTED_ERROR happened',
    });
    expect(atlas.keys(`project:${B}`)).toContain('10.2.0.0/16');
    expect(atlas.keys(`serviceAccount:${ORG}/${CLIENT}`)).toContain('10.2.0.0/16');
  });

  it('skips the removes of a list whose add failed, so no address leaves before its successor is on', async () => {
    // Prepare
    const atlas = new FakeAtlas().project(A, [{ cidrBlock: '10.1.0.0/16' }]);
    atlas.failures.push((call) =>
      call.method === 'POST' ? new AtlasDeadlineError('POST', '/fake') : undefined,
    );

    // Act
    const [outcome] = await applyPlans(atlas, [
      planFor(projectA, [block('10.2.0.0/16')], [block('10.1.0.0/16')]),
    ]);

    // Assess
    expect(outcome?.changes.map((c) => [c.action, c.state, c.error?.errorCode])).toEqual([
      ['add', 'failed', 'AtlasDeadlineError'],
      ['remove', 'skipped', 'ADD_FAILED'],
    ]);
    expect(atlas.writes().filter((c) => c.method === 'DELETE')).toEqual([]);
    expect(atlas.keys(`project:${A}`)).toEqual(['10.1.0.0/16']);
  });

  it('goes on removing after one remove fails', async () => {
    // Prepare
    const atlas = new FakeAtlas().account(ORG, CLIENT, [
      { ipAddress: '127.0.0.1' },
      { ipAddress: '10.0.0.2' },
    ]);
    atlas.failures.push((call) =>
      call.value === '127.0.0.1'
        ? atlasError(400, 'CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST', 'DELETE')
        : undefined,
    );

    // Act
    const [outcome] = await applyPlans(atlas, [
      planFor(account, [], [address('127.0.0.1'), address('10.0.0.2')]),
    ]);

    // Assess
    expect(outcome?.changes.map((c) => [c.key, c.state])).toEqual([
      ['127.0.0.1/32', 'failed'],
      ['10.0.0.2/32', 'applied'],
    ]);
  });

  it('POSTs entries one by one when Atlas refuses a POST for one of them, so each gets its own outcome', async () => {
    // Prepare: Atlas refuses any POST that carries the second entry
    const atlas = new FakeAtlas().project(A, [{ cidrBlock: '10.1.0.0/16' }]);
    atlas.failures.push((call) =>
      call.method === 'POST' && call.entries?.some((e) => e.cidrBlock === '10.3.0.0/16')
        ? atlasError(400, 'EXPIRATION_DATE_EXCEEDS_MAX')
        : undefined,
    );

    // Act
    const [outcome] = await applyPlans(atlas, [
      planFor(projectA, [block('10.2.0.0/16'), block('10.3.0.0/16'), block('10.4.0.0/16')]),
    ]);

    // Assess
    expect(outcome?.changes.map((c) => [c.key, c.state])).toEqual([
      ['10.2.0.0/16', 'applied'],
      ['10.3.0.0/16', 'failed'],
      ['10.4.0.0/16', 'applied'],
    ]);
    expect(atlas.writes().filter((c) => c.method === 'POST')).toHaveLength(4);
  });

  it(`sends at most ${MAX_ENTRIES_PER_POST} entries per POST`, async () => {
    // Prepare
    const atlas = new FakeAtlas().account(ORG, CLIENT, []);
    const adds = Array.from({ length: MAX_ENTRIES_PER_POST + 5 }, (_, i) =>
      address(`10.${Math.floor(i / 250)}.${i % 250}.1`),
    );

    // Act
    await applyPlans(atlas, [planFor(account, adds)]);

    // Assess
    expect(atlas.writes().map((c) => c.entries?.length)).toEqual([MAX_ENTRIES_PER_POST, 5]);
  });
});
