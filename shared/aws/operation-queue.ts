/**
 * The provisioning queue (SQS): enqueue operation messages, push a message's next delivery back for a
 * retry, and park a message on the dead-letter queue with the reason it could not be processed.
 */
import {
  ChangeMessageVisibilityCommand,
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { MAX_MESSAGE_BYTES } from '../config/rules.ts';
import type { DeadLetterAttributes, OperationQueue } from '../operations/queue.ts';
import { MAX_VISIBILITY_SECONDS } from '../operations/retry-delay.ts';
import { QueueError } from './errors.ts';

/** The largest message we send, body plus attributes, in bytes (256 KiB; shared/config/rules.ts says why). */
export { MAX_MESSAGE_BYTES };

/** SendMessageBatch takes at most 10 entries, and their sizes together count against the same limit. */
const MAX_BATCH_ENTRIES = 10;
/** What `moveToDeadLetter` keeps of `detail`: enough to triage, small enough for a console column. */
const MAX_DETAIL_CHARS = 256;

export interface OperationQueueOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** Needed only by `moveToDeadLetter`. */
  deadLetterQueueUrl?: string | undefined;
  /** Default `MAX_MESSAGE_BYTES`. */
  maxMessageBytes?: number;
}

/** The provisioning queue on SQS. */
export class SqsOperationQueue implements OperationQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;
  readonly #deadLetterQueueUrl: string | undefined;
  readonly #maxMessageBytes: number;

  constructor(options: OperationQueueOptions) {
    this.#sqs = options.sqs;
    this.#queueUrl = options.queueUrl;
    this.#deadLetterQueueUrl = options.deadLetterQueueUrl;
    this.#maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  }

  /**
   * Sends the messages as JSON, ten (or fewer, when large) per SendMessageBatch, each with an
   * `operationType` attribute taken from its `type`. Returns the SQS message ids in the input's order.
   * Every size is checked before anything is sent, so an oversized message sends nothing.
   *
   * @example await queue.send([{ id: 'jira-OPS-1', type: 'accessList.add', params: { … } }])
   */
  async send(messages: readonly object[]): Promise<string[]> {
    const entries = messages.map((message, index) => this.#entry(message, index));
    const ids: string[] = new Array(entries.length);
    for (const chunk of chunks(entries, this.#maxMessageBytes)) {
      await this.#sendChunk(chunk, ids);
    }
    return ids;
  }

  /**
   * Hides a received message for `visibilitySeconds` (clamped to 0..43200) from now, so its next delivery,
   * and so its retry, comes no sooner. SQS also refuses to extend a message past 12 hours after it was
   * first received; that surfaces as a QueueError.
   */
  async deferRetry(receiptHandle: string, visibilitySeconds: number): Promise<void> {
    const seconds = clampVisibility(visibilitySeconds);
    try {
      await this.#sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.#queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      throw new QueueError(
        this.#queueUrl,
        `Could not defer a message by ${seconds} s on ${this.#queueUrl}: ${describe(error)}`,
        { cause: error },
      );
    }
  }

  /**
   * Sends `body` unchanged to the dead-letter queue with the given attributes (as String attributes;
   * `detail` cut to 256 characters). Only what is passed is sent, so callers must not pass secrets.
   * Returns the DLQ message id.
   */
  async moveToDeadLetter(body: string, attributes: DeadLetterAttributes): Promise<string> {
    const queueUrl = this.#deadLetterQueueUrl;
    if (!queueUrl) {
      throw new QueueError(this.#queueUrl, `No dead-letter queue is configured for ${this.#queueUrl}`);
    }
    const messageAttributes: Record<string, MessageAttributeValue> = {};
    const values: Record<string, string | undefined> = {
      reason: attributes.reason,
      detail: attributes.detail === undefined ? undefined : clip(attributes.detail, MAX_DETAIL_CHARS),
      operationId: attributes.operationId,
      receiveCount: attributes.receiveCount,
    };
    for (const [name, value] of Object.entries(values)) {
      // SQS refuses empty attribute values.
      if (value !== undefined && value !== '') {
        messageAttributes[name] = { DataType: 'String', StringValue: value };
      }
    }
    try {
      const result = await this.#sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          MessageAttributes: messageAttributes,
        }),
      );
      return result.MessageId ?? '';
    } catch (error) {
      throw new QueueError(queueUrl, `Could not move a message to ${queueUrl}: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  #entry(message: object, index: number): SizedEntry {
    const body = JSON.stringify(message);
    if (typeof body !== 'string' || typeof message !== 'object' || message === null) {
      throw new QueueError(this.#queueUrl, `Message ${index} is not a JSON object`, { index });
    }
    const type = (message as { type?: unknown }).type;
    const attributes: Record<string, MessageAttributeValue> =
      typeof type === 'string' && type !== ''
        ? { operationType: { DataType: 'String', StringValue: type } }
        : {};
    const bytes = messageBytes(body, attributes);
    if (bytes > this.#maxMessageBytes) {
      throw new QueueError(
        this.#queueUrl,
        `Message ${index} is ${bytes} bytes; SQS messages for ${this.#queueUrl} may be at most ${this.#maxMessageBytes}`,
        { index },
      );
    }
    return {
      index,
      bytes,
      entry: { Id: String(index), MessageBody: body, MessageAttributes: attributes },
    };
  }

  async #sendChunk(chunk: SizedEntry[], ids: string[]): Promise<void> {
    let pending = chunk;
    // One more try for entries SQS failed on its side (SenderFault false); sender faults will not improve.
    for (let round = 0; round < 2 && pending.length > 0; round += 1) {
      let result: SendMessageBatchCommandOutput;
      try {
        result = await this.#sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.#queueUrl, Entries: pending.map((e) => e.entry) }),
        );
      } catch (error) {
        const indexes = pending.map((e) => e.index);
        throw new QueueError(
          this.#queueUrl,
          `Could not send messages ${describeIndexes(indexes)} to ${this.#queueUrl}: ${describe(error)}`,
          { cause: error, ...(indexes[0] === undefined ? {} : { index: indexes[0] }) },
        );
      }
      for (const ok of result.Successful ?? []) {
        if (ok.Id !== undefined) ids[Number(ok.Id)] = ok.MessageId ?? '';
      }
      const failed = result.Failed ?? [];
      const permanent = failed.find((f) => f.SenderFault);
      if (permanent) {
        const index = Number(permanent.Id);
        throw new QueueError(
          this.#queueUrl,
          `SQS refused message ${index} for ${this.#queueUrl}: ${permanent.Code ?? 'Error'}: ${permanent.Message ?? ''}`.trim(),
          { index },
        );
      }
      const retry = new Set(failed.map((f) => f.Id));
      pending = pending.filter((e) => retry.has(e.entry.Id));
    }
    if (pending.length > 0) {
      const indexes = pending.map((e) => e.index);
      throw new QueueError(
        this.#queueUrl,
        `SQS failed messages ${describeIndexes(indexes)} for ${this.#queueUrl} twice`,
        indexes[0] === undefined ? {} : { index: indexes[0] },
      );
    }
  }
}

interface SizedEntry {
  index: number;
  bytes: number;
  entry: SendMessageBatchRequestEntry;
}

/** Groups entries by 10 without letting a batch's total size exceed the message limit. */
function* chunks(entries: readonly SizedEntry[], maxBytes: number): Generator<SizedEntry[]> {
  let chunk: SizedEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (chunk.length === MAX_BATCH_ENTRIES || (chunk.length > 0 && bytes + entry.bytes > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += entry.bytes;
  }
  if (chunk.length > 0) yield chunk;
}

/** SQS counts the body and, per attribute, its name, data type and value. */
function messageBytes(body: string, attributes: Record<string, MessageAttributeValue>): number {
  let bytes = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType ?? '', 'utf8');
    bytes += Buffer.byteLength(value.StringValue ?? '', 'utf8') + (value.BinaryValue?.byteLength ?? 0);
  }
  return bytes;
}

function clampVisibility(seconds: number): number {
  if (Number.isNaN(seconds)) return 0;
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(seconds)));
}

function describeIndexes(indexes: readonly number[]): string {
  return indexes.join(', ');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
