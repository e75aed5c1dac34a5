/**
 * The provisioning dead-letter queue (SQS), as an operator works it: list what is parked there and why,
 * move messages back to the provisioning queue, delete the messages of one operation. Reading never consumes:
 * the messages are received, hidden while the queue is paged through, and made visible again afterwards.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { QueueError } from '../../aws/errors.ts';
import type { DeadLetterAttributes } from '../work-queue.ts';

/** What `moveToDeadLetter` (./work-queue.ts) adds; dropped when a message goes back to its queue. */
const DEAD_LETTER_ATTRIBUTE_NAMES = [
  'reason',
  'detail',
  'operationId',
  'receiveCount',
] as const satisfies readonly (keyof DeadLetterAttributes)[];

/** The reason shown for a message SQS moved itself (its RedrivePolicy's maxReceiveCount was reached). */
export const MAX_RECEIVES_REASON = 'MAX_RECEIVES';

/** ReceiveMessage, SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch take at most 10. */
const SQS_BATCH = 10;

/** One message on the dead-letter queue, as an operator triages it; the body itself is never exposed. */
export interface DeadLetter {
  messageId: string;
  /** The `operationId` attribute, or the body's `id`. */
  operationId: string | undefined;
  /** The body's `type`, or the `operationType` attribute. */
  type: string | undefined;
  /** The `reason` attribute the provisioner set, or `MAX_RECEIVES` for a message SQS moved itself. */
  reason: string;
  detail: string | undefined;
  /**
   * Deliveries to the worker: the `receiveCount` attribute the provisioner set; for a message SQS moved,
   * SQS's ApproximateReceiveCount, which keeps counting on the dead-letter queue (listings included).
   * Undefined when neither is known.
   */
  receiveCount: number | undefined;
  /** ISO time: the earlier of SQS's SentTimestamp and ApproximateFirstReceiveTimestamp. */
  firstSeen: string | undefined;
}

export interface DeadLetterListing {
  messages: DeadLetter[];
  /** True when `maxMessages` was reached before the queue was read to its end. */
  truncated: boolean;
}

export interface DeadLetterQueueOptions {
  sqs: SQSClient;
  /** The dead-letter queue's URL. */
  queueUrl: string;
  /**
   * ReceiveMessage's WaitTimeSeconds. Default 1: a short poll (0) samples only some SQS servers and can
   * answer nothing while messages are waiting, so it would end a listing early; a stand-in that holds every
   * message in one place can use 0.
   */
  waitTimeSeconds?: number;
  /** How long received messages stay hidden while the queue is paged through (default 60 s). */
  holdSeconds?: number;
  /** The most messages one call reads (default 1000). */
  maxMessages?: number;
}

/** What `redrive` did. */
export interface RedriveResult {
  moved: number;
  /** Messages that matched but SQS refused to send (left on the dead-letter queue). */
  failed: number;
  truncated: boolean;
}

interface Received {
  message: Message;
  /** The newest receipt handle: the one SQS accepts for DeleteMessage. */
  receiptHandle: string;
  /** Every handle this call was given for the message, so all of them can be released. */
  receiptHandles: string[];
  dead: DeadLetter;
}

export class DeadLetterQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;
  readonly #waitTimeSeconds: number;
  readonly #holdSeconds: number;
  readonly #maxMessages: number;

  constructor(options: DeadLetterQueueOptions) {
    this.#sqs = options.sqs;
    this.#queueUrl = options.queueUrl;
    this.#waitTimeSeconds = options.waitTimeSeconds ?? 1;
    this.#holdSeconds = options.holdSeconds ?? 60;
    this.#maxMessages = options.maxMessages ?? 1000;
  }

  /** Every message on the queue (up to `maxMessages`), all left there and visible again on return. */
  async list(): Promise<DeadLetterListing> {
    const { received, truncated } = await this.#receiveAll();
    await this.#release(received);
    return { messages: received.map((r) => r.dead), truncated };
  }

  /**
   * Moves the messages of `operationId` (all of them when absent) to `sourceQueueUrl`: each body is sent
   * with its own message attributes except the dead-letter ones (an `operationType` is added from the body's
   * `type` when missing), then deleted here. A message is sent before it is deleted, so a failure in between
   * leaves a duplicate, never a loss; the provisioner's idempotency absorbs the duplicate.
   */
  async redrive(sourceQueueUrl: string, operationId?: string): Promise<RedriveResult> {
    const { received, truncated } = await this.#receiveAll();
    const matching = received.filter((r) => operationId === undefined || r.dead.operationId === operationId);
    const done = new Set<Received>();
    let failed = 0;
    try {
      for (let start = 0; start < matching.length; start += SQS_BATCH) {
        const chunk = matching.slice(start, start + SQS_BATCH);
        const sent = await this.#send(sourceQueueUrl, chunk);
        failed += chunk.length - sent.length;
        for (const r of await this.#delete(sent)) done.add(r);
      }
    } finally {
      await this.#release(received.filter((r) => !done.has(r)));
    }
    return { moved: done.size, failed, truncated };
  }

  /**
   * Starts SQS's own message-move task from this queue: to `destinationQueueUrl`, or when absent to each
   * message's original source queue. Returns the task handle (ListMessageMoveTasks, CancelMessageMoveTask).
   */
  async startMoveTask(destinationQueueUrl?: string): Promise<string> {
    const sourceArn = await this.#queueArn(this.#queueUrl);
    const destinationArn = destinationQueueUrl ? await this.#queueArn(destinationQueueUrl) : undefined;
    try {
      const result = await this.#sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: sourceArn,
          ...(destinationArn ? { DestinationArn: destinationArn } : {}),
        }),
      );
      if (!result.TaskHandle) throw new Error('no TaskHandle in the answer');
      return result.TaskHandle;
    } catch (error) {
      throw new QueueError(
        this.#queueUrl,
        `Could not start a message move task from ${this.#queueUrl}: ${describe(error)}`,
        { cause: error },
      );
    }
  }

  /** Deletes the messages of `operationId` only; every other message stays. Returns how many went. */
  async purge(operationId: string): Promise<{ deleted: number; truncated: boolean }> {
    const { received, truncated } = await this.#receiveAll();
    const matching = received.filter((r) => r.dead.operationId === operationId);
    const done = new Set<Received>();
    try {
      for (let start = 0; start < matching.length; start += SQS_BATCH) {
        for (const r of await this.#delete(matching.slice(start, start + SQS_BATCH))) done.add(r);
      }
    } finally {
      await this.#release(received.filter((r) => !done.has(r)));
    }
    return { deleted: done.size, truncated };
  }

  /**
   * The one queue whose RedrivePolicy targets this queue (ListDeadLetterSourceQueues); an error when there is
   * none or more than one, since then the caller has to say which.
   */
  async sourceQueueUrl(): Promise<string> {
    let urls: string[];
    try {
      const result = await this.#sqs.send(
        new ListDeadLetterSourceQueuesCommand({ QueueUrl: this.#queueUrl }),
      );
      urls = result.queueUrls ?? [];
    } catch (error) {
      throw new QueueError(
        this.#queueUrl,
        `Could not list the source queues of ${this.#queueUrl}: ${describe(error)}`,
        { cause: error },
      );
    }
    const [only] = urls;
    if (only === undefined || urls.length > 1) {
      throw new QueueError(
        this.#queueUrl,
        urls.length === 0
          ? `No queue redrives to ${this.#queueUrl}`
          : `${urls.length} queues redrive to ${this.#queueUrl}: ${urls.join(', ')}`,
      );
    }
    return only;
  }

  /**
   * Receives until a receive brings nothing new, hiding each message for `holdSeconds` so the next receive
   * reaches the ones behind it. Messages are deduplicated by MessageId (SQS may deliver one twice).
   */
  async #receiveAll(): Promise<{ received: Received[]; truncated: boolean }> {
    const byId = new Map<string, Received>();
    const release = () => this.#release([...byId.values()]);
    // Each useful receive adds at least one message, so this bounds the loop even if SQS misbehaves.
    for (let round = 0; round <= this.#maxMessages; round += 1) {
      if (byId.size >= this.#maxMessages) return { received: [...byId.values()], truncated: true };
      let messages: Message[];
      try {
        const result = await this.#sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.#queueUrl,
            MaxNumberOfMessages: Math.min(SQS_BATCH, this.#maxMessages - byId.size),
            VisibilityTimeout: this.#holdSeconds,
            WaitTimeSeconds: this.#waitTimeSeconds,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: [
              'ApproximateReceiveCount',
              'ApproximateFirstReceiveTimestamp',
              'SentTimestamp',
            ],
          }),
        );
        messages = result.Messages ?? [];
      } catch (error) {
        await release().catch(() => undefined);
        throw new QueueError(this.#queueUrl, `Could not read ${this.#queueUrl}: ${describe(error)}`, {
          cause: error,
        });
      }
      let fresh = 0;
      for (const message of messages) {
        if (!message.MessageId || !message.ReceiptHandle) continue;
        const known = byId.get(message.MessageId);
        if (known) {
          known.receiptHandle = message.ReceiptHandle;
          known.receiptHandles.push(message.ReceiptHandle);
          continue;
        }
        fresh += 1;
        byId.set(message.MessageId, {
          message,
          receiptHandle: message.ReceiptHandle,
          receiptHandles: [message.ReceiptHandle],
          dead: describeDeadLetter(message),
        });
      }
      if (fresh === 0) break;
    }
    return { received: [...byId.values()], truncated: false };
  }

  /** Makes the messages visible again now. A handle SQS no longer knows is skipped: it is back anyway. */
  async #release(received: readonly Received[]): Promise<void> {
    const handles = received.flatMap((r) => r.receiptHandles);
    for (let start = 0; start < handles.length; start += SQS_BATCH) {
      const chunk = handles.slice(start, start + SQS_BATCH);
      try {
        await this.#sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.#queueUrl,
            Entries: chunk.map((handle, index) => ({
              Id: String(index),
              ReceiptHandle: handle,
              VisibilityTimeout: 0,
            })),
          }),
        );
      } catch (error) {
        throw new QueueError(
          this.#queueUrl,
          `Could not make messages visible again on ${this.#queueUrl} (they reappear within ${this.#holdSeconds} s): ${describe(error)}`,
          { cause: error },
        );
      }
    }
  }

  /** Sends the chunk (at most 10) to `queueUrl`; returns the ones SQS accepted. */
  async #send(queueUrl: string, chunk: readonly Received[]): Promise<Received[]> {
    const entries: SendMessageBatchRequestEntry[] = chunk.map((r, index) => ({
      Id: String(index),
      MessageBody: r.message.Body ?? '',
      MessageAttributes: redriveAttributes(r),
    }));
    try {
      const result = await this.#sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      return (result.Successful ?? []).flatMap((ok) => chunk[Number(ok.Id)] ?? []);
    } catch (error) {
      throw new QueueError(queueUrl, `Could not send messages back to ${queueUrl}: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  /** Deletes the chunk (at most 10) from this queue; returns the ones SQS deleted. */
  async #delete(chunk: readonly Received[]): Promise<Received[]> {
    if (chunk.length === 0) return [];
    try {
      const result = await this.#sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: chunk.map((r, index) => ({ Id: String(index), ReceiptHandle: r.receiptHandle })),
        }),
      );
      return (result.Successful ?? []).flatMap((ok) => chunk[Number(ok.Id)] ?? []);
    } catch (error) {
      throw new QueueError(
        this.#queueUrl,
        `Could not delete messages from ${this.#queueUrl}: ${describe(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  async #queueArn(queueUrl: string): Promise<string> {
    try {
      const { Attributes } = await this.#sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
      );
      if (!Attributes?.QueueArn) throw new Error('no QueueArn in the answer');
      return Attributes.QueueArn;
    } catch (error) {
      throw new QueueError(queueUrl, `Could not read the ARN of ${queueUrl}: ${describe(error)}`, {
        cause: error,
      });
    }
  }
}

/** What an operator needs to triage a message, from its attributes and, failing those, its JSON body. */
function describeDeadLetter(message: Message): DeadLetter {
  const attributes = message.MessageAttributes ?? {};
  const text = (name: string) => {
    const value = attributes[name]?.StringValue;
    return value === undefined || value === '' ? undefined : value;
  };
  const body = parseBody(message.Body);
  const system = message.Attributes ?? {};
  const reason = text('reason');
  // SQS's count on this queue means something only for a message SQS moved itself: it carried the count
  // over. One the provisioner sent here starts again at 0 and then counts nothing but listings.
  const receiveCount = Number(text('receiveCount') ?? (reason ? undefined : system.ApproximateReceiveCount));
  const times = [system.SentTimestamp, system.ApproximateFirstReceiveTimestamp]
    .map(Number)
    .filter((ms) => Number.isFinite(ms) && ms > 0);
  return {
    messageId: message.MessageId ?? '',
    operationId: text('operationId') ?? body.id,
    type: body.type ?? text('operationType'),
    reason: reason ?? MAX_RECEIVES_REASON,
    detail: text('detail'),
    receiveCount: Number.isFinite(receiveCount) ? receiveCount : undefined,
    firstSeen: times.length > 0 ? new Date(Math.min(...times)).toISOString() : undefined,
  };
}

/** The body's `id` and `type` when it is a JSON object that has them as strings; nothing otherwise. */
function parseBody(body: string | undefined): { id?: string; type?: string } {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null) return {};
  const { id, type } = json as { id?: unknown; type?: unknown };
  return {
    ...(typeof id === 'string' && id !== '' ? { id } : {}),
    ...(typeof type === 'string' && type !== '' ? { type } : {}),
  };
}

/** The message's attributes minus the dead-letter ones; `operationType` as the queue's `send` sets it. */
function redriveAttributes(received: Received): Record<string, MessageAttributeValue> {
  const dropped = new Set<string>(DEAD_LETTER_ATTRIBUTE_NAMES);
  const kept: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(received.message.MessageAttributes ?? {})) {
    if (dropped.has(name) || !value.DataType) continue;
    kept[name] = {
      DataType: value.DataType,
      ...(value.StringValue === undefined ? {} : { StringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { BinaryValue: value.BinaryValue }),
    };
  }
  const type = parseBody(received.message.Body).type;
  if (!kept.operationType && type) kept.operationType = { DataType: 'String', StringValue: type };
  return kept;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
