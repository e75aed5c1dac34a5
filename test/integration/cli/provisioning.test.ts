/**
 * The provisioning commands as a user runs them: `atlas-ops run` against the simulator, and `enqueue` then
 * `status` against a running local stack (`atlas-ops start`) — with `run`, `sync` and `inventory` from a second
 * shell finding that stack's simulator themselves — all through real processes and real HTTP.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../local/atlas-simulator/index.ts';
import {
  DEMO_CONTAINER_IDS,
  DEMO_ORG_ID,
  DEMO_PROJECT_IDS,
} from '../../../local/atlas-simulator/seeds/demo.ts';
import { atlasOps, type RunningLocalStack, startLocalStackProcess } from '../../support/cli.ts';
import { peeringToMissingContainer } from '../../support/provisioning.ts';
import { requestLog } from '../../support/simulator.ts';

describe('atlas-ops run', () => {
  let sim: RunningSimulator;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 'demo' });
    env = {
      MONGODB_ATLAS_CLIENT_ID: sim.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: sim.clientSecret,
      MONGODB_ATLAS_BASE_URL: sim.url,
    };
    dir = await mkdtemp(join(tmpdir(), 'atlas-ops-run-'));
  });
  afterAll(async () => {
    await sim.close();
  });

  it('executes one operation and prints its result; a repeat changes nothing', async () => {
    // Prepare
    const file = join(dir, 'add.json');
    const groupId = sim.state.projects[0]?.id;
    await writeFile(
      file,
      JSON.stringify({
        type: 'projectAccessList.add',
        params: { groupId, entries: [{ cidrBlock: '10.44.0.0/16' }] },
      }),
    );

    // Act
    const first = await atlasOps(['run', file], { env });
    const again = await atlasOps(['run', file], { env });

    // Assess
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ type: 'projectAccessList.add', status: 'SUCCEEDED' });
    expect(again.code).toBe(0);
    // Each run revoked its access token when it ended.
    const revocations = (await requestLog(sim)).filter(
      (r) => r.path === '/api/oauth/revoke' && r.status === 200,
    );
    expect(revocations).toHaveLength(2);
    expect(sim.state.projectAccessList.filter((e) => e.cidrBlock === '10.44.0.0/16')).toHaveLength(1);
  });

  it('finds a same-region peering Atlas lists with accepterRegionName null: exit 0, no second peering', async () => {
    // Prepare: a VPC in the AWS container's own region (the demo container is in US_EAST_1)
    const file = join(dir, 'peering.json');
    const vpcId = 'vpc-0f1e2d3c4b5a69788';
    await writeFile(
      file,
      JSON.stringify({
        type: 'networkPeering.create',
        params: {
          groupId: DEMO_PROJECT_IDS.paymentsProd,
          peering: {
            providerName: 'AWS',
            containerId: DEMO_CONTAINER_IDS.aws,
            accepterRegionName: 'us-east-1',
            awsAccountId: '123456789012',
            routeTableCidrBlock: '10.30.0.0/16',
            vpcId,
          },
        },
      }),
    );
    const first = await atlasOps(['run', file], { env });

    // Act
    const again = await atlasOps(['run', file], { env });

    // Assess
    expect(JSON.parse(first.stdout)).toMatchObject({
      result: { created: true, peering: { accepterRegionName: null } },
    });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ result: { created: false, alreadyExists: true } });
    expect(sim.state.peers.filter((p) => (p as { vpcId?: string }).vpcId === vpcId)).toHaveLength(1);
  });

  it('cancels an invitation Atlas answers 400 INVALID_INVITATION_ID for, with no such member: exit 0', async () => {
    // Prepare: an invitation that no longer exists, for someone who never joined
    const file = join(dir, 'cancel.json');
    await writeFile(
      file,
      JSON.stringify({
        type: 'orgInvitation.cancel',
        params: {
          orgId: DEMO_ORG_ID,
          invitationId: '6f0b1c2d3e4f5a6b7c8d9e0f',
          username: 'nobody@example.com',
        },
      }),
    );

    // Act
    const run = await atlasOps(['run', file], { env });

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ result: { invitation: { alreadyAbsent: true } } });
    const [deleted] = (await requestLog(sim)).filter(
      (r) => r.method === 'DELETE' && r.path.includes('/invites/'),
    );
    expect(deleted?.status).toBe(400);
  });

  it('exits 2 naming each bad field, and 1 with Atlas’s errorCode and detail', async () => {
    // Prepare
    const bad = join(dir, 'bad.json');
    const refused = join(dir, 'refused.json');
    await writeFile(
      bad,
      JSON.stringify({ type: 'networkPeering.delete', params: { groupId: 'nope', peerId: 'x' } }),
    );
    await writeFile(refused, JSON.stringify(peeringToMissingContainer(sim.state.projects[0]?.id ?? '')));

    // Act
    const invalid = await atlasOps(['run', bad], { env });
    const failed = await atlasOps(['run', refused], { env });

    // Assess
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('params.groupId');
    expect(invalid.stderr).toContain('params.peerId');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('CLOUD_PROVIDER_CONTAINER_NOT_FOUND');
    for (const run of [invalid, failed]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('atlas-ops enqueue, status, dlq, run, sync and inventory against npm start', () => {
  let cwd: string;
  let stack: RunningLocalStack;
  let atlasUrl = '';
  let groupId = '';

  beforeAll(async () => {
    // The local stack, started from its own folder, as `npm start` would run
    stack = await startLocalStackProcess({
      onLine: (line) => {
        atlasUrl = /Atlas simulator: (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? atlasUrl;
      },
    });
    cwd = stack.cwd;
    const groups = (await (
      await fetch(`${atlasUrl}/api/atlas/v2/groups`, {
        headers: {
          authorization: `Bearer ${await token(atlasUrl)}`,
          accept: 'application/vnd.atlas.2023-01-01+json',
        },
      })
    ).json()) as { results: { id: string }[] };
    groupId = groups.results[0]?.id ?? '';
  });
  afterAll(() => stack.stop());

  /** Writes `messages` to a file in the stack's folder and enqueues them. */
  async function enqueue(name: string, messages: unknown) {
    const file = join(cwd, `${name}.json`);
    await writeFile(file, JSON.stringify(messages));
    return atlasOps(['enqueue', file], { cwd });
  }

  /** `atlas-ops status` until its record satisfies `done` (or ten seconds pass); the last answer. */
  async function statusUntil(args: string[], done: (record: Record<string, unknown>) => boolean) {
    let record: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      const status = await atlasOps(['status', ...args], { cwd });
      // 0 with the record, 1 with a FAILED one (or none yet: no output).
      if (status.stdout) record = JSON.parse(status.stdout) as Record<string, unknown>;
      if (done(record)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return record;
  }

  const addEntry = (id: string, ipAddress: string, extra: Record<string, unknown> = {}) => ({
    id,
    type: 'projectAccessList.add',
    params: { groupId, entries: [{ ipAddress }] },
    ...extra,
  });

  it('sends operations to the running local stack’s queue and reads their status records', async () => {
    // Act
    const enqueued = await enqueue('ops', [addEntry('cli-op-1', '192.0.2.77')]);
    const status = await statusUntil(['cli-op-1'], (r) => r.status === 'SUCCEEDED');
    const unknown = await atlasOps(['status', 'no-such-op'], { cwd });

    // Assess
    expect(enqueued.code).toBe(0);
    expect(enqueued.stdout.trim()).toBe('cli-op-1');
    expect(status).toMatchObject({ id: 'cli-op-1', status: 'SUCCEEDED', type: 'projectAccessList.add' });
    expect(unknown.code).toBe(1);
  });

  it('runs the real change after a dry run of the same message, and status shows the real run', async () => {
    // Act
    await enqueue('dry', addEntry('cli-dry-then-real', '192.0.2.78', { dryRun: true }));
    const dry = await statusUntil(['cli-dry-then-real', '--dry-run'], (r) => r.status === 'SUCCEEDED');
    await enqueue('real', addEntry('cli-dry-then-real', '192.0.2.78'));
    const real = await statusUntil(['cli-dry-then-real'], (r) => r.status === 'SUCCEEDED');

    // Assess
    expect(dry).toMatchObject({ status: 'SUCCEEDED', dryRun: true });
    expect(real).toMatchObject({ status: 'SUCCEEDED', dryRun: false });
    expect(JSON.stringify(real.result)).toContain('192.0.2.78');
  });

  it('runs only the first of two messages under one id with different params; dlq list shows the second', async () => {
    // Act
    await enqueue('first', addEntry('cli-reused', '192.0.2.79'));
    const first = await statusUntil(['cli-reused'], (r) => r.status === 'SUCCEEDED');
    await enqueue('second', addEntry('cli-reused', '192.0.2.80'));
    let listed = await atlasOps(['dlq', 'list'], { cwd });
    for (let i = 0; i < 50 && !listed.stdout.includes('cli-reused'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      listed = await atlasOps(['dlq', 'list'], { cwd });
    }

    // Assess
    expect(JSON.stringify(first.result)).toContain('192.0.2.79');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/cli-reused.*ID_REUSED_WITH_DIFFERENT_PARAMS/);
    const status = await statusUntil(['cli-reused'], () => true);
    expect(status).toEqual(first);
  });

  it('says RETRYING within seconds when Atlas asks for a two-minute wait, instead of sleeping through it', async () => {
    // Prepare: the simulator answers the next access-list POST with 429 and Retry-After: 120
    await throttleNextAccessListPost();

    // Act
    await enqueue('throttled', addEntry('cli-throttled', '192.0.2.81'));
    const status = await statusUntil(['cli-throttled'], (r) => r.status === 'RETRYING');

    // Assess
    expect(status).toMatchObject({ status: 'RETRYING', error: { errorCode: 'RATE_LIMITED_TOKEN_BUCKET' } });
  });

  /** Scripts the simulator to answer the next access-list POST with 429 and Retry-After: 120. */
  async function throttleNextAccessListPost(): Promise<void> {
    const faults = await fetch(`${atlasUrl}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          path: `/api/atlas/v2/groups/${groupId}/accessList`,
          method: 'POST',
          count: 1,
          status: 429,
          retryAfter: 120,
        },
      ]),
    });
    expect(faults.status).toBe(201);
  }

  /** The stderr lines `status --watch` wrote for `id`: `HH:MM:SS  ID  STATUS …`. */
  const watchLines = (stderr: string, id: string) =>
    stderr.split('\n').filter((line) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d  ${id}  `).test(line));

  it('status exits 1 for a FAILED operation; --watch tells each change and returns when it ends', async () => {
    // Prepare: an operation Atlas refuses (no such container), and one it accepts
    const refused = peeringToMissingContainer(groupId, 'cli-watch-refused');

    // Act
    await enqueue('watch-ok', addEntry('cli-watch-ok', '192.0.2.90'));
    await enqueue('watch-refused', refused);
    const ok = await atlasOps(['status', 'cli-watch-ok', '--watch', '--interval', '0.1'], { cwd });
    const failed = await atlasOps(['status', 'cli-watch-refused', '--watch', '--interval', '0.1'], { cwd });
    const failedAgain = await atlasOps(['status', 'cli-watch-refused'], { cwd });

    // Assess
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ id: 'cli-watch-ok', status: 'SUCCEEDED' });
    expect(watchLines(ok.stderr, 'cli-watch-ok').at(-1)).toMatch(/ {2}SUCCEEDED \(attempt 1\)$/);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      status: 'FAILED',
      error: { errorCode: 'CLOUD_PROVIDER_CONTAINER_NOT_FOUND' },
    });
    expect(watchLines(failed.stderr, 'cli-watch-refused').at(-1)).toMatch(
      / {2}FAILED after attempt 1: CLOUD_PROVIDER_CONTAINER_NOT_FOUND$/,
    );
    for (const run of [ok, failed]) {
      const lines = run.stderr.trimEnd().split('\n');
      // A line per change, never the same line twice in a row.
      for (const [index, line] of lines.entries()) expect(line).not.toBe(lines[index - 1]);
    }
    expect(failedAgain.code).toBe(1);
    expect(JSON.parse(failedAgain.stdout)).toMatchObject({ status: 'FAILED' });
  });

  it('status --watch gives up after --timeout while the operation waits to retry: exit 3', async () => {
    // Prepare: the simulator answers the next access-list POST with 429 and Retry-After: 120
    await throttleNextAccessListPost();
    await enqueue('watch-throttled', addEntry('cli-watch-throttled', '192.0.2.91'));

    // Act: read every 0.1 s for 2 s
    const watched = await atlasOps(
      ['status', 'cli-watch-throttled', '--watch', '--interval', '0.1', '--timeout', '2'],
      { cwd },
    );

    // Assess
    expect(watched.code, watched.stderr).toBe(3);
    expect(watched.stdout).toBe('');
    const lines = watchLines(watched.stderr, 'cli-watch-throttled');
    expect(lines.filter((line) => line.includes('  RETRYING after attempt 1: RATE_LIMITED'))).toHaveLength(1);
    expect(watched.stderr.trimEnd().split('\n').at(-1)).toBe(
      'atlas-ops status: gave up after 2 s: cli-watch-throttled is still RETRYING ' +
        '(--timeout SECONDS waits longer, 0 for ever)',
    );
  });

  it('runs run, sync and inventory from a second shell against the stack’s simulator, with no credentials set', async () => {
    // Prepare
    const using = `atlas-ops: using the local stack's Atlas simulator at ${atlasUrl} (npm start is running)\n`;
    const operation = join(cwd, 'second-shell-add.json');
    await writeFile(
      operation,
      JSON.stringify({
        type: 'projectAccessList.add',
        params: { groupId, entries: [{ ipAddress: '192.0.2.95' }] },
      }),
    );
    const desired = join(cwd, 'second-shell-desired.json');
    await writeFile(
      desired,
      JSON.stringify({ projects: [{ groupId, prune: 'none', entries: [{ ipAddress: '192.0.2.95' }] }] }),
    );

    // Act
    const run = await atlasOps(['run', operation], { cwd });
    const sync = await atlasOps(['sync', '--desired', desired], { cwd });
    const inventory = await atlasOps(['inventory', '--quiet', '--out', join(cwd, 'second-shell-inventory')], {
      cwd,
    });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ type: 'projectAccessList.add', status: 'SUCCEEDED' });
    expect(sync.code, sync.stderr).toBe(0); // the entry run added is there: in sync
    expect(inventory.code, inventory.stderr).toBe(0);
    expect(inventory.stdout).toContain('payments-prod');
    for (const shell of [run, sync, inventory]) expect(shell.stderr).toBe(using);
  });

  it('tells how to start a local stack when none is running', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'atlas-ops-nostack-'));
    const run = await atlasOps(['status', 'anything'], { cwd: elsewhere });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('npm start');
  });
});

async function token(atlasUrl: string): Promise<string> {
  const basic = Buffer.from(
    'mdb_sa_id_65f0a0c0ffee000000000001:mdb_sa_sk_simulator-local-only-secret',
  ).toString('base64');
  const res = await fetch(`${atlasUrl}/api/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
