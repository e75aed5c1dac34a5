/**
 * The provisioning queue (SQS): enqueue operation messages. As the provisioner's work queue it also pushes a
 * message's next delivery back for a retry and parks a message on the dead-letter queue (./work-queue.ts).
 */
import {
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { QueueError } from '../../aws/errors.ts';
import { MAX_MESSAGE_BYTES } from '../../config/rules.ts';
import { SqsWorkQueue, type WorkQueueOptions } from '../../queue-worker/adapters/work-queue.ts';
import type { OperationQueue } from '../queue.ts';

/** The largest message we send, body plus attributes, in bytes (256 KiB; shared/config/rules.ts says why). */
export { MAX_MESSAGE_BYTES };

/** SendMessageBatch takes at most 10 entries, and their sizes together count against the same limit. */
const MAX_BATCH_ENTRIES = 10;

export interface OperationQueueOptions extends WorkQueueOptions {
  /** Default `MAX_MESSAGE_BYTES`. */
  maxMessageBytes?: number;
}

/** The provisioning queue on SQS: sends operations, and is the provisioner's work queue. */
export class SqsOperationQueue extends SqsWorkQueue implements OperationQueue {
  readonly #maxMessageBytes: number;

  constructor(options: OperationQueueOptions) {
    super(options);
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

  #entry(message: object, index: number): SizedEntry {
    const body = JSON.stringify(message);
    if (typeof body !== 'string' || typeof message !== 'object' || message === null) {
      throw new QueueError(this.queueUrl, `Message ${index} is not a JSON object`, { index });
    }
    const type = (message as { type?: unknown }).type;
    const attributes: Record<string, MessageAttributeValue> =
      typeof type === 'string' && type !== ''
        ? { operationType: { DataType: 'String', StringValue: type } }
        : {};
    const bytes = messageBytes(body, attributes);
    if (bytes > this.#maxMessageBytes) {
      throw new QueueError(
        this.queueUrl,
        `Message ${index} is ${bytes} bytes; SQS messages for ${this.queueUrl} may be at most ${this.#maxMessageBytes}`,
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
        result = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending.map((e) => e.entry) }),
        );
      } catch (error) {
        const indexes = pending.map((e) => e.index);
        throw new QueueError(
          this.queueUrl,
          `Could not send messages ${describeIndexes(indexes)} to ${this.queueUrl}: ${describe(error)}`,
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
          this.queueUrl,
          `SQS refused message ${index} for ${this.queueUrl}: ${permanent.Code ?? 'Error'}: ${permanent.Message ?? ''}`.trim(),
          { index },
        );
      }
      const retry = new Set(failed.map((f) => f.Id));
      pending = pending.filter((e) => retry.has(e.entry.Id));
    }
    if (pending.length > 0) {
      const indexes = pending.map((e) => e.index);
      throw new QueueError(
        this.queueUrl,
        `SQS failed messages ${describeIndexes(indexes)} for ${this.queueUrl} twice`,
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

function describeIndexes(indexes: readonly number[]): string {
  return indexes.join(', ');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
