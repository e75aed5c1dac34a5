/**
 * The Atlas client against the simulator over loopback: real HTTP, real auth handshakes, real pages,
 * throttling and faults. Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { type RunningSimulator, startSimulator } from '../../../local/atlas-simulator/index.ts';
import {
  AtlasApiError,
  AtlasClient,
  type AtlasClientOptions,
  AtlasDeadlineError,
  AtlasHttp,
  AtlasValidationError,
  createAtlasDispatcher,
  defineOperation,
  TokenCache,
} from '../../../shared/atlas/index.ts';
import { objectId } from '../../../shared/atlas/validation.ts';
import { requestLog, scriptFaults, send, useDemoSimulator } from '../../support/simulator.ts';

const dispatcher = createAtlasDispatcher({ connections: 8 });
const quietLogger = { debug() {}, warn() {} };

function serviceAccountClient(sim: RunningSimulator, overrides: Partial<AtlasClientOptions> = {}) {
  return new AtlasClient({
    credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
    baseUrl: sim.url,
    dispatcher,
    tokenCache: new TokenCache(),
    logger: quietLogger,
    retry: { baseDelayMs: 10, maxDelayMs: 100 },
    ...overrides,
  });
}

function apiKeyClient(sim: RunningSimulator) {
  return new AtlasClient({
    credentials: { publicKey: sim.publicKey, privateKey: sim.privateKey },
    baseUrl: sim.url,
    dispatcher,
    logger: quietLogger,
  });
}

describe('AtlasClient against the simulator', () => {
  const demo = useDemoSimulator({ token: false });

  it('reads every cluster of every project with a service account, page by page', async () => {
    // Prepare
    const atlas = serviceAccountClient(demo.sim);

    // Act
    const orgs = await Array.fromAsync(atlas.orgs.list());
    const names: string[] = [];
    for await (const project of atlas.projects.list()) {
      for await (const cluster of atlas.clusters.list({ groupId: project.id }, { itemsPerPage: 2 })) {
        names.push(cluster.name);
      }
    }

    // Assess
    expect(orgs.map((o) => o.id)).toContain(demo.sim.orgId);
    expect(names.sort()).toEqual(demo.sim.state.clusters.map((c) => c.name).sort());
    const pages = (await requestLog(demo.sim)).filter((r) => r.path.endsWith('/clusters'));
    expect(pages.length).toBeGreaterThan(demo.sim.state.projects.length);
  });

  it('works with an API key over Digest, answering the challenge once and reusing the nonce', async () => {
    // Prepare
    const atlas = apiKeyClient(demo.sim);

    // Act
    const projects = await Array.fromAsync(atlas.projects.list());
    const again = await Array.fromAsync(atlas.projects.list());

    // Assess
    expect(projects.length).toBe(demo.sim.state.projects.length);
    expect(again).toEqual(projects);
    const statuses = (await requestLog(demo.sim))
      .filter((r) => r.path === '/api/atlas/v2/groups')
      .map((r) => r.status);
    expect(statuses).toEqual([401, 200, 200]);
  });

  it('sends each operation its exact version and hears about deprecated ones', async () => {
    // Prepare
    const warnings: Record<string, unknown>[] = [];
    const atlas = serviceAccountClient(demo.sim, {
      logger: { debug() {}, warn: (_m, extra) => warnings.push(extra) },
    });
    const project = demo.sim.state.projects[0];
    if (!project) throw new Error('the demo seed has no project');

    // Act
    await atlas.projects.get({ groupId: project.id });
    await Array.fromAsync(atlas.clusters.list({ groupId: project.id }));
    await atlas.orgInvitations.list({ orgId: demo.sim.orgId });

    // Assess
    const versions = (await requestLog(demo.sim))
      .filter((r) => r.version)
      .map((r) => [r.path.split('/').at(-1), r.version]);
    expect(versions).toEqual([
      [project.id, '2023-01-01'],
      ['clusters', '2024-08-05'],
      ['invites', '2023-01-01'],
    ]);
    expect(warnings).toEqual([
      expect.objectContaining({ operation: 'listOrgInvites', sunset: expect.any(String) }),
    ]);
  });

  it('waits out a 429 from the token bucket and succeeds', async () => {
    // Prepare
    const tiny = await startSimulator({
      port: 0,
      seed: 'demo',
      rateLimit: { capacity: 2, refillRate: 1, refillSeconds: 1 },
    });
    const atlas = serviceAccountClient(tiny);

    try {
      // Act
      for (let i = 0; i < 3; i++) await Array.fromAsync(atlas.orgs.list());

      // Assess
      expect(atlas.stats.throttled).toBe(1);
      expect(atlas.stats.retries).toBe(1);
      const statuses = (await requestLog(tiny))
        .filter((r) => r.path === '/api/atlas/v2/orgs')
        .map((r) => r.status);
      expect(statuses).toEqual([200, 200, 429, 200]);
    } finally {
      await tiny.close();
    }
  });

  it('retries 5xx bursts and a reset connection on reads', async () => {
    // Prepare
    const atlas = serviceAccountClient(demo.sim);
    await scriptFaults(demo.sim, [
      { path: '/api/atlas/v2/orgs', count: 2, status: 503 },
      { path: '/api/atlas/v2/groups', count: 1, action: 'reset' },
    ]);

    // Act
    const orgs = await Array.fromAsync(atlas.orgs.list());
    const projects = await Array.fromAsync(atlas.projects.list());

    // Assess
    expect(orgs.length).toBeGreaterThan(0);
    expect(projects.length).toBe(demo.sim.state.projects.length);
    expect(atlas.stats.retries).toBe(3);
  });

  it('renews an access token that expires in the middle of a run', async () => {
    // Prepare
    const atlas = serviceAccountClient(demo.sim);
    await Array.fromAsync(atlas.orgs.list());

    // Act
    await send(demo.sim, 'POST', '/__sim/tokens/expire');
    const orgs = await Array.fromAsync(atlas.orgs.list());

    // Assess
    expect(orgs.length).toBeGreaterThan(0);
    const trail = (await requestLog(demo.sim)).map((r) => `${r.status} ${r.path}`);
    expect(trail).toEqual([
      '200 /api/oauth/token',
      '200 /api/atlas/v2/orgs',
      '401 /api/atlas/v2/orgs',
      '200 /api/oauth/token',
      '200 /api/atlas/v2/orgs',
    ]);
  });

  it('refuses bad input before sending, and reports what the simulator refuses field by field', async () => {
    // Prepare
    const atlas = serviceAccountClient(demo.sim);
    const project = demo.sim.state.projects[0];
    if (!project) throw new Error('the demo seed has no project');
    // An operation that skips the client's own body checks, to see the server's answer.
    const uncheckedAdd = defineOperation<{ groupId: string }, unknown>({
      name: 'createGroupAccessListEntry',
      method: 'POST',
      path: '/groups/{groupId}/accessList',
      version: '2023-01-01',
      params: z.object({ groupId: objectId }),
      body: () => [{ cidrBlock: 'not-a-cidr' }, { ipAddress: '999.1.1.1' }],
    });
    const http = new AtlasHttp({
      credentials: { clientId: demo.sim.clientId, clientSecret: demo.sim.clientSecret },
      baseUrl: demo.sim.url,
      dispatcher,
      tokenCache: new TokenCache(),
      logger: quietLogger,
    });

    // Act
    const local = await atlas.clusters.get({ groupId: 'nope', clusterName: 'x' }).catch((e: unknown) => e);
    const remote = await http.call(uncheckedAdd, { groupId: project.id }).catch((e: unknown) => e);

    // Assess
    expect(local).toBeInstanceOf(AtlasValidationError);
    expect((await requestLog(demo.sim)).filter((r) => r.path.includes('/clusters/'))).toEqual([]);
    expect(remote).toBeInstanceOf(AtlasApiError);
    expect((remote as AtlasApiError).status).toBe(400);
    expect((remote as AtlasApiError).errorCode).toBe('VALIDATION_ERROR');
    expect((remote as AtlasApiError).badRequestDetail?.fields?.map((f) => f.field).sort()).toEqual([
      '0.cidrBlock',
      '1.ipAddress',
    ]);
  });

  it('gives up on a stalled call at its deadline', async () => {
    // Prepare
    const atlas = serviceAccountClient(demo.sim);
    await Array.fromAsync(atlas.orgs.list());
    await scriptFaults(demo.sim, [{ path: '/api/atlas/v2/orgs', count: 1, action: 'stall' }]);

    // Act
    const failure = await Array.fromAsync(atlas.orgs.list({}, { timeoutMs: 300 })).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasDeadlineError);
  });

  it('is refused with 403 from an address missing on the API access list, and does not retry', async () => {
    // Prepare
    const state = structuredClone(demo.sim.state);
    for (const account of state.serviceAccounts)
      account.accessList = [{ ipAddress: '203.0.113.9', createdAt: '2026-01-01T00:00:00Z', requestCount: 0 }];
    const guarded = await startSimulator({ port: 0, seed: state, enforceApiAccessList: true });
    const atlas = serviceAccountClient(guarded);

    try {
      // Act
      const failure = await Array.fromAsync(atlas.orgs.list()).catch((e: unknown) => e);

      // Assess
      expect(failure).toBeInstanceOf(AtlasApiError);
      expect((failure as AtlasApiError).errorCode).toBe('IP_ADDRESS_NOT_ON_ACCESS_LIST');
      expect(atlas.stats.requests).toBe(1);
    } finally {
      await guarded.close();
    }
  });
});
