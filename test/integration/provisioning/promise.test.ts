/**
 * The provisioner's promise — each operation's effect once, retried when transient — in the places a review
 * found it broken: the Lambda deadline, a long Retry-After, an id reused with other params, dry runs beside
 * real runs, FAILED outcomes replayed, a secret that could not be read, and broken messages that carry
 * another operation's id. The worker as Lambda runs it, against the simulator and the local AWS stand-ins.
 */
import { describe, expect, it } from 'vitest';
import { LOCAL_SECRET_ID } from '../../../local/stack.ts';
import { statusRecordId } from '../../../shared/operations/status.ts';
import { accessListAdd, deadLetters, eventually, useProvisioningStacks } from '../../support/provisioning.ts';
import { requestLog, scriptFaults } from '../../support/simulator.ts';

const startProvisioningStack = useProvisioningStacks();

async function provisioningStack(env: Record<string, string> = {}, timeoutSeconds?: number) {
  const started = await startProvisioningStack(
    env,
    timeoutSeconds === undefined ? {} : { provisioningTimeoutSeconds: timeoutSeconds },
  );
  const groupId = started.stack.simulator.state.projects[0]?.id ?? '';
  const accessListPath = `/api/atlas/v2/groups/${groupId}/accessList`;
  const posts = async () =>
    (await requestLog(started.stack.simulator)).filter(
      (r) => r.method === 'POST' && r.path === accessListPath,
    );
  return { ...started, groupId, accessListPath, posts };
}

describe('provisioning keeps its promise', () => {
  it('keeps a dry run and the real run of one message apart: the real change happens and its record shows it', async () => {
    // Prepare
    const { stack: local, provisioning, groupId, posts } = await provisioningStack();
    const message = accessListAdd(groupId, '10.41.0.0/16', 'op-dry-then-real');

    // Act: a dry run, the real run, then another dry run of the same message
    await provisioning.queue.send([{ ...message, dryRun: true }]);
    await provisioning.idle();
    await provisioning.queue.send([message]);
    await provisioning.idle();
    await provisioning.queue.send([{ ...message, dryRun: true }]);
    await provisioning.idle();

    // Assess
    expect(await posts()).toHaveLength(1);
    expect(local.simulator.state.projectAccessList.some((e) => e.cidrBlock === '10.41.0.0/16')).toBe(true);
    const real = await provisioning.status.get('op-dry-then-real');
    expect(real).toMatchObject({ status: 'SUCCEEDED', dryRun: false, attempts: 1 });
    expect(real?.result).toMatchObject({ entries: [expect.objectContaining({ cidrBlock: '10.41.0.0/16' })] });
    const dry = await provisioning.status.get(statusRecordId('op-dry-then-real', true));
    expect(dry).toMatchObject({ status: 'SUCCEEDED', dryRun: true });
    expect(dry?.result).toMatchObject({ dryRun: true });
  });

  it('sends a second message under a used id with other params to the DLQ, and leaves Atlas and the first record alone', async () => {
    // Prepare
    const { stack: local, provisioning, groupId, posts } = await provisioningStack();
    await provisioning.queue.send([accessListAdd(groupId, '10.42.0.0/16', 'op-reused')]);
    await provisioning.idle();
    const first = await provisioning.status.get('op-reused');

    // Act
    await provisioning.queue.send([accessListAdd(groupId, '10.43.0.0/16', 'op-reused')]);
    await provisioning.idle();

    // Assess
    expect(await posts()).toHaveLength(1);
    expect(local.simulator.state.projectAccessList.some((e) => e.cidrBlock === '10.43.0.0/16')).toBe(false);
    expect(await provisioning.status.get('op-reused')).toEqual(first);
    expect(await deadLetters(local)).toEqual([
      expect.objectContaining({ reason: 'ID_REUSED_WITH_DIFFERENT_PARAMS', operationId: 'op-reused' }),
    ]);
  });

  it('does not sleep a Retry-After longer than it may wait: RETRYING at once, hidden on the queue, then done', async () => {
    // Prepare: Atlas throttles the first POST and asks for 3 s; the worker sleeps at most 1 s in process
    const {
      stack: local,
      provisioning,
      accessListPath,
      groupId,
      posts,
    } = await provisioningStack({
      ATLAS_MAX_WAIT_MS: '1000',
    });
    await scriptFaults(local.simulator, [
      { path: accessListPath, method: 'POST', count: 1, status: 429, retryAfter: 3 },
    ]);

    // Act
    await provisioning.queue.send([accessListAdd(groupId, '10.44.0.0/16', 'op-retry-after')]);
    const retrying = await eventually(
      () => provisioning.status.get('op-retry-after'),
      (record) => record?.status === 'RETRYING',
    );
    const done = await eventually(
      () => provisioning.status.get('op-retry-after'),
      (record) => record?.status === 'SUCCEEDED',
      15_000,
    );

    // Assess
    expect(retrying).toMatchObject({ status: 'RETRYING', error: { errorCode: 'RATE_LIMITED_TOKEN_BUCKET' } });
    expect(done).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    const [throttled, accepted] = await posts();
    expect(Date.parse(accepted?.at ?? '') - Date.parse(throttled?.at ?? '')).toBeGreaterThanOrEqual(3_000);
  });

  it('stops a slow Atlas call at the Lambda deadline and defers the operation instead of timing out', async () => {
    // Prepare: a 6 s function timeout (1 s after the reserve), an Atlas that holds the POST for 20 s, and
    // retries a second apart, so the deferred operation is seen waiting
    const {
      stack: local,
      provisioning,
      accessListPath,
      groupId,
    } = await provisioningStack({ RETRY_BASE_MS: '1000' }, 6);
    await scriptFaults(local.simulator, [
      { path: accessListPath, method: 'POST', count: 1, action: 'stall', stallMs: 20_000 },
    ]);

    // Act
    await provisioning.queue.send([accessListAdd(groupId, '10.45.0.0/16', 'op-deadline')]);
    const record = await eventually(
      () => provisioning.status.get('op-deadline'),
      (r) => r?.status === 'RETRYING',
      5_000,
    );

    // Assess
    expect(record).toMatchObject({ status: 'RETRYING', error: { errorCode: 'DEADLINE_EXCEEDED' } });
  });

  it('does not remember a FAILED outcome: the same message sent again after the cause is fixed runs', async () => {
    // Prepare: the first POST is refused as if a role were missing
    const { stack: local, provisioning, accessListPath, groupId } = await provisioningStack();
    await scriptFaults(local.simulator, [
      { path: accessListPath, method: 'POST', count: 1, status: 403, errorCode: 'USER_UNAUTHORIZED' },
    ]);
    const message = accessListAdd(groupId, '10.46.0.0/16', 'op-failed-then-fixed');
    await provisioning.queue.send([message]);
    await provisioning.idle();
    const failed = await provisioning.status.get('op-failed-then-fixed');

    // Act
    await provisioning.queue.send([message]);
    await provisioning.idle();

    // Assess
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: { errorCode: 'USER_UNAUTHORIZED', status: 403 },
    });
    expect(await provisioning.status.get('op-failed-then-fixed')).toMatchObject({ status: 'SUCCEEDED' });
    expect(local.simulator.state.projectAccessList.some((e) => e.cidrBlock === '10.46.0.0/16')).toBe(true);
  });

  it('recovers in a warm container from a secret it could not read: RETRYING, then done once the secret is right', async () => {
    // Prepare: the secret caught mid-rotation, half written; retries a second apart, so the operation waits
    // for the fix rather than running out of receives first
    const { stack: local, provisioning, groupId } = await provisioningStack({ RETRY_BASE_MS: '1000' });
    const { simulator } = local;
    local.secrets.putSecret(LOCAL_SECRET_ID, JSON.stringify({ clientSecret: simulator.clientSecret }));

    // Act
    await provisioning.queue.send([accessListAdd(groupId, '10.47.0.0/16', 'op-secret')]);
    const retrying = await eventually(
      () => provisioning.status.get('op-secret'),
      (record) => record?.status === 'RETRYING',
    );
    local.secrets.putSecret(
      LOCAL_SECRET_ID,
      JSON.stringify({
        clientId: simulator.clientId,
        clientSecret: simulator.clientSecret,
        baseUrl: simulator.url,
      }),
    );
    await provisioning.idle();

    // Assess
    expect(retrying).toMatchObject({ error: { errorCode: 'ATLAS_CREDENTIALS_UNAVAILABLE' } });
    expect(JSON.stringify(retrying)).not.toContain(simulator.clientSecret);
    expect(await provisioning.status.get('op-secret')).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('never overwrites the record of an operation in flight with the failure of a broken message carrying its id', async () => {
    // Prepare: an operation waiting on the queue for Atlas's Retry-After
    const {
      stack: local,
      provisioning,
      accessListPath,
      groupId,
    } = await provisioningStack({
      ATLAS_MAX_WAIT_MS: '0',
    });
    await scriptFaults(local.simulator, [
      { path: accessListPath, method: 'POST', count: 1, status: 429, retryAfter: 60 },
    ]);
    await provisioning.queue.send([accessListAdd(groupId, '10.48.0.0/16', 'op-in-flight')]);
    const inFlight = await eventually(
      () => provisioning.status.get('op-in-flight'),
      (record) => record?.status === 'RETRYING',
    );

    // Act
    await provisioning.queue.send([
      { id: 'op-in-flight', type: 'projectAccessList.add', params: { groupId: 'not-an-id', entries: [] } },
    ]);
    const letters = await eventually(
      () => deadLetters(local),
      (found) => found.length > 0,
    );

    // Assess
    expect(letters).toEqual([
      expect.objectContaining({ reason: 'INVALID_PARAMS', operationId: 'op-in-flight' }),
    ]);
    expect(await provisioning.status.get('op-in-flight')).toEqual(inFlight);
  });
});
