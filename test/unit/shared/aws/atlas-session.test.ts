import { describe, expect, it } from 'vitest';
import { AtlasAuthError, TokenCache } from '../../../../shared/atlas/index.ts';
import type { AtlasConnection } from '../../../../shared/aws/atlas-connection.ts';
import { withAtlasClient } from '../../../../shared/aws/atlas-session.ts';
import { BASE_URL, JSON_HEADERS, mockAtlasServer } from '../../../support/mock-atlas-server.ts';

const OLD = { clientId: 'mdb_sa_id_0000000000000000000000aa', clientSecret: 'rotated-away' };
const NEW = { clientId: 'mdb_sa_id_0000000000000000000000aa', clientSecret: 'current-secret' };

/** A token endpoint that knows only the current secret, and an orgs list behind it. */
function atlasAfterRotation() {
  const server = mockAtlasServer({ token: false });
  server.pool
    .intercept({ path: '/api/oauth/token', method: 'POST' })
    .reply<Record<string, unknown>>((request) => {
      const basic = String((request.headers as Record<string, string>).authorization ?? '');
      const current =
        basic === `Basic ${Buffer.from(`${NEW.clientId}:${NEW.clientSecret}`).toString('base64')}`;
      return current
        ? {
            statusCode: 200,
            data: { access_token: 'tok', expires_in: 3600 },
            responseOptions: { headers: JSON_HEADERS },
          }
        : {
            statusCode: 401,
            data: { error: 'invalid_client', error_description: 'Invalid credentials provided.' },
            responseOptions: { headers: JSON_HEADERS },
          };
    })
    .persist();
  server.pool
    .intercept({ path: (p) => p.startsWith('/api/atlas/v2/orgs'), method: 'GET' })
    .reply(200, { results: [{ id: '6a1b2c3d4e5f6a7b8c9d0e1f', name: 'Org' }] }, { headers: JSON_HEADERS })
    .persist();
  return server;
}

/** A secret source that hands out `first`, then `second` after a refresh, and counts refreshes. */
function source(first: typeof OLD, second: typeof OLD) {
  let current = first;
  let refreshes = 0;
  const connection = (credentials: typeof OLD): AtlasConnection => ({ credentials, baseUrl: BASE_URL });
  return {
    get: async () => connection(current),
    refresh: async () => {
      refreshes += 1;
      current = second;
      return connection(current);
    },
    refreshes: () => refreshes,
  };
}

describe('withAtlasClient', () => {
  it('fetches the secret again once when Atlas refuses the credentials, then succeeds', async () => {
    // Prepare
    const server = atlasAfterRotation();
    const secrets = source(OLD, NEW);

    // Act
    const orgs = await withAtlasClient(secrets, (atlas) => Array.fromAsync(atlas.orgs.list()), {
      dispatcher: server.agent,
      tokenCache: new TokenCache(),
      logger: { debug() {}, warn() {} },
    });

    // Assess
    expect(orgs).toHaveLength(1);
    expect(secrets.refreshes()).toBe(1);
  });

  it('gives up with the refusal when the fresh secret is refused too', async () => {
    // Prepare
    const server = atlasAfterRotation();
    const secrets = source(OLD, OLD);

    // Act
    const failure = await withAtlasClient(secrets, (atlas) => Array.fromAsync(atlas.orgs.list()), {
      dispatcher: server.agent,
      tokenCache: new TokenCache(),
      logger: { debug() {}, warn() {} },
    }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasAuthError);
    expect(secrets.refreshes()).toBe(1);
    expect(String(failure)).not.toContain('rotated-away');
  });
});
