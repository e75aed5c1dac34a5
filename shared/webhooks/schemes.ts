/**
 * Which signature scheme each source uses (reference/webhooks.md), and how a sender of that source signs a
 * delivery: `atlas-ops webhook sign`, the tests and the benchmark sign exactly as the real senders do.
 */
import type { WebhookSource } from './sources.ts';
import { bearerToken } from './verifiers/bearer-token.ts';
import { hubSignature } from './verifiers/hub-signature.ts';
import { standardWebhooks } from './verifiers/standard-webhooks.ts';
import type { Verifier } from './verifiers/verifier.ts';
import { zendesk } from './verifiers/zendesk.ts';

/** The scheme of each source. */
export const VERIFIERS: Readonly<Record<WebhookSource, Verifier>> = {
  jira: hubSignature({
    signatureHeader: 'x-hub-signature',
    deliveryIdHeader: 'x-atlassian-webhook-identifier',
  }),
  github: hubSignature({ signatureHeader: 'x-hub-signature-256', deliveryIdHeader: 'x-github-delivery' }),
  zendesk,
  servicenow: bearerToken,
  standard: standardWebhooks,
};

export interface SignDeliveryOptions {
  /** Default: a new random id in the sender's own style. */
  deliveryId?: string;
  /** Default: now. */
  now?: Date;
  /** GitHub's `X-GitHub-Event`. @default 'issues' */
  githubEvent?: string;
}

/**
 * The headers `source` sends with `body` when signed with `secret`: content type, signature, timestamp where
 * signed, delivery id, and for GitHub the event name its rule reads.
 *
 * @example signDelivery('jira', Buffer.from(body), 'my-secret', { deliveryId: 'a1b2' })
 * // { 'content-type': 'application/json', 'x-hub-signature': 'sha256=…', 'x-atlassian-webhook-identifier': 'a1b2' }
 */
export function signDelivery(
  source: WebhookSource,
  body: Buffer,
  secret: string,
  options: SignDeliveryOptions = {},
): Record<string, string> {
  const deliveryId = options.deliveryId ?? newDeliveryId(source);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...VERIFIERS[source].sign(body, secret, { deliveryId, now: options.now ?? new Date() }),
  };
  if (source === 'github') headers['x-github-event'] = options.githubEvent ?? 'issues';
  return headers;
}

/** A fresh delivery id: `msg_…` for Standard Webhooks (as Svix writes them), a UUID for the others. */
export function newDeliveryId(source: WebhookSource): string {
  const id = crypto.randomUUID();
  return source === 'standard' ? `msg_${id.replaceAll('-', '')}` : id;
}
