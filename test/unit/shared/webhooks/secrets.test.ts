import { describe, expect, it } from 'vitest';
import { WebhookSecretError } from '../../../../shared/webhooks/errors.ts';
import { parseWebhookSecrets } from '../../../../shared/webhooks/secrets.ts';

const STANDARD = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const TOKEN = 'servicenow-token-0123456789-abcdefghij';
/** 32 bytes and more, as every HMAC secret must be. */
const HMAC = (name: string) => `${name}-secret-of-thirty-two-bytes-or-more`;
// Distinctive, so a leak into a message cannot hide.
const LEAKY = 'hunter2-leaky-value';

describe('parseWebhookSecrets', () => {
  it('reads each source, with a previous secret where one is given', () => {
    // Act
    const set = parseWebhookSecrets(
      JSON.stringify({
        jira: HMAC('jira'),
        github: { current: HMAC('new'), previous: HMAC('old') },
        zendesk: { current: HMAC('zd') },
        servicenow: TOKEN,
        standard: STANDARD,
      }),
    );

    // Assess
    expect(set).toEqual({
      jira: [HMAC('jira')],
      github: [HMAC('new'), HMAC('old')],
      zendesk: [HMAC('zd')],
      servicenow: [TOKEN],
      standard: [STANDARD],
    });
  });

  it('leaves a source out when the secret has none (its deliveries are refused)', () => {
    // Act + Assess
    expect(parseWebhookSecrets(JSON.stringify({ jira: HMAC('x') }))).toEqual({ jira: [HMAC('x')] });
  });

  it.each([
    [LEAKY, /is not valid JSON/],
    ['[]', /must be a JSON object/],
    [JSON.stringify({ githb: 'x' }), /"githb" is not a source/],
    [JSON.stringify({ [LEAKY]: 'x' }), /a key that is not a name/],
    [JSON.stringify({ jira: 7 }), /jira must be a string or/],
    [JSON.stringify({ jira: { current: LEAKY, next: 'x' } }), /jira\.next is not a field/],
    [JSON.stringify({ jira: { previous: LEAKY } }), /jira\.current must be a string/],
    [JSON.stringify({ jira: ' ' }), /jira must not be empty/],
    [JSON.stringify({ servicenow: 'short' }), /servicenow must be a bearer token of at least 32/],
    [JSON.stringify({ jira: 'x' }), /jira must be at least 32 bytes/],
    [
      JSON.stringify({ github: { current: HMAC('new'), previous: 'one-char' } }),
      /github\.previous must be at least 32 bytes/,
    ],
    [JSON.stringify({ zendesk: 'a'.repeat(31) }), /zendesk must be at least 32 bytes/],
    [
      JSON.stringify({ standard: `whsec_${Buffer.from('too short').toString('base64')}` }),
      /standard must be whsec_/,
    ],
    [
      JSON.stringify({ standard: { current: STANDARD, previous: LEAKY } }),
      /standard\.previous must be whsec_/,
    ],
  ])('refuses %s, naming the field and never the value', (raw, message) => {
    // Act
    let error: unknown;
    try {
      parseWebhookSecrets(raw);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(WebhookSecretError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(LEAKY);
  });
});
