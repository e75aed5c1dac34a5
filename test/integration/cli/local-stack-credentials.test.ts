/**
 * Where `atlas-ops run` (as `sync` and `inventory`) finds Atlas when no credentials are given: the local stack
 * file of a running `npm start` — after `--secret-id` and the MONGODB_ATLAS_* variables, never a stale one.
 * Real processes against two simulators; a local stack file as `npm start` writes it, with this process (or
 * one that has ended) as its pid. A real `npm start` is in provisioning.test.ts.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStackFile } from '../../../cli/local-stack-file.ts';
import { type RunningSimulator, startSimulator } from '../../../local/atlas-simulator/index.ts';
import { atlasOps } from '../../support/cli.ts';
import { requestLog } from '../../support/simulator.ts';

describe('atlas-ops run, finding Atlas', () => {
  let local: RunningSimulator;
  let other: RunningSimulator;

  beforeAll(async () => {
    [local, other] = await Promise.all([
      startSimulator({ port: 0, seed: 'demo' }),
      startSimulator({ port: 0, seed: 'demo' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([local.close(), other.close()]);
  });

  /** A folder with an operation file and a local stack file naming `local` and `pid`. */
  async function folder(pid: number, cidrBlock: string) {
    const cwd = await mkdtemp(join(tmpdir(), 'atlas-ops-local-creds-'));
    await mkdir(join(cwd, '.atlas-ops'));
    const file: LocalStackFile = {
      sqsEndpoint: 'http://127.0.0.1:9',
      queueUrl: 'http://127.0.0.1:9/000000000000/unused',
      deadLetterQueueUrl: 'http://127.0.0.1:9/000000000000/unused-dlq',
      dynamoEndpoint: 'http://127.0.0.1:9',
      table: 'unused',
      atlasUrl: local.url,
      atlas: { url: local.url, clientId: local.clientId, clientSecret: local.clientSecret },
      pid,
    };
    await writeFile(join(cwd, '.atlas-ops', 'local-stack.json'), JSON.stringify(file));
    const groupId = local.state.projects[0]?.id;
    await writeFile(
      join(cwd, 'add.json'),
      JSON.stringify({ type: 'projectAccessList.add', params: { groupId, entries: [{ cidrBlock }] } }),
    );
    return cwd;
  }

  const holds = (sim: RunningSimulator, cidrBlock: string) =>
    sim.state.projectAccessList.some((e) => e.cidrBlock === cidrBlock);

  it('uses the running local stack’s simulator when no credentials are set, and says so in one line', async () => {
    // Prepare
    const cwd = await folder(process.pid, '10.71.0.0/16');

    // Act
    const run = await atlasOps(['run', 'add.json'], { cwd });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(
      `atlas-ops: using the local stack's Atlas simulator at ${local.url} (npm start is running)\n`,
    );
    expect(holds(local, '10.71.0.0/16')).toBe(true);
  });

  it('prefers the MONGODB_ATLAS_* variables to the local stack', async () => {
    // Prepare
    const cwd = await folder(process.pid, '10.72.0.0/16');
    const env = {
      MONGODB_ATLAS_CLIENT_ID: other.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: other.clientSecret,
      MONGODB_ATLAS_BASE_URL: other.url,
    };

    // Act
    const run = await atlasOps(['run', 'add.json'], { cwd, env });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(holds(other, '10.72.0.0/16')).toBe(true);
    expect(holds(local, '10.72.0.0/16')).toBe(false);
  });

  it('refuses a local stack file whose npm start has ended, saying so: exit 2, nothing sent', async () => {
    // Prepare: the pid of a process that has ended
    const ended = spawn(process.execPath, ['-e', '']);
    await once(ended, 'exit');
    const cwd = await folder(ended.pid ?? 0, '10.73.0.0/16');
    const before = (await requestLog(local)).length;

    // Act
    const run = await atlasOps(['run', 'add.json'], { cwd });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^atlas-ops: no Atlas credentials: the local stack that wrote .* is no longer running/,
    );
    expect(run.stderr).toContain('npm start');
    expect(run.stderr).toContain('MONGODB_ATLAS_CLIENT_ID');
    expect(run.stderr).not.toContain('using the local stack');
    expect(await requestLog(local)).toHaveLength(before);
  });

  it('does not send the local stack’s credentials to another MONGODB_ATLAS_BASE_URL', async () => {
    // Prepare
    const cwd = await folder(process.pid, '10.74.0.0/16');
    const before = (await requestLog(other)).length;

    // Act
    const run = await atlasOps(['run', 'add.json'], { cwd, env: { MONGODB_ATLAS_BASE_URL: other.url } });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`no Atlas credentials for MONGODB_ATLAS_BASE_URL ${other.url}`);
    expect(holds(local, '10.74.0.0/16')).toBe(false);
    expect(await requestLog(other)).toHaveLength(before);
  });

  it('says how to give credentials, or start a local stack, when there is neither: exit 2', async () => {
    // Prepare
    const cwd = await mkdtemp(join(tmpdir(), 'atlas-ops-no-creds-'));
    const groupId = local.state.projects[0]?.id;
    await writeFile(
      join(cwd, 'add.json'),
      JSON.stringify({
        type: 'projectAccessList.add',
        params: { groupId, entries: [{ cidrBlock: '10.75.0.0/16' }] },
      }),
    );

    // Act
    const run = await atlasOps(['run', 'add.json'], { cwd });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no Atlas credentials');
    expect(run.stderr).toContain('npm start');
    expect(run.stderr).toContain('MONGODB_ATLAS_CLIENT_ID');
  });
});
