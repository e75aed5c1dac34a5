/** The two kinds of credentials the Atlas Administration API accepts, and the authenticator for each. */

import * as z from '../../config/zod.ts';
import type { Dispatcher } from '../undici.ts';
import { parseInput, serviceAccountClientId } from '../validation.ts';
import type { Authenticator } from './authenticator.ts';
import { ApiKeyDigestAuth } from './digest.ts';
import { ServiceAccountAuth, type TokenCache } from './service-account.ts';

/** A service account (OAuth 2.0 client credentials): preferred by Atlas. */
export interface ServiceAccountCredentials {
  clientId: string;
  clientSecret: string;
}

/** A programmatic API key (HTTP Digest): the legacy kind. */
export interface ApiKeyCredentials {
  publicKey: string;
  privateKey: string;
}

export type AtlasCredentials = ServiceAccountCredentials | ApiKeyCredentials;

const required = z.string('is required').check(z.minLength(1, 'must not be empty'));
const serviceAccountSchema = z.object({ clientId: serviceAccountClientId, clientSecret: required });
const apiKeySchema = z.object({ publicKey: required, privateKey: required });

/** Builds the authenticator for `credentials`; a malformed set names the bad field, never its value. */
export function createAuthenticator(
  credentials: AtlasCredentials,
  options: { baseUrl: string; dispatcher: Dispatcher; tokenCache?: TokenCache | undefined },
): Authenticator {
  const given = (credentials ?? {}) as Partial<ServiceAccountCredentials & ApiKeyCredentials>;
  // Either half of a service account means the caller meant one; only then fall back to an API key.
  if (given.clientId !== undefined || given.clientSecret !== undefined || given.publicKey === undefined) {
    const valid = parseInput('Atlas credentials', serviceAccountSchema, given);
    return new ServiceAccountAuth({
      clientId: valid.clientId,
      clientSecret: valid.clientSecret,
      baseUrl: options.baseUrl,
      dispatcher: options.dispatcher,
      ...(options.tokenCache ? { tokenCache: options.tokenCache } : {}),
    });
  }
  const valid = parseInput('Atlas credentials', apiKeySchema, given);
  return new ApiKeyDigestAuth(valid.publicKey, valid.privateKey);
}
