/** The simulator's online archives, over plain HTTP as a client sees them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARCHIVE_EVENTS,
  ARCHIVE_GEO,
  ARCHIVE_ORDERS,
  badFields,
  GLOBAL_CLUSTER,
  GROUP_ID,
  type NetworkSimulator,
  REPLICA_SET,
  startNetworkSimulator,
} from './network-fixture.ts';

const ARCHIVES = `/groups/${GROUP_ID}/clusters/${REPLICA_SET}/onlineArchives`;

describe('online archives', () => {
  let atlas: NetworkSimulator;

  beforeAll(async () => {
    atlas = await startNetworkSimulator();
  });
  afterAll(async () => {
    await atlas.close();
  });

  it('lists the archives of one cluster, paginated', async () => {
    // Act
    const all = await atlas.call('GET', ARCHIVES);
    const page = await atlas.call('GET', `${ARCHIVES}?itemsPerPage=1&pageNum=2`);

    // Assess
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe('application/vnd.atlas.2023-01-01+json');
    expect(all.body.totalCount).toBe(2);
    expect(all.body.results.map((a: { _id: string }) => a._id).sort()).toEqual(
      [ARCHIVE_ORDERS, ARCHIVE_EVENTS].sort(),
    );
    expect(all.body.results[0]).toMatchObject({
      groupId: GROUP_ID,
      clusterName: REPLICA_SET,
      state: 'ACTIVE',
    });
    expect(page.body.results).toHaveLength(1);
    expect(page.body.links.map((l: { rel: string }) => l.rel)).toContain('previous');
  });

  it('gets one archive by id, as listed', async () => {
    // Prepare
    const listed = await atlas.call('GET', ARCHIVES);

    // Act
    const one = await atlas.call('GET', `${ARCHIVES}/${ARCHIVE_ORDERS}`);

    // Assess
    expect(one.status).toBe(200);
    expect(one.body).toEqual(listed.body.results.find((a: { _id: string }) => a._id === ARCHIVE_ORDERS));
    expect(one.body).toMatchObject({ dbName: 'sales', collName: 'orders', criteria: { type: 'DATE' } });
  });

  it('deletes with 204 and no body, after which the archive is gone from reads', async () => {
    // Act
    const deleted = await atlas.call('DELETE', `${ARCHIVES}/${ARCHIVE_EVENTS}`);
    const read = await atlas.call('GET', `${ARCHIVES}/${ARCHIVE_EVENTS}`);
    const listed = await atlas.call('GET', ARCHIVES);
    const again = await atlas.call('DELETE', `${ARCHIVES}/${ARCHIVE_EVENTS}`);

    // Assess
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(read.status).toBe(404);
    // Atlas answers a missing archive with its generic code and this text (the Atlas CLI's recorded answers).
    expect(read.body).toMatchObject({
      errorCode: 'RESOURCE_NOT_FOUND',
      detail: `Cannot find resource Online archive with id ${ARCHIVE_EVENTS}.`,
      parameters: [`Online archive with id ${ARCHIVE_EVENTS}`],
    });
    expect(listed.body.results.map((a: { _id: string }) => a._id)).not.toContain(ARCHIVE_EVENTS);
    expect([again.status, again.body.errorCode]).toEqual([404, 'RESOURCE_NOT_FOUND']);
  });

  it("does not find another cluster's archive under this cluster", async () => {
    // Act
    const answer = await atlas.call('GET', `${ARCHIVES}/${ARCHIVE_GEO}`);
    const underItsOwn = await atlas.call(
      'GET',
      `/groups/${GROUP_ID}/clusters/${GLOBAL_CLUSTER}/onlineArchives/${ARCHIVE_GEO}`,
    );

    // Assess
    expect([answer.status, answer.body.errorCode]).toEqual([404, 'RESOURCE_NOT_FOUND']);
    expect(underItsOwn.status).toBe(200);
  });

  it.each([
    { method: 'GET', suffix: '' },
    { method: 'GET', suffix: `/${ARCHIVE_ORDERS}` },
    { method: 'DELETE', suffix: `/${ARCHIVE_ORDERS}` },
  ])('answers 404 CLUSTER_NOT_FOUND for $method on an unknown cluster', async ({ method, suffix }) => {
    // Act
    const answer = await atlas.call(
      method,
      `/groups/${GROUP_ID}/clusters/no-such-cluster/onlineArchives${suffix}`,
    );

    // Assess
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ errorCode: 'CLUSTER_NOT_FOUND', reason: 'Not Found' });
    expect(answer.body.detail).toContain('no-such-cluster');
  });

  it('names a malformed archive id with 400 VALIDATION_ERROR', async () => {
    // Act
    const answer = await atlas.call('GET', `${ARCHIVES}/1234`);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.errorCode).toBe('VALIDATION_ERROR');
    expect(badFields(answer)).toEqual(['archiveId']);
  });

  it('answers 406 without a known API version', async () => {
    // Act
    const answer = await atlas.call('GET', ARCHIVES, { version: '2022-06-01' });

    // Assess
    expect(answer.status).toBe(406);
  });
});
