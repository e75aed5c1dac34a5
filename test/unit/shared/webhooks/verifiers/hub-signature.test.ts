import { describe, expect, it } from 'vitest';
import { VERIFIERS } from '../../../../../shared/webhooks/schemes.ts';
import type { VerifyOptions } from '../../../../../shared/webhooks/verifiers/verifier.ts';

// GitHub's official known answer (github/docs validating-webhook-deliveries.md; reference/webhooks.md §5).
const SECRET = "It's a Secret to Everybody";
const PAYLOAD = Buffer.from('Hello, World!');
const SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

const options = (secrets: string[] = [SECRET]): VerifyOptions => ({
  secrets,
  now: new Date(),
  toleranceSeconds: 300,
});

describe.each([
  ['github', 'x-hub-signature-256', 'x-github-delivery'],
  ['jira', 'x-hub-signature', 'x-atlassian-webhook-identifier'],
] as const)('the hub signature of %s (%s)', (source, signatureHeader, deliveryIdHeader) => {
  const verifier = VERIFIERS[source];
  const request = (signature: string | undefined, body = PAYLOAD) => ({
    headers: signature === undefined ? {} : { [signatureHeader]: signature },
    body,
  });

  it('accepts the known-answer vector', () => {
    // Act
    const result = verifier.verify(request(SIGNATURE), options());

    // Assess
    expect(result).toEqual({ ok: true });
  });

  it('signs to the known answer, with the delivery id in its header', () => {
    // Act
    const headers = verifier.sign(PAYLOAD, SECRET, { deliveryId: 'd-1', now: new Date() });

    // Assess
    expect(headers).toEqual({ [signatureHeader]: SIGNATURE, [deliveryIdHeader]: 'd-1' });
    expect(verifier.deliveryIdHeader).toBe(deliveryIdHeader);
  });

  it('accepts upper-case hex digits', () => {
    // Act
    const result = verifier.verify(request(`sha256=${SIGNATURE.slice(7).toUpperCase()}`), options());

    // Assess
    expect(result).toEqual({ ok: true });
  });

  it('accepts the previous secret during a rotation', () => {
    // Act
    const result = verifier.verify(request(SIGNATURE), options(['the new one', SECRET]));

    // Assess
    expect(result).toEqual({ ok: true });
  });

  it.each([
    ['no header', undefined, PAYLOAD, 'SIGNATURE_MISSING'],
    ['bare hex without sha256=', SIGNATURE.slice(7), PAYLOAD, 'SIGNATURE_MALFORMED'],
    ['sha1=', `sha1=${'0'.repeat(40)}`, PAYLOAD, 'SIGNATURE_MALFORMED'],
    ['a short digest', SIGNATURE.slice(0, -2), PAYLOAD, 'SIGNATURE_MALFORMED'],
    ['the body changed after signing', SIGNATURE, Buffer.from('Hello, World?'), 'SIGNATURE_MISMATCH'],
    ['a flipped digit', `${SIGNATURE.slice(0, -1)}f`, PAYLOAD, 'SIGNATURE_MISMATCH'],
  ])('refuses %s', (_case, signature, body, reason) => {
    // Act
    const result = verifier.verify(request(signature, body), options());

    // Assess
    expect(result).toEqual({ ok: false, reason });
  });

  it('refuses a signature made with another secret', () => {
    // Act
    const result = verifier.verify(request(SIGNATURE), options(['not the secret']));

    // Assess
    expect(result).toEqual({ ok: false, reason: 'SIGNATURE_MISMATCH' });
  });

  it('verifies the raw bytes, not a re-serialisation of the JSON', () => {
    // Prepare: the same JSON value, spaced differently
    const sent = Buffer.from('{"a": 1,  "b":[1,2]}');
    const signature = verifier.sign(sent, SECRET, { deliveryId: 'x', now: new Date() })[signatureHeader];

    // Act
    const exact = verifier.verify(request(signature, sent), options());
    const reformatted = verifier.verify(request(signature, Buffer.from('{"a":1,"b":[1,2]}')), options());

    // Assess
    expect(exact).toEqual({ ok: true });
    expect(reformatted).toEqual({ ok: false, reason: 'SIGNATURE_MISMATCH' });
  });
});
