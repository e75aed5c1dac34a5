/**
 * The local event source mapping against fauxqs: Lambda's SQSEvent shape, deletes after partial batch
 * failures, a throwing handler, and the redrive to the dead-letter queue. Each test has its own queues (1 s
 * visibility, so retries come back quickly) and runs concurrently with the others.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, it, type TestContext } from 'vitest';
import { createQueueWithDeadLetter } from '../../../local/aws/clients.ts';
import { type SqsBatchHandler, startSqsEventSource } from '../../../local/sqs-event-source.ts';
import { useSqsStandIn } from '../../support/sqs.ts';

const FUNCTION = 'atlas-ops-provisioner';

let sqs: SQSClient;
useSqsStandIn((started) => ({ sqs } = started));

interface Invocation {
  event: SQSEvent;
  context: Context;
}

/** A handler that records its invocations and answers with `respond`, plus a way to await a condition. */
function recordingHandler(respond: (event: SQSEvent, call: number) => SQSBatchResponse | undefined) {
  const calls: Invocation[] = [];
  let waiters: { done: () => boolean; resolve: () => void }[] = [];
  const handler: SqsBatchHandler = async (event, context) => {
    calls.push({ event, context });
    const ready = waiters.filter((w) => w.done());
    waiters = waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
    return respond(event, calls.length);
  };
  /** Resolves once the handler has been called `n` times. */
  const callCount = (n: number) =>
    calls.length >= n
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ done: () => calls.length >= n, resolve }));
  const deliveries = (body: string) =>
    calls
      .flatMap((c) => c.event.Records)
      .filter((r) => r.body === body)
      .map((r) => r.attributes.ApproximateReceiveCount);
  return { handler, calls, callCount, deliveries };
}

/**
 * Fresh queues and an event source, stopped when the test ends. Takes the test's own `onTestFinished`:
 * the global one cannot tell concurrent tests apart.
 */
async function setUp(
  test: Pick<TestContext, 'onTestFinished'>,
  handler: SqsBatchHandler,
  maxReceiveCount = 5,
) {
  const name = `provisioning-${randomUUID().slice(0, 8)}`;
  const queues = await createQueueWithDeadLetter(sqs, name, { maxReceiveCount, visibilityTimeoutSeconds: 1 });
  const source = startSqsEventSource({
    sqs,
    queueUrl: queues.queueUrl,
    handler,
    functionName: FUNCTION,
    timeoutMs: 5_000,
    onError: () => undefined,
  });
  test.onTestFinished(() => source.stop());
  return { name, ...queues, source };
}

async function send(queueUrl: string, body: string, type = 'accessList.add'): Promise<string> {
  const { MessageId } = await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageAttributes: { operationType: { DataType: 'String', StringValue: type } },
    }),
  );
  return MessageId ?? '';
}

/** Messages on the queue, visible or not: zero means every one was deleted (or moved away). */
async function messagesOn(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

function receiveCounts(event: SQSEvent | undefined): Record<string, string> {
  return Object.fromEntries(
    (event?.Records ?? []).map((r) => [r.body, r.attributes.ApproximateReceiveCount]),
  );
}

describe.concurrent('startSqsEventSource', () => {
  it('hands the handler a Lambda SQSEvent and a context, then deletes the batch', async ({
    expect,
    onTestFinished,
  }) => {
    // Prepare
    const recorder = recordingHandler(() => undefined);
    const { name, queueUrl, source } = await setUp({ onTestFinished }, recorder.handler);
    const body = JSON.stringify({ id: 'op-1', type: 'accessList.add', params: {} });

    // Act
    const messageId = await send(queueUrl, body);
    await source.idle();

    // Assess
    expect(recorder.calls).toHaveLength(1);
    const { event, context } = recorder.calls[0] as Invocation;
    const [record] = event.Records;
    expect(record).toEqual({
      messageId,
      receiptHandle: expect.any(String),
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        operationType: {
          stringValue: 'accessList.add',
          stringListValues: [],
          binaryListValues: [],
          dataType: 'String',
        },
      },
      md5OfBody: createHash('md5').update(body).digest('hex'),
      md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      awsRegion: 'us-east-1',
    });
    expect(context.functionName).toBe(FUNCTION);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(await messagesOn(queueUrl)).toBe(0);
  });

  it('keeps the records listed in batchItemFailures and deletes the rest', async ({
    expect,
    onTestFinished,
  }) => {
    // Prepare: 'bad' fails on its first delivery only.
    const recorder = recordingHandler((event) => ({
      batchItemFailures: event.Records.filter(
        (r) => r.body === 'bad' && r.attributes.ApproximateReceiveCount === '1',
      ).map((r) => ({ itemIdentifier: r.messageId })),
    }));
    const { queueUrl, source } = await setUp({ onTestFinished }, recorder.handler);
    await Promise.all([send(queueUrl, 'good'), send(queueUrl, 'bad')]);

    // Act: idle() also waits for the retry, which is hidden for a second first.
    await source.idle();

    // Assess
    expect(recorder.deliveries('bad')).toEqual(['1', '2']);
    expect(recorder.deliveries('good')).toEqual(['1']);
    expect(await messagesOn(queueUrl)).toBe(0);
  });

  it('deletes nothing when the handler throws, so the whole batch comes back', async ({
    expect,
    onTestFinished,
  }) => {
    // Prepare
    const recorder = recordingHandler((_, call) => {
      if (call === 1) throw new Error('the function crashed');
      return undefined;
    });
    const { queueUrl } = await setUp({ onTestFinished }, recorder.handler);
    await send(queueUrl, 'only');

    // Act
    await recorder.callCount(2);

    // Assess
    expect(recorder.calls.map((c) => receiveCounts(c.event))).toEqual([{ only: '1' }, { only: '2' }]);
    await expect.poll(() => messagesOn(queueUrl)).toBe(0);
  });

  it('deletes nothing when a batch item failure names a record that is not in the batch', async ({
    expect,
    onTestFinished,
  }) => {
    // Prepare: Lambda treats a malformed batch response as a failure of the whole batch.
    const recorder = recordingHandler((_, call) => ({
      batchItemFailures: call === 1 ? [{ itemIdentifier: 'not-in-this-batch' }] : [],
    }));
    const { queueUrl } = await setUp({ onTestFinished }, recorder.handler);
    await send(queueUrl, 'only');

    // Act
    await recorder.callCount(2);

    // Assess
    expect(receiveCounts(recorder.calls[1]?.event)).toEqual({ only: '2' });
  });

  it('leaves a message that keeps failing to the redrive policy: after maxReceiveCount it is in the DLQ', async ({
    expect,
    onTestFinished,
  }) => {
    // Prepare
    const recorder = recordingHandler((event) => ({
      batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })),
    }));
    const { queueUrl, deadLetterQueueUrl, source } = await setUp({ onTestFinished }, recorder.handler, 2);
    const messageId = await send(queueUrl, 'poison');

    // Act: the third receive finds the count exhausted and moves the message instead of delivering it.
    await source.idle();

    // Assess
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterQueueUrl,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(Messages.map((m) => [m.MessageId, m.Body])).toEqual([[messageId, 'poison']]);
    expect(recorder.calls.map((c) => receiveCounts(c.event))).toEqual([{ poison: '1' }, { poison: '2' }]);
    expect(await messagesOn(queueUrl)).toBe(0);
  });

  it('stops promptly during a long poll, and idle() answers after stop', async ({ expect }) => {
    // Prepare
    const queues = await createQueueWithDeadLetter(sqs, `long-poll-${randomUUID().slice(0, 8)}`, {
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 1,
    });
    const source = startSqsEventSource({
      sqs,
      queueUrl: queues.queueUrl,
      handler: async () => undefined,
      functionName: FUNCTION,
      timeoutMs: 5_000,
      waitTimeSeconds: 20,
    });
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the long poll start

    // Act
    const started = performance.now();
    await source.stop();
    const stoppedAfterMs = performance.now() - started;

    // Assess
    expect(stoppedAfterMs).toBeLessThan(1_000);
    await expect(source.idle()).resolves.toBeUndefined();
  });
});
