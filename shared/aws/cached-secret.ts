/**
 * One Secrets Manager secret, parsed and cached for minutes (not forever: a rotation must reach a warm Lambda).
 * The Atlas credentials (./atlas-connection.ts), the webhook secrets (./webhook-secrets.ts) and the notifier's
 * credentials (./notifier-secrets.ts) are each a CachedSecret with its own parser and errors, so they share one
 * caching and refetch behaviour.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface CachedSecretOptions<T> {
  /** Name or ARN of the secret. */
  secretId: string;
  /** Default: a client from the environment (region, credentials, `AWS_ENDPOINT_URL_SECRETS_MANAGER`). */
  client?: SecretsManagerClient | undefined;
  /** How long a fetched secret is reused, in whole seconds. Default 300; 0 fetches every time. */
  maxAgeSeconds?: number | undefined;
  /** Turns the secret's text into its value; throws an error that names the field at fault, never a value. */
  parse(raw: string): T;
  /**
   * The error for a secret that could not be read (`cause` is the AWS error) or has no value. The message
   * passed in already names the secret id; it never holds the value.
   */
  error(message: string, cause?: unknown): Error;
  /** What the secret holds, for messages: `Atlas credentials`, `webhook secrets`. */
  holds: string;
  /** What the secret is called in messages: `Atlas secret`, `webhook secret`. */
  label: string;
}

/**
 * A secret fetched with Powertools' SecretsProvider and kept for `maxAgeSeconds`. Build it once at module
 * scope; call `get()` per use and `refresh()` when the value in use was refused (it may have been rotated).
 */
export class CachedSecret<T> {
  readonly secretId: string;
  readonly #provider: SecretsProvider;
  readonly #maxAgeSeconds: number;
  readonly #options: CachedSecretOptions<T>;
  #inFlight: { promise: Promise<T>; forced: boolean } | undefined;
  #last: { raw: string; value: T } | undefined;
  #lastValueBad = false;

  constructor(options: CachedSecretOptions<T>) {
    const maxAge = options.maxAgeSeconds ?? 300;
    // Powertools adds the age with Date#setSeconds, which drops fractions: insist on whole seconds.
    if (!Number.isInteger(maxAge) || maxAge < 0) {
      throw new RangeError('maxAgeSeconds must be a whole number of seconds, 0 or more');
    }
    this.secretId = options.secretId;
    this.#maxAgeSeconds = maxAge;
    this.#options = options;
    this.#provider = new SecretsProvider(options.client ? { awsSdkV3Client: options.client } : {});
  }

  /** The value, from the cache while it is younger than `maxAgeSeconds`. */
  get(): Promise<T> {
    // Concurrent cold callers share one fetch; any fetch already under way is fresh enough for them.
    if (this.#inFlight) return this.#inFlight.promise;
    // A value that did not parse (a secret caught mid-rotation) is not served from the cache again.
    return this.#fetch(this.#lastValueBad);
  }

  /** Fetches the secret again, whatever the cache holds. */
  refresh(): Promise<T> {
    // A burst of refusals from parallel calls should cost one fetch, not one each.
    if (this.#inFlight?.forced) return this.#inFlight.promise;
    return this.#fetch(true);
  }

  #fetch(forced: boolean): Promise<T> {
    const promise = this.#load(forced).finally(() => {
      if (this.#inFlight?.promise === promise) this.#inFlight = undefined;
    });
    this.#inFlight = { promise, forced };
    return promise;
  }

  async #load(forceFetch: boolean): Promise<T> {
    const { error, holds, label, parse } = this.#options;
    let value: string | Uint8Array | undefined;
    try {
      value = await this.#provider.get(this.secretId, { maxAge: this.#maxAgeSeconds, forceFetch });
    } catch (failure) {
      // Powertools wraps the SDK's error (GetParameterError); its cause carries the AWS error name.
      const aws = failure instanceof Error && failure.cause instanceof Error ? failure.cause : failure;
      const name = aws instanceof Error ? aws.name : 'Error';
      const message = aws instanceof Error ? aws.message : String(aws);
      throw error(`Could not read ${holds} from secret "${this.secretId}": ${name}: ${message}`, aws);
    }
    if (value === undefined) throw error(`${label} "${this.secretId}" has no value`);
    const raw = typeof value === 'string' ? value : new TextDecoder().decode(value);
    // The cache hands back the same string until it expires: parse it once, keep one object per value.
    if (this.#last?.raw === raw) return this.#last.value;
    this.#lastValueBad = true;
    const parsed = parse(raw);
    this.#lastValueBad = false;
    this.#last = { raw, value: parsed };
    return parsed;
  }
}
