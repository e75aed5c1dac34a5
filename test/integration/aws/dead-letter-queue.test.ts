/**
 * DeadLetterQueue through the real AWS SDK against the fauxqs SQS stand-in: dead letters parked by the
 * provisioner (with its attributes) and by SQS's own redrive policy (without), listed, moved back, deleted.
 */
import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { createQueueWithDeadLetter } from '../../../local/aws/clients.ts';
import type { SqsStandIn } from '../../../local/aws/sqs.ts';
import { QueueError } from '../../../shared/aws/errors.ts';
import { SqsOperationQueue } from '../../../shared/operations/adapters/operation-queue.ts';
import {
  DeadLetterQueue,
  MAX_RECEIVES_REASON,
} from '../../../shared/queue-worker/adapters/dead-letter-queue.ts';
import { useSqsStandIn } from '../../support/sqs.ts';

let standIn: SqsStandIn;
let sqs: SQSClient;
useSqsStandIn((started) => ({ standIn, sqs } = started));

function operation(id: string, type = 'projectAccessList.add') {
  return { id, type, params: { groupId: '65f0a0c0ffee000000000001', entries: [{ ipAddress: '192.0.2.1' }] } };
}

/** A provisioning queue and its DLQ (SQS moves a message after 1 receive), and the adapters over them. */
async function freshQueues(options: { maxMessages?: number } = {}) {
  const urls = await createQueueWithDeadLetter(sqs, `dlq-${randomUUID().slice(0, 8)}`, {
    maxReceiveCount: 1,
    visibilityTimeoutSeconds: 30,
  });
  const producer = new SqsOperationQueue({
    sqs,
    queueUrl: urls.queueUrl,
    deadLetterQueueUrl: urls.deadLetterQueueUrl,
  });
  const dlq = new DeadLetterQueue({
    sqs,
    queueUrl: urls.deadLetterQueueUrl,
    waitTimeSeconds: 0,
    ...(options.maxMessages === undefined ? {} : { maxMessages: options.maxMessages }),
  });
  return { ...urls, producer, dlq };
}

/** What the provisioner does with a message it gives up on. */
async function deadLetterAsProvisioner(producer: SqsOperationQueue, id: string, reason = 'ATLAS_REFUSED') {
  await producer.moveToDeadLetter(JSON.stringify(operation(id)), {
    reason,
    detail: `Atlas said no to ${id}`,
    operationId: id,
    receiveCount: '3',
  });
}

/** Sends `message` to the source queue and receives it twice, so SQS's redrive policy moves it. */
async function deadLetterBySqs(producer: SqsOperationQueue, queueUrl: string, message: object) {
  await producer.send([message]);
  const first = await receive(queueUrl);
  const handle = first[0]?.ReceiptHandle;
  if (!handle) throw new Error('the message did not arrive');
  await sqs.send(
    new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }),
  );
  expect(await receive(queueUrl)).toEqual([]);
}

async function receive(queueUrl: string): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages;
}

/** Everything on the queue right now, consumed (hidden for 30 s): for asserting what a queue holds. */
async function drain(queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const batch = await receive(queueUrl);
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

describe('DeadLetterQueue.list', () => {
  it('shows operation id, type, reason, receive count and first seen, and consumes nothing', async () => {
    // Prepare
    const before = Date.now();
    const { producer, dlq, queueUrl, deadLetterQueueUrl } = await freshQueues();
    await deadLetterAsProvisioner(producer, 'op-refused');
    await deadLetterBySqs(producer, queueUrl, operation('op-overflow', 'orgInvitation.cancel'));

    // Act
    const first = await dlq.list();
    const second = await dlq.list();

    // Assess
    const byId = new Map(first.messages.map((m) => [m.operationId, m]));
    expect(first.truncated).toBe(false);
    expect(byId.get('op-refused')).toMatchObject({
      type: 'projectAccessList.add',
      reason: 'ATLAS_REFUSED',
      detail: 'Atlas said no to op-refused',
      receiveCount: 3,
    });
    expect(byId.get('op-overflow')).toMatchObject({
      type: 'orgInvitation.cancel',
      reason: MAX_RECEIVES_REASON,
      detail: undefined,
    });
    expect(byId.get('op-overflow')?.receiveCount).toBeGreaterThanOrEqual(2);
    for (const message of first.messages) {
      expect(Date.parse(message.firstSeen ?? '')).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(message.firstSeen ?? '')).toBeLessThanOrEqual(Date.now());
    }
    expect(second.messages.map((m) => m.messageId).sort()).toEqual(
      first.messages.map((m) => m.messageId).sort(),
    );
    expect(await drain(deadLetterQueueUrl)).toHaveLength(2);
  });

  it('pages past ten messages, each once, and leaves them all visible', async () => {
    // Prepare
    const { producer, dlq, deadLetterQueueUrl } = await freshQueues();
    for (let n = 0; n < 23; n++) await deadLetterAsProvisioner(producer, `op-${n}`);

    // Act
    const { messages } = await dlq.list();

    // Assess
    expect(messages.map((m) => m.operationId).sort()).toEqual(
      Array.from({ length: 23 }, (_, n) => `op-${n}`).sort(),
    );
    expect(await drain(deadLetterQueueUrl)).toHaveLength(23);
  });

  it('stops at maxMessages and says the listing is truncated', async () => {
    // Prepare
    const { producer, dlq, deadLetterQueueUrl } = await freshQueues({ maxMessages: 5 });
    for (let n = 0; n < 8; n++) await deadLetterAsProvisioner(producer, `op-${n}`);

    // Act
    const listing = await dlq.list();

    // Assess
    expect(listing.truncated).toBe(true);
    expect(listing.messages).toHaveLength(5);
    expect(await drain(deadLetterQueueUrl)).toHaveLength(8);
  });

  it('shows what it can of a body that is not an operation', async () => {
    // Prepare
    const { producer, dlq } = await freshQueues();
    await producer.moveToDeadLetter('not json', { reason: 'NOT_JSON' });

    // Act
    const { messages } = await dlq.list();

    // Assess
    expect(messages).toEqual([
      expect.objectContaining({
        operationId: undefined,
        type: undefined,
        reason: 'NOT_JSON',
        receiveCount: undefined,
      }),
    ]);
  });

  it('turns an unknown queue into a QueueError naming it', async () => {
    const queueUrl = `${standIn.endpoint}/000000000000/no-such-queue-${randomUUID().slice(0, 8)}`;
    const listing = new DeadLetterQueue({ sqs, queueUrl, waitTimeSeconds: 0 }).list();
    await expect(listing).rejects.toBeInstanceOf(QueueError);
    await expect(listing).rejects.toMatchObject({ queueUrl });
  });
});

describe('DeadLetterQueue.redrive', () => {
  it('moves only the named operation back, with operationType and without the dead-letter attributes', async () => {
    // Prepare
    const { producer, dlq, queueUrl } = await freshQueues();
    await deadLetterAsProvisioner(producer, 'op-keep');
    await deadLetterAsProvisioner(producer, 'op-retry');

    // Act
    const result = await dlq.redrive(queueUrl, 'op-retry');

    // Assess
    expect(result).toEqual({ moved: 1, failed: 0, truncated: false });
    const back = await drain(queueUrl);
    expect(back).toHaveLength(1);
    expect(JSON.parse(back[0]?.Body ?? '')).toEqual(operation('op-retry'));
    expect(back[0]?.MessageAttributes).toEqual({
      operationType: { DataType: 'String', StringValue: 'projectAccessList.add' },
    });
    const left = (await dlq.list()).messages;
    expect(left.map((m) => m.operationId)).toEqual(['op-keep']);
  });

  it('moves every message back when no operation is named, keeping their own attributes', async () => {
    // Prepare
    const { producer, dlq, queueUrl, deadLetterQueueUrl } = await freshQueues();
    await deadLetterAsProvisioner(producer, 'op-a');
    await deadLetterBySqs(producer, queueUrl, operation('op-b', 'orgInvitation.cancel'));

    // Act
    const result = await dlq.redrive(queueUrl);

    // Assess
    expect(result.moved).toBe(2);
    const back = await drain(queueUrl);
    expect(back.map((m) => JSON.parse(m.Body ?? '').id).sort()).toEqual(['op-a', 'op-b']);
    for (const message of back) {
      expect(Object.keys(message.MessageAttributes ?? {})).toEqual(['operationType']);
    }
    expect(await drain(deadLetterQueueUrl)).toEqual([]);
  });

  it('moves nothing for an id that is not there, and leaves the rest visible', async () => {
    // Prepare
    const { producer, dlq, queueUrl, deadLetterQueueUrl } = await freshQueues();
    await deadLetterAsProvisioner(producer, 'op-a');

    // Act
    const result = await dlq.redrive(queueUrl, 'op-unknown');

    // Assess
    expect(result.moved).toBe(0);
    expect(await drain(queueUrl)).toEqual([]);
    expect(await drain(deadLetterQueueUrl)).toHaveLength(1);
  });

  it('leaves the messages on the dead-letter queue when the source queue cannot be reached', async () => {
    // Prepare
    const { producer, dlq, deadLetterQueueUrl } = await freshQueues();
    await deadLetterAsProvisioner(producer, 'op-a');
    const missing = `${standIn.endpoint}/000000000000/no-such-queue-${randomUUID().slice(0, 8)}`;

    // Act
    const moving = dlq.redrive(missing);

    // Assess
    await expect(moving).rejects.toMatchObject({ name: 'QueueError', queueUrl: missing });
    expect(await drain(deadLetterQueueUrl)).toHaveLength(1);
  });
});

describe('DeadLetterQueue.purge', () => {
  it('deletes the named operation’s messages only', async () => {
    // Prepare
    const { producer, dlq, deadLetterQueueUrl } = await freshQueues();
    await deadLetterAsProvisioner(producer, 'op-gone');
    await deadLetterAsProvisioner(producer, 'op-gone', 'NOT_RETRYABLE');
    await deadLetterAsProvisioner(producer, 'op-stays');

    // Act
    const result = await dlq.purge('op-gone');

    // Assess
    expect(result).toEqual({ deleted: 2, truncated: false });
    const left = await drain(deadLetterQueueUrl);
    expect(left.map((m) => m.MessageAttributes?.operationId?.StringValue)).toEqual(['op-stays']);
  });
});

describe('DeadLetterQueue on SQS-only APIs (not in the stand-in)', () => {
  /** Answers `commandName` with `output` before it leaves the client, and records its input. */
  function answer(commandName: string, output: object) {
    const inputs: unknown[] = [];
    const name = `answer-${randomUUID()}`;
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== commandName) return next(args);
        inputs.push(args.input);
        return { output: { $metadata: {}, ...output }, response: {} };
      },
      { step: 'initialize', name },
    );
    return { inputs, remove: () => sqs.middlewareStack.remove(name) };
  }

  it('starts a message move task from the dead-letter queue’s ARN, to the named queue if any', async () => {
    // Prepare
    const { dlq, queueUrl, deadLetterQueueArn } = await freshQueues();
    const stub = answer('StartMessageMoveTaskCommand', { TaskHandle: 'task-1' });

    // Act
    let handles: string[];
    try {
      handles = [await dlq.startMoveTask(), await dlq.startMoveTask(queueUrl)];
    } finally {
      stub.remove();
    }

    // Assess
    expect(handles).toEqual(['task-1', 'task-1']);
    expect(stub.inputs).toEqual([
      { SourceArn: deadLetterQueueArn },
      { SourceArn: deadLetterQueueArn, DestinationArn: expect.stringMatching(/^arn:aws:sqs:.*:dlq-[^:]+$/) },
    ]);
    expect((stub.inputs[1] as { DestinationArn: string }).DestinationArn).not.toBe(deadLetterQueueArn);
  });

  it('turns a refused move task into a QueueError (the stand-in has none)', async () => {
    const { dlq } = await freshQueues();
    await expect(dlq.startMoveTask()).rejects.toBeInstanceOf(QueueError);
  });

  it('finds the one source queue, and refuses to guess among none or several', async () => {
    const { dlq, queueUrl } = await freshQueues();
    const results: unknown[] = [];
    for (const queueUrls of [[queueUrl], [], [queueUrl, `${queueUrl}-2`]]) {
      const stub = answer('ListDeadLetterSourceQueuesCommand', { queueUrls });
      try {
        results.push(await dlq.sourceQueueUrl().catch((error: unknown) => error));
      } finally {
        stub.remove();
      }
    }
    expect(results[0]).toBe(queueUrl);
    expect(results[1]).toBeInstanceOf(QueueError);
    expect(results[2]).toBeInstanceOf(QueueError);
    expect((results[2] as Error).message).toContain(`${queueUrl}-2`);
  });
});
