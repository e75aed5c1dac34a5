import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../local/atlas-simulator/index.ts';
import { DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import type { SqsStandIn } from '../../../local/aws/sqs.ts';
import { atlasOps, useCliAtlas } from '../../support/cli.ts';
import type { RecordingProxy } from '../../support/recording-proxy.ts';
import { folderWithQueue as folderWithLocalQueue, useSqsStandIn } from '../../support/sqs.ts';

const GROUP = DEMO_PROJECT_IDS.paymentsProd;
const WIDE_ADD = {
  id: 'cli-wide',
  type: 'projectAccessList.add',
  params: { groupId: GROUP, entries: [{ cidrBlock: '0.0.0.0/0', comment: 'everyone' }] },
};

let standIn: SqsStandIn;
let sqs: SQSClient;
useSqsStandIn((started) => ({ standIn, sqs } = started));

const cliAtlas = useCliAtlas('network-safety');
let sim: RunningSimulator;
let proxy: RecordingProxy;
let env: Record<string, string>;
let dir: string;
beforeEach(() => {
  ({ sim, proxy, env, dir } = cliAtlas());
});

/** The requests the CLI sent to Atlas resources (token requests left out). */
const atlasRequests = () => proxy.requests.filter((r) => r.path.startsWith('/api/atlas/'));
const listed = () =>
  sim.state.projectAccessList.filter((e) => e.groupId === GROUP).map((e) => e.ipAddress ?? e.cidrBlock);

async function file(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(content, null, 2));
  return path;
}

describe('atlas-ops run', () => {
  it('refuses an add of 0.0.0.0/0 with exit 2, naming the entry; nothing sent', async () => {
    // Prepare
    const op = await file('wide.json', WIDE_ADD);

    // Act
    const run = await atlasOps(['run', op], { env });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${op}: params.entries.0.cidrBlock: 0.0.0.0/0 admits every IPv4 address\n` +
        'atlas-ops run: wide networks refused (--allow-wide-networks sends them); nothing sent to Atlas\n',
    );
    expect(proxy.requests).toEqual([]); // not even a token
    expect(listed()).not.toContain('0.0.0.0/0');
  });

  it('refuses it whatever the file says, even in a dry run', async () => {
    // Prepare: a file that allows itself does not count; the person running the command says so
    const op = await file('self-allowed.json', { ...WIDE_ADD, allowWideNetworks: true });

    // Act
    const run = await atlasOps(['run', op], { env });
    const dry = await atlasOps(['run', op, '--dry-run'], { env });

    // Assess
    expect(run.code).toBe(2);
    expect(dry.code).toBe(2);
    expect(proxy.requests).toEqual([]);
  });

  it('adds it with --allow-wide-networks', async () => {
    // Prepare
    const op = await file('wide.json', WIDE_ADD);

    // Act
    const run = await atlasOps(['run', op, '--allow-wide-networks'], { env });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'SUCCEEDED' });
    expect(listed()).toContain('0.0.0.0/0');
  });

  it('refuses a delete of a --protect address with exit 2; the entry stays', async () => {
    // Prepare
    const op = await file('delete.json', {
      type: 'projectAccessList.delete',
      params: { groupId: GROUP, entryValue: '203.0.113.10' },
    });

    // Act
    const refused = await atlasOps(['run', op, '--protect', '10.9.9.9', '--protect', '203.0.113.0/24'], {
      env,
    });
    const bad = await atlasOps(['run', op, '--protect', 'office'], { env });

    // Assess
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `${op}: params.entryValue: 203.0.113.10 admits 203.0.113.0/24, which is a protected address of this stack\n` +
        'atlas-ops run: a protected address (--protect) is never removed; nothing sent to Atlas\n',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--protect takes an IP address or a CIDR block, not office');
    expect(proxy.requests).toEqual([]);
    expect(listed()).toContain('203.0.113.10');
  });
});

describe('atlas-ops enqueue', () => {
  const folderWithQueue = () => folderWithLocalQueue({ standIn, sqs }, 'enqueue-wide');

  it('refuses a file with 0.0.0.0/0 with exit 2, naming the entry; nothing sent, the other messages neither', async () => {
    // Prepare
    const { cwd, queued } = await folderWithQueue();
    const ops = join(cwd, 'ops.json');
    const narrow = {
      ...WIDE_ADD,
      id: 'cli-narrow',
      params: { groupId: GROUP, entries: [{ cidrBlock: '10.7.0.0/16' }] },
    };
    await writeFile(ops, JSON.stringify([narrow, WIDE_ADD]));

    // Act
    const run = await atlasOps(['enqueue', ops], { cwd });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${ops}: [1].params.entries.0.cidrBlock: 0.0.0.0/0 admits every IPv4 address\n` +
        'atlas-ops enqueue: wide networks refused (--allow-wide-networks sends them); nothing sent\n',
    );
    expect(await queued()).toEqual([]);
  });

  it('sends it with --allow-wide-networks, the message saying allowWideNetworks: true', async () => {
    // Prepare
    const { cwd, queued } = await folderWithQueue();
    const ops = join(cwd, 'ops.json');
    await writeFile(ops, JSON.stringify(WIDE_ADD));

    // Act
    const run = await atlasOps(['enqueue', ops, '--allow-wide-networks'], { cwd });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('cli-wide\n');
    expect(await queued()).toEqual([{ ...WIDE_ADD, allowWideNetworks: true }]);
  });
});

describe('atlas-ops sync', () => {
  it('--apply refuses the lock-out (prune all, one placeholder entry) for that list: exit 1, nothing sent', async () => {
    // Prepare: payments-prod lists three entries; the document would replace them all by a placeholder
    const desired = await file('lockout.json', {
      projects: [
        { groupId: GROUP, prune: 'all', entries: [{ ipAddress: '192.0.2.1', comment: 'placeholder' }] },
      ],
    });

    // Act
    const run = await atlasOps(['sync', '--desired', desired, '--apply'], { env });

    // Assess
    expect(run.code, run.stderr).toBe(1);
    expect(atlasRequests().filter((r) => r.method !== 'GET')).toEqual([]);
    expect(listed()).toEqual(['203.0.113.10', '10.0.0.0/16', '198.51.100.7']);
    expect(run.stdout).toMatch(new RegExp(`project ${GROUP}\\s+all\\s+0\\s+0\\s+0\\s+4\\s+0\\s+refused`));
    expect(run.stdout).toContain(
      "- 10.0.0.0/16 (Application VPC (peered)): remove refused (removalShare: the run would remove 3 of the list's " +
        '3 entries (100%), more than the 50% a run may remove (maxRemovalShare); nothing on it is changed)',
    );
    expect(run.stdout).toContain('+ 192.0.2.1 (placeholder): add refused (removalShare:');
  });

  it('caps the document’s maxDeletions at --max-deletions, and says so', async () => {
    // Prepare: two of the three would go; the document allows 50, the flag 1
    const desired = await file('capped.json', {
      maxDeletions: 50,
      projects: [{ groupId: GROUP, prune: 'all', entries: [{ ipAddress: '203.0.113.10' }] }],
    });

    // Act
    const run = await atlasOps(
      ['sync', '--desired', desired, '--apply', '--max-deletions', '1', '--max-removal-share', '1'],
      { env },
    );

    // Assess
    expect(run.code).toBe(1);
    expect(atlasRequests().filter((r) => r.method !== 'GET')).toEqual([]);
    expect(run.stdout).toContain("Note: the desired state's maxDeletions (50) is capped at the stack's 1");
    expect(run.stdout).toContain('more than maxDeletions (1); nothing on it is changed');
  });

  it('never removes a --protect address, whatever the document says', async () => {
    // Prepare
    const desired = await file('protect.json', {
      projects: [
        {
          groupId: GROUP,
          prune: 'all',
          entries: [{ ipAddress: '203.0.113.10' }, { cidrBlock: '10.0.0.0/16' }],
        },
      ],
    });

    // Act
    const run = await atlasOps(
      ['sync', '--desired', desired, '--apply', '--protect', '::ffff:198.51.100.7'],
      {
        env,
      },
    );

    // Assess
    expect(run.code).toBe(1);
    expect(listed()).toContain('198.51.100.7');
    expect(run.stdout).toContain('which the stack protects (protectedAddresses)');
  });

  it('refuses a desired state declaring 0.0.0.0/0 with exit 2, unless --allow-wide-networks', async () => {
    // Prepare
    const desired = await file('wide.json', {
      projects: [{ groupId: GROUP, prune: 'none', entries: [{ cidrBlock: '0.0.0.0/0' }] }],
    });

    // Act
    const refused = await atlasOps(['sync', '--desired', desired, '--apply'], { env });
    const sentBefore = proxy.requests.length;
    const allowed = await atlasOps(['sync', '--desired', desired, '--apply', '--allow-wide-networks'], {
      env,
    });

    // Assess
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^${desired}: projects\\.0\\.entries\\.0\\.cidrBlock: 0\\.0\\.0\\.0/0 admits every IPv4 address`,
      ),
    );
    expect(refused.stderr).toContain(
      'atlas-ops sync: wide networks refused (--allow-wide-networks accepts them); nothing sent to Atlas',
    );
    expect(sentBefore).toBe(0);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(listed()).toContain('0.0.0.0/0');
  });

  it('exits 2 for a bad --max-removal-share', async () => {
    // Act
    const run = await atlasOps(['sync', '--desired', 'x.json', '--max-removal-share', '2'], { env });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--max-removal-share takes a number from 0 to 1, not 2');
  });
});
