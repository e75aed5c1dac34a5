import { describe, expect, it } from 'vitest';
import { AtlasConnectionError } from '../../../../../shared/atlas/connection.ts';
import {
  connectionFromEnv,
  parseAtlasSecret,
} from '../../../../../shared/lambda/adapters/secret-atlas-connection.ts';

// Distinctive values, so a leak into a message cannot hide behind a common word.
const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567';
const CLIENT_SECRET = 'mdb_sa_sk_Sup3rS3cr3tV4lue';
const PUBLIC_KEY = 'pubkeyzq';
const PRIVATE_KEY = 'a1b2c3d4-priv-4444-8888-0123456789ab';
const ORG_ID = '65f0a0c0ffee000000000aaa';
// JSON.parse quotes the first 10 characters of what it cannot parse: a short secret would leak whole.
const SHORT_SECRET = 'hunter2x';
const SECRET_VALUES = [CLIENT_SECRET, PRIVATE_KEY, SHORT_SECRET];

/** The AtlasConnectionError `act` throws; fails the test when it throws nothing or something else. */
function connectionError(act: () => unknown): AtlasConnectionError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(AtlasConnectionError);
    return error as AtlasConnectionError;
  }
  throw new Error('expected an AtlasConnectionError');
}

const secret = (fields: Record<string, unknown>) => JSON.stringify(fields);

describe('parseAtlasSecret', () => {
  it.each([
    ['service account', { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    ['CloudFormation-profile service account', { ClientId: CLIENT_ID, ClientSecret: CLIENT_SECRET }],
    ['Terraform service account', { client_id: CLIENT_ID, client_secret: CLIENT_SECRET }],
  ])('reads a %s', (_kind, fields) => {
    // Act
    const connection = parseAtlasSecret(secret(fields));

    // Assess
    expect(connection).toEqual({
      credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      baseUrl: 'https://cloud.mongodb.com',
    });
  });

  it.each([
    ['API key', { publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY }],
    ['CloudFormation-profile API key', { PublicKey: PUBLIC_KEY, PrivateKey: PRIVATE_KEY }],
    ['Terraform API key', { public_key: PUBLIC_KEY, private_key: PRIVATE_KEY }],
  ])('reads an %s', (_kind, fields) => {
    // Act
    const connection = parseAtlasSecret(secret(fields));

    // Assess
    expect(connection).toEqual({
      credentials: { publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY },
      baseUrl: 'https://cloud.mongodb.com',
    });
  });

  it('reads the managed MongoDBAtlasServiceAccount secret, orgId included', () => {
    // Prepare
    const managed = secret({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, orgId: ORG_ID });

    // Act
    const connection = parseAtlasSecret(managed);

    // Assess
    expect(connection.orgId).toBe(ORG_ID);
    expect(connection.credentials).toEqual({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  });

  it('prefers a service account over an API key when a secret holds both', () => {
    // Prepare
    const both = secret({
      publicKey: PUBLIC_KEY,
      privateKey: PRIVATE_KEY,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });

    // Act
    const connection = parseAtlasSecret(both);

    // Assess
    expect(connection.credentials).toEqual({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  });

  it('prefers the canonical spelling when a field is spelled twice', () => {
    // Prepare
    const twice = secret({ publicKey: PUBLIC_KEY, PublicKey: 'otherpub', privateKey: PRIVATE_KEY });

    // Act
    const connection = parseAtlasSecret(twice);

    // Assess
    expect(connection.credentials).toEqual({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
  });

  it.each([
    ['baseUrl', 'https://cloud.mongodbgov.com', 'https://cloud.mongodbgov.com'],
    ['BaseUrl', 'https://cloud-dev.mongodb.com/', 'https://cloud-dev.mongodb.com'],
    ['base_url', 'https://atlas.example.com:8443', 'https://atlas.example.com:8443'],
    ['baseUrl', 'http://127.0.0.1:40123', 'http://127.0.0.1:40123'],
    ['baseUrl', 'http://localhost:8080/', 'http://localhost:8080'],
  ])('takes %s %s as the origin %s', (field, given, expected) => {
    // Act
    const connection = parseAtlasSecret(
      secret({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, [field]: given }),
    );

    // Assess
    expect(connection.baseUrl).toBe(expected);
  });

  it.each([
    ['http://cloud.mongodb.com', 'must be an https URL'],
    ['http://10.0.0.5:8080', 'must be an https URL'],
    ['ftp://cloud.mongodb.com', 'must be an https URL'],
    ['cloud.mongodb.com', 'must be an absolute URL'],
    ['https://cloud.mongodb.com/api/atlas/v2', 'without a path'],
    ['https://cloud.mongodb.com/?x=1', 'without a path or query'],
    [`https://me:${CLIENT_SECRET}@cloud.mongodb.com`, 'must not contain a user or password'],
  ])('refuses the base URL %s', (baseUrl, problem) => {
    // Act
    const error = connectionError(() =>
      parseAtlasSecret(secret({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl })),
    );

    // Assess
    expect(error.message).toContain('baseUrl');
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain(CLIENT_SECRET);
  });

  it.each([
    ['clientSecret', { clientId: CLIENT_ID }],
    ['clientId', { clientSecret: CLIENT_SECRET }],
    ['client_secret', { client_id: CLIENT_ID }],
    ['ClientId', { ClientSecret: CLIENT_SECRET }],
    ['privateKey', { publicKey: PUBLIC_KEY }],
    ['PrivateKey', { PublicKey: PUBLIC_KEY, BaseUrl: 'https://cloud.mongodb.com' }],
    ['public_key', { private_key: PRIVATE_KEY }],
    // Half a service account is an error even next to a whole API key: the author meant a service account.
    ['clientSecret', { clientId: CLIENT_ID, publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY }],
  ])('names the missing half %s of a pair', (missing, fields) => {
    // Act
    const error = connectionError(() => parseAtlasSecret(secret(fields)));

    // Assess
    expect(error.message).toMatch(new RegExp(`\\b${missing} is missing`));
  });

  it.each([
    ['clientId', { clientId: 'client-1', clientSecret: CLIENT_SECRET }, 'mdb_sa_id_'],
    ['clientSecret', { clientId: CLIENT_ID, clientSecret: '' }, 'must not be empty'],
    ['privateKey', { publicKey: PUBLIC_KEY, privateKey: 12345 }, 'must be a string'],
    ['orgId', { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, orgId: 'my-org' }, '24-character'],
  ])('names the bad field %s', (field, fields, problem) => {
    // Act
    const error = connectionError(() => parseAtlasSecret(secret(fields)));

    // Assess
    expect(error.message).toContain(field);
    expect(error.message).toContain(problem);
  });

  it.each([
    ['not JSON', `clientSecret=${CLIENT_SECRET}`, 'not valid JSON'],
    ['truncated JSON', `{"publicKey":"${PUBLIC_KEY}","privateKey":"${PRIVATE_KEY}`, 'not valid JSON'],
    ['a JSON string', JSON.stringify(PRIVATE_KEY), 'must be a JSON object'],
    ['a JSON array', JSON.stringify([CLIENT_ID, CLIENT_SECRET]), 'must be a JSON object'],
    [
      'an object of neither kind',
      secret({ username: 'admin', password: PRIVATE_KEY }),
      'holds no Atlas credentials',
    ],
  ])('refuses %s with one clear message', (_case, text, problem) => {
    // Act
    const error = connectionError(() => parseAtlasSecret(text));

    // Assess
    expect(error.message).toContain(problem);
  });

  it('never puts a secret value in any error message', () => {
    // Prepare: every way to fail, each with secret values around.
    const broken = [
      SHORT_SECRET,
      `not json ${CLIENT_SECRET} ${PRIVATE_KEY}`,
      `{"clientSecret":"${CLIENT_SECRET}"`,
      secret({ clientSecret: CLIENT_SECRET }),
      secret({ clientId: 'bad', clientSecret: CLIENT_SECRET }),
      secret({ privateKey: PRIVATE_KEY }),
      secret({
        publicKey: PUBLIC_KEY,
        privateKey: PRIVATE_KEY,
        baseUrl: `http://${PRIVATE_KEY}.example.com`,
      }),
      secret({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, orgId: PRIVATE_KEY }),
      secret({ password: CLIENT_SECRET }),
    ];

    // Act
    const messages = broken.map((text) => {
      const error = connectionError(() => parseAtlasSecret(text));
      return `${error.message} ${String(error.cause ?? '')} ${error.stack ?? ''}`;
    });

    // Assess
    for (const message of messages) {
      for (const value of SECRET_VALUES) expect(message).not.toContain(value);
    }
  });

  it('names the source in messages when given a label', () => {
    // Act
    const error = connectionError(() => parseAtlasSecret('{}', 'Atlas secret "prod/atlas"'));

    // Assess
    expect(error.message).toContain('Atlas secret "prod/atlas"');
  });
});

describe('connectionFromEnv', () => {
  it('is undefined when no Atlas variable is set', () => {
    // Act
    const connection = connectionFromEnv({ PATH: '/usr/bin', MONGODB_ATLAS_PUBLIC_API_KEY: '' });

    // Assess
    expect(connection).toBeUndefined();
  });

  it('reads a service account, base URL and org with the Atlas CLI names', () => {
    // Prepare
    const env = {
      MONGODB_ATLAS_CLIENT_ID: CLIENT_ID,
      MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET,
      MONGODB_ATLAS_BASE_URL: 'https://cloud.mongodbgov.com/',
      MONGODB_ATLAS_ORG_ID: ORG_ID,
    };

    // Act
    const connection = connectionFromEnv(env);

    // Assess
    expect(connection).toEqual({
      credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      baseUrl: 'https://cloud.mongodbgov.com',
      orgId: ORG_ID,
    });
  });

  it('reads an API key, with the default base URL', () => {
    // Act
    const connection = connectionFromEnv({
      MONGODB_ATLAS_PUBLIC_API_KEY: PUBLIC_KEY,
      MONGODB_ATLAS_PRIVATE_API_KEY: PRIVATE_KEY,
    });

    // Assess
    expect(connection).toEqual({
      credentials: { publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY },
      baseUrl: 'https://cloud.mongodb.com',
    });
  });

  it('prefers the service account when both kinds are set', () => {
    // Act
    const connection = connectionFromEnv({
      MONGODB_ATLAS_PUBLIC_API_KEY: PUBLIC_KEY,
      MONGODB_ATLAS_PRIVATE_API_KEY: PRIVATE_KEY,
      MONGODB_ATLAS_CLIENT_ID: CLIENT_ID,
      MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET,
    });

    // Assess
    expect(connection?.credentials).toEqual({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  });

  it.each([
    ['MONGODB_ATLAS_CLIENT_SECRET', { MONGODB_ATLAS_CLIENT_ID: CLIENT_ID }],
    ['MONGODB_ATLAS_CLIENT_ID', { MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET, MONGODB_ATLAS_CLIENT_ID: '' }],
    ['MONGODB_ATLAS_PRIVATE_API_KEY', { MONGODB_ATLAS_PUBLIC_API_KEY: PUBLIC_KEY }],
    ['MONGODB_ATLAS_PUBLIC_API_KEY', { MONGODB_ATLAS_PRIVATE_API_KEY: PRIVATE_KEY }],
  ])('names the missing variable %s when only half a pair is set', (missing, env) => {
    // Act
    const error = connectionError(() => connectionFromEnv(env));

    // Assess
    expect(error.message).toContain(`${missing} is missing`);
    for (const value of SECRET_VALUES) expect(error.message).not.toContain(value);
  });

  it('names MONGODB_ATLAS_BASE_URL when it is not https', () => {
    // Act
    const error = connectionError(() =>
      connectionFromEnv({
        MONGODB_ATLAS_PUBLIC_API_KEY: PUBLIC_KEY,
        MONGODB_ATLAS_PRIVATE_API_KEY: PRIVATE_KEY,
        MONGODB_ATLAS_BASE_URL: 'http://cloud.mongodb.com',
      }),
    );

    // Assess
    expect(error.message).toContain('MONGODB_ATLAS_BASE_URL must be an https URL');
  });
});
