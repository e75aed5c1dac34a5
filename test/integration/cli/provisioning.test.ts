/**
 * The provisioning commands as a user runs them: `atlas-ops run` against the simulator, and `enqueue` then
 * `status` against a running local stack (`atlas-ops start`), all through real processes and real HTTP.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../local/atlas-simulator/index.ts';

const CLI = fileURLToPath(new URL('../../../cli/atlas-ops.ts', import.meta.url));

async function atlasOps(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'ERROR', ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

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
    expect(sim.state.projectAccessList.filter((e) => e.cidrBlock === '10.44.0.0/16')).toHaveLength(1);
  });

  it('exits 2 naming each bad field, and 1 with Atlas’s errorCode and detail', async () => {
    // Prepare
    const bad = join(dir, 'bad.json');
    const refused = join(dir, 'refused.json');
    await writeFile(
      bad,
      JSON.stringify({ type: 'networkPeering.delete', params: { groupId: 'nope', peerId: 'x' } }),
    );
    await writeFile(
      refused,
      JSON.stringify({
        type: 'networkPeering.create',
        params: {
          groupId: sim.state.projects[0]?.id,
          peering: {
            providerName: 'AWS',
            containerId: '0123456789abcdef01234567',
            accepterRegionName: 'us-east-1',
            awsAccountId: '123456789012',
            routeTableCidrBlock: '10.0.0.0/16',
            vpcId: 'vpc-0123456789abcdef0',
          },
        },
      }),
    );

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

describe('atlas-ops enqueue and status against npm start', () => {
  it('sends operations to the running local stack’s queue and reads their status records', async () => {
    // Prepare: the local stack, started from its own folder, as `npm start` would run
    const cwd = await mkdtemp(join(tmpdir(), 'atlas-ops-start-'));
    const start = spawn(process.execPath, [CLI, 'start', '--every', '3600', '--out', join(cwd, 'out')], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: start.stdout });
      let atlasUrl = '';
      for await (const line of lines) {
        atlasUrl = /Atlas simulator: (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? atlasUrl;
        if (line.startsWith('Next inventory')) break;
      }
      const groups = (await (
        await fetch(`${atlasUrl}/api/atlas/v2/groups`, {
          headers: {
            authorization: `Bearer ${await token(atlasUrl)}`,
            accept: 'application/vnd.atlas.2023-01-01+json',
          },
        })
      ).json()) as { results: { id: string }[] };
      const file = join(cwd, 'ops.json');
      await writeFile(
        file,
        JSON.stringify([
          {
            id: 'cli-op-1',
            type: 'projectAccessList.add',
            params: { groupId: groups.results[0]?.id, entries: [{ ipAddress: '192.0.2.77' }] },
          },
        ]),
      );

      // Act
      const enqueued = await atlasOps(['enqueue', file], { cwd });
      let status = await atlasOps(['status', 'cli-op-1'], { cwd });
      for (let i = 0; i < 50 && !status.stdout.includes('SUCCEEDED'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = await atlasOps(['status', 'cli-op-1'], { cwd });
      }
      const unknown = await atlasOps(['status', 'no-such-op'], { cwd });

      // Assess
      expect(enqueued.code).toBe(0);
      expect(enqueued.stdout.trim()).toBe('cli-op-1');
      expect(JSON.parse(status.stdout)).toMatchObject({
        id: 'cli-op-1',
        status: 'SUCCEEDED',
        type: 'projectAccessList.add',
      });
      expect(unknown.code).toBe(1);
    } finally {
      start.kill('SIGINT');
      await once(start, 'exit');
    }
  });

  it('tells how to start a local stack when none is running', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'atlas-ops-nostack-'));
    const run = await atlasOps(['status', 'anything'], { cwd });
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
