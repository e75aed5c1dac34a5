/**
 * The WebSub-style hub signature: `sha256=<lowercase hex HMAC-SHA256(secret, raw body)>`, keyed with the
 * secret string's UTF-8 bytes. No timestamp is signed, so the delivery id is the replay control.
 *
 * - Jira Cloud admin webhooks: `X-Hub-Signature` (no `-256` suffix although it is SHA-256), delivery id
 *   `X-Atlassian-Webhook-Identifier`, unchanged across retries (Atlassian, "Managing webhooks"; jira.js
 *   `src/webhooks/verify.ts`; reference/webhooks.md §1.2–1.3).
 * - GitHub: `X-Hub-Signature-256`, delivery id `X-GitHub-Delivery`, kept on redelivery (github/docs
 *   `validating-webhook-deliveries.md`; reference/webhooks.md §5).
 */
import { headerOf } from '../request.ts';
import { constantTimeEqual, hmacSha256, type Verifier } from './verifier.ts';

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

export interface HubSignatureOptions {
  /** Lower case: `x-hub-signature` (Jira) or `x-hub-signature-256` (GitHub). */
  signatureHeader: string;
  /** Lower case: `x-atlassian-webhook-identifier` (Jira) or `x-github-delivery` (GitHub). */
  deliveryIdHeader: string;
}

/** A verifier for a sender that signs with `sha256=<hex>` in `signatureHeader`. */
export function hubSignature(options: HubSignatureOptions): Verifier {
  return {
    deliveryIdHeader: options.deliveryIdHeader,
    verify(request, { secrets }) {
      const header = headerOf(request, options.signatureHeader);
      if (header === undefined) return { ok: false, reason: 'SIGNATURE_MISSING' };
      const hex = SIGNATURE.exec(header)?.[1];
      if (hex === undefined) return { ok: false, reason: 'SIGNATURE_MALFORMED' };
      const given = Buffer.from(hex, 'hex');
      const match = secrets.some((secret) => constantTimeEqual(hmacSha256(secret, request.body), given));
      return match ? { ok: true } : { ok: false, reason: 'SIGNATURE_MISMATCH' };
    },
    // The body alone: the delivery id header is not signed, so it cannot tell a replay from a retry.
    signedContent: (request) => [request.body],
    sign(body, secret, { deliveryId }) {
      return {
        [options.signatureHeader]: `sha256=${hmacSha256(secret, body).toString('hex')}`,
        [options.deliveryIdHeader]: deliveryId,
      };
    },
  };
}
