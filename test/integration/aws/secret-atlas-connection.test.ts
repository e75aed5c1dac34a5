/**
 * SecretAtlasConnection through the real AWS SDK client and Powertools SecretsProvider, against the local
 * Secrets Manager stand-in over loopback HTTP.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalSecretsClient } from '../../../local/aws/clients.ts';
import {
  type SecretsManagerStandIn,
  startSecretsManagerStandIn,
} from '../../../local/aws/secrets-manager.ts';
import { AtlasConnectionError } from '../../../shared/atlas/connection.ts';
import { SecretAtlasConnection } from '../../../shared/lambda/adapters/secret-atlas-connection.ts';

const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567';
const FIRST_SECRET = 'mdb_sa_sk_first-value';
const ROTATED_SECRET = 'mdb_sa_sk_rotated-value';
const serviceAccount = (clientSecret: string) => JSON.stringify({ clientId: CLIENT_ID, clientSecret });

let secrets: SecretsManagerStandIn;
let client: SecretsManagerClient;
let counter = 0;

/** A secret of its own for each test, so request counts and rotations do not leak between tests. */
function newSecret(value = serviceAccount(FIRST_SECRET)): string {
  counter += 1;
  const name = `atlas-ops/test-${counter}`;
  secrets.putSecret(name, value);
  return name;
}

function fetchesOf(secretId: string): number {
  return secrets.requests.filter((r) => r.operation === 'GetSecretValue' && r.secretId === secretId).length;
}

async function rejection(promise: Promise<unknown>): Promise<AtlasConnectionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AtlasConnectionError);
  return error as AtlasConnectionError;
}

beforeAll(async () => {
  secrets = await startSecretsManagerStandIn();
  client = createLocalSecretsClient(secrets.endpoint);
});

afterAll(async () => {
  client.destroy();
  await secrets.close();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SecretAtlasConnection', () => {
  it('reads the credentials from a secret named by name or by ARN', async () => {
    // Prepare
    const name = newSecret();
    const byName = new SecretAtlasConnection({ secretId: name, client });
    const byArn = new SecretAtlasConnection({ secretId: secrets.arnOf(name) ?? '', client });

    // Act
    const [fromName, fromArn] = await Promise.all([byName.get(), byArn.get()]);

    // Assess
    const expected = {
      credentials: { clientId: CLIENT_ID, clientSecret: FIRST_SECRET },
      baseUrl: 'https://cloud.mongodb.com',
    };
    expect(fromName).toEqual(expected);
    expect(fromArn).toEqual(expected);
  });

  it('serves repeated and concurrent gets from one fetch while the value is younger than maxAge', async () => {
    // Prepare
    const name = newSecret();
    const connection = new SecretAtlasConnection({ secretId: name, client, maxAgeSeconds: 300 });

    // Act
    await Promise.all([connection.get(), connection.get(), connection.get()]);
    await connection.get();

    // Assess
    expect(fetchesOf(name)).toBe(1);
  });

  it('fetches again once the cached value is older than maxAge', async () => {
    // Prepare: only Date is faked, so HTTP and the SDK's timers run for real.
    vi.useFakeTimers({ toFake: ['Date'] });
    const name = newSecret();
    const connection = new SecretAtlasConnection({ secretId: name, client, maxAgeSeconds: 300 });
    await connection.get();
    secrets.putSecret(name, serviceAccount(ROTATED_SECRET));

    // Act
    vi.setSystemTime(Date.now() + 299_000);
    const stillCached = await connection.get();
    vi.setSystemTime(Date.now() + 2_000);
    const expired = await connection.get();

    // Assess
    expect(stillCached.credentials).toMatchObject({ clientSecret: FIRST_SECRET });
    expect(expired.credentials).toMatchObject({ clientSecret: ROTATED_SECRET });
    expect(fetchesOf(name)).toBe(2);
  });

  it('returns the rotated value on refresh, and caches it for later gets', async () => {
    // Prepare
    const name = newSecret();
    const connection = new SecretAtlasConnection({ secretId: name, client });
    await connection.get();
    secrets.putSecret(name, serviceAccount(ROTATED_SECRET));

    // Act
    const beforeRefresh = await connection.get();
    const refreshed = await connection.refresh();
    const afterRefresh = await connection.get();

    // Assess
    expect(beforeRefresh.credentials).toMatchObject({ clientSecret: FIRST_SECRET });
    expect(refreshed.credentials).toMatchObject({ clientSecret: ROTATED_SECRET });
    expect(afterRefresh.credentials).toMatchObject({ clientSecret: ROTATED_SECRET });
    expect(fetchesOf(name)).toBe(2);
  });

  it('answers a burst of refreshes (parallel 401s) with one fetch', async () => {
    // Prepare
    const name = newSecret();
    const connection = new SecretAtlasConnection({ secretId: name, client });
    await connection.get();

    // Act
    await Promise.all([connection.refresh(), connection.refresh(), connection.refresh()]);

    // Assess
    expect(fetchesOf(name)).toBe(2);
  });

  it('names the secret id and the AWS error when the secret does not exist', async () => {
    // Prepare
    const connection = new SecretAtlasConnection({ secretId: 'atlas-ops/missing', client });

    // Act
    const error = await rejection(connection.get());

    // Assess
    expect(error.message).toContain('"atlas-ops/missing"');
    expect(error.message).toContain('ResourceNotFoundException');
  });

  it('names the secret id and the field, not the value, when the secret is malformed', async () => {
    // Prepare
    const name = newSecret(JSON.stringify({ clientSecret: FIRST_SECRET }));
    const connection = new SecretAtlasConnection({ secretId: name, client });

    // Act
    const error = await rejection(connection.get());

    // Assess
    expect(error.message).toContain(`"${name}"`);
    expect(error.message).toContain('clientId is missing');
    expect(error.message).not.toContain(FIRST_SECRET);
  });

  it('reads a malformed value again on the next get (mid-rotation), instead of serving it from the cache', async () => {
    // Prepare: a rotation caught half-written, fixed a moment later
    const name = newSecret(JSON.stringify({ clientSecret: FIRST_SECRET }));
    const connection = new SecretAtlasConnection({ secretId: name, client });
    await rejection(connection.get());
    secrets.putSecret(name, serviceAccount(ROTATED_SECRET));

    // Act
    const recovered = await connection.get();

    // Assess
    expect(recovered.credentials).toMatchObject({ clientSecret: ROTATED_SECRET });
    expect(fetchesOf(name)).toBe(2);
  });

  it('turns an unreachable Secrets Manager into an AtlasConnectionError', async () => {
    // Prepare: a port that was just closed refuses connections.
    const gone = await startSecretsManagerStandIn();
    await gone.close();
    const unreachable = new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: gone.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const connection = new SecretAtlasConnection({ secretId: 'atlas-ops/any', client: unreachable });

    // Act
    const error = await rejection(connection.get());

    // Assess
    expect(error.message).toContain('"atlas-ops/any"');
    expect(error.message).toMatch(/ECONNREFUSED/);
    unreachable.destroy();
  });

  it('refuses a maxAge that is not a whole number of seconds', () => {
    // Act / Assess
    expect(() => new SecretAtlasConnection({ secretId: 'x', client, maxAgeSeconds: 0.5 })).toThrow(
      RangeError,
    );
  });
});
