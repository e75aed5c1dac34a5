/**
 * The access-list sync worker as Lambda runs it, in the local stack: the desired state in the S3 stand-in,
 * credentials from the Secrets Manager stand-in, the Atlas simulator; a change to the desired-state object
 * starts a run (the emulated S3 event notification), and the report lands in S3.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccessListSyncHandler } from '../../../functions/access-list-sync/create-handler.ts';
import { DESIRED_STATE_KEY, MANAGED_ENTRIES_KEY } from '../../../functions/access-list-sync/env.ts';
import { SIM_CLIENT_ID } from '../../../local/atlas-simulator/index.ts';
import { DEMO_ORG_ID, DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import { createLocalS3Client } from '../../../local/aws/clients.ts';
import { lambdaContext, scheduledEvent } from '../../../local/lambda-context.ts';
import { LOCAL_BUCKET, type LocalStack, startLocalStack } from '../../../local/stack.ts';
import { DesiredStateError } from '../../../shared/access-list/errors.ts';
import type { SyncReport } from '../../../shared/access-list/model.ts';
import { ConfigError } from '../../../shared/config/env.ts';
import { requestLog } from '../../support/simulator.ts';

let stack: LocalStack | undefined;
let s3: S3Client | undefined;

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'ERROR');
});

afterEach(async () => {
  s3?.destroy();
  s3 = undefined;
  await stack?.close();
  stack = undefined;
});

async function start(mode: 'plan' | 'apply' = 'plan') {
  stack = await startLocalStack({ provisioning: false, accessListSync: { mode, pollMs: 50 } });
  s3 = createLocalS3Client(stack.env.AWS_ENDPOINT_URL_S3 ?? '');
  const sync = stack.accessListSync;
  if (!sync) throw new Error('the local stack has no access-list sync');
  return { local: stack, sync, s3 };
}

async function readObject(client: S3Client, key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
  return (await object.Body?.transformToString('utf8')) ?? '';
}

/** Waits until `condition` holds (the poller runs on its own timer). */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The worker's environment in the local stack, for handlers built directly. */
/** The environment the local stack gives the sync (its own service name, bucket, mode). */
const syncEnv = (local: LocalStack) => ({ ...local.accessListSync?.env });

describe('access-list sync worker', () => {
  it('runs when the desired-state object changes, and stores its report in S3', async () => {
    // Prepare: the stack puts the demo desired state, which starts the first run
    const { local, sync, s3: client } = await start();
    await sync.idle();
    const changed = {
      projects: [
        { groupId: DEMO_PROJECT_IDS.sandbox, prune: 'none', entries: [{ cidrBlock: '172.16.0.0/12' }] },
      ],
    };

    // Act: another tool writes the object, as a team's pipeline would
    await client.send(
      new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: DESIRED_STATE_KEY, Body: JSON.stringify(changed) }),
    );
    await until(() => sync.runs().length === 2);

    // Assess
    const [first, second] = sync.runs();
    expect(first).toMatchObject({
      status: 'done',
      mode: 'plan',
      trigger: `s3 ${DESIRED_STATE_KEY}`,
      lists: 3,
    });
    expect(second).toMatchObject({
      status: 'done',
      trigger: `s3 ${DESIRED_STATE_KEY}`,
      lists: 1,
      listsInDrift: 1,
    });
    if (!second?.keys) throw new Error('no report keys');
    expect(second.keys.json).toMatch(/^access-list\/reports\/\d{4}\/\d{2}\/\d{2}\/[^/]+\/report\.json$/);
    const report = JSON.parse(await readObject(client, second.keys.json)) as SyncReport;
    expect(report.source?.location).toBe(`s3://${LOCAL_BUCKET}/${DESIRED_STATE_KEY}`);
    expect(report.lists.map((l) => [l.name, l.status])).toEqual([
      [`project ${DEMO_PROJECT_IDS.sandbox}`, 'drift'],
    ]);
    expect(await readObject(client, second.keys.text)).toContain('+ 172.16.0.0/12: to add');
    expect(JSON.parse(await readObject(client, 'access-list/reports/latest.json'))).toMatchObject({
      json: second.keys.json,
      text: second.keys.text,
    });
    // Plan mode: nothing was written to Atlas.
    expect(
      (await requestLog(local.simulator)).filter(
        (r) => r.method !== 'GET' && r.path.startsWith('/api/atlas'),
      ),
    ).toEqual([]);
  });

  it('runs the same desired state again on the schedule, and one run at a time', async () => {
    // Prepare
    const { sync } = await start();
    await sync.idle();

    // Act: two invocations at once, as the schedule and an S3 event might
    const [a, b] = await Promise.all([sync.invoke(scheduledEvent()), sync.invoke(scheduledEvent())]);

    // Assess
    expect(a.trigger).toBe('schedule');
    expect(Date.parse(b.generatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(a.generatedAt ?? ''));
    expect(sync.runs()).toHaveLength(3);
  });

  it('in apply mode makes the changes and keeps the record of the entries it added beside the desired state', async () => {
    // Prepare + Act: the demo desired state, applied
    const { local, sync, s3: client } = await start('apply');
    await sync.idle();

    // Assess
    const [run] = sync.runs();
    expect(run).toMatchObject({ status: 'done', mode: 'apply', added: 3, removed: 1, refused: 0, failed: 0 });
    const payments = local.simulator.state.projectAccessList.filter(
      (e) => e.groupId === DEMO_PROJECT_IDS.paymentsProd,
    );
    expect(payments.find((e) => e.ipAddress === '203.0.113.11')?.comment).toBe(
      'Office VPN egress, second link [atlas-ops]',
    );
    const analytics = local.simulator.state.projectAccessList.filter(
      (e) => e.groupId === DEMO_PROJECT_IDS.analytics,
    );
    // The old BI range gone, the new one in, the bastion kept: half the list, as much as a run may remove.
    expect(analytics.map((e) => e.ipAddress ?? e.cidrBlock)).toEqual(['203.0.113.50', '198.51.100.0/24']);
    const account = local.simulator.state.serviceAccounts.find(
      (a) => a.orgId === DEMO_ORG_ID && a.clientId === SIM_CLIENT_ID,
    );
    expect(account?.accessList.map((e) => e.ipAddress ?? e.cidrBlock)).toContain('10.30.0.0/16');
    expect(JSON.parse(await readObject(client, MANAGED_ENTRIES_KEY))).toEqual({
      version: 1,
      lists: { [`project:${DEMO_PROJECT_IDS.paymentsProd}`]: ['203.0.113.11/32'] },
    });
  });

  it('does nothing, and says so, while there is no desired state', async () => {
    // Prepare
    const { local, sync, s3: client } = await start();
    await sync.idle();
    await client.send(new DeleteObjectCommand({ Bucket: LOCAL_BUCKET, Key: DESIRED_STATE_KEY }));
    const handler = createAccessListSyncHandler(syncEnv(local));

    // Act
    const summary = await handler(scheduledEvent(), lambdaContext('atlas-ops-access-list-sync', 60_000));

    // Assess
    expect(summary).toMatchObject({ status: 'noDesiredState', trigger: 'schedule' });
  });

  it('fails a run on an invalid desired state, naming each bad field and sending nothing', async () => {
    // Prepare
    const { local, sync } = await start();
    await sync.idle();
    await sync.putDesiredState(
      JSON.stringify({ projects: [{ groupId: 'nope', prune: 'all', entries: [] }] }),
    );
    const handler = createAccessListSyncHandler(syncEnv(local));
    const before = (await requestLog(local.simulator)).length;

    // Act
    const run = handler(scheduledEvent(), lambdaContext('atlas-ops-access-list-sync', 60_000));

    // Assess
    await expect(run).rejects.toThrow(DesiredStateError);
    await expect(run).rejects.toThrow(/projects\.0\.groupId: must be a 24-character/);
    expect((await requestLog(local.simulator)).length).toBe(before);
  });

  it('publishes its five metrics as CloudWatch embedded metric format, with the service dimension', async () => {
    // Prepare
    const { local, sync } = await start();
    await sync.idle();
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'AtlasOpsTest');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'atlas-ops-access-list-sync');
    const handler = createAccessListSyncHandler(syncEnv(local));
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });

    // Act
    await handler(scheduledEvent(), lambdaContext('atlas-ops-access-list-sync', 60_000));
    vi.restoreAllMocks();

    // Assess
    const emf = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l));
    const blob = emf.find((b) => 'ListsInDrift' in b);
    expect(blob).toMatchObject({
      service: 'atlas-ops-access-list-sync',
      EntriesAdded: 0,
      EntriesRemoved: 0,
      ListsInDrift: 3,
      ChangesRefused: 0,
      ChangesFailed: 0,
    });
  });

  it('refuses to start without its configuration, naming what is wrong', () => {
    expect(() => createAccessListSyncHandler({ ATLAS_SECRET_ID: 's' })).toThrow(ConfigError);
    expect(() => createAccessListSyncHandler({ ATLAS_SECRET_ID: 's' })).toThrow(/ACCESS_LIST_BUCKET/);
    expect(() =>
      createAccessListSyncHandler({ ATLAS_SECRET_ID: 's', ACCESS_LIST_BUCKET: 'b', SYNC_MODE: 'yes' }),
    ).toThrow(/SYNC_MODE: must be plan or apply/);
    expect(() =>
      createAccessListSyncHandler({
        ATLAS_SECRET_ID: 's',
        ACCESS_LIST_BUCKET: 'b',
        STATIC_EGRESS_IPS: '1.2.3.4,x',
      }),
    ).toThrow(/STATIC_EGRESS_IPS\.1: must be an IPv4 or IPv6 address/);
  });
});

describe('access-list sync worker: the stack’s limits', () => {
  const GROUP = DEMO_PROJECT_IDS.paymentsProd;

  /** The local stack's sync in apply mode with `env`, after its first run (the demo desired state). */
  async function startWith(env: Record<string, string> = {}) {
    stack = await startLocalStack({
      provisioning: false,
      accessListSync: { mode: 'apply', pollMs: 50, env },
    });
    const sync = stack.accessListSync;
    if (!sync) throw new Error('the local stack has no access-list sync');
    await sync.idle();
    const local = stack;
    const listed = () =>
      local.simulator.state.projectAccessList
        .filter((e) => e.groupId === GROUP)
        .map((e) => e.ipAddress ?? e.cidrBlock);
    const writesSince = async (count: number) =>
      (await requestLog(local.simulator))
        .slice(count)
        .filter((r) => r.method !== 'GET' && r.path.startsWith('/api/atlas'));
    return { local, sync, listed, writesSince };
  }

  it('refuses the lock-out (prune all, one placeholder): nothing sent, the reason in the report', async () => {
    // Prepare
    const { local, sync, listed, writesSince } = await startWith();
    const before = listed();
    const logged = (await requestLog(local.simulator)).length;
    const document = { projects: [{ groupId: GROUP, prune: 'all', entries: [{ ipAddress: '192.0.2.99' }] }] };

    // Act
    const summary = await (async () => {
      await sync.putDesiredState(JSON.stringify(document));
      await until(() => sync.runs().length === 2);
      return sync.runs()[1];
    })();

    // Assess
    expect(summary).toMatchObject({ status: 'done', added: 0, removed: 0, refused: before.length + 1 });
    expect(await writesSince(logged)).toEqual([]);
    expect(listed()).toEqual(before);
    expect(summary && (await sync.reportText(summary))).toContain(
      `the run would remove ${before.length} of the list's ${before.length} entries (100%)`,
    );
  });

  it('never removes PROTECTED_ADDRESSES, and takes MAX_REMOVAL_SHARE from its environment', async () => {
    // Prepare: every undeclared entry may go (share 1), but the stack protects the office address
    const { sync, listed } = await startWith({ PROTECTED_ADDRESSES: '203.0.113.10', MAX_REMOVAL_SHARE: '1' });
    const document = {
      projects: [{ groupId: GROUP, prune: 'all', entries: [{ cidrBlock: '10.0.0.0/16' }] }],
    };

    // Act
    await sync.putDesiredState(JSON.stringify(document));
    await until(() => sync.runs().length === 2);
    const summary = sync.runs()[1];

    // Assess
    expect(listed()).toEqual(['203.0.113.10', '10.0.0.0/16']);
    expect(summary).toMatchObject({ refused: 1 });
    expect(summary && (await sync.reportText(summary))).toContain(
      '203.0.113.10 (Office VPN egress): remove refused (protected: admits 203.0.113.10/32, which the stack ' +
        'protects (protectedAddresses))',
    );
  });

  it('fails a run whose desired state declares 0.0.0.0/0, sending nothing, unless ALLOW_WIDE_NETWORKS', async () => {
    // Prepare
    const document = JSON.stringify({
      projects: [{ groupId: GROUP, entries: [{ cidrBlock: '0.0.0.0/0' }] }],
    });
    const refusing = await startWith();
    await refusing.sync.putDesiredState(document);
    const logged = (await requestLog(refusing.local.simulator)).length;

    // Act
    const refused = refusing.sync.invoke();

    // Assess
    await expect(refused).rejects.toThrow(DesiredStateError);
    await expect(refused).rejects.toThrow(
      /projects\.0\.entries\.0\.cidrBlock: 0\.0\.0\.0\/0 admits every IPv4/,
    );
    expect(await refusing.writesSince(logged)).toEqual([]);
    expect(refusing.listed()).not.toContain('0.0.0.0/0');
    await stack?.close();

    // Act: the same document, allowed by the stack
    const allowing = await startWith({ ALLOW_WIDE_NETWORKS: 'true' });
    await allowing.sync.putDesiredState(document);
    await allowing.sync.invoke();

    // Assess
    expect(allowing.listed()).toContain('0.0.0.0/0');
  });
});
