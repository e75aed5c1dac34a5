/**
 * The webhook secrets: one JSON secret in Secrets Manager holding each source's secret, and optionally the
 * one before it, accepted until it is removed (a rotation: change the sender, then drop `previous`):
 *
 * ```json
 * { "jira": "…", "github": { "current": "…", "previous": "…" }, "zendesk": "…",
 *   "servicenow": "<bearer token>", "standard": "whsec_…" }
 * ```
 *
 * A source missing from the secret accepts nothing (every delivery to it is refused). shared/aws reads the
 * secret and caches it (`SecretWebhookSecrets`); this module says what it must hold.
 */
import { WebhookSecretError } from './errors.ts';
import { isWebhookSource, WEBHOOK_SOURCES, type WebhookSource } from './sources.ts';
import { standardWebhooksKey } from './verifiers/standard-webhooks.ts';

/** Each configured source's secrets, current first. */
export type WebhookSecretSet = Readonly<Partial<Record<WebhookSource, readonly string[]>>>;

/** Where the intake gets its secrets: the cached Secrets Manager secret in AWS, a fixed set in unit tests. */
export interface WebhookSecretSource {
  /** The secrets, from a cache for a few minutes. Throws `WebhookSecretError` when they cannot be read. */
  get(): Promise<WebhookSecretSet>;
  /** Reads the secrets again, whatever the cache holds (a delivery was refused: they may have been rotated). */
  refresh(): Promise<WebhookSecretSet>;
}

/**
 * An HMAC key shorter than the digest it makes (32 bytes for SHA-256) is weaker than the signature, and a
 * short one can be guessed offline from one captured delivery (RFC 2104 §3: keys shorter than the output
 * length are discouraged).
 */
const MIN_HMAC_SECRET_BYTES = 32;
/** A bearer token is the whole credential: no shorter than the HMAC keys. */
const MIN_TOKEN_CHARS = 32;
/** Standard Webhooks: a secret of 24 to 64 random bytes (spec, "Symmetric"). */
const STANDARD_KEY_BYTES = { min: 24, max: 64 };

/**
 * Reads the secret's JSON. Throws a `WebhookSecretError` naming the source and field at fault, never a value.
 * @example parseWebhookSecrets('{"jira":"s3cret","github":{"current":"new","previous":"old"}}')
 * // { jira: ['s3cret'], github: ['new', 'old'] }
 */
export function parseWebhookSecrets(raw: string, label = 'webhook secret'): WebhookSecretSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // JSON.parse's message quotes the text it stopped at, which is the secret.
    throw new WebhookSecretError(`${label} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WebhookSecretError(`${label} must be a JSON object with one key per source`);
  }
  const set: Partial<Record<WebhookSource, string[]>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!isWebhookSource(key)) {
      throw new WebhookSecretError(
        `${label}: "${clip(key)}" is not a source (expected ${WEBHOOK_SOURCES.join(', ')})`,
      );
    }
    const secrets = secretsOf(key, value, label);
    secrets.forEach((secret, index) => {
      checkSecret(key, secret, `${label}: ${key}${index === 0 ? '' : '.previous'}`);
    });
    set[key] = secrets;
  }
  return set;
}

function secretsOf(source: WebhookSource, value: unknown, label: string): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WebhookSecretError(`${label}: ${source} must be a string or {"current", "previous"}`);
  }
  const { current, previous, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) {
    throw new WebhookSecretError(`${label}: ${source}.${clip(unknown)} is not a field (current, previous)`);
  }
  if (typeof current !== 'string')
    throw new WebhookSecretError(`${label}: ${source}.current must be a string`);
  if (previous === undefined || previous === null) return [current];
  if (typeof previous !== 'string')
    throw new WebhookSecretError(`${label}: ${source}.previous must be a string`);
  return [current, previous];
}

function checkSecret(source: WebhookSource, secret: string, name: string): void {
  if (secret.trim() === '') throw new WebhookSecretError(`${name} must not be empty`);
  if (
    (source === 'jira' || source === 'github' || source === 'zendesk') &&
    Buffer.byteLength(secret, 'utf8') < MIN_HMAC_SECRET_BYTES
  ) {
    throw new WebhookSecretError(
      `${name} must be at least ${MIN_HMAC_SECRET_BYTES} bytes: a random secret, as the sender's "generate" makes`,
    );
  }
  if (source === 'servicenow' && (secret.length < MIN_TOKEN_CHARS || /\s/.test(secret))) {
    throw new WebhookSecretError(
      `${name} must be a bearer token of at least ${MIN_TOKEN_CHARS} characters without spaces`,
    );
  }
  if (source === 'standard') {
    const key = standardWebhooksKey(secret);
    if (!key || key.length < STANDARD_KEY_BYTES.min || key.length > STANDARD_KEY_BYTES.max) {
      throw new WebhookSecretError(
        `${name} must be whsec_ followed by the base64 of ${STANDARD_KEY_BYTES.min} to ${STANDARD_KEY_BYTES.max} random bytes`,
      );
    }
  }
}

/** A key is echoed only when it looks like a name someone mistyped, never when it could be a pasted value. */
function clip(key: string): string {
  return /^[A-Za-z][A-Za-z_-]{0,19}$/.test(key) ? key : '(a key that is not a name)';
}
