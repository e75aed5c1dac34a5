/**
 * `atlas-ops access list` against `npm start`, as a user runs it in a second shell: after a temporary role and
 * a temporary database user are granted through the queue, it lists both with their ends and who asked; after
 * the user is deleted, only the role.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import { atlasOps, type RunningLocalStack, startLocalStackProcess } from '../../support/cli.ts';

const PROJECT = DEMO_PROJECT_IDS.paymentsProd;

describe('atlas-ops access list against npm start', () => {
  let stack: RunningLocalStack;

  beforeAll(async () => {
    stack = await startLocalStackProcess();
  }, 60_000);
  afterAll(() => stack.stop());

  /** Enqueues `message` from a file in the stack's folder and waits until it has SUCCEEDED. */
  async function grant(message: { id: string; [field: string]: unknown }) {
    const file = join(stack.cwd, `${message.id}.json`);
    await writeFile(file, JSON.stringify(message));
    expect((await atlasOps(['enqueue', file], { cwd: stack.cwd })).code).toBe(0);
    const status = await atlasOps(['status', message.id, '--watch', '--timeout', '30'], { cwd: stack.cwd });
    expect(status.code, status.stderr).toBe(0);
  }

  it('lists each temporary user and role in force, with its end and who asked; an ended one no more', async () => {
    // Prepare
    await grant({
      id: 'access-role',
      requestedBy: { source: 'cli', ref: 'OPS-8001', actor: 'jane@example.com' },
      type: 'projectRole.grantTemporary',
      params: {
        groupId: PROJECT,
        username: 'carol.dev@example.com',
        role: 'GROUP_READ_ONLY',
        expiresIn: 'PT2H',
      },
    });
    await grant({
      id: 'access-user',
      type: 'databaseUser.createTemporary',
      params: {
        groupId: PROJECT,
        username: 'access-reader',
        roles: [{ roleName: 'read', databaseName: 'payments' }],
        scopes: [{ name: 'payments-main', type: 'CLUSTER' }],
        expiresIn: 'PT4H',
      },
    });

    // Act
    const table = await atlasOps(['access', 'list'], { cwd: stack.cwd });
    const json = await atlasOps(['access', 'list', '--json', '--project', PROJECT], { cwd: stack.cwd });
    await grant({
      id: 'access-user-delete',
      type: 'databaseUser.delete',
      params: { groupId: PROJECT, username: 'access-reader' },
    });
    const after = await atlasOps(['access', 'list', '--json'], { cwd: stack.cwd });

    // Assess
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^KIND\s+PROJECT\s+USER\s+WHAT\s+ENDS\s+ASKED BY\s+APPROVED BY/);
    expect(table.stdout).toContain('carol.dev@example.com');
    expect(table.stdout).toContain('(in 2 hours)');
    expect(table.stdout).toContain('cli OPS-8001 (jane@example.com)');
    const listed = JSON.parse(json.stdout) as { kind: string; username: string; what: string }[];
    expect(listed.map((a) => [a.kind, a.username])).toEqual([
      ['project role', 'carol.dev@example.com'],
      ['database user', 'access-reader'],
    ]);
    expect(listed[0]?.what).toBe('GROUP_READ_ONLY (added to the project for it)');
    const remaining = JSON.parse(after.stdout) as { username: string }[];
    expect(remaining.map((a) => a.username)).toEqual(['carol.dev@example.com']);
  });

  it('refuses a bad project id and an unknown subcommand with exit 2', async () => {
    expect((await atlasOps(['access', 'list', '--project', 'nope'], { cwd: stack.cwd })).code).toBe(2);
    const unknown = await atlasOps(['access', 'show'], { cwd: stack.cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown subcommand "show"');
  });
});
