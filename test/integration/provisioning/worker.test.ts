/**
 * The provisioning worker as Lambda runs it — SQS event source, partial batch responses, idempotency and
 * status records in DynamoDB — against the Atlas simulator and the local SQS and DynamoDB stand-ins over
 * loopback, with the simulator's fault controls.
 */
import { describe, expect, it } from 'vitest';
import { statusRecordId } from '../../../shared/operations/status.ts';
import {
  accessListAdd,
  deadLetters,
  peeringToMissingContainer,
  useProvisioningStacks,
} from '../../support/provisioning.ts';
import { requestLog, scriptFaults } from '../../support/simulator.ts';

const provisioningStack = useProvisioningStacks();

describe('provisioning worker', () => {
  it('causes each operation’s side effect once, even when SQS delivers it three times', async () => {
    // Prepare
    const { stack: local, provisioning } = await provisioningStack();
    const groupId = local.simulator.state.projects[0]?.id ?? '';
    const message = accessListAdd(groupId, '10.77.0.0/16', 'op-three-times');

    // Act
    await provisioning.queue.send([message, message, message]);
    await provisioning.idle();

    // Assess
    const posts = (await requestLog(local.simulator)).filter(
      (r) => r.method === 'POST' && r.path === `/api/atlas/v2/groups/${groupId}/accessList`,
    );
    expect(posts).toHaveLength(1);
    const status = await provisioning.status.get('op-three-times');
    expect(status).toMatchObject({ status: 'SUCCEEDED', type: 'projectAccessList.add' });
    expect(provisioning.duplicatesPrevented()).toBe(2);
    expect(
      local.simulator.state.projectAccessList.filter((e) => e.cidrBlock === '10.77.0.0/16'),
    ).toHaveLength(1);
  });

  it('ends every operation SUCCEEDED through a 429 storm and a 5xx burst: none lost, none stuck', async () => {
    // Prepare
    const { stack: local, provisioning } = await provisioningStack();
    const groupId = local.simulator.state.projects[1]?.id ?? '';
    const messages = Array.from({ length: 12 }, (_, i) =>
      accessListAdd(groupId, `10.80.${i}.0/24`, `op-storm-${i}`),
    );
    // More failures in a row than one call's own retries absorb, so some operations go back to the queue.
    await scriptFaults(local.simulator, [
      {
        path: `/api/atlas/v2/groups/${groupId}/accessList`,
        method: 'POST',
        count: 8,
        status: 429,
        retryAfter: 0,
      },
      { path: `/api/atlas/v2/groups/${groupId}/accessList`, method: 'POST', count: 8, status: 503 },
    ]);

    // Act
    await provisioning.queue.send(messages);
    await provisioning.idle();

    // Assess
    const statuses = await Promise.all(messages.map((m) => provisioning.status.get(m.id ?? '')));
    expect(statuses.map((s) => s?.status)).toEqual(messages.map(() => 'SUCCEEDED'));
    expect(statuses.some((s) => (s?.attempts ?? 0) > 1)).toBe(true);
    expect(await deadLetters(local)).toEqual([]);
  });

  it('moves an operation that keeps failing to the dead-letter queue with its reason after the last receive', async () => {
    // Prepare
    const { stack: local, provisioning } = await provisioningStack({ MAX_RECEIVE_COUNT: '2' });
    const groupId = local.simulator.state.projects[2]?.id ?? '';
    await scriptFaults(local.simulator, [
      { path: `/api/atlas/v2/groups/${groupId}/accessList`, method: 'POST', count: 1000, status: 503 },
    ]);

    // Act
    await provisioning.queue.send([accessListAdd(groupId, '10.90.0.0/16', 'op-always-503')]);
    await provisioning.idle();

    // Assess
    expect(await deadLetters(local)).toEqual([
      expect.objectContaining({ reason: 'RETRIES_EXHAUSTED', operationId: 'op-always-503' }),
    ]);
    expect(await provisioning.status.get('op-always-503')).toMatchObject({ status: 'FAILED', attempts: 2 });
  });

  it('records a permanent Atlas refusal as FAILED with its errorCode, without retrying', async () => {
    // Prepare
    const { stack: local, provisioning } = await provisioningStack();
    const groupId = local.simulator.state.projects[0]?.id ?? '';
    const unknownContainer = peeringToMissingContainer(groupId, 'op-peering-no-container');

    // Act
    await provisioning.queue.send([unknownContainer]);
    await provisioning.idle();

    // Assess
    const status = await provisioning.status.get('op-peering-no-container');
    expect(status).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      error: { errorCode: 'CLOUD_PROVIDER_CONTAINER_NOT_FOUND' },
    });
    expect(await deadLetters(local)).toEqual([]);
  });

  it('never lets poison messages block the batch: they go to the dead-letter queue at once with their reason', async () => {
    // Prepare
    const { stack: local, provisioning } = await provisioningStack();
    const groupId = local.simulator.state.projects[0]?.id ?? '';
    const good = accessListAdd(groupId, '10.66.0.0/16', 'op-good');
    const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');

    // Act
    await provisioning.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: provisioning.queueUrl,
        Entries: [
          { Id: '1', MessageBody: '{ not json' },
          { Id: '2', MessageBody: JSON.stringify({ id: 'op-unknown', type: 'cluster.explode', params: {} }) },
          {
            Id: '3',
            MessageBody: JSON.stringify({
              id: 'op-bad-params',
              type: 'projectAccessList.add',
              params: { groupId: 'nope', entries: [] },
            }),
          },
          { Id: '4', MessageBody: JSON.stringify(good) },
          // Over SQS's classic 256 KiB limit (the stand-in, like SQS today, accepts up to 1 MiB).
          {
            Id: '5',
            MessageBody: JSON.stringify({
              id: 'op-too-large',
              type: 'projectAccessList.add',
              params: { groupId, entries: [{ ipAddress: '192.0.2.1', comment: 'x'.repeat(300 * 1024) }] },
            }),
          },
        ],
      }),
    );
    await provisioning.idle();

    // Assess
    expect(await provisioning.status.get('op-good')).toMatchObject({ status: 'SUCCEEDED' });
    const letters = await deadLetters(local);
    expect(letters.map((l) => l.reason).sort()).toEqual([
      'INVALID_PARAMS',
      'NOT_JSON',
      'TOO_LARGE',
      'UNKNOWN_TYPE',
    ]);
    expect(await provisioning.status.get('op-bad-params')).toMatchObject({ status: 'FAILED' });
    expect(await provisioning.status.get('op-unknown')).toMatchObject({ status: 'FAILED' });
  });

  it('answers a dry run with the requests it would send, and sends none', async () => {
    // Prepare
    const { stack: local, provisioning } = await provisioningStack();
    const groupId = local.simulator.state.projects[0]?.id ?? '';

    // Act
    await provisioning.queue.send([{ ...accessListAdd(groupId, '10.55.0.0/16', 'op-dry'), dryRun: true }]);
    await provisioning.idle();

    // Assess
    const status = await provisioning.status.get(statusRecordId('op-dry', true));
    expect(status).toMatchObject({ status: 'SUCCEEDED', dryRun: true });
    expect(JSON.stringify(status?.result)).toContain(`/groups/${groupId}/accessList`);
    expect(
      (await requestLog(local.simulator)).filter(
        (r) => r.method === 'POST' && r.path.includes('/accessList'),
      ),
    ).toEqual([]);
  });
});
