/** The simulator's own contract, over raw HTTP: versions, errors, auth, paging options, limits and controls. */
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../../local/atlas-simulator/index.ts';
import {
  atlasCall,
  bearerToken,
  requestLog,
  resetSimulator,
  scriptFaults,
  send,
  useDemoSimulator,
} from '../../support/simulator.ts';

describe('Atlas simulator contract', () => {
  const demo = useDemoSimulator();

  describe('versions', () => {
    it('resolves a later API date to the newest version at or before it', async () => {
      const res = await atlasCall(demo.sim, demo.token, 'GET', '/orgs', { version: '2025-03-12' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json');
    });

    it.each([
      ['no version', 'application/json'],
      ['a malformed version', 'application/vnd.atlas.2024-13+json'],
      ['a date before the first version', 'application/vnd.atlas.2022-12-31+json'],
    ])('answers 406 to %s', async (_, accept) => {
      const res = await send(demo.sim, 'GET', '/api/atlas/v2/orgs', {
        headers: { authorization: `Bearer ${demo.token}`, accept },
      });
      expect(res.status).toBe(406);
      expect(res.json).toMatchObject({ error: 406, errorCode: 'INVALID_VERSION_DATE' });
    });

    it('answers 410 to a version past its sunset, and warns before that', async () => {
      // Prepare
      const later = await startSimulator({
        port: 0,
        seed: 'demo',
        now: () => Date.parse('2027-07-02T00:00:00Z'),
      });
      const groupId = demo.sim.state.projects[0]?.id;
      try {
        const laterToken = await bearerToken(later);

        // Act
        const gone = await atlasCall(later, laterToken, 'GET', `/groups/${groupId}/clusters`, {
          version: '2023-02-01',
        });
        const deprecated = await atlasCall(demo.sim, demo.token, 'GET', `/groups/${groupId}/clusters`, {
          version: '2023-02-01',
        });

        // Assess
        expect(gone.status).toBe(410);
        expect(gone.json).toMatchObject({ errorCode: 'VERSION_GONE' });
        expect(deprecated.status).toBe(200);
        expect(deprecated.headers.sunset).toBe('Thu, 01 Jul 2027 00:00:00 GMT');
        expect(deprecated.headers.deprecation).toBeDefined();
      } finally {
        await later.close();
      }
    });
  });

  describe('errors', () => {
    it('answers unknown paths with 404 RESOURCE_NOT_FOUND and wrong methods with 405', async () => {
      const missing = await atlasCall(demo.sim, demo.token, 'GET', '/nothing/here');
      const wrongMethod = await atlasCall(demo.sim, demo.token, 'PUT', '/orgs');
      expect(missing.status).toBe(404);
      expect(missing.json).toMatchObject({
        error: 404,
        errorCode: 'RESOURCE_NOT_FOUND',
        reason: 'Not Found',
      });
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.allow).toBe('GET');
    });

    it('refuses malformed JSON, a wrong content type and an oversized body', async () => {
      const groupId = demo.sim.state.projects[0]?.id;
      const path = `/api/atlas/v2/groups/${groupId}/accessList`;
      const headers = {
        authorization: `Bearer ${demo.token}`,
        accept: 'application/vnd.atlas.2023-01-01+json',
      };
      const malformed = await send(demo.sim, 'POST', path, {
        headers: { ...headers, 'content-type': 'application/json' },
        body: '[{"ipAddress": ',
      });
      const wrongType = await send(demo.sim, 'POST', path, {
        headers: { ...headers, 'content-type': 'text/plain' },
        body: '[]',
      });
      const oversized = await send(demo.sim, 'POST', path, {
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify([{ comment: 'x'.repeat(2 * 1024 * 1024) }]),
      });
      expect([malformed.status, wrongType.status, oversized.status]).toEqual([400, 415, 413]);
      expect(malformed.json).toMatchObject({
        errorCode: 'MALFORMED_JSON',
        detail: 'Received JSON is malformed.',
      });
    });

    it('answers a body that is not JSON with MALFORMED_JSON, and JSON of the wrong shape with INVALID_JSON', async () => {
      // Prepare
      const groupId = demo.sim.state.projects[0]?.id;
      const post = (body: string) =>
        send(demo.sim, 'POST', `/api/atlas/v2/groups/${groupId}/accessList`, {
          headers: {
            authorization: `Bearer ${demo.token}`,
            accept: 'application/vnd.atlas.2023-01-01+json',
            'content-type': 'application/json',
          },
          body,
        });

      // Act
      const empty = await post('');
      const notJson = await post("[{'cidrBlock': '10.1.0.0/16'}]");
      const objectForArray = await post('{"cidrBlock": "10.1.0.0/16"}');
      const numberForString = await post('[{"cidrBlock": "10.1.0.0/16", "comment": 42}]');
      const badValue = await post('[{"cidrBlock": "10.1.0.0/99"}]');

      // Assess
      for (const res of [empty, notJson]) {
        expect(res.status).toBe(400);
        expect(res.json).toMatchObject({
          errorCode: 'MALFORMED_JSON',
          detail: 'Received JSON is malformed.',
        });
      }
      for (const res of [objectForArray, numberForString]) {
        expect(res.status).toBe(400);
        expect(res.json).toMatchObject({
          errorCode: 'INVALID_JSON',
          detail: 'Received JSON does not match expected format.',
        });
      }
      expect(numberForString.json).toMatchObject({
        badRequestDetail: { fields: [expect.objectContaining({ field: '0.comment' })] },
      });
      expect(badValue.json).toMatchObject({ errorCode: 'VALIDATION_ERROR' });
      expect(demo.sim.state.projectAccessList.map((e) => e.cidrBlock)).not.toContain('10.1.0.0/16');
    });

    it('names the error code in an X-Error-Code header, as Atlas does', async () => {
      // Act
      const res = await atlasCall(demo.sim, demo.token, 'GET', '/nothing/here');

      // Assess
      expect(res.headers['x-error-code']).toBe('RESOURCE_NOT_FOUND');
    });

    it('answers a bad path parameter with VALIDATION_ERROR naming it', async () => {
      const res = await atlasCall(demo.sim, demo.token, 'GET', '/groups/not-an-id/clusters');
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        errorCode: 'VALIDATION_ERROR',
        badRequestDetail: { fields: [expect.objectContaining({ field: 'groupId' })] },
      });
    });
  });

  describe('auth', () => {
    it('challenges an anonymous call with Digest and the Atlas error shape', async () => {
      const res = await send(demo.sim, 'GET', '/api/atlas/v2/orgs', {
        headers: { accept: 'application/vnd.atlas.2023-01-01+json' },
      });
      expect(res.status).toBe(401);
      expect(String(res.headers['www-authenticate'])).toMatch(/^Digest realm="MMS Public API", .*qop="auth"/);
      // What real Atlas answers without credentials or with wrong ones (the Atlas CLI's recorded answers).
      expect(res.json).toMatchObject({
        error: 401,
        errorCode: 'UNEXPECTED_ERROR',
        detail: 'You are not authorized for this resource.',
        reason: 'Unauthorized',
      });
    });

    it('refuses an unknown bearer token with 401 UNAUTHORIZED', async () => {
      // Act
      const res = await atlasCall(demo.sim, 'not-a-token', 'GET', '/orgs');

      // Assess
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ error: 401, errorCode: 'UNAUTHORIZED' });
    });

    it('answers the token endpoint in OAuth shapes', async () => {
      const wrong = Buffer.from(`${demo.sim.clientId}:wrong`).toString('base64');
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const refused = await send(demo.sim, 'POST', '/api/oauth/token', {
        headers: { ...form, authorization: `Basic ${wrong}` },
        body: 'grant_type=client_credentials',
      });
      const right = Buffer.from(`${demo.sim.clientId}:${demo.sim.clientSecret}`).toString('base64');
      const badGrant = await send(demo.sim, 'POST', '/api/oauth/token', {
        headers: { ...form, authorization: `Basic ${right}` },
        body: 'grant_type=password',
      });
      expect(refused.status).toBe(401);
      expect(refused.json).toEqual({
        error: 'invalid_client',
        error_description: 'Invalid credentials provided.',
      });
      expect(badGrant.status).toBe(400);
      expect(badGrant.json).toMatchObject({ error: 'unsupported_grant_type' });
    });

    it('stops accepting a revoked token', async () => {
      const basic = Buffer.from(`${demo.sim.clientId}:${demo.sim.clientSecret}`).toString('base64');
      const revoked = await send(demo.sim, 'POST', '/api/oauth/revoke', {
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: demo.token, token_type_hint: 'access_token' }).toString(),
      });
      const after = await atlasCall(demo.sim, demo.token, 'GET', '/orgs');
      expect(revoked.status).toBe(200);
      expect(after.status).toBe(401);
    });

    it('lets a token expire after its lifetime', async () => {
      let clock = Date.parse('2026-11-29T00:00:00Z');
      const short = await startSimulator({ port: 0, seed: 'demo', tokenTtlSeconds: 60, now: () => clock });
      try {
        const shortToken = await bearerToken(short);
        const fresh = await atlasCall(short, shortToken, 'GET', '/orgs');
        clock += 61_000;
        const expired = await atlasCall(short, shortToken, 'GET', '/orgs');
        expect([fresh.status, expired.status]).toEqual([200, 401]);
      } finally {
        await short.close();
      }
    });
  });

  describe('responses', () => {
    it('wraps in an envelope and pretty-prints on request', async () => {
      const enveloped = await atlasCall(demo.sim, demo.token, 'GET', '/orgs?envelope=true&pretty=true');
      expect(enveloped.status).toBe(200);
      expect(enveloped.json).toMatchObject({ status: 200, results: expect.any(Array) });
      expect(enveloped.text).toContain('\n  ');
    });

    it('pages with itemsPerPage, pageNum, includeCount and next/previous links', async () => {
      const groupId = demo.sim.state.clusters[0]?.groupId;
      const total = demo.sim.state.clusters.filter((c) => c.groupId === groupId).length;
      const first = await atlasCall(
        demo.sim,
        demo.token,
        'GET',
        `/groups/${groupId}/clusters?itemsPerPage=1`,
      );
      const second = await atlasCall(
        demo.sim,
        demo.token,
        'GET',
        `/groups/${groupId}/clusters?itemsPerPage=1&pageNum=2&includeCount=false`,
      );
      const rels = (res: typeof first) => (res.json as { links: { rel: string }[] }).links.map((l) => l.rel);
      expect(total).toBeGreaterThan(2);
      expect(first.json).toMatchObject({ totalCount: total, results: [expect.any(Object)] });
      expect(rels(first)).toEqual(['self', 'next']);
      expect(rels(second)).toEqual(['self', 'next', 'previous']);
      expect(second.json).not.toHaveProperty('totalCount');
      const bad = await atlasCall(
        demo.sim,
        demo.token,
        'GET',
        `/groups/${groupId}/clusters?itemsPerPage=501`,
      );
      expect(bad.status).toBe(400);
      expect(bad.json).toMatchObject({
        badRequestDetail: { fields: [expect.objectContaining({ field: 'itemsPerPage' })] },
      });
    });

    it('lists every cluster across projects, grouped by project, for clients that ask without a project', async () => {
      const res = await atlasCall(demo.sim, demo.token, 'GET', '/clusters');
      const groups = (res.json as { results: { groupId: string; clusters: { name: string }[] }[] }).results;
      expect(res.status).toBe(200);
      expect(groups.map((g) => g.groupId).sort()).toEqual(demo.sim.state.projects.map((p) => p.id).sort());
      expect(groups.flatMap((g) => g.clusters.map((c) => c.name)).sort()).toEqual(
        demo.sim.state.clusters.map((c) => c.name).sort(),
      );
    });

    it('sends RateLimit headers and a token-bucket 429 with Retry-After', async () => {
      const tiny = await startSimulator({
        port: 0,
        seed: 'demo',
        rateLimit: { capacity: 1, refillRate: 1, refillSeconds: 60 },
      });
      try {
        const tinyToken = await bearerToken(tiny);
        const ok = await atlasCall(tiny, tinyToken, 'GET', '/orgs');
        const limited = await atlasCall(tiny, tinyToken, 'GET', '/orgs');
        expect(ok.headers['ratelimit-limit']).toBe('1');
        expect(ok.headers['ratelimit-remaining']).toBe('0');
        expect(limited.status).toBe(429);
        expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(59);
        expect(limited.json).toMatchObject({
          errorCode: 'RATE_LIMITED_TOKEN_BUCKET',
          parameters: ['api/atlas/v2/orgs', expect.any(Number), 1, 1, 60],
        });
      } finally {
        await tiny.close();
      }
    });
  });

  describe('controls', () => {
    it('plays scripted faults in order, then answers normally, and logs without credentials', async () => {
      await scriptFaults(demo.sim, [{ path: '/api/atlas/v2/orgs', count: 2, status: 429, retryAfter: 3 }]);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await atlasCall(demo.sim, demo.token, 'GET', '/orgs')).status);
      const log = await requestLog(demo.sim);
      expect(statuses).toEqual([429, 429, 200]);
      expect(JSON.stringify(log)).not.toContain(demo.token);
      expect(JSON.stringify(log)).not.toContain(demo.sim.clientSecret);
    });

    it('answers a scripted fault with its own errorCode and detail', async () => {
      // Prepare
      await scriptFaults(demo.sim, [
        {
          path: '/api/atlas/v2/orgs',
          status: 409,
          errorCode: 'SOMETHING_ATLAS_SAID',
          detail: 'As scripted.',
        },
      ]);

      // Act
      const res = await atlasCall(demo.sim, demo.token, 'GET', '/orgs');

      // Assess
      expect(res.status).toBe(409);
      expect(res.json).toMatchObject({
        errorCode: 'SOMETHING_ATLAS_SAID',
        detail: 'As scripted.',
        reason: 'Conflict',
      });
    });

    it('puts the seed back on reset', async () => {
      const before = demo.sim.state.invitations.length;
      const invitation = demo.sim.state.invitations[0];
      await atlasCall(demo.sim, demo.token, 'DELETE', `/orgs/${demo.sim.orgId}/invites/${invitation?.id}`);
      const afterDelete = demo.sim.state.invitations.length;
      await resetSimulator(demo.sim);
      expect(before).toBeGreaterThan(0);
      expect(afterDelete).toBe(before - 1);
      expect(demo.sim.state.invitations.length).toBe(before);
    });
  });
});
