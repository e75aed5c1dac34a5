/**
 * `atlas-ops sync` as a new user runs it: a real process against the Atlas simulator, through a proxy that
 * records every request it sends, bodies included. The "done when": a project list with A, B, C and a
 * service-account list with F; desired A and D with `prune: all`, and E with `prune: none`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, SIM_CLIENT_ID } from '../../../local/atlas-simulator/index.ts';
import { DEMO_ORG_ID, DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import type { SyncReport } from '../../../shared/access-list/model.ts';
import { atlasOps, useCliAtlas } from '../../support/cli.ts';
import type { RecordingProxy } from '../../support/recording-proxy.ts';

const GROUP = DEMO_PROJECT_IDS.paymentsProd;
const PROJECT_LIST = `/api/atlas/v2/groups/${GROUP}/accessList`;
const ACCOUNT_LIST = `/api/atlas/v2/orgs/${DEMO_ORG_ID}/serviceAccounts/${SIM_CLIENT_ID}/accessList`;

// The demo seed's payments-prod list holds exactly these three.
const A = { ipAddress: '203.0.113.10', comment: 'Office VPN egress' };
const B = '10.0.0.0/16';
const C = '198.51.100.7';
const D = { ipAddress: '203.0.113.20', comment: 'Second office' };
const E = { cidrBlock: '192.0.2.0/24' };
const F = { cidrBlock: '10.20.0.0/16', createdAt: '2025-01-10T08:05:00Z', requestCount: 0 };

const DESIRED = {
  projects: [{ groupId: GROUP, prune: 'all', entries: [A, D] }],
  serviceAccounts: [{ orgId: DEMO_ORG_ID, clientId: SIM_CLIENT_ID, prune: 'none', entries: [E] }],
};
/** B and C are two of the list's three entries: more than the half a run may remove by default. */
const REMOVE_TWO_THIRDS = ['--max-removal-share', '0.7'];

describe('atlas-ops sync', () => {
  let sim: RunningSimulator;
  let proxy: RecordingProxy;
  let env: Record<string, string>;
  let dir: string;

  /** The writes the CLI sent to Atlas resources (token requests left out). */
  const writes = () =>
    proxy.requests
      .filter((r) => r.method !== 'GET' && r.path.startsWith('/api/atlas/'))
      .map((r) => ({ method: r.method, path: r.path, ...(r.body ? { body: JSON.parse(r.body) } : {}) }));
  const listed = () =>
    sim.state.projectAccessList.filter((e) => e.groupId === GROUP).map((e) => e.ipAddress ?? e.cidrBlock);
  const accountListed = () =>
    sim.state.serviceAccounts
      .find((a) => a.clientId === SIM_CLIENT_ID)
      ?.accessList.map((e) => e.ipAddress ?? e.cidrBlock);
  const desiredFile = async (name: string, document: unknown) => {
    const file = join(dir, name);
    await writeFile(file, typeof document === 'string' ? document : JSON.stringify(document, null, 2));
    return file;
  };

  const cliAtlas = useCliAtlas('sync');
  beforeEach(async () => {
    ({ sim, proxy, env, dir } = cliAtlas());
    const account = sim.state.serviceAccounts.find((a) => a.clientId === SIM_CLIENT_ID);
    if (!account) throw new Error('the demo seed has no service account');
    account.accessList = [{ ...F }];
  });

  it('plan mode: prints the plan, sends no write, exits 3', async () => {
    // Prepare
    const file = await desiredFile('plan.json', DESIRED);

    // Act
    const run = await atlasOps(['sync', '--desired', file, ...REMOVE_TWO_THIRDS], { env });

    // Assess
    expect(run.code, run.stderr).toBe(3);
    expect(writes()).toEqual([]);
    expect(listed()).toEqual([A.ipAddress, B, C]);
    expect(run.stdout).toMatch(new RegExp(`project ${GROUP}\\s+all\\s+1\\s+2\\s+1\\s+0\\s+0\\s+drift`));
    expect(run.stdout).toContain('+ 203.0.113.20 (Second office): to add');
    expect(run.stdout).toContain(`- ${B} (Application VPC (peered)): to remove`);
    expect(run.stdout).toContain('Plan only, nothing changed');
  });

  it('--apply: one POST of D, DELETEs of B and C, one POST of E, nothing else; exits 0', async () => {
    // Prepare
    const file = await desiredFile('apply.json', DESIRED);

    // Act
    const run = await atlasOps(['sync', '--desired', file, '--apply', ...REMOVE_TWO_THIRDS], { env });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const sent = writes();
    expect(sent.filter((w) => w.method === 'POST' && w.path === PROJECT_LIST)).toEqual([
      { method: 'POST', path: PROJECT_LIST, body: [D] },
    ]);
    expect(
      sent
        .filter((w) => w.method === 'DELETE')
        .map((w) => w.path)
        .sort(),
    ).toEqual([`${PROJECT_LIST}/${B}`, `${PROJECT_LIST}/${C}`]);
    expect(sent.filter((w) => w.path === ACCOUNT_LIST)).toEqual([
      { method: 'POST', path: ACCOUNT_LIST, body: [E] },
    ]);
    expect(sent).toHaveLength(4);
    expect(listed()).toEqual([A.ipAddress, D.ipAddress]);
    expect(accountListed()).toEqual([F.cidrBlock, E.cidrBlock]);
    expect(run.stdout).toContain('Applied: 2 entries added, 2 removed, 0 refused by a guard, 0 failed.');
  });

  it('refuses a list that would lose more than maxDeletions: no delete sent, exits 1', async () => {
    // Prepare: B and C would go, one more than allowed
    const file = await desiredFile('max.json', { ...DESIRED, maxDeletions: 1 });

    // Act
    const run = await atlasOps(['sync', '--desired', file, '--apply'], { env });

    // Assess
    expect(run.code, run.stderr).toBe(1);
    expect(writes().filter((w) => w.method === 'DELETE')).toEqual([]);
    expect(writes().filter((w) => w.path.startsWith(PROJECT_LIST))).toEqual([]);
    expect(listed()).toEqual([A.ipAddress, B, C]);
    expect(run.stdout).toMatch(new RegExp(`project ${GROUP}\\s+all\\s+0\\s+0\\s+1\\s+3\\s+0\\s+refused`));
    expect(run.stdout).toContain('more than maxDeletions (1); nothing on it is changed');
  });

  it('refuses an invalid document before sending anything, naming each bad field; exits 2', async () => {
    // Prepare
    const file = await desiredFile('bad.json', {
      maxDeletions: 'ten',
      projects: [{ groupId: 'payments', prune: 'everything', entries: [{ cidrBlock: '10.0.0.0/33' }] }],
      serviceAccounts: [{ orgId: DEMO_ORG_ID, clientId: SIM_CLIENT_ID, entries: [{ ipAddress: '1.2.3' }] }],
    });

    // Act
    const run = await atlasOps(['sync', '--desired', file, '--apply'], { env });

    // Assess
    expect(run.code).toBe(2);
    expect(proxy.requests).toEqual([]); // not even a token
    for (const field of [
      'maxDeletions',
      'projects.0.groupId',
      'projects.0.prune',
      'projects.0.entries.0.cidrBlock',
      'serviceAccounts.0.entries.0.ipAddress',
    ]) {
      expect(run.stderr).toMatch(new RegExp(`^${file}: ${field.replace(/\./g, '\\.')}: `, 'm'));
    }
    expect(run.stderr).toMatch(/\natlas-ops sync: not a valid desired state; nothing sent to Atlas\n$/);
    expect(run.stdout).toBe('');
  });

  it('exits 2 for bad usage, and for a file that is not JSON, naming where it stops being JSON', async () => {
    // Prepare
    const notJson = await desiredFile('not.json', '{"projects": [');

    // Act
    const missing = await atlasOps(['sync'], { env });
    const format = await atlasOps(['sync', '--desired', notJson, '--format', 'yaml'], { env });
    const broken = await atlasOps(['sync', '--desired', notJson], { env });

    // Assess
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--desired FILE is required');
    expect(format.code).toBe(2);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`${notJson}:1:15: not JSON: the text ends where a value should be\n`);
    expect(proxy.requests).toEqual([]);
  });

  it('--format json prints the plan as JSON', async () => {
    // Prepare
    const file = await desiredFile('json.json', DESIRED);

    // Act
    const run = await atlasOps(['sync', '--desired', file, '--format', 'json', ...REMOVE_TWO_THIRDS], {
      env,
    });

    // Assess
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as SyncReport;
    expect(report.mode).toBe('plan');
    expect(report.totals).toMatchObject({
      lists: 2,
      listsInDrift: 2,
      added: 2,
      removed: 2,
      refused: 0,
      failed: 0,
    });
    expect(report.lists[0]?.changes.map((c) => [c.action, c.key, c.state])).toEqual([
      ['add', '203.0.113.20/32', 'planned'],
      ['remove', '10.0.0.0/16', 'planned'],
      ['remove', '198.51.100.7/32', 'planned'],
    ]);
  });

  it('prune managed: marks what it adds, records it beside the file, and removes it once undeclared', async () => {
    // Prepare
    const managed = (entries: object[]) => ({ projects: [{ groupId: GROUP, prune: 'managed', entries }] });
    const first = await desiredFile('managed.json', managed([A, D]));

    // Act
    const added = await atlasOps(['sync', '--desired', first, '--apply'], { env });
    const record = JSON.parse(await readFile(join(dir, 'managed.managed.json'), 'utf8'));
    await desiredFile('managed.json', managed([A]));
    const removed = await atlasOps(['sync', '--desired', first, '--apply'], { env });

    // Assess
    expect(added.code, added.stderr).toBe(0);
    expect(record).toEqual({ version: 1, lists: { [`project:${GROUP}`]: ['203.0.113.20/32'] } });
    expect(writes().find((w) => w.method === 'POST')?.body).toEqual([
      { ipAddress: D.ipAddress, comment: 'Second office [atlas-ops]' },
    ]);
    expect(removed.code, removed.stderr).toBe(0);
    // B and C were there before the sync: not its to remove.
    expect(listed()).toEqual([A.ipAddress, B, C]);
  });
});
