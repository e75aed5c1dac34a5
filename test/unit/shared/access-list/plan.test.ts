/** The plan for one list: canonical comparison, the three prune modes, and every guard. */
import { describe, expect, it } from 'vitest';
import { checkDesiredState, type DeclaredList } from '../../../../shared/access-list/desired-state.ts';
import type { GuardSettings } from '../../../../shared/access-list/guards.ts';
import type { AccessEntry, AccessListRef, ListPlan } from '../../../../shared/access-list/model.ts';
import { networkOf, overlaps } from '../../../../shared/access-list/networks.ts';
import { planList } from '../../../../shared/access-list/plan.ts';

const GROUP_ID = '5f1b2c3d4e5f6a7b8c9d0e1f';
const PROJECT: AccessListRef = { kind: 'project', groupId: GROUP_ID };
const ACCOUNT: AccessListRef = {
  kind: 'serviceAccount',
  orgId: '6a1b2c3d4e5f6a7b8c9d0e1f',
  clientId: 'mdb_sa_id_0123456789abcdef01234567',
};
const NOW = Date.parse('2026-11-29T12:00:00Z');

/** A project list declared with `prune` and `entries`, checked by the real schema. */
function project(prune: 'none' | 'managed' | 'all', entries: AccessEntry[]): DeclaredList {
  const [list] = checkDesiredState({ projects: [{ groupId: GROUP_ID, prune, entries }] }).projects;
  if (!list) throw new Error('no list');
  return list;
}

/** The service account's list declared with `prune` and `entries`. */
function account(prune: 'none' | 'managed' | 'all', entries: AccessEntry[]): DeclaredList {
  const { orgId, clientId } = ACCOUNT as { orgId: string; clientId: string };
  const [list] = checkDesiredState({
    serviceAccounts: [{ orgId, clientId, prune, entries }],
  }).serviceAccounts;
  if (!list) throw new Error('no list');
  return list;
}

/** Atlas lists an address entry with its one-address block as well. */
const listedAddress = (ipAddress: string, comment?: string): AccessEntry => ({
  ipAddress,
  cidrBlock: `${ipAddress}/32`,
  ...(comment ? { comment } : {}),
});

function plan(
  declared: DeclaredList,
  listed: AccessEntry[],
  options: { managed?: string[]; guards?: Partial<GuardSettings>; list?: AccessListRef } = {},
): ListPlan {
  return planList({
    list: options.list ?? PROJECT,
    declared,
    listed,
    managed: new Set(options.managed ?? []),
    guards: { maxDeletions: 10, protect: [], staticEgress: [], ...options.guards },
    now: NOW,
  });
}

const keys = (entries: { key: string }[]) => entries.map((e) => e.key);

describe('planList', () => {
  it('leaves a declared entry that is listed alone, however it is written and whatever its comment', () => {
    // Prepare
    const declared = project('all', [
      { ipAddress: '203.0.113.7', comment: 'bastion' },
      { cidrBlock: '10.8.1.0/16' },
      { cidrBlock: '2001:DB8::/32' },
    ]);
    const listed = [
      listedAddress('203.0.113.7', 'someone else’s comment'),
      { cidrBlock: '10.8.0.0/16' },
      { cidrBlock: '2001:db8::/32' },
    ];

    // Act
    const result = plan(declared, listed);

    // Assess
    expect(result.add).toEqual([]);
    expect(result.remove).toEqual([]);
    expect(keys(result.keep)).toEqual(['203.0.113.7/32', '10.8.0.0/16', '2001:db8::/32']);
  });

  it('prune none: adds what is missing and removes nothing', () => {
    // Act
    const result = plan(project('none', [{ ipAddress: '198.51.100.1' }]), [listedAddress('203.0.113.7')]);

    // Assess
    expect(result.add).toEqual([{ key: '198.51.100.1/32', entry: { ipAddress: '198.51.100.1' } }]);
    expect(result.remove).toEqual([]);
    expect(keys(result.keep)).toEqual(['203.0.113.7/32']);
  });

  it('prune all: removes every listed entry that is not declared', () => {
    // Act: two of the three go, more than the default half, so the share is raised
    const result = plan(
      project('all', [{ ipAddress: '203.0.113.7' }]),
      [
        listedAddress('203.0.113.7'),
        { cidrBlock: '10.0.0.0/16', comment: 'old VPC' },
        { awsSecurityGroup: 'sg-0a1b2c3d' },
      ],
      { guards: { maxRemovalShare: 1 } },
    );

    // Assess
    expect(result.remove).toEqual([
      { key: '10.0.0.0/16', entry: { cidrBlock: '10.0.0.0/16', comment: 'old VPC' } },
      { key: 'sg-0a1b2c3d', entry: { awsSecurityGroup: 'sg-0a1b2c3d' } },
    ]);
    expect(result.refused).toEqual([]);
  });

  it('prune managed: removes only the undeclared entries the sync added, and marks what it adds', () => {
    // Prepare: 10.1.0.0/16 was added by the sync earlier; 10.2.0.0/16 by a person
    const declared = project('managed', [
      { cidrBlock: '10.3.0.0/16', comment: 'new office' },
      { cidrBlock: '10.4.0.0/16' },
    ]);
    const listed = [{ cidrBlock: '10.1.0.0/16' }, { cidrBlock: '10.2.0.0/16' }];

    // Act
    const result = plan(declared, listed, { managed: ['10.1.0.0/16'] });

    // Assess
    expect(keys(result.remove)).toEqual(['10.1.0.0/16']);
    expect(keys(result.keep)).toEqual(['10.2.0.0/16']);
    expect(result.add.map((a) => a.entry)).toEqual([
      { cidrBlock: '10.3.0.0/16', comment: 'new office [atlas-ops]' },
      { cidrBlock: '10.4.0.0/16', comment: '[atlas-ops]' },
    ]);
  });

  it('keeps a declared managed entry the sync added, and never marks service-account entries', () => {
    // Prepare
    const declared = account('managed', [{ ipAddress: '10.0.0.1' }, { ipAddress: '10.0.0.2' }]);

    // Act
    const result = plan(declared, [{ ipAddress: '10.0.0.1' }], { list: ACCOUNT, managed: ['10.0.0.1/32'] });

    // Assess
    expect(keys(result.keep)).toEqual(['10.0.0.1/32']);
    expect(result.add.map((a) => a.entry)).toEqual([{ ipAddress: '10.0.0.2' }]);
  });

  it('treats a declared temporary entry whose date has passed as no longer declared', () => {
    // Prepare
    const declared = project('all', [
      { ipAddress: '10.0.0.1', deleteAfterDate: '2026-11-28T00:00:00Z' },
      { ipAddress: '10.0.0.2', deleteAfterDate: '2026-12-01T00:00:00Z' },
      { ipAddress: '10.0.0.3' },
    ]);

    // Act
    const result = plan(declared, [listedAddress('10.0.0.1'), listedAddress('10.0.0.3')]);

    // Assess
    expect(keys(result.add)).toEqual(['10.0.0.2/32']);
    expect(result.add[0]?.entry).toEqual({ ipAddress: '10.0.0.2', deleteAfterDate: '2026-12-01T00:00:00Z' });
    expect(keys(result.remove)).toEqual(['10.0.0.1/32']);
  });
});

describe('guards', () => {
  it('never removes an entry that admits a protected address, and refuses it with the guard named', () => {
    // Prepare: the /24 admits the protected address; the /8 contains the protected block; the last is apart
    const declared = project('all', [{ ipAddress: '203.0.113.99' }]);
    const listed = [
      { cidrBlock: '192.0.2.0/24' },
      { cidrBlock: '10.0.0.0/8' },
      { cidrBlock: '172.16.0.0/12' },
    ];

    // Act
    const result = plan(declared, listed, {
      guards: { protect: [networkOf('192.0.2.10'), networkOf('10.20.0.0/16')] },
    });

    // Assess
    expect(keys(result.remove)).toEqual(['172.16.0.0/12']);
    expect(result.refused).toEqual([
      expect.objectContaining({ action: 'remove', key: '192.0.2.0/24', guard: 'protected' }),
      expect.objectContaining({ action: 'remove', key: '10.0.0.0/8', guard: 'protected' }),
    ]);
    expect(result.refused[0]?.reason).toContain('192.0.2.10/32');
  });

  it("never removes the stack's own static egress addresses", () => {
    // Act
    const result = plan(
      account('all', [{ ipAddress: '198.51.100.1' }]),
      [{ ipAddress: '198.51.100.1' }, { ipAddress: '52.1.2.3' }, { ipAddress: '52.9.9.9' }],
      { list: ACCOUNT, guards: { staticEgress: [networkOf('52.1.2.3')] } },
    );

    // Assess
    expect(keys(result.remove)).toEqual(['52.9.9.9/32']);
    expect(result.refused).toEqual([
      expect.objectContaining({ action: 'remove', key: '52.1.2.3/32', guard: 'staticEgress' }),
    ]);
  });

  it('refuses the whole list, adds included, when it would lose more than maxDeletions entries', () => {
    // Prepare: 11 undeclared entries against the default of 10
    const listed = Array.from({ length: 12 }, (_, i) => listedAddress(`10.0.0.${i + 1}`));
    const declared = project('all', [{ ipAddress: '10.0.0.1' }, { ipAddress: '192.0.2.1' }]);

    // Act
    const result = plan(declared, listed);

    // Assess
    expect(result.add).toEqual([]);
    expect(result.remove).toEqual([]);
    expect(result.refused).toHaveLength(12);
    expect(result.refused.every((r) => r.guard === 'maxDeletions')).toBe(true);
    expect(result.refused.filter((r) => r.action === 'add').map((r) => r.key)).toEqual(['192.0.2.1/32']);
    expect(result.refused[0]?.reason).toBe(
      'the list would lose 11 entries, more than maxDeletions (10); nothing on it is changed',
    );
  });

  it('allows exactly maxDeletions removals', () => {
    // Act
    const result = plan(
      project('all', [{ ipAddress: '10.0.0.1' }]),
      [listedAddress('10.0.0.1'), listedAddress('10.0.0.2'), listedAddress('10.0.0.3')],
      { guards: { maxDeletions: 2, maxRemovalShare: 1 } },
    );

    // Assess
    expect(keys(result.remove)).toEqual(['10.0.0.2/32', '10.0.0.3/32']);
    expect(result.refused).toEqual([]);
  });

  it('counts only the removals the other guards let through against maxDeletions', () => {
    // Act
    const result = plan(
      project('all', [{ ipAddress: '10.9.9.9' }]),
      [listedAddress('10.0.0.1'), listedAddress('10.0.0.2')],
      {
        guards: { maxDeletions: 1, protect: [networkOf('10.0.0.1')] },
      },
    );

    // Assess
    expect(keys(result.remove)).toEqual(['10.0.0.2/32']);
    expect(result.refused.map((r) => r.guard)).toEqual(['protected']);
  });

  it('never empties a list: an empty declaration with prune all removes nothing', () => {
    // Act: even with every entry allowed to go by the removal share
    const result = plan(project('all', []), [listedAddress('10.0.0.1'), { cidrBlock: '10.1.0.0/16' }], {
      guards: { maxRemovalShare: 1 },
    });

    // Assess
    expect(result.remove).toEqual([]);
    expect(result.refused.map((r) => [r.key, r.guard])).toEqual([
      ['10.0.0.1/32', 'wouldEmptyList'],
      ['10.1.0.0/16', 'wouldEmptyList'],
    ]);
  });

  it('lets every old entry go when a new one takes their place, if the stack allows that share', () => {
    // Act
    const result = plan(project('all', [{ ipAddress: '10.9.9.9' }]), [listedAddress('10.0.0.1')], {
      guards: { maxRemovalShare: 1 },
    });

    // Assess
    expect(keys(result.add)).toEqual(['10.9.9.9/32']);
    expect(keys(result.remove)).toEqual(['10.0.0.1/32']);
  });

  it('refuses with maxDeletions 0 any removal at all', () => {
    // Act
    const result = plan(
      project('all', [{ ipAddress: '10.0.0.1' }]),
      [listedAddress('10.0.0.1'), listedAddress('10.0.0.2')],
      {
        guards: { maxDeletions: 0 },
      },
    );

    // Assess
    expect(result.remove).toEqual([]);
    expect(result.refused.map((r) => r.guard)).toEqual(['maxDeletions']);
  });
});

describe('overlaps', () => {
  it.each([
    ['192.0.2.0/24', '192.0.2.10', true],
    ['192.0.2.10', '192.0.2.0/24', true],
    ['192.0.2.0/25', '192.0.2.128/25', false],
    ['10.0.0.0/8', '10.20.0.0/16', true],
    ['2001:db8::/32', '2001:db8:1::1', true],
    ['2001:db8::/32', '10.0.0.0/8', false],
    ['sg-0a1b2c3d', '123456789012/sg-0A1B2C3D', true],
    ['sg-0a1b2c3d', '10.0.0.0/8', false],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(overlaps(networkOf(a), networkOf(b))).toBe(expected);
  });
});
