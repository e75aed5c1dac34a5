/**
 * Which outcomes the notifier told, in the operations table under `notified#<eventId>` (operation ids never
 * hold `#`, so these keys cannot be an operation's). A claim is a conditional put with a lease: two deliveries
 * of one event cannot both send, and a claim left by a crashed invocation expires after the lease.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NotificationLedger } from '../notify/notifier.ts';

export const NOTIFIED_PREFIX = 'notified#';

export interface DynamoNotificationLedgerOptions {
  client: DynamoDBDocumentClient;
  table: string;
  /** How long a claim holds before another delivery may take it, in seconds. Default 120 (> the timeout). */
  leaseSeconds?: number;
  /** How long a SENT mark is kept (TTL), in days. Default 30, as status records. */
  ttlDays?: number;
  now?: () => Date;
}

export class DynamoNotificationLedger implements NotificationLedger {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #leaseSeconds: number;
  readonly #ttlSeconds: number;
  readonly #now: () => Date;

  constructor(options: DynamoNotificationLedgerOptions) {
    this.#client = options.client;
    this.#table = options.table;
    this.#leaseSeconds = options.leaseSeconds ?? 120;
    this.#ttlSeconds = Math.round((options.ttlDays ?? 30) * 86_400);
    this.#now = options.now ?? (() => new Date());
  }

  async claim(eventId: string): Promise<'claimed' | 'sent' | 'busy'> {
    const now = Math.floor(this.#now().getTime() / 1000);
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            id: key(eventId),
            state: 'SENDING',
            leaseUntil: now + this.#leaseSeconds,
            expiresAt: now + this.#ttlSeconds,
          },
          ConditionExpression: 'attribute_not_exists(#id) OR (#state = :sending AND #leaseUntil < :now)',
          ExpressionAttributeNames: { '#id': 'id', '#state': 'state', '#leaseUntil': 'leaseUntil' },
          ExpressionAttributeValues: { ':sending': 'SENDING', ':now': now },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.#client.send(
        new GetCommand({ TableName: this.#table, Key: { id: key(eventId) }, ConsistentRead: true }),
      );
      return existing.Item?.state === 'SENT' ? 'sent' : 'busy';
    }
  }

  async markSent(eventId: string): Promise<void> {
    const now = Math.floor(this.#now().getTime() / 1000);
    await this.#client.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { id: key(eventId) },
        UpdateExpression: 'SET #state = :sent, #sentAt = :sentAt, #expiresAt = :expiresAt REMOVE #leaseUntil',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#sentAt': 'sentAt',
          '#expiresAt': 'expiresAt',
          '#leaseUntil': 'leaseUntil',
        },
        ExpressionAttributeValues: {
          ':sent': 'SENT',
          ':sentAt': this.#now().toISOString(),
          ':expiresAt': now + this.#ttlSeconds,
        },
      }),
    );
  }

  async release(eventId: string): Promise<void> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { id: key(eventId) },
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'SENDING' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function key(eventId: string): string {
  return `${NOTIFIED_PREFIX}${eventId}`;
}
