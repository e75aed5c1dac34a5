/**
 * The Atlas client over real HTTP on loopback: how fast it pages through a large project, how it does under
 * 50 concurrent calls on one keep-alive pool, and what a 429 storm costs. The server is a minimal stand-in
 * (token endpoint, clusters list and get), so the figures are the client's own overhead.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AtlasClient, createAtlasDispatcher, TokenCache } from '../shared/atlas/index.ts';

const GROUP_ID = '5f1b2c3d4e5f6a7b8c9d0e1f';
const CLUSTERS = 10_000;
const CONCURRENT_CALLS = 2_000;
const CONCURRENCY = 50;
const THROTTLE_EVERY = 5; // one call in five meets a 429 during the storm

export async function benchClient(): Promise<Record<string, unknown>> {
  let served = 0;
  let throttleStorm = false;
  const server = createServer((req, res) => {
    served += 1;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/api/oauth/token') {
      res.end(JSON.stringify({ access_token: 'bench-token', expires_in: 3600, token_type: 'Bearer' }));
      return;
    }
    if (throttleStorm && served % THROTTLE_EVERY === 0) {
      res.writeHead(429, { 'retry-after': '0' });
      res.end(JSON.stringify({ error: 429, errorCode: 'RATE_LIMITED_TOKEN_BUCKET', detail: 'bench' }));
      return;
    }
    if (url.pathname.endsWith('/clusters')) {
      const perPage = Number(url.searchParams.get('itemsPerPage'));
      const pageNum = Number(url.searchParams.get('pageNum'));
      const start = (pageNum - 1) * perPage;
      const results = Array.from({ length: Math.max(0, Math.min(perPage, CLUSTERS - start)) }, (_, i) => ({
        id: (start + i).toString(16).padStart(24, '0'),
        groupId: GROUP_ID,
        name: `cluster-${start + i}`,
        stateName: 'IDLE',
      }));
      const next =
        start + perPage < CLUSTERS ? [{ rel: 'next', href: `${url.pathname}?pageNum=${pageNum + 1}` }] : [];
      res.end(JSON.stringify({ results, links: [{ rel: 'self', href: url.pathname }, ...next] }));
      return;
    }
    res.end(JSON.stringify({ id: GROUP_ID, groupId: GROUP_ID, name: url.pathname.split('/').pop() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dispatcher = createAtlasDispatcher({ connections: CONCURRENCY });
  const client = new AtlasClient({
    credentials: { clientId: 'mdb_sa_id_0123456789abcdef01234567', clientSecret: 'bench-secret' },
    baseUrl: `http://127.0.0.1:${port}`,
    dispatcher,
    tokenCache: new TokenCache(),
    retry: { baseDelayMs: 1, maxDelayMs: 10, maxAttempts: 8 },
  });

  try {
    const started = performance.now();
    let listed = 0;
    for await (const _ of client.clusters.list({ groupId: GROUP_ID })) listed += 1;
    const listMs = performance.now() - started;

    const concurrent = async () => {
      let next = 0;
      const worker = async () => {
        while (next < CONCURRENT_CALLS) {
          next += 1;
          await client.clusters.get({ groupId: GROUP_ID, clusterName: `cluster-${next}` });
        }
      };
      const begun = performance.now();
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      return performance.now() - begun;
    };

    const callsMs = await concurrent();
    const retriesBefore = client.stats.retries;
    throttleStorm = true;
    const stormMs = await concurrent();

    return {
      node: process.version,
      clustersListed: listed,
      listMs: Math.round(listMs),
      clustersPerSecond: Math.round(listed / (listMs / 1000)),
      concurrentCalls: CONCURRENT_CALLS,
      concurrency: CONCURRENCY,
      callsPerSecond: Math.round(CONCURRENT_CALLS / (callsMs / 1000)),
      stormCallsPerSecond: Math.round(CONCURRENT_CALLS / (stormMs / 1000)),
      stormRetries: client.stats.retries - retriesBefore,
      requests: client.stats.requests,
      throttled: client.stats.throttled,
    };
  } finally {
    await dispatcher.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
