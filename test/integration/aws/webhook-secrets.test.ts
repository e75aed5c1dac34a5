/**
 * SecretWebhookSecrets through the real AWS SDK client and Powertools SecretsProvider, against the local
 * Secrets Manager stand-in: read by name or ARN, cached, read again on refresh, and never a value in an error.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSecretsClient } from '../../../local/aws/clients.ts';
import {
  type SecretsManagerStandIn,
  startSecretsManagerStandIn,
} from '../../../local/aws/secrets-manager.ts';
import { SecretWebhookSecrets } from '../../../shared/webhooks/adapters/webhook-secrets.ts';
import { WebhookSecretError } from '../../../shared/webhooks/errors.ts';

let secrets: SecretsManagerStandIn;
let client: SecretsManagerClient;

beforeAll(async () => {
  secrets = await startSecretsManagerStandIn();
  client = createLocalSecretsClient(secrets.endpoint);
});

afterAll(async () => {
  client.destroy();
  await secrets.close();
});

const fetchesOf = (name: string) =>
  secrets.requests.filter((r) => r.operation === 'GetSecretValue' && r.secretId === name).length;

/** HMAC secrets of the 32 bytes and more the intake requires. */
const J = 'jira-secret-of-thirty-two-bytes-or-more';
const NEW = 'the-new-secret-of-thirty-two-bytes-or-more';
const OLD = 'the-old-secret-of-thirty-two-bytes-or-more';

describe('SecretWebhookSecrets', () => {
  it('reads each source’s secrets by name or ARN and serves them from the cache', async () => {
    // Prepare
    secrets.putSecret('hooks/a', JSON.stringify({ jira: J, github: { current: NEW, previous: OLD } }));
    const byName = new SecretWebhookSecrets({ secretId: 'hooks/a', client });
    const byArn = new SecretWebhookSecrets({ secretId: secrets.arnOf('hooks/a') ?? '', client });

    // Act
    const first = await byName.get();
    await byName.get();
    const fromArn = await byArn.get();

    // Assess
    expect(first).toEqual({ jira: [J], github: [NEW, OLD] });
    expect(fromArn).toEqual(first);
    expect(fetchesOf('hooks/a')).toBe(1);
  });

  it('reads a rotated value on refresh', async () => {
    // Prepare
    secrets.putSecret('hooks/b', JSON.stringify({ jira: OLD }));
    const webhookSecrets = new SecretWebhookSecrets({ secretId: 'hooks/b', client });
    await webhookSecrets.get();
    secrets.putSecret('hooks/b', JSON.stringify({ jira: NEW, zendesk: J }));

    // Act
    const refreshed = await webhookSecrets.refresh();

    // Assess
    expect(refreshed).toEqual({ jira: [NEW], zendesk: [J] });
  });

  it('names the secret and the field of a malformed value, never the value', async () => {
    // Prepare
    secrets.putSecret('hooks/c', JSON.stringify({ servicenow: 'short-leaky' }));
    const webhookSecrets = new SecretWebhookSecrets({ secretId: 'hooks/c', client });

    // Act
    const error = await webhookSecrets.get().catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(WebhookSecretError);
    expect((error as Error).message).toContain('webhook secret "hooks/c": servicenow must be a bearer token');
    expect((error as Error).message).not.toContain('short-leaky');
  });

  it('names the secret and the AWS error when it does not exist', async () => {
    // Act
    const error = await new SecretWebhookSecrets({ secretId: 'hooks/missing', client })
      .get()
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(WebhookSecretError);
    expect((error as Error).message).toMatch(
      /Could not read webhook secrets from secret "hooks\/missing": ResourceNotFoundException/,
    );
  });
});
