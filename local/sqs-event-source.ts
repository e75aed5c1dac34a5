/**
 * The local stand-in for Lambda's SQS event source mapping: long-poll the queue, hand each batch to the
 * handler as the `SQSEvent` Lambda builds, then delete what succeeded. With ReportBatchItemFailures (what
 * the CDK stack configures) the records listed in `batchItemFailures` stay on the queue; a handler that
 * throws, times out or names a record not in the batch fails the whole batch, so nothing is deleted. Either
 * way the message reappears after its visibility timeout and SQS's redrive policy counts the receive.
 *
 * One poller and one batch at a time: enough for the local stack, where ordering questions are not tested.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttribute, SQSRecord } from 'aws-lambda';
import { lambdaContext } from './lambda-context.ts';

/** Lambda's own `SQSHandler` return type: a batch response, or nothing when every record succeeded. */
// biome-ignore lint/suspicious/noConfusingVoidType: handlers typed `Promise<void>` must be accepted too.
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface SqsEventSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  handler: SqsBatchHandler;
  /** Records per invocation, 1–10 (one ReceiveMessage). Default 10. */
  batchSize?: number;
  /** Long-poll wait, 0–20 s. Default 1: short enough that `stop()` and `idle()` answer quickly. */
  waitTimeSeconds?: number;
  /**
   * Short polls instead, this many ms apart while the queue is empty: tests set a few ms, so `idle()`, which
   * waits for an empty receive, answers in ms rather than after a long poll. Default: long polls.
   */
  pollIntervalMs?: number;
  /** Overrides the queue's visibility timeout for each receive (Lambda uses the queue's). */
  visibilityTimeoutSeconds?: number;
  functionName: string;
  /** The function's timeout: a handler still running after it fails its batch, as Lambda would. */
  timeoutMs: number;
  /** A failed batch or receive; the loop carries on. Default: a line on stderr. */
  onError?: (error: unknown) => void;
  /** The region in the records' `awsRegion` and `eventSourceARN`. Default us-east-1. */
  region?: string;
}

export interface SqsEventSource {
  /** Stops polling, lets the batch in flight finish (and its deletes), then resolves. */
  stop(): Promise<void>;
  /**
   * Resolves when the work sent so far is done: a receive that started after this call came back empty, no
   * batch is in flight, and the queue holds no message at all (none hidden for a retry, none delayed), so
   * every message was deleted or moved to the dead-letter queue. Or at stop(). A message that keeps failing
   * keeps this waiting until the redrive policy moves it.
   */
  idle(): Promise<void>;
}

const MAX_BATCH = 10;
const ERROR_BACKOFF_MS = { first: 100, max: 5_000 };

/** Starts polling `queueUrl` and invoking `handler`, until `stop()`. */
export function startSqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  const batchSize = Math.min(MAX_BATCH, Math.max(1, Math.floor(options.batchSize ?? MAX_BATCH)));
  const pollIntervalMs = options.pollIntervalMs;
  const waitTimeSeconds =
    pollIntervalMs === undefined ? Math.min(20, Math.max(0, Math.floor(options.waitTimeSeconds ?? 1))) : 0;
  const region = options.region ?? 'us-east-1';
  const onError =
    options.onError ?? ((error: unknown) => process.stderr.write(`sqs-event-source: ${describe(error)}\n`));

  let stopped = false;
  const abort = new AbortController();
  /** Receives started so far; an idle waiter needs an empty receive that started after it asked. */
  let receivesStarted = 0;
  /** Batches being handled right now (received, not yet deleted or failed). */
  let handling = 0;
  let idleWaiters: { after: number; resolve: () => void }[] = [];

  async function poll(): Promise<void> {
    let backoffMs = ERROR_BACKOFF_MS.first;
    while (!stopped) {
      const receiveNumber = ++receivesStarted;
      let messages: Message[];
      try {
        const result = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: waitTimeSeconds,
            // Both spellings: some emulators honour only the legacy one (reference/local-aws.md).
            MessageSystemAttributeNames: ['All'],
            AttributeNames: ['All'],
            MessageAttributeNames: ['All'],
            ...(options.visibilityTimeoutSeconds === undefined
              ? {}
              : { VisibilityTimeout: options.visibilityTimeoutSeconds }),
          }),
          { abortSignal: abort.signal },
        );
        messages = result.Messages ?? [];
        backoffMs = ERROR_BACKOFF_MS.first;
      } catch (error) {
        if (stopped) break;
        onError(error);
        await sleep(backoffMs, abort.signal);
        backoffMs = Math.min(ERROR_BACKOFF_MS.max, backoffMs * 2);
        continue;
      }
      if (messages.length === 0) {
        if (idleWaiters.some((waiter) => waiter.after < receiveNumber) && (await queueDrained())) {
          settleIdle(receiveNumber);
        }
        if (pollIntervalMs !== undefined) await sleep(pollIntervalMs, abort.signal);
        continue;
      }
      // Once received, a batch is always handled, even when stop() came meanwhile: dropping it would
      // leave the messages invisible until their visibility timeout for no reason.
      await invoke(messages);
    }
    settleIdle(Number.POSITIVE_INFINITY);
  }

  async function invoke(messages: Message[]): Promise<void> {
    handling += 1;
    try {
      await handle(messages);
    } finally {
      handling -= 1;
    }
  }

  async function handle(messages: Message[]): Promise<void> {
    const event = sqsEvent(messages, options.queueUrl, region);
    let response: unknown;
    try {
      response = await withTimeout(
        options.handler(event, lambdaContext(options.functionName, options.timeoutMs)),
        options.timeoutMs,
        options.functionName,
      );
    } catch (error) {
      onError(error);
      return;
    }
    const failed = failedIds(response, event);
    if (failed === 'all') {
      onError(new Error(`${options.functionName} reported a batch item failure that is not in the batch`));
      return;
    }
    const done = event.Records.filter((record) => !failed.has(record.messageId));
    if (done.length === 0) return;
    try {
      const result = await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
      if (result.Failed?.length) {
        onError(
          new Error(
            `Could not delete ${result.Failed.length} processed message(s): ${result.Failed[0]?.Code}`,
          ),
        );
      }
    } catch (error) {
      // Like Lambda: the messages come back and are processed again, which idempotency makes harmless.
      onError(error);
    }
  }

  /** Nothing visible, in flight (e.g. hidden for a retry) or delayed: every message was deleted or moved. */
  async function queueDrained(): Promise<boolean> {
    try {
      const { Attributes = {} } = await options.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: options.queueUrl,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
        { abortSignal: abort.signal },
      );
      return Object.values(Attributes).every((count) => Number(count) === 0);
    } catch (error) {
      if (!stopped) onError(error);
      return false;
    }
  }

  function settleIdle(receiveNumber: number): void {
    const waiting = idleWaiters;
    idleWaiters = waiting.filter((waiter) => waiter.after >= receiveNumber);
    for (const waiter of waiting) if (waiter.after < receiveNumber) waiter.resolve();
  }

  const loop = poll();

  return {
    async stop() {
      stopped = true;
      // Ends a long poll at once. SQS may still have handed it messages; they reappear after their
      // visibility timeout, as when a Lambda poller goes away.
      abort.abort();
      await loop;
    },
    async idle() {
      if (stopped) return;
      // Idle already: no batch in hand and nothing visible, hidden or delayed (a received message is hidden
      // until it is deleted, so a batch between its receive and its handling counts as not drained).
      if (handling === 0 && (await queueDrained()) && handling === 0) return;
      await new Promise<void>((resolve) => {
        idleWaiters.push({ after: receivesStarted, resolve });
      });
    },
  };
}

/**
 * The event Lambda's SQS event source mapping hands the function for `messages`, received from the queue at
 * `queueUrl` in `region`.
 */
export function sqsEvent(messages: readonly Message[], queueUrl: string, region = 'us-east-1'): SQSEvent {
  const eventSourceARN = queueArn(queueUrl, region);
  return { Records: messages.map((message) => toRecord(message, eventSourceARN, region)) };
}

/**
 * A received message as Lambda puts it in `event.Records`: lower-camel-case message attributes with the
 * (always empty) list fields, system attributes as strings, the queue's ARN and region.
 */
function toRecord(message: Message, eventSourceARN: string, awsRegion: string): SQSRecord {
  const system = message.Attributes ?? {};
  const attributes: SQSRecord['attributes'] = {
    ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
    SentTimestamp: system.SentTimestamp ?? String(Date.now()),
    SenderId: system.SenderId ?? '000000000000',
    ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  };
  for (const name of [
    'AWSTraceHeader',
    'SequenceNumber',
    'MessageGroupId',
    'MessageDeduplicationId',
    'DeadLetterQueueSourceArn',
  ] as const) {
    const value = system[name];
    if (value !== undefined) attributes[name] = value;
  }
  const record: SQSRecord = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, toAttribute(value)]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  };
  if (message.MD5OfMessageAttributes) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}

function toAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  return {
    ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
    ...(value.BinaryValue === undefined
      ? {}
      : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
    stringListValues: [],
    binaryListValues: [],
    dataType: value.DataType ?? 'String',
  };
}

/** The ids to keep on the queue, or 'all' when the response is malformed (Lambda then fails the batch). */
function failedIds(response: unknown, event: SQSEvent): Set<string> | 'all' {
  const failures = (response as Partial<SQSBatchResponse> | null | undefined)?.batchItemFailures;
  if (!failures) return new Set();
  if (!Array.isArray(failures)) return 'all';
  const inBatch = new Set(event.Records.map((record) => record.messageId));
  const ids = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !inBatch.has(id)) return 'all';
    ids.add(id);
  }
  return ids;
}

/** `http://host/000000000000/name` → `arn:aws:sqs:<region>:000000000000:name`. */
function queueArn(queueUrl: string, region: string): string {
  const [account = '000000000000', name = 'queue'] = new URL(queueUrl).pathname.split('/').filter(Boolean);
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, functionName: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${functionName} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits `ms`, or less when `signal` aborts (stop() should not wait out an error backoff). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
