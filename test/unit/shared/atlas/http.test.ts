import { errors as undiciErrors } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import {
  AtlasApiError,
  AtlasDeadlineError,
  AtlasNetworkError,
  AtlasResponseError,
  AtlasValidationError,
  hasAtlasErrorCode,
} from '../../../../shared/atlas/errors.ts';
import { AtlasHttp } from '../../../../shared/atlas/http.ts';
import { defineOperation } from '../../../../shared/atlas/operation.ts';
import { getCluster, listClusters } from '../../../../shared/atlas/resources/clusters.ts';
import { objectId } from '../../../../shared/atlas/validation.ts';
import {
  ACCESS_TOKEN,
  CLIENT_SECRET,
  GROUP_ID,
  JSON_HEADERS,
  mockAtlasServer,
} from '../../../support/mock-atlas-server.ts';

const CLUSTER_PATH = `/api/atlas/v2/groups/${GROUP_ID}/clusters/prod`;
const params = { groupId: GROUP_ID, clusterName: 'prod' };

// Two POSTs that differ only in whether a repeat is safe.
const postOperation = (retrySafe: boolean) =>
  defineOperation<{ groupId: string }, unknown>({
    name: retrySafe ? 'setLikePost' : 'createPost',
    method: 'POST',
    path: '/groups/{groupId}/things',
    version: '2023-01-01',
    params: z.object({ groupId: objectId }),
    body: () => [{ thing: 1 }],
    retrySafe,
  });
const THINGS_PATH = `/api/atlas/v2/groups/${GROUP_ID}/things`;

const rateLimited = (retryAfterSeconds: number) =>
  [
    429,
    {
      error: 429,
      errorCode: 'RATE_LIMITED_TOKEN_BUCKET',
      detail: `Rate limit exceeded. Please retry after ${retryAfterSeconds} seconds.`,
      parameters: ['api/atlas/v2/groups', retryAfterSeconds, 10, 5, 60],
    },
    { headers: { ...JSON_HEADERS, 'retry-after': String(retryAfterSeconds) } },
  ] as const;

/** A logger that keeps every line it is given, to check what the client writes. */
function capturingLogger() {
  const lines: string[] = [];
  const keep = (message: string, extra: Record<string, unknown>) =>
    lines.push(JSON.stringify([message, extra]));
  return { logger: { debug: keep, warn: keep }, lines };
}

describe('AtlasHttp requests', () => {
  it('sends the operation version in Accept, the bearer token and no Content-Type without a body', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool.intercept({ path: CLUSTER_PATH, method: 'GET' }).reply(200, { name: 'prod' });
    const http = new AtlasHttp(server.clientOptions());

    // Act
    await http.call(getCluster, params);

    // Assess
    const [call] = server.apiCalls();
    expect(call?.headers.accept).toBe('application/vnd.atlas.2024-08-05+json');
    expect(call?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(call?.headers['content-type']).toBeUndefined();
  });

  it('sends a body with the versioned Content-Type', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool.intercept({ path: THINGS_PATH, method: 'POST' }).reply(200, {});
    const http = new AtlasHttp(server.clientOptions());

    // Act
    await http.call(postOperation(false), { groupId: GROUP_ID });

    // Assess
    const [call] = server.apiCalls();
    expect(call?.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json');
    expect(JSON.parse(call?.body ?? 'null')).toEqual([{ thing: 1 }]);
  });

  it('rejects bad input before sending anything, naming each bad field', async () => {
    // Prepare
    const server = mockAtlasServer();
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const failure = await http
      .call(getCluster, { groupId: 'not-an-id', clusterName: '-bad name' })
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasValidationError);
    expect((failure as AtlasValidationError).problems.map((p) => p.field)).toEqual([
      'groupId',
      'clusterName',
    ]);
    expect((failure as Error).message).toMatch(/groupId: must be a 24-character lowercase hexadecimal id/);
    expect(server.calls()).toHaveLength(0);
  });
});

describe('AtlasHttp errors', () => {
  it('carries what Atlas said: status, errorCode, reason, detail, parameters, badRequestDetail, method, path', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool.intercept({ path: CLUSTER_PATH, method: 'GET' }).reply(
      400,
      {
        error: 400,
        errorCode: 'VALIDATION_ERROR',
        reason: 'Bad Request',
        detail: 'Invalid attribute clusterName specified.',
        parameters: ['clusterName'],
        badRequestDetail: { fields: [{ field: 'clusterName', description: 'is invalid' }] },
      },
      { headers: JSON_HEADERS },
    );
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const failure = (await http.call(getCluster, params).catch((e: unknown) => e)) as AtlasApiError;

    // Assess
    expect(failure).toBeInstanceOf(AtlasApiError);
    expect(failure).toMatchObject({
      status: 400,
      errorCode: 'VALIDATION_ERROR',
      reason: 'Bad Request',
      detail: 'Invalid attribute clusterName specified.',
      parameters: ['clusterName'],
      badRequestDetail: { fields: [{ field: 'clusterName', description: 'is invalid' }] },
      method: 'GET',
      path: `/groups/${GROUP_ID}/clusters/prod`,
      isRetryable: false,
    });
    expect(hasAtlasErrorCode(failure, 'VALIDATION_ERROR')).toBe(true);
    expect(hasAtlasErrorCode(failure, 'RESOURCE_NOT_FOUND')).toBe(false);
    expect(server.apiCalls()).toHaveLength(1);
  });

  it('still gives a useful error for a body that is not JSON', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: CLUSTER_PATH, method: 'GET' })
      .reply(502, '<html><body>502 Bad Gateway</body></html>', { headers: { 'content-type': 'text/html' } })
      .persist();
    const http = new AtlasHttp(server.clientOptions({ retry: { maxAttempts: 1 } }));

    // Act
    const failure = (await http.call(getCluster, params).catch((e: unknown) => e)) as AtlasApiError;

    // Assess
    expect(failure).toBeInstanceOf(AtlasApiError);
    expect(failure.status).toBe(502);
    expect(failure.errorCode).toBe('HTTP_502');
    expect(failure.message).toContain('502 Bad Gateway');
    expect(failure.isRetryable).toBe(true);
  });

  it('never puts the secret or the token in an error or a log line', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: CLUSTER_PATH, method: 'GET' })
      .reply(500, { error: 500, errorCode: 'UNEXPECTED_ERROR', detail: 'Unexpected error.' })
      .persist();
    const { logger, lines } = capturingLogger();
    const http = new AtlasHttp(server.clientOptions({ logger, retry: { maxAttempts: 3, baseDelayMs: 1 } }));

    // Act
    const failure = await http.call(getCluster, params).catch((e: unknown) => e);

    // Assess
    const everything = [
      JSON.stringify(failure, Object.getOwnPropertyNames(failure)),
      String(failure),
      (failure as Error).stack,
      ...lines,
    ].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain(ACCESS_TOKEN);
    expect(JSON.stringify(http)).not.toContain(CLIENT_SECRET);
  });

  it('logs a deprecated version once per operation with its Sunset date', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: CLUSTER_PATH, method: 'GET' })
      .reply(
        200,
        { name: 'prod' },
        {
          headers: {
            ...JSON_HEADERS,
            deprecation: 'Wed, 01 Jan 2025 00:00:00 GMT',
            sunset: 'Thu, 01 Jul 2027 00:00:00 GMT',
          },
        },
      )
      .persist();
    const warnings: unknown[][] = [];
    const logger = { debug() {}, warn: (...args: unknown[]) => warnings.push(args) };
    const http = new AtlasHttp(server.clientOptions({ logger }));

    // Act
    await http.call(getCluster, params);
    await http.call(getCluster, params);

    // Assess
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.[0]).toBe('Atlas API version is deprecated');
    expect(warnings[0]?.[1]).toMatchObject({
      operation: 'getGroupCluster',
      version: '2024-08-05',
      sunset: 'Thu, 01 Jul 2027 00:00:00 GMT',
    });
  });
});

describe('AtlasHttp retries', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits at least Retry-After before retrying a 429', async () => {
    // Prepare
    vi.useFakeTimers();
    const server = mockAtlasServer();
    server.pool.intercept({ path: CLUSTER_PATH, method: 'GET' }).reply(...rateLimited(3));
    server.pool.intercept({ path: CLUSTER_PATH, method: 'GET' }).reply(200, { name: 'prod' });
    const http = new AtlasHttp(server.clientOptions({ random: () => 0.5 }));

    // Act
    const pending = http.call(getCluster, params);
    await vi.advanceTimersByTimeAsync(2_999);
    const callsBeforeRetryAfter = server.apiCalls().length;
    await vi.advanceTimersByTimeAsync(1);
    const cluster = await pending;

    // Assess
    expect(callsBeforeRetryAfter).toBe(1);
    expect(cluster).toEqual({ name: 'prod' });
    expect(server.apiCalls()).toHaveLength(2);
    expect(http.stats).toEqual({ requests: 2, retries: 1, throttled: 1 });
  });

  it('does not sleep a Retry-After longer than maxWaitMs: it fails at once with the wait Atlas asked for', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool.intercept({ path: CLUSTER_PATH, method: 'GET' }).reply(...rateLimited(120));
    const http = new AtlasHttp(server.clientOptions({ retry: { maxWaitMs: 5_000 } }));

    // Act
    const started = Date.now();
    const failure = await http.call(getCluster, params).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasApiError);
    expect((failure as AtlasApiError).status).toBe(429);
    expect((failure as AtlasApiError).retryAfterMs).toBe(120_000);
    expect(server.apiCalls()).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('keeps the wait Atlas asked for on the deadline error when the deadline stops a retry', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool.intercept({ path: CLUSTER_PATH, method: 'GET' }).reply(...rateLimited(20));
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const failure = await http
      .call(getCluster, params, { deadline: Date.now() + 10_000 })
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasDeadlineError);
    expect((failure as AtlasDeadlineError).retryAfterMs).toBe(20_000);
  });

  it('falls back on the wait Atlas names in parameters when a proxy dropped Retry-After', async () => {
    // Prepare
    vi.useFakeTimers();
    const server = mockAtlasServer();
    const [status, body] = rateLimited(2);
    server.pool
      .intercept({ path: CLUSTER_PATH, method: 'GET' })
      .reply(status, body, { headers: JSON_HEADERS });
    server.pool.intercept({ path: CLUSTER_PATH, method: 'GET' }).reply(200, { name: 'prod' });
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const pending = http.call(getCluster, params);
    await vi.advanceTimersByTimeAsync(1_999);
    const callsBefore = server.apiCalls().length;
    await vi.advanceTimersByTimeAsync(1);
    await pending;

    // Assess
    expect(callsBefore).toBe(1);
    expect(server.apiCalls()).toHaveLength(2);
  });

  it('backs off exponentially with full jitter between 5xx retries, then gives up after maxAttempts', async () => {
    // Prepare
    vi.useFakeTimers();
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: CLUSTER_PATH, method: 'GET' })
      .reply(503, { error: 503, errorCode: 'SERVICE_UNAVAILABLE' })
      .persist();
    const http = new AtlasHttp(
      server.clientOptions({
        random: () => 0.999,
        retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 10_000 },
      }),
    );

    // Act: with jitter near 1 the waits are just under 100, 200 and 400 ms
    const outcome = http.call(getCluster, params).catch((e: unknown) => e);
    const seen: number[] = [];
    for (const step of [99, 199, 399]) {
      await vi.advanceTimersByTimeAsync(step - 1);
      seen.push(server.apiCalls().length);
      await vi.advanceTimersByTimeAsync(1);
    }
    const failure = await outcome;

    // Assess
    expect(seen).toEqual([1, 2, 3]);
    expect(server.apiCalls()).toHaveLength(4);
    expect(failure).toBeInstanceOf(AtlasApiError);
    expect((failure as AtlasApiError).status).toBe(503);
  });

  it('gives up at the deadline instead of waiting past it', async () => {
    // Prepare
    vi.useFakeTimers();
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: CLUSTER_PATH, method: 'GET' })
      .reply(...rateLimited(30))
      .persist();
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const failure = await http.call(getCluster, params, { timeoutMs: 10_000 }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasDeadlineError);
    expect((failure as Error).message).toContain('RATE_LIMITED_TOKEN_BUCKET');
    expect(server.apiCalls()).toHaveLength(1);
  });

  it('does not start a call whose deadline has passed', async () => {
    // Prepare
    const server = mockAtlasServer();
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const failure = await http
      .call(getCluster, params, { deadline: Date.now() - 1 })
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasDeadlineError);
    expect(server.calls()).toHaveLength(0);
  });

  it('aborts a request in flight when the deadline passes', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool.intercept({ path: CLUSTER_PATH, method: 'GET' }).reply(200, { name: 'prod' }).delay(5_000);
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const failure = await http.call(getCluster, params, { timeoutMs: 50 }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasDeadlineError);
  });

  it('retries a connection reset on a GET', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: CLUSTER_PATH, method: 'GET' })
      .replyWithError(new undiciErrors.SocketError('other side closed'));
    server.pool.intercept({ path: CLUSTER_PATH, method: 'GET' }).reply(200, { name: 'prod' });
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const cluster = await http.call(getCluster, params);

    // Assess
    expect(cluster).toEqual({ name: 'prod' });
    expect(server.apiCalls()).toHaveLength(2);
  });

  it('does not repeat a POST after a 5xx or a reset unless the operation is marked safe', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: THINGS_PATH, method: 'POST' })
      .reply(503, { errorCode: 'SERVICE_UNAVAILABLE' });
    server.pool
      .intercept({ path: THINGS_PATH, method: 'POST' })
      .replyWithError(new undiciErrors.SocketError('other side closed'));
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const after5xx = await http.call(postOperation(false), { groupId: GROUP_ID }).catch((e: unknown) => e);
    const afterReset = await http.call(postOperation(false), { groupId: GROUP_ID }).catch((e: unknown) => e);

    // Assess
    expect((after5xx as AtlasApiError).status).toBe(503);
    expect(afterReset).toBeInstanceOf(AtlasNetworkError);
    expect(server.apiCalls()).toHaveLength(2);
  });

  it('repeats a POST marked safe after a 5xx, and any POST after a 429', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: THINGS_PATH, method: 'POST' })
      .reply(503, { errorCode: 'SERVICE_UNAVAILABLE' });
    server.pool.intercept({ path: THINGS_PATH, method: 'POST' }).reply(200, { ok: 1 });
    server.pool.intercept({ path: THINGS_PATH, method: 'POST' }).reply(...rateLimited(0));
    server.pool.intercept({ path: THINGS_PATH, method: 'POST' }).reply(200, { ok: 2 });
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const safe = await http.call(postOperation(true), { groupId: GROUP_ID });
    const throttled = await http.call(postOperation(false), { groupId: GROUP_ID });

    // Assess
    expect(safe).toEqual({ ok: 1 });
    expect(throttled).toEqual({ ok: 2 });
    expect(server.apiCalls()).toHaveLength(4);
  });

  it('does not retry a 404', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: CLUSTER_PATH, method: 'GET' })
      .reply(404, { error: 404, errorCode: 'CLUSTER_NOT_FOUND', detail: 'No cluster named prod exists.' })
      .persist();
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const failure = await http.call(getCluster, params).catch((e: unknown) => e);

    // Assess
    expect(hasAtlasErrorCode(failure, 'CLUSTER_NOT_FOUND')).toBe(true);
    expect(server.apiCalls()).toHaveLength(1);
  });
});

describe('AtlasHttp pagination', () => {
  const listPath = `/api/atlas/v2/groups/${GROUP_ID}/clusters`;
  const page = (pageNum: number, names: string[], extra: object = {}) => ({
    results: names.map((name) => ({ name })),
    links: [
      { rel: 'self', href: `https://atlas.test${listPath}?pageNum=${pageNum}` },
      ...(extra && 'noNext' in extra
        ? []
        : [{ rel: 'next', href: `https://atlas.test${listPath}?pageNum=${pageNum + 1}` }]),
    ],
    ...('totalCount' in extra ? { totalCount: extra.totalCount } : {}),
  });
  const queryOf = (path: string) => Object.fromEntries(new URL(path, 'https://atlas.test').searchParams);

  function threePages(withTotalCount: boolean) {
    const server = mockAtlasServer();
    const total = withTotalCount ? { totalCount: 5 } : {};
    const match = (n: number) => (path: string) =>
      path.startsWith(listPath) && queryOf(path).pageNum === String(n);
    server.pool.intercept({ path: match(1), method: 'GET' }).reply(200, page(1, ['a', 'b'], total));
    server.pool.intercept({ path: match(2), method: 'GET' }).reply(200, page(2, ['c', 'd'], total));
    server.pool
      .intercept({ path: match(3), method: 'GET' })
      .reply(200, page(3, ['e'], { ...total, noNext: true }));
    return server;
  }

  it.each([
    ['with totalCount', true],
    ['without totalCount', false],
  ])('walks every page %s and stops on the short last page', async (_, withTotalCount) => {
    // Prepare
    const server = threePages(withTotalCount);
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const names = (
      await Array.fromAsync(http.paginate(listClusters, { groupId: GROUP_ID }, { itemsPerPage: 2 }))
    ).map((c) => c.name);

    // Assess
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(server.apiCalls().map((c) => queryOf(c.path))).toEqual([
      { itemsPerPage: '2', pageNum: '1', includeCount: 'false' },
      { itemsPerPage: '2', pageNum: '2', includeCount: 'false' },
      { itemsPerPage: '2', pageNum: '3', includeCount: 'false' },
    ]);
  });

  it('does not stop early on a totalCount that underestimates', async () => {
    // Prepare
    const server = mockAtlasServer();
    const match = (n: number) => (path: string) => queryOf(path).pageNum === String(n);
    server.pool
      .intercept({ path: match(1), method: 'GET' })
      .reply(200, page(1, ['a', 'b'], { totalCount: 2 }));
    server.pool
      .intercept({ path: match(2), method: 'GET' })
      .reply(200, page(2, ['c'], { totalCount: 2, noNext: true }));
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const items = await http.listAll(listClusters, { groupId: GROUP_ID }, { itemsPerPage: 2 });

    // Assess
    expect(items.map((c) => c.name)).toEqual(['a', 'b', 'c']);
  });

  it('asks for the next page after a full page without a next link, instead of stopping there', async () => {
    // Prepare
    const server = mockAtlasServer();
    const match = (n: number) => (path: string) => queryOf(path).pageNum === String(n);
    server.pool
      .intercept({ path: match(1), method: 'GET' })
      .reply(200, page(1, ['a', 'b'], { noNext: true }));
    server.pool.intercept({ path: match(2), method: 'GET' }).reply(200, page(2, ['c'], { noNext: true }));
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const items = await http.listAll(listClusters, { groupId: GROUP_ID }, { itemsPerPage: 2 });

    // Assess
    expect(items.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(server.apiCalls()).toHaveLength(2);
  });

  it('fails on a page without a results array instead of reading it as an empty list', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: (p) => p.startsWith(listPath), method: 'GET' })
      .reply(200, { links: [], totalCount: 3 }, { headers: JSON_HEADERS });
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const failure = await http.listAll(listClusters, { groupId: GROUP_ID }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasResponseError);
    expect((failure as Error).message).toContain('no results array');
  });

  it('stops with an error when the server ignores pageNum and answers the same page again', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: (p) => p.startsWith(listPath), method: 'GET' })
      .reply(200, page(1, ['a', 'b']))
      .persist();
    const http = new AtlasHttp(server.clientOptions());

    // Act
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const cluster of http.paginate(listClusters, { groupId: GROUP_ID }, { itemsPerPage: 2 })) {
        seen.push(cluster.name);
      }
    })().catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasResponseError);
    expect((failure as Error).message).toContain('ignores pageNum');
    expect(seen).toEqual(['a', 'b']);
    expect(server.apiCalls()).toHaveLength(2);
  });

  it('refuses a response body larger than maxResponseBytes', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool
      .intercept({ path: (p) => p.startsWith(listPath), method: 'GET' })
      .reply(200, page(1, ['x'.repeat(5_000)]), { headers: JSON_HEADERS });
    const http = new AtlasHttp(server.clientOptions({ maxResponseBytes: 1_000 }));

    // Act
    const failure = await http.listAll(listClusters, { groupId: GROUP_ID }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasResponseError);
    expect((failure as Error).message).toContain('more than 1000 bytes');
  });

  it('sends includeDeletedWithRetainedBackups when asked', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool.intercept({ path: (p) => p.startsWith(listPath), method: 'GET' }).reply(200, page(1, ['a']));
    const http = new AtlasHttp(server.clientOptions());

    // Act
    await http.listAll(listClusters, { groupId: GROUP_ID, includeDeletedWithRetainedBackups: true });

    // Assess
    expect(queryOf(server.apiCalls()[0]?.path ?? '')).toMatchObject({
      includeDeletedWithRetainedBackups: 'true',
    });
  });

  it('asks for 500 items per page by default', async () => {
    // Prepare
    const server = mockAtlasServer();
    server.pool.intercept({ path: (p) => p.startsWith(listPath), method: 'GET' }).reply(200, page(1, ['a']));
    const http = new AtlasHttp(server.clientOptions());

    // Act
    await http.listAll(listClusters, { groupId: GROUP_ID });

    // Assess
    expect(queryOf(server.apiCalls()[0]?.path ?? '').itemsPerPage).toBe('500');
  });
});
