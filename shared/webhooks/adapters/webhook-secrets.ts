/**
 * The webhook secrets from one Secrets Manager secret (shared/webhooks/secrets.ts says what it holds),
 * cached as the Atlas secret is: for minutes, read again on demand after a refused signature, never kept
 * when a value does not parse (a secret caught mid-rotation).
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CachedSecret } from '../../aws/cached-secret.ts';
import { WebhookSecretError } from '../errors.ts';
import { parseWebhookSecrets, type WebhookSecretSet, type WebhookSecretSource } from '../secrets.ts';

export interface SecretWebhookSecretsOptions {
  /** Name or ARN of the secret (`WEBHOOK_SECRET_ID` in Lambda). */
  secretId: string;
  /** Default: a client from the environment. */
  client?: SecretsManagerClient;
  /** How long a fetched secret is reused, in whole seconds. Default 300. */
  maxAgeSeconds?: number;
}

export class SecretWebhookSecrets extends CachedSecret<WebhookSecretSet> implements WebhookSecretSource {
  constructor(options: SecretWebhookSecretsOptions) {
    super({
      ...options,
      parse: (raw) => parseWebhookSecrets(raw, `webhook secret "${options.secretId}"`),
      error: (message, cause) => new WebhookSecretError(message, cause === undefined ? {} : { cause }),
      holds: 'webhook secrets',
      label: 'webhook secret',
    });
  }
}
