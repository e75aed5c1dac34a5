import { describe, expect, it } from 'vitest';
import { bearerToken } from '../../../../../shared/webhooks/verifiers/bearer-token.ts';

const TOKEN = 'sn-0123456789abcdef-token';
const at = (secrets = [TOKEN]) => ({ secrets, now: new Date(), toleranceSeconds: 300 });
const verify = (authorization: string | undefined, secrets = [TOKEN]) =>
  bearerToken.verify(
    { headers: authorization === undefined ? {} : { authorization }, body: Buffer.from('{}') },
    at(secrets),
  );

describe('the ServiceNow bearer token', () => {
  it('accepts the token, whatever the case of "Bearer"', () => {
    // Act + Assess
    expect(verify(`Bearer ${TOKEN}`)).toEqual({ ok: true });
    expect(verify(`bearer ${TOKEN}`)).toEqual({ ok: true });
  });

  it('accepts the previous token during a rotation', () => {
    // Act + Assess
    expect(verify(`Bearer ${TOKEN}`, ['the-new-token-0123456789', TOKEN])).toEqual({ ok: true });
  });

  it('signs with the token and the Idempotency-Key header', () => {
    // Act
    const headers = bearerToken.sign(Buffer.from('{}'), TOKEN, {
      deliveryId: 'INC0012345-1',
      now: new Date(),
    });

    // Assess
    expect(headers).toEqual({ authorization: `Bearer ${TOKEN}`, 'idempotency-key': 'INC0012345-1' });
    expect(bearerToken.deliveryIdHeader).toBe('idempotency-key');
  });

  it.each([
    ['no Authorization header', undefined, 'SIGNATURE_MISSING'],
    ['Basic credentials', 'Basic dXNlcjpwYXNz', 'SIGNATURE_MALFORMED'],
    ['a wrong token', 'Bearer sn-0123456789abcdef-tokem', 'SIGNATURE_MISMATCH'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`, 'SIGNATURE_MISMATCH'],
    ['the token and more', `Bearer ${TOKEN}x`, 'SIGNATURE_MISMATCH'],
  ])('refuses %s', (_case, authorization, reason) => {
    // Act + Assess
    expect(verify(authorization)).toEqual({ ok: false, reason });
  });
});
