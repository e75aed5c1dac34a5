import { describe, expect, it } from 'vitest';
import { standardWebhooks } from '../../../../../shared/webhooks/verifiers/standard-webhooks.ts';

// The reference library's test vector (standard-webhooks `libraries/javascript/src/webhook.test.ts`;
// reference/webhooks.md §8).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = '1614265330';
const BODY = Buffer.from('{"test": 2432232314}');
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const SIGNED_AT = new Date(Number(TIMESTAMP) * 1000);

const headers = (extra: Record<string, string | undefined> = {}) => ({
  'webhook-id': ID,
  'webhook-timestamp': TIMESTAMP,
  'webhook-signature': SIGNATURE,
  ...extra,
});
const at = (now: Date, secrets = [SECRET]) => ({ secrets, now, toleranceSeconds: 300 });
const verify = (h: Record<string, string | undefined>, now = SIGNED_AT, body = BODY, secrets = [SECRET]) =>
  standardWebhooks.verify({ headers: h, body }, at(now, secrets));

describe('Standard Webhooks signatures', () => {
  it('accepts the known-answer vector', () => {
    // Act + Assess
    expect(verify(headers())).toEqual({ ok: true });
  });

  it('signs to the known answer; the webhook-id is the delivery id', () => {
    // Act
    const signed = standardWebhooks.sign(BODY, SECRET, { deliveryId: ID, now: SIGNED_AT });

    // Assess
    expect(signed).toEqual(headers());
    expect(standardWebhooks.deliveryIdHeader).toBe('webhook-id');
  });

  it('accepts the secret without its whsec_ prefix, as the reference library does', () => {
    // Act + Assess
    expect(verify(headers(), SIGNED_AT, BODY, [SECRET.slice('whsec_'.length)])).toEqual({ ok: true });
  });

  it('accepts any v1 entry of a space-separated list (a sender rotating its key) and skips other versions', () => {
    // Prepare
    const list = `v1a,${'A'.repeat(86)}== v1,${'B'.repeat(43)}= ${SIGNATURE}`;

    // Act + Assess
    expect(verify(headers({ 'webhook-signature': list }))).toEqual({ ok: true });
  });

  it('accepts the previous secret during a rotation', () => {
    // Act + Assess
    expect(verify(headers(), SIGNED_AT, BODY, ['whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', SECRET])).toEqual({
      ok: true,
    });
  });

  it.each([
    ['stale (5 min 1 s old)', 301],
    ['from the future', -301],
  ])('refuses a timestamp %s', (_case, offsetSeconds) => {
    // Act
    const result = verify(headers(), new Date(SIGNED_AT.getTime() + offsetSeconds * 1000));

    // Assess
    expect(result).toEqual({ ok: false, reason: 'TIMESTAMP_OUT_OF_RANGE' });
  });

  it.each([
    ['no signature', { 'webhook-signature': undefined }, BODY, 'SIGNATURE_MISSING'],
    ['no id (it is signed)', { 'webhook-id': undefined }, BODY, 'SIGNATURE_MISSING'],
    ['no timestamp', { 'webhook-timestamp': undefined }, BODY, 'TIMESTAMP_MISSING'],
    ['an ISO timestamp', { 'webhook-timestamp': '2021-02-25T15:02:10Z' }, BODY, 'TIMESTAMP_MALFORMED'],
    ['only v1a signatures', { 'webhook-signature': `v1a,${'A'.repeat(86)}==` }, BODY, 'SIGNATURE_MALFORMED'],
    ['another id than the one signed', { 'webhook-id': 'msg_other' }, BODY, 'SIGNATURE_MISMATCH'],
    [
      'another timestamp than the one signed',
      { 'webhook-timestamp': '1614265331' },
      BODY,
      'SIGNATURE_MISMATCH',
    ],
    ['a body changed after signing', {}, Buffer.from('{"test": 2432232315}'), 'SIGNATURE_MISMATCH'],
  ])('refuses %s', (_case, extra, body, reason) => {
    // Act
    const result = verify(headers(extra), SIGNED_AT, body);

    // Assess
    expect(result).toEqual({ ok: false, reason });
  });

  it('keys the HMAC with the decoded bytes, not the text of the secret', () => {
    // Act + Assess
    expect(verify(headers(), SIGNED_AT, BODY, ['whsec_not-base64!'])).toEqual({
      ok: false,
      reason: 'SIGNATURE_MISMATCH',
    });
  });
});
