/**
 * Webhook deliveries in the operations table (DynamoDB), under their own key prefixes so they can never be
 * taken for an operation (operation ids hold no `#`) or a Powertools idempotency record (`<function>#…`):
 * `webhook-delivery#<source>#<delivery id>` and `webhook-signed#<source>#<digest of the signed content>`.
 * Each item expires through the table's TTL attribute (`expiresAt`), kept a day longer than the status and
 * idempotency records (`webhookDeliveryTtlHours`). DynamoDB deletes expired items late, so an expired item
 * counts as absent.
 *
 * A delivery is claimed by its id first (a sender's retry), then by its signed content (the same delivery
 * under a fresh, unsigned id). Either one seen before answers with the operation it was enqueued as.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeliveryStoreError } from '../../aws/errors.ts';
import { LeasedClaims } from '../../aws/leased-claims.ts';
import {
  type ClaimResult,
  DELIVERY_KEY_PREFIX,
  type DeliveryKey,
  type DeliveryStore,
  SIGNED_CONTENT_KEY_PREFIX,
} from '../delivery-store.ts';

export interface DynamoDeliveryStoreOptions {
  client: DynamoDBDocumentClient;
  table: string;
  /** How long a delivery is remembered (`webhookDeliveryTtlHours` of the status records' lifetime). */
  ttlHours: number;
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
    const hours = options.ttlHours;
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
    const attributes = { source: key.source, deliveryId: key.deliveryId, operationId };
    const byId = await this.#attempt(key, 'claim', () => this.#claims.claim(idKey(key), attributes));
    if (!byId.claimed) return seenBefore(byId.holder, operationId);
    const byContent = await this.#attempt(key, 'claim', () =>
      this.#claims.claim(contentKey(key), attributes),
    );
    if (byContent.claimed) return { outcome: 'claimed' };
    const seen = seenBefore(byContent.holder, operationId);
    if (seen.outcome === 'duplicate') {
      // The same signed content under a new id: that id answers as the first one did from now on.
      await this.#attempt(key, 'confirm', () =>
        this.#claims.done(idKey(key), { operationId: seen.operationId }),
      );
    } else {
      await this.#attempt(key, 'release', () => this.#claims.release(idKey(key)));
    }
    return seen;
  }

  async confirm(key: DeliveryKey): Promise<void> {
    await this.#attempt(key, 'confirm', async () => {
      await this.#claims.done(contentKey(key));
      await this.#claims.done(idKey(key));
    });
  }

  async release(key: DeliveryKey): Promise<void> {
    // Never a confirmed delivery: that one was enqueued and must keep answering `duplicate`.
    await this.#attempt(key, 'release', async () => {
      await this.#claims.release(contentKey(key));
      await this.#claims.release(idKey(key));
    });
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

function idKey(key: DeliveryKey): string {
  return `${DELIVERY_KEY_PREFIX}${key.source}#${key.deliveryId}`;
}

function contentKey(key: DeliveryKey): string {
  return `${SIGNED_CONTENT_KEY_PREFIX}${key.source}#${key.signedDigest}`;
}

/** What a claim held by `holder` means: enqueued before (a duplicate), or being handled right now. */
function seenBefore(holder: Record<string, unknown> | undefined, operationId: string): ClaimResult {
  const known = typeof holder?.operationId === 'string' ? holder.operationId : operationId;
  // Gone in between (released after a failed enqueue): the sender will retry; say it is in progress.
  if (holder?.state === 'DONE') return { outcome: 'duplicate', operationId: known };
  return { outcome: 'in-progress', operationId: known };
}
