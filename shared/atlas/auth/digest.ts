/**
 * HTTP Digest access authentication (RFC 7616) as Atlas uses it for programmatic API keys: the public key
 * is the username, the private key the password, `qop=auth`, MD5 (SHA-256 also understood).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Authenticator } from './authenticator.ts';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop?: string | undefined;
  opaque?: string | undefined;
  algorithm: string;
  stale: boolean;
}

/** Reads a `WWW-Authenticate: Digest …` header; `undefined` when it is not a Digest challenge. */
export function parseDigestChallenge(header: string | undefined): DigestChallenge | undefined {
  if (!header || !/^\s*digest\s/i.test(header)) return undefined;
  const params = new Map<string, string>();
  const pattern = /([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (const match of header.replace(/^\s*digest\s+/i, '').matchAll(pattern)) {
    const [, key = '', quoted, token] = match;
    params.set(key.toLowerCase(), quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (token ?? ''));
  }
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined) return undefined;
  return {
    realm,
    nonce,
    qop: params.get('qop'),
    opaque: params.get('opaque'),
    algorithm: params.get('algorithm') ?? 'MD5',
    stale: params.get('stale')?.toLowerCase() === 'true',
  };
}

export interface DigestInput {
  username: string;
  password: string;
  method: string;
  uri: string;
  challenge: DigestChallenge;
  /** Nonce count, 1 for the first request with this nonce. */
  nc: number;
  cnonce: string;
}

function hashFor(algorithm: string): (value: string) => string {
  const name = algorithm.replace(/-sess$/i, '').toUpperCase() === 'SHA-256' ? 'sha256' : 'md5';
  return (value) => createHash(name).update(value, 'utf8').digest('hex');
}

/** The `response` value of RFC 7616 §3.4.1 (with `qop=auth`, or the RFC 2069 form without qop). */
export function digestResponse(input: DigestInput): string {
  const { username, password, method, uri, challenge, cnonce } = input;
  const h = hashFor(challenge.algorithm);
  const nc = formatNonceCount(input.nc);
  let ha1 = h(`${username}:${challenge.realm}:${password}`);
  if (/-sess$/i.test(challenge.algorithm)) ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  return chooseQop(challenge.qop) === 'auth'
    ? h(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`)
    : h(`${ha1}:${challenge.nonce}:${ha2}`);
}

/** The full `Authorization: Digest …` header value for one request. */
export function digestAuthorization(input: DigestInput): string {
  const { username, uri, challenge, cnonce } = input;
  const parts = [
    `username="${username}"`,
    `realm="${challenge.realm}"`,
    `nonce="${challenge.nonce}"`,
    `uri="${uri}"`,
    `algorithm=${challenge.algorithm}`,
    `response="${digestResponse(input)}"`,
  ];
  if (chooseQop(challenge.qop) === 'auth') {
    parts.push('qop=auth', `nc=${formatNonceCount(input.nc)}`, `cnonce="${cnonce}"`);
  }
  if (challenge.opaque !== undefined) parts.push(`opaque="${challenge.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}

function chooseQop(offered: string | undefined): 'auth' | undefined {
  return offered
    ?.split(',')
    .map((q) => q.trim())
    .includes('auth')
    ? 'auth'
    : undefined;
}

function formatNonceCount(nc: number): string {
  return nc.toString(16).padStart(8, '0');
}

/**
 * Digest auth for an Atlas API key. The first request goes without credentials and meets Atlas's challenge;
 * after that the nonce is reused with a rising nonce count, and a `stale=true` challenge swaps the nonce.
 */
export class ApiKeyDigestAuth implements Authenticator {
  readonly kind = 'api-key';
  readonly #publicKey: string;
  readonly #privateKey: string;
  #challenge: DigestChallenge | undefined;
  #nonceCount = 0;

  constructor(publicKey: string, privateKey: string) {
    this.#publicKey = publicKey;
    this.#privateKey = privateKey;
  }

  async authorization(request: { method: string; path: string }): Promise<string | undefined> {
    if (!this.#challenge) return undefined;
    this.#nonceCount += 1;
    return digestAuthorization({
      username: this.#publicKey,
      password: this.#privateKey,
      method: request.method,
      uri: request.path,
      challenge: this.#challenge,
      nc: this.#nonceCount,
      cnonce: randomBytes(16).toString('hex'),
    });
  }

  onUnauthorized(wwwAuthenticate: string | undefined, usedAuthorization: string | undefined): boolean {
    const challenge = parseDigestChallenge(wwwAuthenticate);
    if (!challenge) return false;
    // A fresh challenge is worth answering when we sent nothing yet, or the server says only the nonce was
    // old; the same nonce refused again means the key pair itself is wrong.
    const worthRetrying =
      usedAuthorization === undefined || challenge.stale || challenge.nonce !== this.#challenge?.nonce;
    this.#challenge = challenge;
    this.#nonceCount = 0;
    return worthRetrying;
  }

  async revoke(): Promise<void> {
    this.#challenge = undefined;
  }
}
