/**
 * The outcomes queue (SQS): the provisioner publishes one outcome event per operation that reached an end
 * state; the notifier consumes them. The event is small (ids, a summary, Atlas's error), far below SQS's limit.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueError } from '../../aws/errors.ts';
import type { OutcomeEvent, OutcomePublisher } from '../outcome.ts';

export interface SqsOutcomePublisherOptions {
  sqs: SQSClient;
  queueUrl: string;
}

/** Publishes outcome events to the outcomes queue, with `status` and `source` attributes for filtering. */
export class SqsOutcomePublisher implements OutcomePublisher {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(options: SqsOutcomePublisherOptions) {
    this.#sqs = options.sqs;
    this.#queueUrl = options.queueUrl;
  }

  async publish(event: OutcomeEvent): Promise<void> {
    try {
      await this.#sqs.send(
        new SendMessageCommand({
          QueueUrl: this.#queueUrl,
          MessageBody: JSON.stringify(event),
          MessageAttributes: {
            status: { DataType: 'String', StringValue: event.status },
            source: { DataType: 'String', StringValue: event.requestedBy?.source || 'none' },
          },
        }),
      );
    } catch (error) {
      const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new QueueError(this.#queueUrl, `Could not publish an outcome to ${this.#queueUrl}: ${what}`, {
        cause: error,
      });
    }
  }
}
