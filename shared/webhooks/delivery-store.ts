/**
 * The delivery ids already seen, so a sender's retry of a delivery enqueues nothing (reference/webhooks.md
 * §9.4: kept longer than the longest sender retry horizon, Standard Webhooks' ~3 days). shared/aws implements
 * it on DynamoDB (`DynamoDeliveryStore`).
 *
 * A delivery is claimed before its operation is enqueued and confirmed after, so a claim whose enqueue failed
 * can be released (the sender's retry then goes through) and a claim left behind by a crash does not block
 * the delivery for ever (a stale claim is taken over).
 */
import type { WebhookSource } from './sources.ts';

/**
 * The key prefix of delivery-id items in the operations table: operation ids hold no `#` and Powertools'
 * idempotency keys start with a function name, so these never collide; the intake's IAM policy limits its
 * puts and deletes to it.
 */
export const DELIVERY_KEY_PREFIX = 'webhook-delivery#';

export interface DeliveryKey {
  source: WebhookSource;
  /** The sender's delivery id (its id header), as sent. */
  deliveryId: string;
}

export type ClaimResult =
  /** First time seen (or a stale claim taken over): go on and enqueue. */
  | { outcome: 'claimed' }
  /** Seen and enqueued before: answer the operation id it was enqueued as, enqueue nothing. */
  | { outcome: 'duplicate'; operationId: string }
  /** Claimed by a delivery still being handled (the same delivery, sent twice at once). */
  | { outcome: 'in-progress'; operationId: string };

export interface DeliveryStore {
  /** Claims the delivery id for `operationId`, unless it was claimed before. */
  claim(key: DeliveryKey, operationId: string): Promise<ClaimResult>;
  /** Marks a claimed delivery as enqueued: from now on it is a duplicate. */
  confirm(key: DeliveryKey): Promise<void>;
  /** Drops a claim that was not confirmed (its enqueue failed), so the sender's retry can go through. */
  release(key: DeliveryKey): Promise<void>;
}
