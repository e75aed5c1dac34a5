/**
 * DynamoDeliveryStore through the real AWS SDK against dynalite, in the operations table beside the status
 * records: a delivery id is claimed once, answered as a duplicate once enqueued, released when its enqueue
 * failed, and taken over when a claim was left behind or has expired.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalDynamoClients,
  ensureOperationsTable,
  type LocalDynamoClients,
} from '../../../local/aws/clients.ts';
import { type DynamoStandIn, startDynamoStandIn } from '../../../local/aws/dynamodb.ts';
import { DynamoStatusStore } from '../../../shared/operations/adapters/status-store.ts';
import { DynamoDeliveryStore } from '../../../shared/webhooks/adapters/delivery-store.ts';
import type { DeliveryKey } from '../../../shared/webhooks/delivery-store.ts';

const TABLE = 'atlas-ops-operations';

let standIn: DynamoStandIn;
let clients: LocalDynamoClients;

beforeAll(async () => {
  standIn = await startDynamoStandIn();
  clients = createLocalDynamoClients(standIn.endpoint);
  await ensureOperationsTable(clients.dynamo, TABLE);
});

afterAll(async () => {
  clients?.dynamo.destroy();
  await standIn?.close();
});

const newKey = (): DeliveryKey => ({
  source: 'github',
  deliveryId: randomUUID(),
  signedDigest: randomUUID(),
});
const store = (now = () => new Date(), options: { ttlHours?: number; staleClaimSeconds?: number } = {}) =>
  new DynamoDeliveryStore({ client: clients.document, table: TABLE, now, ttlHours: 168, ...options });

describe('DynamoDeliveryStore', () => {
  it('claims a new delivery id, then answers it as a duplicate with its operation id once confirmed', async () => {
    // Prepare
    const deliveries = store();
    const key = newKey();

    // Act
    const first = await deliveries.claim(key, 'op-first');
    await deliveries.confirm(key);
    const again = await deliveries.claim(key, 'op-other');

    // Assess
    expect(first).toEqual({ outcome: 'claimed' });
    expect(again).toEqual({ outcome: 'duplicate', operationId: 'op-first' });
  });

  it('answers a claim that is not confirmed yet as in progress', async () => {
    // Prepare
    const deliveries = store();
    const key = newKey();
    await deliveries.claim(key, 'op-1');

    // Act
    const concurrent = await deliveries.claim(key, 'op-1');

    // Assess
    expect(concurrent).toEqual({ outcome: 'in-progress', operationId: 'op-1' });
  });

  it('lets exactly one of many simultaneous claims of one delivery through', async () => {
    // Prepare
    const deliveries = store();
    const key = newKey();

    // Act
    const results = await Promise.all(Array.from({ length: 8 }, () => deliveries.claim(key, 'op-1')));

    // Assess
    expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
  });

  it('releases an unconfirmed claim, so the sender’s retry is claimed afresh', async () => {
    // Prepare
    const deliveries = store();
    const key = newKey();
    await deliveries.claim(key, 'op-1');

    // Act
    await deliveries.release(key);
    const retry = await deliveries.claim(key, 'op-1');

    // Assess
    expect(retry).toEqual({ outcome: 'claimed' });
  });

  it('never releases a confirmed delivery', async () => {
    // Prepare
    const deliveries = store();
    const key = newKey();
    await deliveries.claim(key, 'op-1');
    await deliveries.confirm(key);

    // Act
    await deliveries.release(key);

    // Assess
    expect(await deliveries.claim(key, 'op-1')).toEqual({ outcome: 'duplicate', operationId: 'op-1' });
  });

  it('takes over a claim left unconfirmed longer than the stale time (an invocation that died)', async () => {
    // Prepare
    let now = new Date('2026-11-29T10:00:00Z');
    const deliveries = store(() => now, { staleClaimSeconds: 60 });
    const key = newKey();
    await deliveries.claim(key, 'op-1');

    // Act
    now = new Date(now.getTime() + 59_000);
    const fresh = await deliveries.claim(key, 'op-1');
    now = new Date(now.getTime() + 2_000);
    const stale = await deliveries.claim(key, 'op-1');

    // Assess
    expect(fresh.outcome).toBe('in-progress');
    expect(stale).toEqual({ outcome: 'claimed' });
  });

  it('answers the same signed content under a fresh delivery id as a duplicate, and that id from then on', async () => {
    // Prepare: a captured delivery sent again with a new (unsigned) id header.
    const deliveries = store();
    const key = newKey();
    await deliveries.claim(key, 'op-first');
    await deliveries.confirm(key);
    const replay = { ...key, deliveryId: randomUUID() };

    // Act
    const first = await deliveries.claim(replay, 'op-first');
    const again = await deliveries.claim(replay, 'op-first');

    // Assess
    expect(first).toEqual({ outcome: 'duplicate', operationId: 'op-first' });
    expect(again).toEqual({ outcome: 'duplicate', operationId: 'op-first' });
  });

  it('answers the same signed content under another id as in progress while the first is handled, then lets it retry', async () => {
    // Prepare
    const deliveries = store();
    const key = newKey();
    await deliveries.claim(key, 'op-1');
    const other = { ...key, deliveryId: randomUUID() };

    // Act
    const meanwhile = await deliveries.claim(other, 'op-1');
    await deliveries.confirm(key);
    const later = await deliveries.claim(other, 'op-1');

    // Assess
    expect(meanwhile).toEqual({ outcome: 'in-progress', operationId: 'op-1' });
    expect(later).toEqual({ outcome: 'duplicate', operationId: 'op-1' });
  });

  it('forgets a delivery after its TTL even before DynamoDB deletes the item', async () => {
    // Prepare
    let now = new Date('2026-11-29T10:00:00Z');
    const deliveries = store(() => now);
    const key = newKey();
    await deliveries.claim(key, 'op-1');
    await deliveries.confirm(key);

    // Act
    now = new Date(now.getTime() + 167 * 3_600_000);
    const within = await deliveries.claim(key, 'op-1');
    now = new Date(now.getTime() + 2 * 3_600_000);
    const after = await deliveries.claim(key, 'op-1');

    // Assess
    expect(within.outcome).toBe('duplicate');
    expect(after.outcome).toBe('claimed');
  });

  it('keeps its items under their own key prefix with a TTL, invisible to the status store', async () => {
    // Prepare
    const now = new Date('2026-11-29T10:00:00Z');
    const deliveries = store(() => now);
    const key: DeliveryKey = { source: 'jira', deliveryId: `d-${randomUUID()}`, signedDigest: 'ab12' };
    await deliveries.claim(key, 'op-1');

    // Act
    const { Item } = await clients.document.send(
      new GetCommand({ TableName: TABLE, Key: { id: `webhook-delivery#jira#${key.deliveryId}` } }),
    );
    const { Item: content } = await clients.document.send(
      new GetCommand({ TableName: TABLE, Key: { id: 'webhook-signed#jira#ab12' } }),
    );
    const asStatus = await new DynamoStatusStore({ client: clients.document, table: TABLE }).get(
      `webhook-delivery#jira#${key.deliveryId}`,
    );

    // Assess
    expect(Item).toMatchObject({
      source: 'jira',
      deliveryId: key.deliveryId,
      operationId: 'op-1',
      state: 'PENDING',
      expiresAt: Math.floor(now.getTime() / 1000) + 168 * 3600,
    });
    expect(content).toMatchObject({ operationId: 'op-1', state: 'PENDING' });
    expect(asStatus).toBeUndefined();
  });
});
