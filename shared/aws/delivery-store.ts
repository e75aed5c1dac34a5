/**
 * Webhook delivery ids in the operations table (DynamoDB), under their own key prefix so they can never be
 * taken for an operation (operation ids hold no `#`) or a Powertools idempotency record (`<function>#…`):
 * `webhook-delivery#<source>#<delivery id>`. Each item expires through the table's TTL attribute
 * (`expiresAt`), kept longer than any sender retries (default 7 days; Standard Webhooks senders retry for
 * about 3). DynamoDB deletes expired items late, so an expired item counts as absent.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ClaimResult,
  DELIVERY_KEY_PREFIX,
  type DeliveryKey,
  type DeliveryStore,
} from '../webhooks/delivery-store.ts';
import { DeliveryStoreError } from './errors.ts';

export interface DynamoDeliveryStoreOptions {
  client: DynamoDBDocumentClient;
  table: string;
  /** How long a delivery id is remembered. Default 168 (7 days). */
  ttlHours?: number;
  /**
   * A claim older than this that was never confirmed belongs to an invocation that died between claiming and
   * enqueueing: a retry of the delivery takes it over. Default 60 s (the intake's timeout is far shorter).
   */
  staleClaimSeconds?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

type State = 'PENDING' | 'ENQUEUED';

export class DynamoDeliveryStore implements DeliveryStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #staleMs: number;
  readonly #now: () => Date;

  constructor(options: DynamoDeliveryStoreOptions) {
    const hours = options.ttlHours ?? 168;
    if (!Number.isFinite(hours) || hours <= 0) {
      throw new RangeError(`ttlHours must be a positive number of hours, got ${hours}`);
    }
    this.#client = options.client;
    this.#table = options.table;
    this.#ttlSeconds = Math.round(hours * 3600);
    this.#staleMs = (options.staleClaimSeconds ?? 60) * 1000;
    this.#now = options.now ?? (() => new Date());
  }

  async claim(key: DeliveryKey, operationId: string): Promise<ClaimResult> {
    const now = this.#now().getTime();
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            id: itemKey(key),
            source: key.source,
            deliveryId: key.deliveryId,
            operationId,
            state: 'PENDING' satisfies State,
            claimedAt: now,
            expiresAt: Math.floor(now / 1000) + this.#ttlSeconds,
          },
          ConditionExpression:
            'attribute_not_exists(#id) OR #expiresAt < :nowSeconds OR (#state = :pending AND #claimedAt < :staleBefore)',
          ExpressionAttributeNames: {
            '#id': 'id',
            '#expiresAt': 'expiresAt',
            '#state': 'state',
            '#claimedAt': 'claimedAt',
          },
          ExpressionAttributeValues: {
            ':nowSeconds': Math.floor(now / 1000),
            ':pending': 'PENDING' satisfies State,
            ':staleBefore': now - this.#staleMs,
          },
        }),
      );
      return { outcome: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw this.#wrap(key, 'claim', error);
    }
    // Someone has it: read who (dynalite ignores ReturnValuesOnConditionCheckFailure, so read it).
    const existing = await this.#read(key);
    const known = typeof existing?.operationId === 'string' ? existing.operationId : operationId;
    // Gone in between (released after a failed enqueue): the sender will retry; say it is in progress.
    if (existing?.state === 'ENQUEUED') return { outcome: 'duplicate', operationId: known };
    return { outcome: 'in-progress', operationId: known };
  }

  async confirm(key: DeliveryKey): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { id: itemKey(key) },
          UpdateExpression: 'SET #state = :enqueued',
          ConditionExpression: 'attribute_exists(#id)',
          ExpressionAttributeNames: { '#id': 'id', '#state': 'state' },
          ExpressionAttributeValues: { ':enqueued': 'ENQUEUED' satisfies State },
        }),
      );
    } catch (error) {
      throw this.#wrap(key, 'confirm', error);
    }
  }

  async release(key: DeliveryKey): Promise<void> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { id: itemKey(key) },
          // Never a confirmed delivery: that one was enqueued and must keep answering `duplicate`.
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'PENDING' satisfies State },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw this.#wrap(key, 'release', error);
    }
  }

  async #read(key: DeliveryKey): Promise<Record<string, unknown> | undefined> {
    try {
      const { Item } = await this.#client.send(
        new GetCommand({ TableName: this.#table, Key: { id: itemKey(key) }, ConsistentRead: true }),
      );
      return Item;
    } catch (error) {
      throw this.#wrap(key, 'read', error);
    }
  }

  #wrap(key: DeliveryKey, action: string, error: unknown): DeliveryStoreError {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new DeliveryStoreError(
      this.#table,
      `Could not ${action} ${key.source} delivery ${key.deliveryId} in table ${this.#table}: ${what}`,
      { cause: error },
    );
  }
}

function itemKey(key: DeliveryKey): string {
  return `${DELIVERY_KEY_PREFIX}${key.source}#${key.deliveryId}`;
}
