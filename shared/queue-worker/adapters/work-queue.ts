/**
 * The queue a worker takes its work from, on SQS (the provisioning queue for the provisioner, the outcomes
 * queue for the notifier): push a message's next delivery back for a retry, and park a message on the
 * queue's dead-letter queue with the reason it could not be processed.
 */
import {
  ChangeMessageVisibilityCommand,
  type MessageAttributeValue,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { QueueError } from '../../aws/errors.ts';
import { MAX_VISIBILITY_SECONDS } from '../retry-delay.ts';
import type { DeadLetterAttributes, WorkQueue } from '../work-queue.ts';

/** What `moveToDeadLetter` keeps of `detail`: enough to triage, small enough for a console column. */
const MAX_DETAIL_CHARS = 256;

export interface WorkQueueOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** Needed only by `moveToDeadLetter`. */
  deadLetterQueueUrl?: string | undefined;
}

/** A worker's queue on SQS. */
export class SqsWorkQueue implements WorkQueue {
  protected readonly sqs: SQSClient;
  protected readonly queueUrl: string;
  readonly #deadLetterQueueUrl: string | undefined;

  constructor(options: WorkQueueOptions) {
    this.sqs = options.sqs;
    this.queueUrl = options.queueUrl;
    this.#deadLetterQueueUrl = options.deadLetterQueueUrl;
  }

  /**
   * Hides a received message for `visibilitySeconds` (clamped to 0..43200) from now, so its next delivery,
   * and so its retry, comes no sooner. SQS also refuses to extend a message past 12 hours after it was
   * first received; that surfaces as a QueueError.
   */
  async deferRetry(receiptHandle: string, visibilitySeconds: number): Promise<void> {
    const seconds = clampVisibility(visibilitySeconds);
    try {
      await this.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      throw new QueueError(
        this.queueUrl,
        `Could not defer a message by ${seconds} s on ${this.queueUrl}: ${describe(error)}`,
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
      throw new QueueError(this.queueUrl, `No dead-letter queue is configured for ${this.queueUrl}`);
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
      const result = await this.sqs.send(
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
}

function clampVisibility(seconds: number): number {
  if (Number.isNaN(seconds)) return 0;
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(seconds)));
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
