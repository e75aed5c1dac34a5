/**
 * The worker kit's Atlas session: one client per credentials, the secret read again once when Atlas refuses
 * the credentials, a failed read never kept, a deadline from the Lambda context, and the token revoked on close.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  AtlasApiError,
  AtlasAuthError,
  type AtlasConnection,
  AtlasConnectionError,
  TokenCache,
} from '../../../../shared/atlas/index.ts';
import {
  type AtlasSessionContext,
  AtlasSessions,
  atlasSession,
} from '../../../../shared/lambda/atlas-session.ts';
import { BASE_URL, JSON_HEADERS, mockAtlasServer } from '../../../support/mock-atlas-server.ts';

const CLIENT_ID = 'mdb_sa_id_0000000000000000000000aa';
const OLD = { clientId: CLIENT_ID, clientSecret: 'rotated-away' };
const NEW = { clientId: CLIENT_ID, clientSecret: 'current-secret' };
const ORG = { id: '6a1b2c3d4e5f6a7b8c9d0e1f', name: 'Org' };

/** A token endpoint that knows only the current secret, an orgs list behind it, and a revocation endpoint. */
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
  server.pool.intercept({ path: '/api/oauth/revoke', method: 'POST' }).reply(200, '').persist();
  return server;
}

function listOrgs(
  server: ReturnType<typeof mockAtlasServer>,
  status = 200,
  body: object = { results: [ORG] },
) {
  server.pool
    .intercept({ path: (p) => p.startsWith('/api/atlas/v2/orgs'), method: 'GET' })
    .reply(status, body, { headers: JSON_HEADERS });
}

/** A credentials source that hands out `sequence[i]` on the i-th read (an Error rejects), and counts reads. */
function source(sequence: (typeof OLD | Error)[]) {
  let reads = 0;
  let refreshes = 0;
  const connections = new Map<object, AtlasConnection>();
  const next = async (): Promise<AtlasConnection> => {
    const item = sequence[Math.min(reads, sequence.length - 1)] as typeof OLD | Error;
    reads += 1;
    if (item instanceof Error) throw item;
    // The same object for the same credentials, as SecretAtlasConnection does while the value is unchanged.
    if (!connections.has(item)) connections.set(item, { credentials: item, baseUrl: BASE_URL });
    return connections.get(item) as AtlasConnection;
  };
  return {
    get: next,
    refresh: async () => {
      refreshes += 1;
      return next();
    },
    reads: () => reads,
    refreshes: () => refreshes,
  };
}

function sessionsFor(server: ReturnType<typeof mockAtlasServer>, secrets: ReturnType<typeof source>) {
  return new AtlasSessions({
    connection: secrets,
    client: { dispatcher: server.agent, tokenCache: new TokenCache(), logger: { debug() {}, warn() {} } },
  });
}

describe('AtlasSessions', () => {
  it('reads the secret again once when Atlas refuses the credentials, then succeeds', async () => {
    // Prepare
    const server = atlasAfterRotation();
    listOrgs(server);
    const secrets = source([OLD, NEW]);

    // Act
    const orgs = await sessionsFor(server, secrets)
      .open()
      .run((atlas) => Array.fromAsync(atlas.orgs.list()));

    // Assess
    expect(orgs).toEqual([ORG]);
    expect(secrets.refreshes()).toBe(1);
  });

  it('gives up with the refusal when the fresh secret is refused too, never naming the secret', async () => {
    // Prepare
    const server = atlasAfterRotation();
    const secrets = source([OLD, OLD]);

    // Act
    const failure = await sessionsFor(server, secrets)
      .open()
      .run((atlas) => Array.fromAsync(atlas.orgs.list()))
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasAuthError);
    expect(secrets.refreshes()).toBe(1);
    expect(String(failure)).not.toContain('rotated-away');
  });

  it('does not read the secret again for a permission 401 (NOT_IN_GROUP): new credentials would not help', async () => {
    // Prepare
    const server = atlasAfterRotation();
    listOrgs(server, 401, { error: 401, errorCode: 'NOT_IN_GROUP', detail: 'Not in the project.' });
    const secrets = source([NEW]);

    // Act
    const failure = await sessionsFor(server, secrets)
      .open()
      .run((atlas) => Array.fromAsync(atlas.orgs.list()))
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasApiError);
    expect((failure as AtlasApiError).errorCode).toBe('NOT_IN_GROUP');
    expect(secrets.refreshes()).toBe(0);
  });

  it('keeps nothing of a failed secret read: the next run reads it again and succeeds', async () => {
    // Prepare: a throttled read, then the secret as it should be
    const server = atlasAfterRotation();
    listOrgs(server);
    const secrets = source([
      new AtlasConnectionError('Could not read Atlas credentials: ThrottlingException'),
      NEW,
    ]);
    const sessions = sessionsFor(server, secrets);

    // Act
    const first = await sessions
      .open()
      .run((atlas) => Array.fromAsync(atlas.orgs.list()))
      .catch((e: unknown) => e);
    const second = await sessions.open().run((atlas) => Array.fromAsync(atlas.orgs.list()));

    // Assess
    expect(first).toBeInstanceOf(AtlasConnectionError);
    expect(second).toEqual([ORG]);
    expect(secrets.reads()).toBe(2);
  });

  it('revokes the service-account token on close', async () => {
    // Prepare
    const server = atlasAfterRotation();
    listOrgs(server);
    const sessions = sessionsFor(server, source([NEW]));
    await sessions.open().run((atlas) => Array.fromAsync(atlas.orgs.list()));

    // Act
    await sessions.close();

    // Assess
    const revocations = server.calls().filter((c) => c.path === '/api/oauth/revoke');
    expect(revocations).toHaveLength(1);
    expect(revocations[0]?.body).toContain('token=tok');
  });
});

describe('atlasSession middleware', () => {
  it('gives each invocation a session whose deadline is the remaining time less the reserve', async () => {
    // Prepare
    const server = atlasAfterRotation();
    const sessions = sessionsFor(server, source([NEW]));
    const handler = middy(
      async (_event: unknown, context: Context) => (context as AtlasSessionContext).atlas,
    ).use(atlasSession(sessions, { reserveMs: 5_000 }));
    const context = { getRemainingTimeInMillis: () => 60_000 } as Context;

    // Act
    const before = Date.now();
    const session = await handler({}, context);

    // Assess
    expect(session.deadline).toBeGreaterThanOrEqual(before + 55_000);
    expect(session.deadline).toBeLessThanOrEqual(Date.now() + 55_000);
    expect(session.callOptions).toEqual({ deadline: session.deadline });
  });

  it("counts each invocation's Atlas calls, retries and 429s in the metrics, also when it fails", async () => {
    // Prepare: one 429 then a page (a retry), then for the second invocation a 404.
    const server = atlasAfterRotation();
    server.pool.intercept({ path: (p) => p.startsWith('/api/atlas/v2/orgs'), method: 'GET' }).reply(
      429,
      { error: 429, errorCode: 'RATE_LIMITED', detail: 'Slow down.' },
      {
        headers: { ...JSON_HEADERS, 'retry-after': '0' },
      },
    );
    listOrgs(server);
    listOrgs(server, 404, { error: 404, errorCode: 'RESOURCE_NOT_FOUND', detail: 'Gone.' });
    const recorded: [string, number][] = [];
    const metrics = {
      addMetric: (name: string, _unit: string, value: number) => recorded.push([name, value]),
    };
    const sessions = new AtlasSessions({
      connection: source([NEW]),
      client: {
        dispatcher: server.agent,
        tokenCache: new TokenCache(),
        logger: { debug() {}, warn() {} },
        retry: { baseDelayMs: 1, maxDelayMs: 1 },
      },
    });
    const handler = middy(async (_event: unknown, context: Context) =>
      (context as AtlasSessionContext).atlas.run((atlas) => Array.fromAsync(atlas.orgs.list())),
    ).use(atlasSession(sessions, { reserveMs: 5_000, metrics: metrics as unknown as Metrics }));
    const context = () => ({ getRemainingTimeInMillis: () => 60_000 }) as Context;

    // Act
    await handler({}, context());
    const first = recorded.splice(0);
    const failure = await handler({}, context()).catch((e: unknown) => e);

    // Assess: the token request is the client's own, not an Atlas API call; the client's counters outlive
    // the invocation, and each invocation reports only its own.
    expect(first).toEqual([
      ['AtlasCalls', 2],
      ['AtlasRetries', 1],
      ['AtlasThrottled', 1],
    ]);
    expect(failure).toBeInstanceOf(AtlasApiError);
    expect(recorded).toEqual([
      ['AtlasCalls', 1],
      ['AtlasRetries', 0],
      ['AtlasThrottled', 0],
    ]);
  });
});
