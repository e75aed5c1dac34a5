/**
 * DynamoStatusStore through the real AWS SDK against dynalite: the writes the provisioning worker makes
 * over an operation's life, and the rules that keep a record honest under redelivery.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalDynamoClients,
  ensureOperationsTable,
  type LocalDynamoClients,
} from '../../../local/aws/clients.ts';
import { type DynamoStandIn, startDynamoStandIn } from '../../../local/aws/dynamodb.ts';
import { StatusStoreError } from '../../../shared/aws/errors.ts';
import {
  DynamoStatusStore,
  MAX_RESULT_BYTES,
  type TruncatedResult,
} from '../../../shared/operations/adapters/status-store.ts';
import { OperationIdReusedError } from '../../../shared/operations/errors.ts';

const TABLE = 'atlas-ops-operations';
const ATTEMPT = {
  type: 'accessList.add',
  requestedBy: { source: 'jira', ref: 'OPS-123', actor: 'ana@example.com' },
  dryRun: false,
};

let standIn: DynamoStandIn;
let clients: LocalDynamoClients;
let store: DynamoStatusStore;

beforeAll(async () => {
  standIn = await startDynamoStandIn();
  clients = createLocalDynamoClients(standIn.endpoint);
  await ensureOperationsTable(clients.dynamo, TABLE);
  store = new DynamoStatusStore({ client: clients.document, table: TABLE });
});

afterAll(async () => {
  clients?.dynamo.destroy();
  await standIn?.close();
});

function newId(): string {
  return `op-${randomUUID()}`;
}

describe('DynamoStatusStore', () => {
  it('counts attempts up and keeps createdAt from the first one', async () => {
    // Prepare
    const id = newId();
    const first = await store.recordAttempt(id, ATTEMPT);
    await store.recordRetrying(id, {
      errorCode: 'SERVICE_UNAVAILABLE',
      detail: 'Atlas answered 503',
      status: 503,
    });

    // Act
    const second = await store.recordAttempt(id, ATTEMPT);

    // Assess
    expect(first).toMatchObject({ id, type: 'accessList.add', status: 'RUNNING', attempts: 1 });
    expect(second).toMatchObject({ status: 'RUNNING', attempts: 2, createdAt: first.createdAt });
    expect(second.requestedBy).toEqual(ATTEMPT.requestedBy);
    expect(second.error).toMatchObject({ errorCode: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(await store.get(id)).toEqual(second);
  });

  it('keeps who asked and who approved as the first write said, whatever a later message under the id claims', async () => {
    // Prepare: the intake's PENDING record, then a second message with the same id and payload from elsewhere,
    // run before the intake's own message.
    const id = newId();
    const decision = { rule: 'removals', approvedBy: ['sam@example.com', 'alex@example.com'] };
    await store.recordPending(id, { ...ATTEMPT, approvedBy: 'sam@example.com', decision });
    const other = { source: 'queue', ref: 'squat', actor: 'mallory@example.com' };

    // Act
    const attempt = await store.recordAttempt(id, { ...ATTEMPT, requestedBy: other, approvedBy: 'mallory' });
    const later = await store.recordAttempt(id, { ...ATTEMPT, requestedBy: other, approvedBy: 'eve' });

    // Assess
    for (const record of [attempt, later]) {
      expect(record.requestedBy).toEqual(ATTEMPT.requestedBy);
      expect(record.approvedBy).toBe('sam@example.com');
      expect(record.decision).toEqual(decision);
    }
  });

  it('refuses a message squatting on a queued request with another payload, and keeps the request for its own', async () => {
    // Prepare
    const id = newId();
    await store.recordPending(id, { ...ATTEMPT, payloadHash: 'the-approved-one' });

    // Act
    const squat = store.recordAttempt(id, { ...ATTEMPT, payloadHash: 'another' });

    // Assess
    await expect(squat).rejects.toBeInstanceOf(OperationIdReusedError);
    expect(await store.get(id)).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(await store.recordAttempt(id, { ...ATTEMPT, payloadHash: 'the-approved-one' })).toMatchObject({
      status: 'RUNNING',
      attempts: 1,
    });
  });

  it('keeps the intake’s records apart from the operations’ (request#<id>), and answers either by the id', async () => {
    // Prepare
    const id = newId();
    await store.recordPending(id, ATTEMPT);

    // Act
    const items = await clients.document.send(new ScanCommand({ TableName: TABLE }));
    const pending = await store.get(id);
    await store.recordAttempt(id, ATTEMPT);
    const running = await store.get(id);

    // Assess
    const keys = (items.Items ?? []).map((item) => String(item.id)).filter((key) => key.endsWith(id));
    expect(keys).toEqual([`request#${id}`]);
    expect(pending).toMatchObject({ id, status: 'PENDING' });
    expect(running).toMatchObject({ id, status: 'RUNNING' });
  });

  it('counts each approver of a request once, under any of their identities, and completes it once', async () => {
    // Prepare
    const id = newId();
    const approval = { needed: 2, rule: 'removals', mayApprove: ['sam@example.com', 'alex@example.com'] };

    // Act
    const sam = await store.recordApproval(id, ATTEMPT, {
      ...approval,
      approver: ['sam@example.com', 'acc-sam'],
    });
    const samAgain = await store.recordApproval(id, ATTEMPT, { ...approval, approver: ['acc-sam'] });
    const waiting = await store.get(id);
    const alex = await store.recordApproval(id, ATTEMPT, { ...approval, approver: ['alex@example.com'] });
    const late = await store.recordApproval(id, ATTEMPT, { ...approval, approver: ['kim@example.com'] });

    // Assess
    expect(sam).toMatchObject({ approvedBy: ['sam@example.com'], completed: false, added: true });
    expect(samAgain).toMatchObject({ completed: false, added: false, status: 'AWAITING_APPROVAL' });
    expect(waiting).toMatchObject({
      status: 'AWAITING_APPROVAL',
      approvalsNeeded: 2,
      mayApprove: ['alex@example.com'],
      decision: { rule: 'removals', approvedBy: ['sam@example.com'] },
    });
    expect(waiting).not.toHaveProperty('approverIdentities');
    expect(alex).toMatchObject({
      approvedBy: ['sam@example.com', 'alex@example.com'],
      completed: true,
      added: true,
    });
    expect(late).toMatchObject({ completed: false, added: false, status: 'PENDING' });
    expect(await store.get(id)).toMatchObject({
      status: 'PENDING',
      approvedBy: 'sam@example.com, alex@example.com',
      decision: { approvedBy: ['sam@example.com', 'alex@example.com'] },
    });
  });

  it('completes a request once when its last approvals race', async () => {
    // Prepare
    const id = newId();
    const approval = { needed: 2, rule: 'removals', mayApprove: [] };
    await store.recordApproval(id, ATTEMPT, { ...approval, approver: ['sam'] });

    // Act
    const raced = await Promise.all(
      ['alex', 'kim', 'lee'].map((who) =>
        store.recordApproval(id, ATTEMPT, { ...approval, approver: [who] }),
      ),
    );

    // Assess
    expect(raced.filter((progress) => progress.completed)).toHaveLength(1);
  });

  it('records a refused request FAILED, only when no record has its id', async () => {
    // Prepare
    const id = newId();
    const taken = newId();
    await store.recordPending(taken, ATTEMPT);
    const error = { errorCode: 'APPROVAL_REFUSED', reason: 'SELF_APPROVAL', detail: 'ana approved her own' };

    // Act
    const written = await store.recordRefused(id, ATTEMPT, error);
    const overwrote = await store.recordRefused(taken, ATTEMPT, error);

    // Assess
    expect(written).toBe(true);
    expect(await store.get(id)).toMatchObject({
      status: 'FAILED',
      attempts: 0,
      error,
      requestedBy: ATTEMPT.requestedBy,
    });
    expect(overwrote).toBe(false);
    expect(await store.get(taken)).toMatchObject({ status: 'PENDING' });
  });

  it('records success with the result and clears the last error', async () => {
    // Prepare
    const id = newId();
    await store.recordAttempt(id, ATTEMPT);
    await store.recordRetrying(id, { errorCode: 'RATE_LIMITED', detail: 'Atlas answered 429', status: 429 });

    // Act
    await store.recordSucceeded(id, { entries: 2, at: new Date('2026-01-02T03:04:05Z'), skipped: undefined });

    // Assess
    const record = await store.get(id);
    expect(record).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(record?.result).toEqual({ entries: 2, at: '2026-01-02T03:04:05.000Z' });
    expect(record?.error).toBeUndefined();
  });

  it('never turns SUCCEEDED back into RETRYING, FAILED or RUNNING', async () => {
    // Prepare
    const id = newId();
    await store.recordAttempt(id, ATTEMPT);
    await store.recordSucceeded(id, { ok: true });

    // Act
    await store.recordRetrying(id, { errorCode: 'TIMEOUT', detail: 'a late duplicate timed out' });
    await store.recordFailed(id, { errorCode: 'CONFLICT', detail: 'a late duplicate failed', status: 409 });
    await store.recordInvalid(id, 'accessList.add', 'a late duplicate was invalid', ['params: Required']);
    const again = await store.recordAttempt(id, ATTEMPT);

    // Assess
    const record = await store.get(id);
    expect(record).toMatchObject({ status: 'SUCCEEDED', attempts: 1, result: { ok: true } });
    expect(record?.error).toBeUndefined();
    expect(again).toEqual(record);
  });

  it('records a permanent failure with the Atlas error', async () => {
    // Prepare
    const id = newId();
    await store.recordAttempt(id, ATTEMPT);

    // Act
    await store.recordFailed(id, {
      errorCode: 'DUPLICATE_PEER',
      detail: 'x'.repeat(10_000),
      status: 409,
      reason: 'ATLAS_REJECTED',
    });

    // Assess
    const record = await store.get(id);
    expect(record).toMatchObject({
      status: 'FAILED',
      error: { errorCode: 'DUPLICATE_PEER', status: 409, reason: 'ATLAS_REJECTED' },
    });
    expect(record?.error?.detail.length).toBeLessThanOrEqual(4_000);
  });

  it('records an invalid message as FAILED with its reason and problems, even without a type', async () => {
    // Prepare
    const id = newId();
    const problems = [{ field: 'params.cidrBlock', description: 'Invalid CIDR' }, 'params.comment: Too long'];

    // Act
    await store.recordInvalid(id, undefined, 'INVALID_PARAMS', problems);

    // Assess
    const record = await store.get(id);
    expect(record).toMatchObject({
      id,
      type: 'unknown',
      status: 'FAILED',
      attempts: 1,
      error: {
        errorCode: 'INVALID_OPERATION',
        reason: 'INVALID_PARAMS',
        problems: ['params.cidrBlock: Invalid CIDR', 'params.comment: Too long'],
      },
    });
    expect(record?.error?.detail).toContain('params.cidrBlock: Invalid CIDR');
  });

  it('leaves an existing record alone when a broken message carries its id, and says it did', async () => {
    // Prepare: an operation under way
    const id = newId();
    await store.recordAttempt(id, ATTEMPT);
    await store.recordRetrying(id, {
      errorCode: 'RATE_LIMITED_TOKEN_BUCKET',
      detail: 'throttled',
      status: 429,
    });
    const before = await store.get(id);

    // Act
    const written = await store.recordInvalid(id, undefined, 'INVALID_PARAMS', ['params.groupId: bad']);

    // Assess
    expect(written).toBe(false);
    expect(await store.get(id)).toEqual(before);
  });

  it('refuses an attempt whose payload differs from the one the record was made for, changing nothing', async () => {
    // Prepare
    const id = newId();
    await store.recordAttempt(id, { ...ATTEMPT, payloadHash: 'a'.repeat(64) });
    await store.recordSucceeded(id, { entries: [] });
    const before = await store.get(id);

    // Act
    const same = await store.recordAttempt(id, { ...ATTEMPT, payloadHash: 'a'.repeat(64) });
    const other = await store
      .recordAttempt(id, { ...ATTEMPT, payloadHash: 'b'.repeat(64) })
      .catch((e: unknown) => e);

    // Assess
    expect(same).toEqual(before);
    expect(other).toBeInstanceOf(OperationIdReusedError);
    expect(await store.get(id)).toEqual(before);
  });

  it('refuses a different payload while the first is still retrying, too', async () => {
    // Prepare
    const id = newId();
    await store.recordAttempt(id, { ...ATTEMPT, payloadHash: 'a'.repeat(64) });
    await store.recordRetrying(id, { errorCode: 'SERVICE_UNAVAILABLE', detail: '503' });
    const before = await store.get(id);

    // Act
    const other = await store
      .recordAttempt(id, { ...ATTEMPT, payloadHash: 'c'.repeat(64) })
      .catch((e: unknown) => e);

    // Assess
    expect(other).toBeInstanceOf(OperationIdReusedError);
    expect(await store.get(id)).toEqual(before);
  });

  it('answers undefined for an unknown id', async () => {
    // Act
    const record = await store.get(newId());

    // Assess
    expect(record).toBeUndefined();
  });

  it('sets the TTL attribute to 30 days after the last write by default, or ttlDays', async () => {
    // Prepare
    const now = new Date('2026-03-01T00:00:00Z');
    const thirtyDays = new DynamoStatusStore({ client: clients.document, table: TABLE, now: () => now });
    const oneDay = new DynamoStatusStore({
      client: clients.document,
      table: TABLE,
      ttlDays: 1,
      now: () => now,
    });
    const [a, b] = [newId(), newId()];

    // Act
    await thirtyDays.recordAttempt(a, ATTEMPT);
    await oneDay.recordAttempt(b, ATTEMPT);

    // Assess
    const epoch = now.getTime() / 1000;
    expect((await store.get(a))?.expiresAt).toBe(epoch + 30 * 86_400);
    expect((await store.get(b))?.expiresAt).toBe(epoch + 86_400);
    expect((await store.get(a))?.createdAt).toBe('2026-03-01T00:00:00.000Z');
  });

  it('creates a PENDING record once and leaves a further-along record alone', async () => {
    // Prepare
    const [fresh, running] = [newId(), newId()];
    await store.recordAttempt(running, ATTEMPT);

    // Act
    await store.recordPending(fresh, ATTEMPT);
    await store.recordPending(running, ATTEMPT);

    // Assess
    expect(await store.get(fresh)).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(await store.get(running)).toMatchObject({ status: 'RUNNING', attempts: 1 });
  });

  it('stores a result too large for a DynamoDB item as a truncated preview with a note', async () => {
    // Prepare
    const id = newId();
    await store.recordAttempt(id, ATTEMPT);
    const big = { rows: Array.from({ length: 5_000 }, (_, i) => ({ i, text: 'é'.repeat(40) })) };

    // Act
    await store.recordSucceeded(id, big);

    // Assess
    const result = (await store.get(id))?.result as TruncatedResult;
    expect(result.truncated).toBe(true);
    expect(result.originalBytes).toBe(Buffer.byteLength(JSON.stringify(big)));
    expect(result.note).toContain('400 KB');
    expect(Buffer.byteLength(result.preview)).toBeLessThanOrEqual(MAX_RESULT_BYTES);
    expect(JSON.stringify(big).startsWith(result.preview)).toBe(true);
  });

  it('leaves an idempotency record with the same id alone and says so', async () => {
    // Prepare: Powertools' item shape (no attempts).
    const id = `atlas-ops-provisioner#${randomUUID()}`;
    await clients.document.send(
      new PutCommand({ TableName: TABLE, Item: { id, status: 'COMPLETED', expiration: 1_900_000_000 } }),
    );

    // Act
    const attempt = store.recordAttempt(id, ATTEMPT);

    // Assess
    await expect(attempt).rejects.toThrow(StatusStoreError);
    await expect(attempt).rejects.toThrow(/not an operation status record/);
    expect(await store.get(id)).toBeUndefined();
  });

  it('turns DynamoDB errors into a StatusStoreError naming the table and the id', async () => {
    // Prepare
    const missing = new DynamoStatusStore({ client: clients.document, table: 'no-such-table' });

    // Act
    const attempt = missing.recordAttempt('op-1', ATTEMPT);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(StatusStoreError);
    await expect(attempt).rejects.toMatchObject({ table: 'no-such-table', operationId: 'op-1' });
    await expect(attempt).rejects.toThrow(/op-1.*no-such-table.*ResourceNotFoundException/);
  });
});

describe('DynamoStatusStore: which write ended the operation (outcome events are emitted once)', () => {
  it('recordSucceeded says true for the write that made it SUCCEEDED, false for a redelivery', async () => {
    // Prepare
    const id = newId();
    await store.recordAttempt(id, { type: 'projectAccessList.add' });

    // Act
    const first = await store.recordSucceeded(id, { ok: true });
    const again = await store.recordSucceeded(id, { ok: true });

    // Assess
    expect([first, again]).toEqual([true, false]);
  });

  it('recordFailed says true once per run, and false after the operation SUCCEEDED', async () => {
    // Prepare
    const failed = newId();
    const succeeded = newId();
    await store.recordAttempt(failed, { type: 'networkPeering.create' });
    await store.recordAttempt(succeeded, { type: 'networkPeering.create' });
    await store.recordSucceeded(succeeded, {});
    const error = { errorCode: 'CLOUD_PROVIDER_CONTAINER_NOT_FOUND', detail: 'no container', status: 404 };

    // Act
    const first = await store.recordFailed(failed, error);
    const again = await store.recordFailed(failed, error);
    await store.recordAttempt(failed, { type: 'networkPeering.create' });
    const nextRun = await store.recordFailed(failed, error);
    const afterSuccess = await store.recordFailed(succeeded, error);

    // Assess
    expect([first, again, nextRun, afterSuccess]).toEqual([true, false, true, false]);
  });
});
