/**
 * Zendesk webhooks: `X-Zendesk-Webhook-Signature: base64(HMAC-SHA256(secret, timestamp + raw body))`, the
 * timestamp being the `X-Zendesk-Webhook-Signature-Timestamp` header exactly as sent (ISO-8601 UTC,
 * `2021-03-25T05:09:27Z`), concatenated with no separator; the key is the signing secret string as Zendesk
 * shows it, not base64-decoded. Delivery id `X-Zendesk-Webhook-Invocation-Id`, one per event across attempts.
 * Sources: developer.zendesk.com/documentation/webhooks/verifying/ and …/anatomy-of-a-webhook-request/
 * (reference/webhooks.md §3). Zendesk documents no tolerance; we apply the receiver's (5 minutes by default).
 */
import { headerOf } from '../request.ts';
import { constantTimeEqual, decodeBase64, hmacSha256, type Verifier, withinTolerance } from './verifier.ts';

const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';
const DELIVERY_ID_HEADER = 'x-zendesk-webhook-invocation-id';
/** ISO-8601 with a zone: what Zendesk sends (`Z`); an offset is accepted, a bare local time is not. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const DIGEST_BYTES = 32;

export const zendesk: Verifier = {
  deliveryIdHeader: DELIVERY_ID_HEADER,
  verify(request, { secrets, now, toleranceSeconds }) {
    const header = headerOf(request, SIGNATURE_HEADER);
    if (header === undefined) return { ok: false, reason: 'SIGNATURE_MISSING' };
    const given = decodeBase64(header);
    if (given?.length !== DIGEST_BYTES) return { ok: false, reason: 'SIGNATURE_MALFORMED' };
    // The header's own text is what was signed: never a reformatted date.
    const timestamp = headerOf(request, TIMESTAMP_HEADER);
    if (timestamp === undefined) return { ok: false, reason: 'TIMESTAMP_MISSING' };
    const signedAt = TIMESTAMP.test(timestamp) ? new Date(timestamp) : undefined;
    if (signedAt === undefined || Number.isNaN(signedAt.getTime())) {
      return { ok: false, reason: 'TIMESTAMP_MALFORMED' };
    }
    const match = secrets.some((secret) =>
      constantTimeEqual(hmacSha256(secret, timestamp, request.body), given),
    );
    if (!match) return { ok: false, reason: 'SIGNATURE_MISMATCH' };
    // Checked after the signature, so a stale but genuine delivery is told apart from a forged one in logs.
    if (!withinTolerance(signedAt, now, toleranceSeconds))
      return { ok: false, reason: 'TIMESTAMP_OUT_OF_RANGE' };
    return { ok: true };
  },
  // The invocation id is not signed: the timestamp and the body are.
  signedContent: (request) => [headerOf(request, TIMESTAMP_HEADER) ?? '', request.body],
  sign(body, secret, { deliveryId, now }) {
    const timestamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      [SIGNATURE_HEADER]: hmacSha256(secret, timestamp, body).toString('base64'),
      [TIMESTAMP_HEADER]: timestamp,
      [DELIVERY_ID_HEADER]: deliveryId,
    };
  },
};
