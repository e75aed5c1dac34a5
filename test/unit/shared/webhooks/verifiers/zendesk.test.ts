import { describe, expect, it } from 'vitest';
import { zendesk } from '../../../../../shared/webhooks/verifiers/zendesk.ts';

// Zendesk's test secret and the reference note's known answer (reference/webhooks.md §3.1).
const SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const TIMESTAMP = '2021-03-25T05:09:27Z';
const BODY = Buffer.from('{"event":"ticket.updated","id":123}');
const SIGNATURE = 'S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM=';
const SIGNED_AT = new Date(TIMESTAMP);

const request = (headers: Record<string, string>, body = BODY) => ({ headers, body });
const signed = (extra: Record<string, string> = {}) => ({
  'x-zendesk-webhook-signature': SIGNATURE,
  'x-zendesk-webhook-signature-timestamp': TIMESTAMP,
  ...extra,
});
const at = (now: Date, secrets = [SECRET]) => ({ secrets, now, toleranceSeconds: 300 });

describe('Zendesk signatures', () => {
  it('accepts the known-answer vector (timestamp + body, base64, the secret used as-is)', () => {
    // Act
    const result = zendesk.verify(request(signed()), at(SIGNED_AT));

    // Assess
    expect(result).toEqual({ ok: true });
  });

  it('signs to the known answer, with the timestamp and invocation id headers', () => {
    // Act
    const headers = zendesk.sign(BODY, SECRET, { deliveryId: 'inv-1', now: SIGNED_AT });

    // Assess
    expect(headers).toEqual({
      'x-zendesk-webhook-signature': SIGNATURE,
      'x-zendesk-webhook-signature-timestamp': TIMESTAMP,
      'x-zendesk-webhook-invocation-id': 'inv-1',
    });
    expect(zendesk.deliveryIdHeader).toBe('x-zendesk-webhook-invocation-id');
  });

  it('accepts a delivery signed up to 5 minutes before or after now', () => {
    // Act
    const late = zendesk.verify(request(signed()), at(new Date(SIGNED_AT.getTime() + 300_000)));
    const early = zendesk.verify(request(signed()), at(new Date(SIGNED_AT.getTime() - 300_000)));

    // Assess
    expect(late).toEqual({ ok: true });
    expect(early).toEqual({ ok: true });
  });

  it.each([
    ['a stale timestamp (5 min 1 s old)', 301_000],
    ['a timestamp from the future', -301_000],
  ])('refuses %s even with a correct signature', (_case, offsetMs) => {
    // Act
    const result = zendesk.verify(request(signed()), at(new Date(SIGNED_AT.getTime() + offsetMs)));

    // Assess
    expect(result).toEqual({ ok: false, reason: 'TIMESTAMP_OUT_OF_RANGE' });
  });

  it.each([
    ['no signature', { 'x-zendesk-webhook-signature-timestamp': TIMESTAMP }, BODY, 'SIGNATURE_MISSING'],
    ['no timestamp', { 'x-zendesk-webhook-signature': SIGNATURE }, BODY, 'TIMESTAMP_MISSING'],
    [
      'a hex signature',
      signed({ 'x-zendesk-webhook-signature': 'ab'.repeat(32) }),
      BODY,
      'SIGNATURE_MALFORMED',
    ],
    [
      'a unix timestamp',
      signed({ 'x-zendesk-webhook-signature-timestamp': '1616648967' }),
      BODY,
      'TIMESTAMP_MALFORMED',
    ],
    [
      'another timestamp than the one signed',
      signed({ 'x-zendesk-webhook-signature-timestamp': '2021-03-25T05:09:28Z' }),
      BODY,
      'SIGNATURE_MISMATCH',
    ],
    [
      'a body changed after signing',
      signed(),
      Buffer.from('{"event":"ticket.updated","id":124}'),
      'SIGNATURE_MISMATCH',
    ],
  ])('refuses %s', (_case, headers, body, reason) => {
    // Act
    const result = zendesk.verify(request(headers, body), at(SIGNED_AT));

    // Assess
    expect(result).toEqual({ ok: false, reason });
  });

  it('does not base64-decode the secret (a common mistake in public receivers)', () => {
    // Act
    const decoded = zendesk.verify(request(signed()), at(SIGNED_AT, ['this_secret_is_for_testing_only']));

    // Assess
    expect(decoded).toEqual({ ok: false, reason: 'SIGNATURE_MISMATCH' });
  });

  it('accepts the previous secret during a rotation', () => {
    // Act
    const result = zendesk.verify(request(signed()), at(SIGNED_AT, ['new-secret', SECRET]));

    // Assess
    expect(result).toEqual({ ok: true });
  });
});
