/**
 * Unit-test support for the Atlas client core: an undici MockAgent standing in for Atlas (no network), with
 * a token endpoint, and client options wired to it with a fresh token cache and no jitter.
 */
import { MockAgent, type MockPool } from 'undici';
import { TokenCache } from '../../shared/atlas/auth/service-account.ts';
import type { AtlasHttpOptions } from '../../shared/atlas/http.ts';

export const BASE_URL = 'https://atlas.test';
export const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567';
export const CLIENT_SECRET = 'mdb_sa_sk_super-secret-value-never-logged';
export const ACCESS_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.access-token-never-logged';
export const GROUP_ID = '5f1b2c3d4e5f6a7b8c9d0e1f';
export const ORG_ID = '6a1b2c3d4e5f6a7b8c9d0e1f';

export interface RecordedCall {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: string | null;
}

export interface MockAtlasServer {
  agent: MockAgent;
  pool: MockPool;
  /** Every request that reached the mock, token requests included. */
  calls(): RecordedCall[];
  /** API requests only (no token requests). */
  apiCalls(): RecordedCall[];
  /** Options that point an `AtlasHttp`/`AtlasClient` at this mock, with a fresh token cache and no jitter. */
  clientOptions(overrides?: Partial<AtlasHttpOptions>): AtlasHttpOptions;
}

/** A mock Atlas with a token endpoint that always grants `ACCESS_TOKEN` (unless `token: false`). */
export function mockAtlasServer(options: { token?: boolean } = {}): MockAtlasServer {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  const pool = agent.get(BASE_URL) as MockPool;
  if (options.token !== false) {
    pool
      .intercept({ path: '/api/oauth/token', method: 'POST' })
      .reply(200, { access_token: ACCESS_TOKEN, expires_in: 3600, token_type: 'Bearer' })
      .persist();
  }
  const calls = () =>
    (agent.getCallHistory()?.calls() ?? []).map((log) => ({
      method: log.method,
      path: log.fullUrl.slice(BASE_URL.length),
      headers: (log.headers ?? {}) as Record<string, string | string[]>,
      body: log.body ?? null,
    }));
  return {
    agent,
    pool,
    calls,
    apiCalls: () => calls().filter((c) => !c.path.startsWith('/api/oauth/')),
    clientOptions: (overrides = {}) => ({
      credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      baseUrl: BASE_URL,
      dispatcher: agent,
      tokenCache: new TokenCache(),
      random: () => 0,
      ...overrides,
    }),
  };
}

/** Atlas's JSON content type for replies. */
export const JSON_HEADERS = { 'content-type': 'application/json' };
