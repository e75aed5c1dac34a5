/**
 * The credential vault on Secrets Manager: one secret per generated credential, created once (a retry finds
 * it and reuses its value), tagged with what it is for, shared with the principals the request names (a
 * resource policy) once the user is known to be the request's, deleted without a recovery window when its
 * user is.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import type { CredentialVault, StoredCredential } from '../ports.ts';

export class SecretsManagerCredentialVault implements CredentialVault {
  readonly #client: SecretsManagerClient;

  constructor(client: SecretsManagerClient) {
    this.#client = client;
  }

  async keep(
    name: string,
    value: string,
    options: { description: string; tags: Record<string, string> },
  ): Promise<StoredCredential & { value: string; created: boolean }> {
    let stored: StoredCredential & { value: string; created: boolean };
    try {
      const created = await this.#client.send(
        new CreateSecretCommand({
          Name: name,
          Description: options.description,
          SecretString: value,
          Tags: Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      stored = { name, arn: created.ARN ?? name, value, created: true };
    } catch (error) {
      if (!(error instanceof ResourceExistsException)) throw error;
      // A retry of the same operation: the first attempt's secret holds the password Atlas was (or will be) given.
      const existing = await this.#client.send(new GetSecretValueCommand({ SecretId: name }));
      stored = { name, arn: existing.ARN ?? name, value: existing.SecretString ?? value, created: false };
    }
    return stored;
  }

  async share(name: string, readers: readonly string[]): Promise<void> {
    await this.#client.send(
      new PutResourcePolicyCommand({
        SecretId: name,
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ReadTheGeneratedCredential',
              Effect: 'Allow',
              Principal: { AWS: [...readers] },
              Action: 'secretsmanager:GetSecretValue',
              Resource: '*',
            },
          ],
        }),
      }),
    );
  }

  async retag(name: string, tags: Record<string, string>): Promise<boolean> {
    try {
      await this.#client.send(
        new TagResourceCommand({
          SecretId: name,
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }

  async remove(name: string): Promise<boolean> {
    try {
      await this.#client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }
}
