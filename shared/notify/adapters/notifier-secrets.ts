/**
 * The notifier's credentials from one Secrets Manager secret (shared/notify/secrets.ts says what it holds),
 * cached as the other secrets are: for minutes, read again after a refused credential.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CachedSecret } from '../../aws/cached-secret.ts';
import { NotifierSecretError } from '../errors.ts';
import { type NotifierSecretSource, type NotifierSecrets, parseNotifierSecrets } from '../secrets.ts';

export interface SecretNotifierSecretsOptions {
  secretId: string;
  client?: SecretsManagerClient;
  maxAgeSeconds?: number;
}

export class SecretNotifierSecrets extends CachedSecret<NotifierSecrets> implements NotifierSecretSource {
  constructor(options: SecretNotifierSecretsOptions) {
    super({
      ...options,
      parse: (raw) => parseNotifierSecrets(raw, `notifier secret "${options.secretId}"`),
      error: (message, cause) => new NotifierSecretError(message, cause === undefined ? {} : { cause }),
      holds: 'notifier credentials',
      label: 'notifier secret',
    });
  }
}
