/**
 * Webhook delivery ids in the operations table (DynamoDB), under their own key prefix so they can never be
 * taken for an operation (operation ids hold no `#`) or a Powertools idempotency record (`<function>#…`):
 * `webhook-delivery#<source>#<delivery id>`. Each item expires through the table's TTL attribute
 * (`expiresAt`), kept longer than any sender retries (default 7 days; Standard Webhooks senders retry for
 * about 3). DynamoDB deletes expired items late, so an expired item counts as absent.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type ClaimResult,
  DELIVERY_KEY_PREFIX,
  type DeliveryKey,
  type DeliveryStore,
} from '../webhooks/delivery-store.ts';
import { DeliveryStoreError } from './errors.ts';
import { LeasedClaims } from './leased-claims.ts';

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

export class DynamoDeliveryStore implements DeliveryStore {
  readonly #claims: LeasedClaims;
  readonly #table: string;

  constructor(options: DynamoDeliveryStoreOptions) {
    const hours = options.ttlHours ?? 168;
    if (!Number.isFinite(hours) || hours <= 0) {
      throw new RangeError(`ttlHours must be a positive number of hours, got ${hours}`);
    }
    this.#table = options.table;
    this.#claims = new LeasedClaims({
      client: options.client,
      table: options.table,
      leaseSeconds: options.staleClaimSeconds ?? 60,
      ttlSeconds: Math.round(hours * 3600),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  async claim(key: DeliveryKey, operationId: string): Promise<ClaimResult> {
    const answer = await this.#attempt(key, 'claim', () =>
      this.#claims.claim(itemKey(key), { source: key.source, deliveryId: key.deliveryId, operationId }),
    );
    if (answer.claimed) return { outcome: 'claimed' };
    const known = typeof answer.holder?.operationId === 'string' ? answer.holder.operationId : operationId;
    // Gone in between (released after a failed enqueue): the sender will retry; say it is in progress.
    if (answer.holder?.state === 'DONE') return { outcome: 'duplicate', operationId: known };
    return { outcome: 'in-progress', operationId: known };
  }

  async confirm(key: DeliveryKey): Promise<void> {
    await this.#attempt(key, 'confirm', () => this.#claims.done(itemKey(key)));
  }

  async release(key: DeliveryKey): Promise<void> {
    // Never a confirmed delivery: that one was enqueued and must keep answering `duplicate`.
    await this.#attempt(key, 'release', () => this.#claims.release(itemKey(key)));
  }

  async #attempt<T>(key: DeliveryKey, action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new DeliveryStoreError(
        this.#table,
        `Could not ${action} ${key.source} delivery ${key.deliveryId} in table ${this.#table}: ${what}`,
        { cause: error },
      );
    }
  }
}

function itemKey(key: DeliveryKey): string {
  return `${DELIVERY_KEY_PREFIX}${key.source}#${key.deliveryId}`;
}
