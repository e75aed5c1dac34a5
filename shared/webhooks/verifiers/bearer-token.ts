/**
 * A shared bearer token, for senders that cannot sign: ServiceNow's outbound REST (RESTMessageV2, Flow
 * Designer REST step) has no built-in signature, only Basic, OAuth 2.0, mutual TLS or a header it sets
 * (ServiceNow/ServiceNowDocs `c_RESTMessageV2API.md`; reference/webhooks.md §2 and §9.9). It sends
 * `Authorization: Bearer <token>`; the delivery id is the `Idempotency-Key` header the script or flow sets.
 * Nothing binds the token to the body, so the body's own validation and the id are the defence in depth.
 */
import { headerOf } from '../request.ts';
import { constantTimeEqual, type Verifier } from './verifier.ts';

const AUTHORIZATION_HEADER = 'authorization';
const DELIVERY_ID_HEADER = 'idempotency-key';
const BEARER = /^Bearer[ \t]+(\S+)$/i;

export const bearerToken: Verifier = {
  deliveryIdHeader: DELIVERY_ID_HEADER,
  verify(request, { secrets }) {
    const header = headerOf(request, AUTHORIZATION_HEADER);
    if (header === undefined) return { ok: false, reason: 'SIGNATURE_MISSING' };
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) return { ok: false, reason: 'SIGNATURE_MALFORMED' };
    const given = Buffer.from(token, 'utf8');
    const match = secrets.some((secret) => constantTimeEqual(Buffer.from(secret, 'utf8'), given));
    return match ? { ok: true } : { ok: false, reason: 'SIGNATURE_MISMATCH' };
  },
  // Nothing is signed; the body is what a resend repeats.
  signedContent: (request) => [request.body],
  sign(_body, secret, { deliveryId }) {
    return { [AUTHORIZATION_HEADER]: `Bearer ${secret}`, [DELIVERY_ID_HEADER]: deliveryId };
  },
};
