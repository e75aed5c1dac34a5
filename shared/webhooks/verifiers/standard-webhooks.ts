/**
 * Standard Webhooks 1.0 (standard-webhooks/standard-webhooks `spec/standard-webhooks.md` and the reference
 * library `libraries/javascript/src/index.ts`; reference/webhooks.md §8): `webhook-id`, `webhook-timestamp`
 * (unix seconds) and `webhook-signature`, a space-separated list of `v1,<base64 HMAC-SHA256>` over
 * `{id}.{timestamp}.{raw body}`. The key is the base64-decoded part after `whsec_` (a bare base64 secret is
 * accepted too, as the reference library does). Every `v1` entry is tried, so a sender rotating its key can
 * sign with both; other versions (`v1a`, ed25519) are skipped. The id is signed, so it is the delivery id.
 */
import { headerOf } from '../request.ts';
import { constantTimeEqual, decodeBase64, hmacSha256, type Verifier, withinTolerance } from './verifier.ts';

const ID_HEADER = 'webhook-id';
const TIMESTAMP_HEADER = 'webhook-timestamp';
const SIGNATURE_HEADER = 'webhook-signature';
const SECRET_PREFIX = 'whsec_';
const DIGEST_BYTES = 32;

/** The HMAC key of a `whsec_…` (or bare base64) secret; undefined when it is not base64. */
export function standardWebhooksKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = decodeBase64(encoded);
  return key && key.length > 0 ? key : undefined;
}

export const standardWebhooks: Verifier = {
  deliveryIdHeader: ID_HEADER,
  verify(request, { secrets, now, toleranceSeconds }) {
    const id = headerOf(request, ID_HEADER);
    const header = headerOf(request, SIGNATURE_HEADER);
    // The id is part of what is signed: without it there is nothing to check.
    if (header === undefined || id === undefined) return { ok: false, reason: 'SIGNATURE_MISSING' };
    const timestamp = headerOf(request, TIMESTAMP_HEADER);
    if (timestamp === undefined) return { ok: false, reason: 'TIMESTAMP_MISSING' };
    if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'TIMESTAMP_MALFORMED' };
    const given = header
      .split(' ')
      .map((entry) => entry.split(','))
      .filter(([version]) => version === 'v1')
      .map(([, signature]) => decodeBase64(signature ?? ''))
      .filter((signature): signature is Buffer => signature?.length === DIGEST_BYTES);
    if (given.length === 0) return { ok: false, reason: 'SIGNATURE_MALFORMED' };
    const match = secrets.some((secret) => {
      const key = standardWebhooksKey(secret);
      if (!key) return false;
      const expected = hmacSha256(key, `${id}.${timestamp}.`, request.body);
      // Every entry is compared, matched or not, so the time taken says nothing about which one matched.
      return given.map((signature) => constantTimeEqual(expected, signature)).includes(true);
    });
    if (!match) return { ok: false, reason: 'SIGNATURE_MISMATCH' };
    if (!withinTolerance(new Date(Number(timestamp) * 1000), now, toleranceSeconds)) {
      return { ok: false, reason: 'TIMESTAMP_OUT_OF_RANGE' };
    }
    return { ok: true };
  },
  signedContent: (request) => [
    headerOf(request, ID_HEADER) ?? '',
    headerOf(request, TIMESTAMP_HEADER) ?? '',
    request.body,
  ],
  sign(body, secret, { deliveryId, now }) {
    const key = standardWebhooksKey(secret);
    if (!key) throw new TypeError('A Standard Webhooks secret is whsec_ followed by base64');
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const signature = hmacSha256(key, `${deliveryId}.${timestamp}.`, body).toString('base64');
    return {
      [ID_HEADER]: deliveryId,
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: `v1,${signature}`,
    };
  },
};
