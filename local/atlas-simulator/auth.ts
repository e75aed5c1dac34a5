/**
 * Authentication as Atlas does it: OAuth 2.0 client credentials for service accounts (`/api/oauth/token`,
 * `/api/oauth/revoke`, bearer tokens that expire) and HTTP Digest (RFC 7616, MD5, qop=auth) for API keys.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SimError } from './errors.ts';
import type { Principal } from './routes.ts';
import type { SimState } from './state.ts';

export const DIGEST_REALM = 'MMS Public API';

interface IssuedToken {
  clientId: string;
  orgId: string;
  expiresAt: number;
}

export interface OAuthAnswer {
  status: number;
  body: Record<string, unknown> | undefined;
}

const md5 = (value: string) => createHash('md5').update(value).digest('hex');

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function parseDigestParams(header: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (const match of header.replace(/^\s*digest\s+/i, '').matchAll(pattern)) {
    params.set((match[1] ?? '').toLowerCase(), match[2] ?? match[3] ?? '');
  }
  return params;
}

/**
 * No credentials, or wrong ones: real Atlas answers 401 with errorCode UNEXPECTED_ERROR and this detail, and
 * a fresh Digest challenge (the Atlas CLI's recorded e2e answers, test/e2e/atlas/interactive/setupfailure/
 * testdata/.snapshots/TestSetupFailureFlow/Invalid_Private_Key/).
 */
const notAuthorized = (headers: Record<string, string>) =>
  new SimError(401, 'UNEXPECTED_ERROR', 'You are not authorized for this resource.', { headers });

/**
 * A bearer token that is unknown or has expired: 401 UNAUTHORIZED, the code the Atlas CLI, which calls with
 * OAuth tokens, turns into "please log in" (internal/cli/commonerrors/errors.go). The detail is ours.
 */
const tokenRefused = (headers: Record<string, string>) =>
  new SimError(401, 'UNAUTHORIZED', 'The access token is invalid or has expired.', { headers });

export class Authenticator {
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #nonces = new Map<string, number>();
  readonly #tokenTtlSeconds: number;
  readonly #nonceTtlMs: number;

  constructor(options: { tokenTtlSeconds: number; nonceTtlMs?: number }) {
    this.#tokenTtlSeconds = options.tokenTtlSeconds;
    this.#nonceTtlMs = options.nonceTtlMs ?? 300_000;
  }

  reset(): void {
    this.#tokens.clear();
    this.#nonces.clear();
  }

  /** Makes every issued token invalid at once (what an expiry in the middle of a run looks like). */
  expireTokens(): number {
    const count = this.#tokens.size;
    this.#tokens.clear();
    return count;
  }

  /** `POST /api/oauth/token`: client credentials with HTTP Basic and a form body. */
  issueToken(
    state: SimState,
    authorization: string | undefined,
    form: URLSearchParams,
    now: number,
  ): OAuthAnswer {
    const basic = parseBasic(authorization);
    if (!basic) return oauthError(401, 'invalid_client', 'Client authentication failed.');
    const grant = form.get('grant_type');
    if (grant === null) return oauthError(400, 'invalid_request', 'Missing grant_type.');
    if (grant !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', 'Unsupported grant type.');
    const account = state.serviceAccounts.find((a) => a.clientId === basic.id);
    if (!account || !safeEqual(account.clientSecret, basic.secret)) {
      return oauthError(401, 'invalid_client', 'Invalid credentials provided.');
    }
    const token = `eyJhbGciOiJSUzI1NiJ9.${randomBytes(24).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
    this.#tokens.set(token, {
      clientId: account.clientId,
      orgId: account.orgId,
      expiresAt: now + this.#tokenTtlSeconds * 1000,
    });
    return {
      status: 200,
      body: { access_token: token, expires_in: this.#tokenTtlSeconds, token_type: 'Bearer' },
    };
  }

  /** `POST /api/oauth/revoke`: the token's own client must ask. */
  revokeToken(state: SimState, authorization: string | undefined, form: URLSearchParams): OAuthAnswer {
    const basic = parseBasic(authorization);
    const account = basic && state.serviceAccounts.find((a) => a.clientId === basic.id);
    if (!basic || !account || !safeEqual(account.clientSecret, basic.secret)) {
      return oauthError(401, 'invalid_client', 'Invalid credentials provided.');
    }
    const token = form.get('token');
    if (!token) return oauthError(400, 'invalid_request', 'Missing token.');
    if (this.#tokens.get(token)?.clientId === account.clientId) this.#tokens.delete(token);
    return { status: 200, body: undefined };
  }

  /** Who made an API call; throws Atlas's 401 (with a fresh Digest challenge) when nobody valid did. */
  authenticate(
    state: SimState,
    method: string,
    uri: string,
    authorization: string | undefined,
    now: number,
  ): Principal {
    if (authorization && /^Bearer\s/i.test(authorization)) {
      const issued = this.#tokens.get(authorization.replace(/^Bearer\s+/i, '').trim());
      if (!issued || issued.expiresAt <= now) {
        throw tokenRefused(this.#challenge(now, false));
      }
      return { kind: 'service-account', id: issued.clientId, orgId: issued.orgId };
    }
    if (authorization && /^Digest\s/i.test(authorization))
      return this.#digest(state, method, uri, authorization, now);
    throw notAuthorized(this.#challenge(now, false));
  }

  #digest(state: SimState, method: string, uri: string, authorization: string, now: number): Principal {
    const p = parseDigestParams(authorization);
    const username = p.get('username') ?? '';
    const nonce = p.get('nonce') ?? '';
    const key = state.apiKeys.find((k) => k.publicKey === username);
    const issuedAt = this.#nonces.get(nonce);
    if (!key || p.get('realm') !== DIGEST_REALM || p.get('uri') !== uri || issuedAt === undefined) {
      throw notAuthorized(this.#challenge(now, false));
    }
    const ha1 = md5(`${username}:${DIGEST_REALM}:${key.privateKey}`);
    const ha2 = md5(`${method}:${uri}`);
    const qop = p.get('qop');
    const expected =
      qop === 'auth'
        ? md5(`${ha1}:${nonce}:${p.get('nc') ?? ''}:${p.get('cnonce') ?? ''}:auth:${ha2}`)
        : md5(`${ha1}:${nonce}:${ha2}`);
    if (!safeEqual(expected, p.get('response') ?? '')) {
      throw notAuthorized(this.#challenge(now, false));
    }
    // Right credentials on an old nonce: tell the client only the nonce is stale.
    if (now - issuedAt > this.#nonceTtlMs) {
      this.#nonces.delete(nonce);
      throw notAuthorized(this.#challenge(now, true));
    }
    return { kind: 'api-key', id: key.publicKey, orgId: key.orgId };
  }

  #challenge(now: number, stale: boolean): Record<string, string> {
    const nonce = randomBytes(24).toString('base64');
    // Every unauthenticated call gets a challenge: forget expired nonces so the map stays small.
    if (this.#nonces.size > 10_000) {
      for (const [old, issuedAt] of this.#nonces)
        if (now - issuedAt > this.#nonceTtlMs) this.#nonces.delete(old);
    }
    this.#nonces.set(nonce, now);
    return {
      'WWW-Authenticate': `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`,
    };
  }
}

function oauthError(status: number, error: string, description: string): OAuthAnswer {
  return { status, body: { error, error_description: description } };
}
