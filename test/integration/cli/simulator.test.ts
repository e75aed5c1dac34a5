/** `atlas-ops simulator` as a user runs it: one JSON line on stdout, real HTTP, exit 0 on SIGTERM. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../../cli/atlas-ops.mjs', import.meta.url));

function runCli(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, stderr: () => stderr };
}

describe('atlas-ops simulator', () => {
  it('prints its URL and credentials as one JSON line, serves Atlas, and exits 0 on SIGTERM', async () => {
    // Prepare
    const { child } = runCli(['simulator', '--port', '0', '--seed', 'large:2x3']);
    const lines = createInterface({ input: child.stdout });

    // Act
    const [firstLine] = (await once(lines, 'line')) as [string];
    const info = JSON.parse(firstLine) as Record<string, string>;
    const basic = Buffer.from(`${info.clientId}:${info.clientSecret}`).toString('base64');
    const tokenRes = await fetch(`${info.url}/api/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const projects = await fetch(`${info.url}/api/atlas/v2/groups`, {
      headers: { authorization: `Bearer ${access_token}`, accept: 'application/vnd.atlas.2025-03-12+json' },
    });
    const body = (await projects.json()) as { totalCount: number };
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];

    // Assess
    expect(Object.keys(info).sort()).toEqual([
      'clientId',
      'clientSecret',
      'orgId',
      'privateKey',
      'publicKey',
      'url',
    ]);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(body.totalCount).toBe(2);
    expect(code).toBe(0);
  });

  it('refuses a bad option with a message and exit code 2, and no stack trace', async () => {
    // Prepare
    const { child, stderr } = runCli(['simulator', '--seed', '/no/such/seed.json']);

    // Act
    const [code] = (await once(child, 'exit')) as [number];

    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain('/no/such/seed.json');
    expect(stderr()).not.toMatch(/\n\s+at /);
  });
});
