import { describe, expect, it } from 'vitest';
import {
  digestAuthorization,
  digestResponse,
  parseDigestChallenge,
} from '../../../../../shared/atlas/auth/digest.ts';
import { AtlasApiError } from '../../../../../shared/atlas/errors.ts';
import { AtlasHttp } from '../../../../../shared/atlas/http.ts';
import { getCluster } from '../../../../../shared/atlas/resources/clusters.ts';
import { GROUP_ID, JSON_HEADERS, mockAtlasServer } from '../../../../support/mock-atlas-server.ts';

// RFC 7616 §3.9.1: the worked example, with its published responses for MD5 and SHA-256.
const RFC_CHALLENGE =
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, ' +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
const RFC_REQUEST = {
  username: 'Mufasa',
  password: 'Circle of Life',
  method: 'GET',
  uri: '/dir/index.html',
  nc: 1,
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

describe('HTTP Digest (RFC 7616)', () => {
  it('computes the RFC 7616 known answer for MD5 and SHA-256', () => {
    // Prepare
    const challenge = parseDigestChallenge(RFC_CHALLENGE);
    if (!challenge) throw new Error('challenge did not parse');

    // Act
    const md5 = digestResponse({ ...RFC_REQUEST, challenge });
    const sha256 = digestResponse({ ...RFC_REQUEST, challenge: { ...challenge, algorithm: 'SHA-256' } });

    // Assess
    expect(md5).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(sha256).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('writes the Authorization header with qop=auth, the nonce count and the opaque value', () => {
    // Prepare
    const challenge = parseDigestChallenge(RFC_CHALLENGE);
    if (!challenge) throw new Error('challenge did not parse');

    // Act
    const header = digestAuthorization({ ...RFC_REQUEST, challenge });

    // Assess
    expect(header).toMatch(/^Digest /);
    expect(header).toContain('username="Mufasa"');
    expect(header).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
    expect(header).toContain('qop=auth,');
    expect(header).toContain('nc=00000001');
    expect(header).toContain('opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"');
    expect(header).not.toContain('Circle of Life');
  });

  it('reads stale=true and ignores challenges of other schemes', () => {
    expect(
      parseDigestChallenge('Digest realm="MMS Public API", nonce="n2", qop="auth", stale=TRUE')?.stale,
    ).toBe(true);
    expect(parseDigestChallenge('Bearer realm="atlas"')).toBeUndefined();
  });
});

describe('API key client (Digest against Atlas)', () => {
  const path = `/api/atlas/v2/groups/${GROUP_ID}/clusters/prod`;
  const params = { groupId: GROUP_ID, clusterName: 'prod' };
  const challenge = (nonce: string, stale = false) => ({
    'www-authenticate': `Digest realm="MMS Public API", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`,
  });

  function apiKeyClient(server: ReturnType<typeof mockAtlasServer>) {
    return new AtlasHttp(
      server.clientOptions({
        credentials: { publicKey: 'abcdefgh', privateKey: 'private-key-never-logged' },
      }),
    );
  }

  it('answers the challenge, then reuses the nonce with a rising nonce count', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    server.pool.intercept({ path, method: 'GET' }).reply(401, {}, { headers: challenge('nonce-1') });
    server.pool
      .intercept({ path, method: 'GET' })
      .reply(200, { name: 'prod' }, { headers: JSON_HEADERS })
      .times(2);
    const http = apiKeyClient(server);

    // Act
    await http.call(getCluster, params);
    await http.call(getCluster, params);

    // Assess
    const authHeaders = server.apiCalls().map((c) => String(c.headers.authorization ?? ''));
    expect(authHeaders[0]).toBe('');
    expect(authHeaders[1]).toContain('nonce="nonce-1"');
    expect(authHeaders[1]).toContain('nc=00000001');
    expect(authHeaders[1]).toContain(`uri="${path}"`);
    expect(authHeaders[2]).toContain('nc=00000002');
    expect(authHeaders.join()).not.toContain('private-key-never-logged');
  });

  it('takes a new nonce when Atlas says the old one is stale', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    server.pool.intercept({ path, method: 'GET' }).reply(401, {}, { headers: challenge('nonce-1') });
    server.pool.intercept({ path, method: 'GET' }).reply(200, { name: 'prod' });
    server.pool.intercept({ path, method: 'GET' }).reply(401, {}, { headers: challenge('nonce-2', true) });
    server.pool.intercept({ path, method: 'GET' }).reply(200, { name: 'prod' });
    const http = apiKeyClient(server);
    await http.call(getCluster, params);

    // Act
    const cluster = await http.call(getCluster, params);

    // Assess
    expect(cluster).toEqual({ name: 'prod' });
    const last = String(server.apiCalls().at(-1)?.headers.authorization);
    expect(last).toContain('nonce="nonce-2"');
    expect(last).toContain('nc=00000001');
  });

  it('fails with the 401 when the key pair is wrong', async () => {
    // Prepare
    const server = mockAtlasServer({ token: false });
    server.pool
      .intercept({ path, method: 'GET' })
      .reply(
        401,
        { error: 401, errorCode: 'UNAUTHORIZED', detail: 'You are not authorized.' },
        {
          headers: challenge('nonce-1'),
        },
      )
      .persist();
    const http = apiKeyClient(server);

    // Act
    const failure = await http.call(getCluster, params).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasApiError);
    expect((failure as AtlasApiError).errorCode).toBe('UNAUTHORIZED');
    expect(server.apiCalls()).toHaveLength(2);
  });
});
