/** `atlas-ops inventory` as a user runs it against the simulator: reports on disk, exit codes, messages. */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../local/atlas-simulator/index.ts';
import { atlasOps } from '../../support/cli.ts';
import { scriptFaults } from '../../support/simulator.ts';

describe('atlas-ops inventory', () => {
  let sim: RunningSimulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 'demo' });
    env = {
      MONGODB_ATLAS_CLIENT_ID: sim.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: sim.clientSecret,
      MONGODB_ATLAS_BASE_URL: sim.url,
    };
  });
  afterAll(async () => {
    await sim.close();
  });

  it('writes the snapshot, CSV and HTML report, prints the summary, and compares with the previous run', async () => {
    // Prepare
    const out = await mkdtemp(join(tmpdir(), 'atlas-ops-cli-'));

    // Act
    const first = await atlasOps(['inventory', '--out', out, '--quiet'], { env });
    const second = await atlasOps(['inventory', '--out', out, '--quiet'], { env });

    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('first run');
    expect(first.stdout).toMatch(/TOTAL\s+10\s+1\s+1/);
    expect(second.stdout).toContain('0 added, 0 removed, 0 changed');
    const html = second.stdout.match(/Report: (\S+)/)?.[1] ?? '';
    expect(second.stdout).toMatch(/CSV: +\S+clusters\.csv/);
    expect(await readFile(html, 'utf8')).toContain('payments-prod');
    expect(await readdir(out)).toContain('latest.json');
  });

  it('writes only the formats asked for (the JSON snapshot always, for the next comparison)', async () => {
    // Prepare
    const out = await mkdtemp(join(tmpdir(), 'atlas-ops-cli-'));

    // Act
    const run = await atlasOps(['inventory', '--out', out, '--quiet', '--format', 'json'], { env });
    const bad = await atlasOps(['inventory', '--out', out, '--quiet', '--format', 'pdf'], { env });

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('Report:');
    const json = run.stdout.match(/JSON: +(\S+)/)?.[1] ?? '';
    expect(await readdir(dirname(json))).toEqual(['snapshot.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format takes json, csv and html; not: pdf');
  });

  it('limits the run to the projects asked for, and exits 1 when one of them cannot be read', async () => {
    // Prepare
    const out = await mkdtemp(join(tmpdir(), 'atlas-ops-cli-'));
    const [readable, forbidden] = sim.state.projects;
    await scriptFaults(sim, [
      { path: `/api/atlas/v2/groups/${forbidden?.id}`, count: 1, status: 403, errorCode: 'NOT_IN_GROUP' },
    ]);

    // Act
    const run = await atlasOps(
      ['inventory', '--out', out, '--quiet', '--project', `${readable?.id},${forbidden?.id}`],
      { env },
    );

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`Projects not read: ${forbidden?.id} (403 NOT_IN_GROUP)`);
    expect(run.stdout).toContain(readable?.name);
  });

  it('exits 2 with one clear line for bad usage and bad credentials', async () => {
    // Act
    const badId = await atlasOps(['inventory', '--project', 'prod'], { env });
    // In a folder of its own: no local stack (npm start) runs there to fall back on.
    const elsewhere = await mkdtemp(join(tmpdir(), 'atlas-ops-cli-'));
    const noCredentials = await atlasOps(['inventory', '--out', elsewhere], { cwd: elsewhere });
    const refused = await atlasOps(
      ['inventory', '--out', await mkdtemp(join(tmpdir(), 'atlas-ops-cli-')), '--quiet'],
      { env: { ...env, MONGODB_ATLAS_CLIENT_SECRET: 'wrong-secret-value' } },
    );

    // Assess
    for (const run of [badId, noCredentials, refused]) {
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(badId.stderr).toContain('--project takes 24-character hexadecimal ids; not one: prod');
    expect(noCredentials.stderr).toContain('MONGODB_ATLAS_CLIENT_ID');
    expect(refused.stderr).toContain('invalid_client');
    expect(refused.stderr).not.toContain('wrong-secret-value');
  });

  it('treats an unreadable previous snapshot as a first run, and says so', async () => {
    // Prepare
    const out = await mkdtemp(join(tmpdir(), 'atlas-ops-cli-'));
    await writeFile(join(out, 'latest.json'), '{ not json');

    // Act
    const run = await atlasOps(['inventory', '--out', out, '--quiet'], { env });

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('first run');
    expect(run.stdout).toMatch(/WARNING: .*latest\.json/);
  });
});
