import { afterEach, describe, expect, it, vi } from 'vitest';
import { renewalMarginMs } from '../../../../../shared/atlas/auth/service-account.ts';
import { AtlasApiError, AtlasAuthError } from '../../../../../shared/atlas/errors.ts';
import { AtlasHttp } from '../../../../../shared/atlas/http.ts';
import { getCluster } from '../../../../../shared/atlas/resources/clusters.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  GROUP_ID,
  JSON_HEADERS,
  mockAtlasServer,
} from '../../../../support/mock-atlas-server.ts';

const CLUSTER_PATH = `/api/atlas/v2/groups/${GROUP_ID}/clusters/prod`;
const params = { groupId: GROUP_ID, clusterName: 'prod' };

/** A token endpoint that hands out tok-1, tok-2, … and counts how often it was asked. */
function countingTokenEndpoint(
  server: ReturnType<typeof mockAtlasServer>,
  options: { delayMs?: number } = {},
) {
  let issued = 0;
  const scope = server.pool
    .intercept({ path: '/api/oauth/token', method: 'POST' })
    .reply(() => {
      issued += 1;
      return {
        statusCode: 200,
        data: { access_token: `tok-${issued}`, expires_in: 3600, token_type: 'Bearer' },
        responseOptions: { headers: JSON_HEADERS },
      };
    })
    .persist();
  if (options.delayMs) scope.delay(options.delayMs);
  return { issued: () => issued };
}

function replyCluster(server: ReturnType<typeof mockAtlasServer>) {
  server.pool
    .intercept({ path: CLUSTER_PATH, method: 'GET' })
    .reply(200, { name: 'prod' }, { headers: JSON_HEADERS })
    .persist();
}

const bearerOf = (call: { headers: Record<string, string | string[]> }) => call.headers.authorization;

describe('service account (OAuth client credentials)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for a token with HTTP Basic and a client_credentials form', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    countingTokenEndpoint(server);
    replyCluster(server);
    const http = new AtlasHttp(server.clientOptions());

    // Act
    await http.call(getCluster, params);

    // Assess
    const tokenCall = server.calls().find((c) => c.path === '/api/oauth/token');
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    expect(tokenCall?.headers.authorization).toBe(`Basic ${basic}`);
    expect(tokenCall?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenCall?.body).toBe('grant_type=client_credentials');
  });

  it('reuses one token across calls', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    const tokens = countingTokenEndpoint(server);
    replyCluster(server);
    const http = new AtlasHttp(server.clientOptions());

    // Act
    await http.call(getCluster, params);
    await http.call(getCluster, params);
    await http.call(getCluster, params);

    // Assess
    expect(tokens.issued()).toBe(1);
    expect(server.apiCalls().map(bearerOf)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
  });

  it('shares the token between clients of the same token cache (a warm Lambda container)', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    const tokens = countingTokenEndpoint(server);
    replyCluster(server);
    const options = server.clientOptions();

    // Act
    await new AtlasHttp(options).call(getCluster, params);
    await new AtlasHttp(options).call(getCluster, params);

    // Assess
    expect(tokens.issued()).toBe(1);
  });

  it('renews the token well before it expires, not after', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-29T00:00:00Z'));
    const server = mockAtlasServer({ token: false });
    const tokens = countingTokenEndpoint(server);
    replyCluster(server);
    const http = new AtlasHttp(server.clientOptions());
    await http.call(getCluster, params);
    const margin = renewalMarginMs(3_600_000);

    // Act: just before the renewal point the token is reused; just after it, a new one is fetched
    vi.setSystemTime(Date.now() + 3_600_000 - margin - 1_000);
    await http.call(getCluster, params);
    const issuedBeforeRenewalPoint = tokens.issued();
    vi.setSystemTime(Date.now() + 2_000);
    await http.call(getCluster, params);

    // Assess
    expect(margin).toBeGreaterThanOrEqual(5 * 60_000);
    expect(issuedBeforeRenewalPoint).toBe(1);
    expect(tokens.issued()).toBe(2);
    expect(server.apiCalls().map(bearerOf)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('makes one token request for 50 concurrent calls', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    const tokens = countingTokenEndpoint(server, { delayMs: 30 });
    replyCluster(server);
    const http = new AtlasHttp(server.clientOptions());

    // Act
    await Promise.all(Array.from({ length: 50 }, () => http.call(getCluster, params)));

    // Assess
    expect(tokens.issued()).toBe(1);
    expect(server.apiCalls()).toHaveLength(50);
    expect(new Set(server.apiCalls().map(bearerOf))).toEqual(new Set(['Bearer tok-1']));
  });

  it('on a 401 drops the token, fetches a new one and retries once', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    const tokens = countingTokenEndpoint(server);
    server.pool.intercept({ path: CLUSTER_PATH, method: 'GET' }).reply(401, {
      error: 401,
      errorCode: 'NOT_ORG_GROUP_CREATOR',
      detail: 'Current user is not authorized.',
    });
    replyCluster(server);
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const cluster = await http.call(getCluster, params);

    // Assess
    expect(cluster).toEqual({ name: 'prod' });
    expect(tokens.issued()).toBe(2);
    expect(server.apiCalls().map(bearerOf)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it.each(['NOT_IN_GROUP', 'USER_CANNOT_ACCESS_ORG'])(
    'keeps its token on a permission 401 (%s): a new token would be refused the same way',
    async (errorCode) => {
      // Prepare
      const server = mockAtlasServer({ token: false });
      const tokens = countingTokenEndpoint(server);
      server.pool
        .intercept({ path: CLUSTER_PATH, method: 'GET' })
        .reply(401, { error: 401, errorCode, detail: 'Current user is not in the project.' });
      const http = new AtlasHttp(server.clientOptions());

      // Act
      const failure = await http.call(getCluster, params).catch((e: unknown) => e);

      // Assess
      expect(failure).toBeInstanceOf(AtlasApiError);
      expect((failure as AtlasApiError).errorCode).toBe(errorCode);
      expect(server.apiCalls()).toHaveLength(1);
      expect(tokens.issued()).toBe(1);
    },
  );

  it('gives up with the 401 when the fresh token is refused too', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    const tokens = countingTokenEndpoint(server);
    server.pool
      .intercept({ path: CLUSTER_PATH, method: 'GET' })
      .reply(401, { error: 401, errorCode: 'UNAUTHORIZED', detail: 'Unauthorized.' })
      .persist();
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const failure = await http.call(getCluster, params).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasApiError);
    expect((failure as AtlasApiError).status).toBe(401);
    expect(server.apiCalls()).toHaveLength(2);
    expect(tokens.issued()).toBe(2);
  });

  it('reports refused credentials as an AtlasAuthError without retrying and without the secret', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    server.pool
      .intercept({ path: '/api/oauth/token', method: 'POST' })
      .reply(401, { error: 'invalid_client', error_description: 'Invalid credentials provided.' })
      .persist();
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const failure = await http.call(getCluster, params).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasAuthError);
    expect((failure as AtlasAuthError).oauthError).toBe('invalid_client');
    expect((failure as Error).message).toContain('Invalid credentials provided.');
    expect(JSON.stringify(failure, Object.getOwnPropertyNames(failure))).not.toContain(CLIENT_SECRET);
    expect(server.calls()).toHaveLength(1);
    expect(server.apiCalls()).toHaveLength(0);
  });

  it('retries a token endpoint that is briefly unavailable', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    server.pool
      .intercept({ path: '/api/oauth/token', method: 'POST' })
      .reply(503, { error: 'temporarily_unavailable' });
    countingTokenEndpoint(server);
    replyCluster(server);
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const cluster = await http.call(getCluster, params);

    // Assess
    expect(cluster).toEqual({ name: 'prod' });
    expect(server.calls().filter((c) => c.path === '/api/oauth/token')).toHaveLength(2);
  });

  it('revoke() revokes the cached token, and the next call gets a new one', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    const tokens = countingTokenEndpoint(server);
    replyCluster(server);
    server.pool.intercept({ path: '/api/oauth/revoke', method: 'POST' }).reply(200, '');
    const http = new AtlasHttp(server.clientOptions());
    await http.call(getCluster, params);

    // Act
    await http.revoke();
    await http.call(getCluster, params);

    // Assess
    const revokeCall = server.calls().find((c) => c.path === '/api/oauth/revoke');
    expect(new URLSearchParams(revokeCall?.body ?? '').get('token')).toBe('tok-1');
    expect(new URLSearchParams(revokeCall?.body ?? '').get('token_type_hint')).toBe('access_token');
    expect(tokens.issued()).toBe(2);
  });
});
