/**
 * What a signature scheme is: a check of a delivery against the source's secrets, and the signing a sender
 * does (for `atlas-ops webhook sign`, the tests and the benchmark). One module per scheme implements it.
 *
 * Every check runs on the raw body bytes, compares in constant time, and accepts a match against any of the
 * source's secrets (the current one and, during a rotation, the previous one).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from '../request.ts';

/** Why a delivery was refused; logged and counted, never answered (the answer is a bare 401). */
export type SignatureRefusal =
  /** No signature (or token) header. */
  | 'SIGNATURE_MISSING'
  /** A signature header that is not in the scheme's format. */
  | 'SIGNATURE_MALFORMED'
  /** Well-formed, but no secret of the source gives it. */
  | 'SIGNATURE_MISMATCH'
  /** A signed scheme's timestamp header is absent. */
  | 'TIMESTAMP_MISSING'
  /** The timestamp is not in the scheme's format. */
  | 'TIMESTAMP_MALFORMED'
  /** The signature matches but the timestamp is further from now than the tolerance (a replay). */
  | 'TIMESTAMP_OUT_OF_RANGE';

export type Verification = { ok: true } | { ok: false; reason: SignatureRefusal };

export interface VerifyOptions {
  /** The source's secrets, current first; a match against any one is enough. Never empty. */
  secrets: readonly string[];
  /** The receiver's clock. */
  now: Date;
  /** How far a signed timestamp may be from `now`, either way, in seconds. */
  toleranceSeconds: number;
}

export interface SignOptions {
  /** The delivery id the sender puts in its id header. */
  deliveryId: string;
  /** The sender's clock, for schemes that sign a timestamp. */
  now: Date;
}

/** One signature scheme. */
export interface Verifier {
  /** The header (lower case) carrying the delivery id: the key a repeated delivery is recognised by. */
  readonly deliveryIdHeader: string;
  /** Checks the delivery's signature (and timestamp, where the scheme signs one). */
  verify(request: WebhookRequest, options: VerifyOptions): Verification;
  /**
   * What the signature covers, in the order it is signed: the body, and the timestamp (and id) where the
   * scheme signs them. Two deliveries with the same signed content are one delivery sent twice, whatever
   * their unsigned headers (a fresh delivery id, say) claim.
   */
  signedContent(request: WebhookRequest): (string | Buffer)[];
  /** The headers a sender with `secret` would send with `body` (signature, timestamp, delivery id). */
  sign(body: Buffer, secret: string, options: SignOptions): Record<string, string>;
}

/**
 * The SHA-256 (hex) of what a verified delivery's signature covers: the key under which the intake remembers
 * it, so a captured delivery sent again under a fresh delivery id is still recognised.
 */
export function signedContentDigest(verifier: Verifier, request: WebhookRequest): string {
  const hash = createHash('sha256');
  for (const part of verifier.signedContent(request)) {
    // Length-prefixed, so the parts' boundaries are part of the digest.
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return hash.digest('hex');
}

/** HMAC-SHA256 of the parts, in order, under `key`. */
export function hmacSha256(key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/**
 * Whether two byte strings are equal, in time that does not depend on where they differ. `timingSafeEqual`
 * throws on unequal lengths, so compare digests of both: equal lengths always, and the length of a guess
 * tells nothing either.
 */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  const digest = (value: Buffer) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Standard base64 (`+/`, padded), strictly: `Buffer.from(…, 'base64')` would skip stray characters. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The bytes of canonical standard base64, or undefined when `text` is not that. Canonical: the unused bits of
 * the last character must be zero, so one digest has one spelling (as the senders' own string comparisons
 * assume) and a changed character is always a changed signature.
 */
export function decodeBase64(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Whether `then` is within `toleranceSeconds` of `now`, either way. */
export function withinTolerance(then: Date, now: Date, toleranceSeconds: number): boolean {
  return Math.abs(now.getTime() - then.getTime()) <= toleranceSeconds * 1000;
}
