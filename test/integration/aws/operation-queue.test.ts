/**
 * SqsOperationQueue (send) and SqsWorkQueue (defer a retry, dead-letter; SqsOperationQueue extends it)
 * through the real AWS SDK against the fauxqs SQS stand-in.
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { createQueueWithDeadLetter } from '../../../local/aws/clients.ts';
import type { SqsStandIn } from '../../../local/aws/sqs.ts';
import { QueueError } from '../../../shared/aws/errors.ts';
import { MAX_MESSAGE_BYTES, SqsOperationQueue } from '../../../shared/operations/adapters/operation-queue.ts';
import { SqsWorkQueue } from '../../../shared/queue-worker/adapters/work-queue.ts';
import { useSqsStandIn } from '../../support/sqs.ts';

let standIn: SqsStandIn;
let sqs: SQSClient;
useSqsStandIn((started) => ({ standIn, sqs } = started));

async function freshQueue(visibilityTimeoutSeconds = 30) {
  const urls = await createQueueWithDeadLetter(sqs, `ops-${randomUUID().slice(0, 8)}`, {
    maxReceiveCount: 5,
    visibilityTimeoutSeconds,
  });
  const queue = new SqsOperationQueue({ sqs, queueUrl: urls.queueUrl });
  const workQueue = new SqsWorkQueue({
    sqs,
    queueUrl: urls.queueUrl,
    deadLetterQueueUrl: urls.deadLetterQueueUrl,
  });
  return { ...urls, queue, workQueue };
}

/** Everything visible on the queue right now (short polls until one comes back empty). */
async function drain(queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        AttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
  }
}

/** Runs `act` and returns the number of entries in each SendMessageBatch it made. */
async function batchSizesOf<T>(act: () => Promise<T>): Promise<{ value: T; batches: number[] }> {
  const batches: number[] = [];
  const name = `countBatches-${randomUUID()}`;
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'SendMessageBatchCommand') {
        batches.push((args.input as { Entries: unknown[] }).Entries.length);
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    return { value: await act(), batches };
  } finally {
    sqs.middlewareStack.remove(name);
  }
}

function operation(n: number, extra: Record<string, unknown> = {}) {
  return {
    id: `op-${n}`,
    type: 'accessList.add',
    params: { groupId: '65f0a0c0ffee000000000001', n },
    ...extra,
  };
}

describe('SqsOperationQueue.send', () => {
  it('sends 25 messages in batches of ten, in order, with the operationType attribute', async () => {
    // Prepare
    const { queue, queueUrl } = await freshQueue();
    const messages = Array.from({ length: 25 }, (_, n) => operation(n));

    // Act
    const { value: ids, batches } = await batchSizesOf(() => queue.send(messages));

    // Assess
    expect(batches).toEqual([10, 10, 5]);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    const received = await drain(queueUrl);
    expect(received).toHaveLength(25);
    const byId = new Map(received.map((m) => [m.MessageId, m]));
    ids.forEach((id, n) => {
      const message = byId.get(id);
      expect(JSON.parse(message?.Body ?? 'null')).toEqual(messages[n]);
      expect(message?.MessageAttributes?.operationType).toEqual({
        DataType: 'String',
        StringValue: 'accessList.add',
      });
    });
  });

  it('refuses a message over 256 KiB, naming its index, and sends none of the others', async () => {
    // Prepare
    const { queue, queueUrl } = await freshQueue();
    const messages = [operation(0), operation(1), operation(2, { note: 'x'.repeat(MAX_MESSAGE_BYTES) })];

    // Act
    const sending = queue.send(messages);

    // Assess
    await expect(sending).rejects.toBeInstanceOf(QueueError);
    await expect(sending).rejects.toMatchObject({ index: 2, queueUrl });
    await expect(sending).rejects.toThrow(/Message 2 is \d+ bytes/);
    expect(await drain(queueUrl)).toEqual([]);
  });

  it('splits large messages into batches whose total stays within the limit', async () => {
    // Prepare: four messages of ~100 KB cannot share one 256 KiB batch.
    const { queue, queueUrl } = await freshQueue();
    const messages = Array.from({ length: 4 }, (_, n) => operation(n, { note: 'y'.repeat(100_000) }));

    // Act
    const { value: ids, batches } = await batchSizesOf(() => queue.send(messages));

    // Assess
    expect(batches).toEqual([2, 2]);
    expect(ids.every((id) => id.length > 0)).toBe(true);
    expect(await drain(queueUrl)).toHaveLength(4);
  });

  it('turns SQS errors into a QueueError naming the queue', async () => {
    // Prepare
    const queueUrl = `${standIn.endpoint}/000000000000/no-such-queue`;
    const queue = new SqsOperationQueue({ sqs, queueUrl });

    // Act
    const sending = queue.send([operation(0)]);

    // Assess
    await expect(sending).rejects.toBeInstanceOf(QueueError);
    await expect(sending).rejects.toThrow(/no-such-queue/);
  });
});

describe('SqsWorkQueue.moveToDeadLetter', () => {
  it('sends the body unchanged with reason, cut detail, operation id and receive count as attributes', async () => {
    // Prepare
    const { workQueue, deadLetterQueueUrl } = await freshQueue();
    const body = JSON.stringify(operation(7));

    // Act
    const messageId = await workQueue.moveToDeadLetter(body, {
      reason: 'RETRIES_EXHAUSTED',
      detail: `SERVICE_UNAVAILABLE: ${'z'.repeat(400)}`,
      operationId: 'op-7',
      receiveCount: '5',
    });

    // Assess
    const [message, ...rest] = await drain(deadLetterQueueUrl);
    expect(rest).toEqual([]);
    expect(message?.MessageId).toBe(messageId);
    expect(message?.Body).toBe(body);
    const attributes = message?.MessageAttributes ?? {};
    expect(Object.keys(attributes).sort()).toEqual(['detail', 'operationId', 'reason', 'receiveCount']);
    expect(attributes.reason).toEqual({ DataType: 'String', StringValue: 'RETRIES_EXHAUSTED' });
    expect(attributes.operationId?.StringValue).toBe('op-7');
    expect(attributes.receiveCount?.StringValue).toBe('5');
    expect(attributes.detail?.StringValue).toMatch(/^SERVICE_UNAVAILABLE: z+…$/);
    expect(attributes.detail?.StringValue).toHaveLength(256);
  });

  it('sends only the attributes it is given', async () => {
    // Prepare
    const { workQueue, deadLetterQueueUrl } = await freshQueue();

    // Act
    await workQueue.moveToDeadLetter('not json', { reason: 'NOT_JSON' });

    // Assess
    const [message] = await drain(deadLetterQueueUrl);
    expect(Object.keys(message?.MessageAttributes ?? {})).toEqual(['reason']);
  });

  it('refuses when no dead-letter queue is configured', async () => {
    // Prepare
    const { queueUrl } = await freshQueue();
    const workQueue = new SqsWorkQueue({ sqs, queueUrl });

    // Act
    const moving = workQueue.moveToDeadLetter('{}', { reason: 'NOT_JSON' });

    // Assess
    await expect(moving).rejects.toThrow(QueueError);
  });
});

describe('SqsWorkQueue.deferRetry', () => {
  it('hides a received message for the given time, then it comes back', async () => {
    // Prepare: a 30 s queue visibility, so only deferRetry can bring the message back this soon.
    const { queue, workQueue, queueUrl } = await freshQueue(30);
    await queue.send([operation(1)]);
    const [first] = await drain(queueUrl);
    const receiptHandle = first?.ReceiptHandle ?? '';

    // Act
    await workQueue.deferRetry(receiptHandle, 1);

    // Assess
    expect(await drain(queueUrl)).toEqual([]);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        WaitTimeSeconds: 3,
        MessageSystemAttributeNames: ['All'],
        AttributeNames: ['All'],
      }),
    );
    expect(Messages.map((m) => m.MessageId)).toEqual([first?.MessageId]);
    expect(Messages[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages[0]?.ReceiptHandle }),
    );
  });

  it('clamps the time to SQS range instead of failing', async () => {
    // Prepare
    const { queue, workQueue, queueUrl } = await freshQueue(30);
    await queue.send([operation(1), operation(2)]);
    const [a, b] = await drain(queueUrl);

    // Act
    await workQueue.deferRetry(a?.ReceiptHandle ?? '', 10 ** 9);
    await workQueue.deferRetry(b?.ReceiptHandle ?? '', -5);

    // Assess: the negative one is visible again at once, the huge one stays hidden.
    const visible = await drain(queueUrl);
    expect(visible.map((m) => m.MessageId)).toEqual([b?.MessageId]);
  });

  it('turns an unknown receipt handle into a QueueError', async () => {
    // Prepare
    const { workQueue } = await freshQueue();

    // Act
    const deferring = workQueue.deferRetry('not-a-receipt-handle', 5);

    // Assess
    await expect(deferring).rejects.toBeInstanceOf(QueueError);
  });
});
