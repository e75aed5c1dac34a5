/**
 * Temporary access as a user meets it on the local stack: a Jira ticket asking for a database user for a
 * day, approved and signed as Jira signs it, gives a scoped user at the simulator, a secret holding its
 * password (in no log, record or comment) and a ticket comment naming the secret and the end; the simulator's
 * clock moved past the end removes the user, and the end's schedule (the Scheduler stand-in's clock moved)
 * deletes the secret and tells the ticket. A project role granted for two hours is revoked by its schedule,
 * and a role the user held before stays. Pause twice is one PATCH; a snapshot delivered twice is one snapshot.
 */
import {
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import type { LocalStack } from '../../../local/stack.ts';
import type { ReceivedRequest } from '../../../local/tickets.ts';
import type { ExampleOperation } from '../../../local/webhook-examples.ts';
import type { LocalWebhooks } from '../../../local/webhooks.ts';
import { credentialSecretName } from '../../../shared/operations/temporary-access.ts';
import { eventually } from '../../support/provisioning.ts';
import { bearerToken, requestLog, send } from '../../support/simulator.ts';
import { get, post, signedDelivery, useWebhookStack } from '../../support/webhooks.ts';

const HOUR = 3_600_000;
const PROJECT = DEMO_PROJECT_IDS.paymentsProd;

// INFO, so the workers log what they do: the password must be in none of it.
const started = useWebhookStack({ logLevel: 'INFO' });
let stack: LocalStack;
let webhooks: LocalWebhooks;
let secrets: SecretsManagerClient;
const printed: string[] = [];

beforeAll(() => {
  ({ stack, webhooks } = started());
  secrets = new SecretsManagerClient({ endpoint: stack.secrets.endpoint, region: 'us-east-1' });
});
afterAll(() => secrets.destroy());

/** What the workers print (their logs) from now until the test ends (the config restores mocks after each). */
function captureOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
  }
}
afterEach(async () => {
  await stack.provisioning?.idle();
  await stack.notifications?.idle();
});

const provisioning = () => {
  if (!stack.provisioning) throw new Error('no provisioning worker');
  return stack.provisioning;
};

const statusOf = (operationId: string) =>
  get(`${webhooks.url}/operations/${encodeURIComponent(operationId)}`);

async function ended(operationId: string) {
  const answer = await eventually(
    () => provisioning().status.get(operationId),
    (record) => record?.status === 'SUCCEEDED' || record?.status === 'FAILED',
    20_000,
  );
  return answer;
}

async function comments(ref: string): Promise<string[]> {
  const response = await fetch(`${stack.notifications?.tickets.url}/__received`);
  return ((await response.json()) as ReceivedRequest[])
    .filter((r) => r.ref === ref && r.method === 'POST')
    .map((r) => JSON.stringify(r.body));
}

const databaseUser = (username: string) =>
  stack.simulator.state.databaseUsers.find((u) => u.groupId === PROJECT && u.username === username);

describe('a temporary database user', () => {
  it('an AWS IAM role user needs no secret', async () => {
    // Prepare
    const username = 'arn:aws:iam::123456789012:role/analyst';

    // Act
    await provisioning().queue.send([
      {
        id: 'op-iam-reader',
        type: 'databaseUser.createTemporary',
        params: {
          groupId: PROJECT,
          username,
          awsIAMType: 'ROLE',
          roles: [{ roleName: 'read', databaseName: 'payments' }],
          scopes: [{ name: 'payments-main', type: 'CLUSTER' }],
          expiresIn: 'PT4H',
        },
      },
    ]);
    const record = await ended('op-iam-reader');

    // Assess
    expect(record).toMatchObject({ status: 'SUCCEEDED' });
    expect(JSON.stringify(record?.result)).not.toContain('secret');
    expect(databaseUser(username)).toMatchObject({ databaseName: '$external', awsIAMType: 'ROLE' });
    await expect(
      secrets.send(
        new DescribeSecretCommand({
          SecretId: credentialSecretName({ groupId: PROJECT, databaseName: '$external', username }),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses more than a week, saying Atlas’s cap, and creates nothing', async () => {
    // Act
    await provisioning().queue.send([
      {
        id: 'op-too-long',
        type: 'databaseUser.createTemporary',
        params: {
          groupId: PROJECT,
          username: 'too-long',
          roles: [{ roleName: 'read', databaseName: 'payments' }],
          scopes: [{ name: 'payments-main', type: 'CLUSTER' }],
          expiresIn: 'P8D',
        },
      },
    ]);
    const record = await ended('op-too-long');

    // Assess
    expect(record).toMatchObject({
      status: 'FAILED',
      error: { errorCode: 'EXPIRY_TOO_FAR', detail: expect.stringContaining('at most one week') },
    });
    expect(databaseUser('too-long')).toBeUndefined();
  });
});

/** A GET of the Atlas API at the simulator, as any client sends it. */
async function atlasGet(path: string) {
  return send(stack.simulator, 'GET', `/api/atlas/v2${path}`, {
    headers: {
      authorization: `Bearer ${await bearerToken(stack.simulator)}`,
      accept: 'application/vnd.atlas.2023-01-01+json',
    },
  });
}

describe('a ticket naming someone else’s temporary user', () => {
  it('is refused, and neither their password nor who may read it changes', async () => {
    // Prepare: Jane's temporary user, its password readable by her role only
    const username = 'jane-reader';
    const user = {
      groupId: PROJECT,
      username,
      roles: [{ roleName: 'read', databaseName: 'payments' }],
      scopes: [{ name: 'payments-main', type: 'CLUSTER' }],
      expiresIn: 'PT8H',
    };
    await provisioning().queue.send([
      {
        id: 'op-jane-reader',
        type: 'databaseUser.createTemporary',
        params: { ...user, credentialReaders: ['arn:aws:iam::123456789012:role/jane'] },
      },
    ]);
    expect(await ended('op-jane-reader')).toMatchObject({ status: 'SUCCEEDED' });
    const secretName = credentialSecretName({ groupId: PROJECT, databaseName: 'admin', username });
    const before = await secrets.send(new GetSecretValueCommand({ SecretId: secretName }));
    const policyBefore = await secrets.send(new GetResourcePolicyCommand({ SecretId: secretName }));
    expect(policyBefore.ResourcePolicy).toContain('arn:aws:iam::123456789012:role/jane');

    // Act: an approved Jira ticket asks for "the same" user, readable by the attacker's role
    const answer = await post(
      webhooks,
      signedDelivery(
        webhooks,
        'jira',
        {
          type: 'databaseUser.createTemporary',
          params: { ...user, credentialReaders: ['arn:aws:iam::210987654321:role/attacker'] },
        },
        { ref: 'OPS-7009', by: ['approver'] },
      ),
    );
    const record = await ended(String(answer.body.operationId));

    // Assess
    expect(record).toMatchObject({ status: 'FAILED', error: { errorCode: 'USER_ALREADY_EXISTS' } });
    const policyAfter = await secrets.send(new GetResourcePolicyCommand({ SecretId: secretName }));
    expect(policyAfter.ResourcePolicy).toBe(policyBefore.ResourcePolicy);
    expect(policyAfter.ResourcePolicy).not.toContain('attacker');
    const after = await secrets.send(new GetSecretValueCommand({ SecretId: secretName }));
    expect(after.SecretString).toBe(before.SecretString);
    expect(JSON.stringify(record)).not.toContain(secretName);
  });
});

describe('a temporary project role', () => {
  const roleOf = (username: string) =>
    stack.simulator.state.users
      .find((u) => u.username === username)
      ?.roles.groupRoleAssignments?.find((a) => a.groupId === PROJECT)?.groupRoles;

  it('is revoked by its schedule two hours later; the role the user held before stays', async () => {
    // Prepare: Bob reads payments-prod already
    const username = 'bob.analyst@example.com';
    expect(roleOf(username)).toEqual(['GROUP_READ_ONLY']);

    // Act
    await provisioning().queue.send([
      {
        id: 'op-bob-data-access',
        requestedBy: { source: 'cli', ref: 'OPS-7002' },
        type: 'projectRole.grantTemporary',
        params: { groupId: PROJECT, username, role: 'GROUP_DATA_ACCESS_READ_ONLY', expiresIn: 'PT2H' },
      },
    ]);
    const granted = await ended('op-bob-data-access');
    const during = roleOf(username);
    await provisioning().scheduler.advance(2 * HOUR + 60_000);
    const revoked = await ended('op-bob-data-access-revoke');

    // Assess
    expect(granted).toMatchObject({ status: 'SUCCEEDED', result: { added: 'role' } });
    expect(during?.toSorted()).toEqual(['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY']);
    expect(revoked).toMatchObject({ status: 'SUCCEEDED', result: { revoked: true } });
    expect(roleOf(username)).toEqual(['GROUP_READ_ONLY']);
  });

  it('takes away a role the user already had? No: nothing is granted, nothing scheduled, the role stays', async () => {
    // Act
    await provisioning().queue.send([
      {
        id: 'op-bob-read-only',
        type: 'projectRole.grantTemporary',
        params: {
          groupId: PROJECT,
          username: 'bob.analyst@example.com',
          role: 'GROUP_READ_ONLY',
          expiresIn: 'PT1H',
        },
      },
    ]);
    const record = await ended('op-bob-read-only');
    await provisioning().scheduler.advance(2 * HOUR);
    await provisioning().idle();

    // Assess
    expect(record).toMatchObject({ status: 'SUCCEEDED', result: { added: 'nothing' } });
    expect(await provisioning().status.get('op-bob-read-only-revoke')).toBeUndefined();
    expect(roleOf('bob.analyst@example.com')).toEqual(['GROUP_READ_ONLY']);
  });
});

describe('pause and snapshot, delivered twice', () => {
  const SANDBOX = DEMO_PROJECT_IDS.sandbox;

  it('pauses with one PATCH, and both deliveries succeed', async () => {
    // Prepare
    const before = (await requestLog(stack.simulator)).length;
    const pause = (id: string) => ({
      id,
      type: 'cluster.pause',
      params: { groupId: SANDBOX, clusterName: 'sandbox-dev' },
    });

    // Act: two requests to pause the same cluster (two tickets, two ids)
    await provisioning().queue.send([pause('op-pause-1')]);
    const first = await ended('op-pause-1');
    await provisioning().queue.send([pause('op-pause-2')]);
    const second = await ended('op-pause-2');

    // Assess
    expect(first).toMatchObject({ status: 'SUCCEEDED', result: { paused: true } });
    expect(second).toMatchObject({ status: 'SUCCEEDED', result: { paused: true, alreadyInState: true } });
    const patches = (await requestLog(stack.simulator))
      .slice(before)
      .filter((r) => r.method === 'PATCH' && r.path.endsWith('/clusters/sandbox-dev'));
    expect(patches).toHaveLength(1);
  });

  it('takes one snapshot for a message delivered twice', async () => {
    // Prepare
    const snapshot = {
      id: 'op-snapshot-once',
      type: 'cluster.takeSnapshot',
      params: { groupId: PROJECT, clusterName: 'payments-main', description: 'before OPS-7003' },
    };
    const count = () =>
      stack.simulator.state.snapshots.filter((s) => String(s.description).includes('op-snapshot-once'))
        .length;

    // Act
    await provisioning().queue.send([snapshot]);
    await ended('op-snapshot-once');
    await provisioning().queue.send([snapshot]);
    await provisioning().idle();

    // Assess
    expect(count()).toBe(1);
  });
});

// Last: it moves the simulator's and the scheduler's clocks a day forward, past every end the others set.
describe('a temporary database user, asked for on a Jira ticket, a day later', () => {
  it('is scoped, ends in a day, has its password in a secret nobody else sees, and is gone after its end', async () => {
    // Prepare
    const username = 'ops-7001-reader';
    const operation: ExampleOperation = {
      type: 'databaseUser.createTemporary',
      params: {
        groupId: PROJECT,
        username,
        roles: [{ roleName: 'readAnyDatabase', databaseName: 'admin' }],
        scopes: [{ name: 'payments-main', type: 'CLUSTER' }],
        expiresIn: 'PT24H',
      },
    };
    const asked = Date.now();
    captureOutput();

    // Act: approved in Jira
    const answer = await post(
      webhooks,
      signedDelivery(webhooks, 'jira', operation, { ref: 'OPS-7001', by: ['approver'] }),
    );
    const operationId = String(answer.body.operationId);
    const record = await ended(operationId);
    await stack.notifications?.idle();

    // Assess: the user, scoped, ending in 24 h
    expect(answer.status).toBe(202);
    expect(record).toMatchObject({ status: 'SUCCEEDED' });
    const user = databaseUser(username);
    expect(user?.scopes).toEqual([{ name: 'payments-main', type: 'CLUSTER' }]);
    expect(user?.roles).toEqual([{ roleName: 'readAnyDatabase', databaseName: 'admin' }]);
    const end = Date.parse(user?.deleteAfterDate ?? '');
    expect(end - asked).toBeGreaterThan(24 * HOUR - 60_000);
    expect(end - asked).toBeLessThan(24 * HOUR + 60_000);

    // its password in its own secret, and nowhere else
    const secretName = credentialSecretName({ groupId: PROJECT, databaseName: 'admin', username });
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretName }));
    const { password } = JSON.parse(secret.SecretString ?? '{}') as { password: string };
    expect(password).toMatch(/^[\w-]{32}$/);
    const told = await eventually(
      () => comments('OPS-7001'),
      (all) => all.length >= 1,
      20_000,
    );
    const status = await statusOf(operationId);
    expect(printed.join('')).toContain('Operation succeeded'); // the logs were read
    for (const where of [JSON.stringify(status.body), JSON.stringify(record), ...told, printed.join('')]) {
      expect(where).not.toContain(password);
    }
    // the ticket says where the password is, and until when
    expect(told[0]).toContain(secretName);
    expect(told[0]).toContain(new Date(end).toISOString());
    expect(told[0]).toContain('payments-main');

    // Act: a day and an hour later, in Atlas (the simulator's clock) and on the schedule (the stand-in's)
    await stack.simulator.advanceClock(25 * HOUR);
    const read = await atlasGet(`/groups/${PROJECT}/databaseUsers/admin/${username}`);
    await provisioning().scheduler.advance(25 * HOUR);
    await eventually(
      () => comments('OPS-7001'),
      (all) => all.length >= 2,
      20_000,
    );

    // Assess: Atlas removed the user; the end's delete succeeded and took the secret; the ticket heard it
    expect(read.status).toBe(404);
    expect(databaseUser(username)).toBeUndefined();
    await expect(secrets.send(new DescribeSecretCommand({ SecretId: secretName }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const last = (await comments('OPS-7001')).at(-1);
    expect(last).toContain(username);
    expect(last).toContain('secret deleted');
  });
});
