/**
 * Where Atlas credentials come from (design.md, "Credentials" and "CLI and environment"): one JSON secret in
 * Secrets Manager, or the Atlas CLI / Terraform environment variables. Every error names the field at fault
 * and never its value, so a message can go to a log as it is.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type AtlasConnection, AtlasConnectionError } from '../../atlas/connection.ts';
import { type AtlasCredentials, DEFAULT_BASE_URL } from '../../atlas/index.ts';
import { CachedSecret } from '../../aws/cached-secret.ts';
import { OBJECT_ID_PATTERN } from '../../config/rules.ts';

/** The spellings each field may have in a secret, canonical first; position = spelling family. */
const SECRET_FIELDS = {
  clientId: ['clientId', 'ClientId', 'client_id'],
  clientSecret: ['clientSecret', 'ClientSecret', 'client_secret'],
  publicKey: ['publicKey', 'PublicKey', 'public_key'],
  privateKey: ['privateKey', 'PrivateKey', 'private_key'],
  baseUrl: ['baseUrl', 'BaseUrl', 'base_url'],
  orgId: ['orgId', 'OrgId', 'org_id'],
} as const;

/** The Atlas CLI and Terraform provider names (design.md, "CLI and environment"). */
const ENV_FIELDS = {
  clientId: 'MONGODB_ATLAS_CLIENT_ID',
  clientSecret: 'MONGODB_ATLAS_CLIENT_SECRET',
  publicKey: 'MONGODB_ATLAS_PUBLIC_API_KEY',
  privateKey: 'MONGODB_ATLAS_PRIVATE_API_KEY',
  baseUrl: 'MONGODB_ATLAS_BASE_URL',
  orgId: 'MONGODB_ATLAS_ORG_ID',
} as const;

type Field = keyof typeof SECRET_FIELDS;

/** One field as found in the source: the name it was found under (for messages) and its raw value. */
interface Found {
  name: string;
  value: unknown;
}

/** How to name a field in a message: as found, or, when absent, as its partner's source would spell it. */
type Lookup = (field: Field) => Found | undefined;
type NameFor = (field: Field, partner: Found | undefined) => string;

const SERVICE_ACCOUNT_CLIENT_ID = /^mdb_sa_id_[a-fA-F0-9]{24}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * Reads one Atlas secret (JSON). Accepts, in order of preference, a service account (`clientId`,
 * `clientSecret`, optional `orgId`: the fields of Secrets Manager's managed `MongoDBAtlasServiceAccount`
 * type), an API key (`publicKey`, `privateKey`), and the CloudFormation-profile (`PublicKey`, `PrivateKey`,
 * `BaseUrl`) and Terraform (`client_id`, `client_secret`, `public_key`, `private_key`, `base_url`) spellings.
 *
 * @example parseAtlasSecret('{"clientId":"mdb_sa_id_…","clientSecret":"mdb_sa_sk_…"}')
 * @param label What to call the source in messages, e.g. `Atlas secret "prod/atlas"` (never a value).
 * @throws AtlasConnectionError naming the missing or bad field.
 */
export function parseAtlasSecret(secretString: string, label = 'Atlas secret'): AtlasConnection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // JSON.parse's own message quotes the text it choked on, which is the secret: never pass it on.
    throw new AtlasConnectionError(`${label} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AtlasConnectionError(`${label} must be a JSON object`);
  }
  const record = parsed as Record<string, unknown>;
  const lookup: Lookup = (field) => {
    for (const name of SECRET_FIELDS[field]) {
      if (record[name] !== undefined && record[name] !== null) return { name, value: record[name] };
    }
    return undefined;
  };
  // Name a missing half in the spelling family of the half that is there (`client_id` → `client_secret`).
  const nameFor: NameFor = (field, partner) => {
    const family = partner ? spellingFamily(partner.name) : 0;
    return SECRET_FIELDS[field][family] ?? SECRET_FIELDS[field][0];
  };
  const connection = buildConnection(lookup, nameFor, label);
  if (!connection) {
    throw new AtlasConnectionError(
      `${label} holds no Atlas credentials: expected clientId and clientSecret (service account) ` +
        'or publicKey and privateKey (API key)',
    );
  }
  return connection;
}

/**
 * Reads Atlas credentials from the Atlas CLI / Terraform environment variables; a service account wins over
 * an API key when both are set. Empty variables count as unset.
 *
 * @returns undefined when no credential variable is set (the caller may then try `--secret-id`).
 * @throws AtlasConnectionError naming the missing or bad variable.
 */
export function connectionFromEnv(env: Record<string, string | undefined>): AtlasConnection | undefined {
  const lookup: Lookup = (field) => {
    const name = ENV_FIELDS[field];
    const value = env[name];
    return value === undefined || value === '' ? undefined : { name, value };
  };
  return buildConnection(lookup, (field) => ENV_FIELDS[field], 'Atlas credentials from the environment');
}

/** The shared rules for both sources; undefined when no credential field is there at all. */
function buildConnection(lookup: Lookup, nameFor: NameFor, label: string): AtlasConnection | undefined {
  const fail = (problem: string): never => {
    throw new AtlasConnectionError(`${label}: ${problem}`);
  };
  const text = (found: Found): string => {
    if (typeof found.value !== 'string') return fail(`${found.name} must be a string`);
    if (found.value.trim() === '') return fail(`${found.name} must not be empty`);
    return found.value;
  };
  const pair = (first: Field, second: Field): [string, string] | undefined => {
    const a = lookup(first);
    const b = lookup(second);
    if (!a && !b) return undefined;
    // Half a pair means the author meant this kind: say what is missing rather than fall back silently.
    if (!a) return fail(`${nameFor(first, b)} is missing (${b?.name} is set; both are needed)`);
    if (!b) return fail(`${nameFor(second, a)} is missing (${a.name} is set; both are needed)`);
    return [text(a), text(b)];
  };

  let credentials: AtlasCredentials;
  const serviceAccount = pair('clientId', 'clientSecret');
  if (serviceAccount) {
    const [clientId, clientSecret] = serviceAccount;
    if (!SERVICE_ACCOUNT_CLIENT_ID.test(clientId)) {
      fail(`${lookup('clientId')?.name} must be a service account client id (mdb_sa_id_ and 24 hex digits)`);
    }
    credentials = { clientId, clientSecret };
  } else {
    const apiKey = pair('publicKey', 'privateKey');
    if (!apiKey) return undefined;
    const [publicKey, privateKey] = apiKey;
    credentials = { publicKey, privateKey };
  }

  const connection: AtlasConnection = { credentials, baseUrl: DEFAULT_BASE_URL };
  const baseUrl = lookup('baseUrl');
  if (baseUrl) connection.baseUrl = normaliseBaseUrl(baseUrl.name, text(baseUrl), fail);
  const orgId = lookup('orgId');
  if (orgId) {
    const value = text(orgId);
    if (!OBJECT_ID_PATTERN.test(value)) fail(`${orgId.name} must be a 24-character lowercase hexadecimal id`);
    connection.orgId = value;
  }
  return connection;
}

/** 0 camelCase, 1 PascalCase (CloudFormation profiles), 2 snake_case (Terraform). */
function spellingFamily(name: string): number {
  if (name.includes('_')) return 2;
  return /^[A-Z]/.test(name) ? 1 : 0;
}

/**
 * Atlas base URLs are an origin: https, or plain http only on this machine (the simulator). A user name or
 * password in the URL is refused so that a logged base URL can never leak one.
 */
function normaliseBaseUrl(name: string, raw: string, fail: (problem: string) => never): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`${name} must be an absolute URL such as ${DEFAULT_BASE_URL}`);
  }
  const local = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !local) {
    return fail(`${name} must be an https URL (plain http only for 127.0.0.1 or localhost)`);
  }
  if (url.username !== '' || url.password !== '') return fail(`${name} must not contain a user or password`);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    return fail(`${name} must be a scheme and host (and port) only, without a path or query`);
  }
  return url.origin;
}

export interface SecretAtlasConnectionOptions {
  /** Name or ARN of the secret (`ATLAS_SECRET_ID` in Lambda). */
  secretId: string;
  /** Default: a client from the environment (region, credentials, `AWS_ENDPOINT_URL_SECRETS_MANAGER`). */
  client?: SecretsManagerClient;
  /** How long a fetched secret is reused, in whole seconds. Default 300; 0 fetches every time. */
  maxAgeSeconds?: number;
}

/**
 * Atlas credentials from one Secrets Manager secret, cached for minutes (not forever: rotation must reach
 * a warm Lambda). Build it once at module scope; call `get()` per use and `refresh()` once after Atlas
 * answers 401, since the secret may have been rotated under us.
 */
export class SecretAtlasConnection extends CachedSecret<AtlasConnection> {
  constructor(options: SecretAtlasConnectionOptions) {
    super({
      ...options,
      parse: (raw) => parseAtlasSecret(raw, `Atlas secret "${options.secretId}"`),
      error: (message, cause) => new AtlasConnectionError(message, cause === undefined ? {} : { cause }),
      holds: 'Atlas credentials',
      label: 'Atlas secret',
    });
  }
}
