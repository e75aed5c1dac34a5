/**
 * The deliveries already seen, so a delivery runs once, ever: a sender's retry keeps its delivery id, but the
 * id header of Jira, GitHub, Zendesk and ServiceNow is not signed, so a captured delivery can be sent again
 * under a fresh one. Each delivery is therefore remembered twice: by its id and by a digest of what its
 * signature covers (the body, and the signed timestamp where the scheme has one), both kept longer than the
 * status and idempotency records (shared/config/rules.ts `webhookDeliveryTtlHours`). shared/aws implements
 * it on DynamoDB (`DynamoDeliveryStore`).
 *
 * A delivery is claimed before its operation is enqueued and confirmed after, so a claim whose enqueue failed
 * can be released (the sender's retry then goes through) and a claim left behind by a crash does not block
 * the delivery for ever (a stale claim is taken over).
 */
import type { WebhookSource } from './sources.ts';

/**
 * The key prefixes of the intake's items in the operations table: delivery ids, and digests of signed content.
 * Operation ids hold no `#` and Powertools' idempotency keys start with a function name, so these never
 * collide; the intake's IAM policy limits its puts and deletes to them.
 */
export const DELIVERY_KEY_PREFIX = 'webhook-delivery#';
export const SIGNED_CONTENT_KEY_PREFIX = 'webhook-signed#';

export interface DeliveryKey {
  source: WebhookSource;
  /** The sender's delivery id (its id header), as sent. */
  deliveryId: string;
  /** The SHA-256 (hex) of what the delivery's signature covers (verifiers/verifier.ts `signedContentDigest`). */
  signedDigest: string;
}

export type ClaimResult =
  /** First time seen (or a stale claim taken over): go on and enqueue. */
  | { outcome: 'claimed' }
  /** Seen and enqueued before: answer the operation id it was enqueued as, enqueue nothing. */
  | { outcome: 'duplicate'; operationId: string }
  /** Claimed by a delivery still being handled (the same delivery, sent twice at once). */
  | { outcome: 'in-progress'; operationId: string };

export interface DeliveryStore {
  /** Claims the delivery (its id and its signed content) for `operationId`, unless either was claimed before. */
  claim(key: DeliveryKey, operationId: string): Promise<ClaimResult>;
  /** Marks a claimed delivery as enqueued: from now on it is a duplicate. */
  confirm(key: DeliveryKey): Promise<void>;
  /** Drops a claim that was not confirmed (its enqueue failed), so the sender's retry can go through. */
  release(key: DeliveryKey): Promise<void>;
}
