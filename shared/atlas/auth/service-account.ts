/**
 * OAuth 2.0 client credentials for an Atlas service account: `POST {baseUrl}/api/oauth/token` with HTTP
 * Basic auth. Tokens live an hour; we cache one per client id, renew it well before it expires, and let
 * only one renewal run at a time however many calls want a token at once.
 */

import { AtlasAuthError, AtlasNetworkError } from '../errors.ts';
import { parseRetryAfter } from '../retry.ts';
import { type Dispatcher, errors as undiciErrors } from '../undici.ts';
import type { Authenticator } from './authenticator.ts';

interface CachedToken {
  accessToken: string;
  expiresAt: number;
  renewAt: number;
}

/**
 * Tokens by client id, shared by every client in the process (a Lambda container keeps its token across
 * invocations). Renewals in flight are shared too, so 50 concurrent calls cause one token request.
 */
export class TokenCache {
  readonly tokens = new Map<string, CachedToken>();
  readonly renewals = new Map<string, Promise<CachedToken>>();
}

const processTokenCache = new TokenCache();

/**
 * Seconds before expiry at which a token is renewed: a fifth of its life, at least a minute, but never more
 * than half its life (so a short-lived token is still reused).
 */
export function renewalMarginMs(lifetimeMs: number): number {
  return Math.min(lifetimeMs / 2, Math.max(60_000, lifetimeMs / 5));
}

export interface ServiceAccountAuthOptions {
  clientId: string;
  clientSecret: string;
  baseUrl: string;
  dispatcher: Dispatcher;
  /** Defaults to the process-wide cache. */
  tokenCache?: TokenCache;
  /** Time allowed for one token request. Default 15 s. */
  timeoutMs?: number;
}

export class ServiceAccountAuth implements Authenticator {
  readonly kind = 'service-account';
  readonly #clientId: string;
  readonly #clientSecret: string;
  readonly #baseUrl: string;
  readonly #dispatcher: Dispatcher;
  readonly #cache: TokenCache;
  readonly #cacheKey: string;
  readonly #timeoutMs: number;

  constructor(options: ServiceAccountAuthOptions) {
    this.#clientId = options.clientId;
    this.#clientSecret = options.clientSecret;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#dispatcher = options.dispatcher;
    this.#cache = options.tokenCache ?? processTokenCache;
    this.#cacheKey = `${this.#baseUrl} ${options.clientId}`;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
  }

  async authorization(request: { signal?: AbortSignal | undefined }): Promise<string> {
    const token = await this.#currentToken(request.signal);
    return `Bearer ${token.accessToken}`;
  }

  onUnauthorized(_wwwAuthenticate: string | undefined, usedAuthorization: string | undefined): boolean {
    // Drop the token that was refused (unless a concurrent call already replaced it), then retry once.
    const cached = this.#cache.tokens.get(this.#cacheKey);
    if (cached && usedAuthorization === `Bearer ${cached.accessToken}`)
      this.#cache.tokens.delete(this.#cacheKey);
    return usedAuthorization !== undefined;
  }

  /** Revokes the cached token (for CLI runs that should not leave a live token behind). */
  async revoke(signal?: AbortSignal): Promise<void> {
    const cached = this.#cache.tokens.get(this.#cacheKey);
    if (!cached) return;
    this.#cache.tokens.delete(this.#cacheKey);
    const body = new URLSearchParams({ token: cached.accessToken, token_type_hint: 'access_token' });
    const { statusCode, text } = await this.#postForm('/api/oauth/revoke', body, signal);
    if (statusCode >= 300) throw oauthError(statusCode, text, undefined);
  }

  async #currentToken(signal: AbortSignal | undefined): Promise<CachedToken> {
    const cached = this.#cache.tokens.get(this.#cacheKey);
    if (cached && Date.now() < cached.renewAt) return cached;
    let renewal = this.#cache.renewals.get(this.#cacheKey);
    if (!renewal) {
      renewal = this.#requestToken(signal).finally(() => this.#cache.renewals.delete(this.#cacheKey));
      this.#cache.renewals.set(this.#cacheKey, renewal);
    }
    try {
      return await renewal;
    } catch (error) {
      // A token that is still valid beats a failed renewal: keep working until it really expires.
      if (cached && Date.now() < cached.expiresAt) return cached;
      throw error;
    }
  }

  async #requestToken(signal: AbortSignal | undefined): Promise<CachedToken> {
    const requestedAt = Date.now();
    const { statusCode, text, retryAfter } = await this.#postForm(
      '/api/oauth/token',
      new URLSearchParams({ grant_type: 'client_credentials' }),
      signal,
    );
    if (statusCode !== 200) throw oauthError(statusCode, text, parseRetryAfter(retryAfter));
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new AtlasAuthError(statusCode, 'invalid_response', 'the token response is not JSON');
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') {
      throw new AtlasAuthError(statusCode, 'invalid_response', 'the token response has no access_token');
    }
    const lifetimeMs = (typeof parsed.expires_in === 'number' ? parsed.expires_in : 3600) * 1000;
    const token: CachedToken = {
      accessToken: parsed.access_token,
      expiresAt: requestedAt + lifetimeMs,
      renewAt: requestedAt + lifetimeMs - renewalMarginMs(lifetimeMs),
    };
    this.#cache.tokens.set(this.#cacheKey, token);
    return token;
  }

  async #postForm(
    path: string,
    form: URLSearchParams,
    signal: AbortSignal | undefined,
  ): Promise<{ statusCode: number; text: string; retryAfter: string | undefined }> {
    const basic = Buffer.from(`${this.#clientId}:${this.#clientSecret}`, 'utf8').toString('base64');
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    try {
      const response = await this.#dispatcher.request({
        origin: this.#baseUrl,
        path,
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const retryAfter = response.headers['retry-after'];
      return {
        statusCode: response.statusCode,
        text: await response.body.text(),
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const code = timeout.aborted
        ? 'TOKEN_TIMEOUT'
        : error instanceof undiciErrors.UndiciError
          ? error.code
          : ((error as { code?: string }).code ?? 'UNKNOWN');
      throw new AtlasNetworkError(code, 'POST', path, (error as Error).message);
    }
  }
}

function oauthError(status: number, text: string, retryAfterMs: number | undefined): AtlasAuthError {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') {
      const description = typeof body.error_description === 'string' ? body.error_description : undefined;
      return new AtlasAuthError(status, body.error, description, retryAfterMs);
    }
  } catch {
    // Not an OAuth error body (a proxy's HTML page, say): fall through to the status alone.
  }
  return new AtlasAuthError(status, `HTTP_${status}`, undefined, retryAfterMs);
}
