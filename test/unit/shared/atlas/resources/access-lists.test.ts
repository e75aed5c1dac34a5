/** Access-list specifics: CIDR blocks in paths, and one change at a time per project. */
import { describe, expect, it } from 'vitest';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import { API, CLIENT_ID, GROUP_ID, ORG_ID, OTHER_GROUP_ID, pause } from './fixtures.ts';

describe('CIDR blocks in paths', () => {
  it.each([
    { method: 'get', verb: 'GET', suffix: '' },
    { method: 'status', verb: 'GET', suffix: '/status' },
    { method: 'delete', verb: 'DELETE', suffix: '' },
  ] as const)(
    'project access list $method encodes the / of a CIDR entryValue',
    async ({ method, verb, suffix }) => {
      // Prepare
      const atlas = mockAtlas();
      const path = `${API}/groups/${GROUP_ID}/accessList/10.0.0.0%2F16${suffix}`;
      atlas.pool
        .intercept({ path, method: verb })
        .reply(verb === 'DELETE' ? 204 : 200, verb === 'DELETE' ? '' : '{}');

      // Act
      await atlas.client.projectAccessList[method]({ groupId: GROUP_ID, entryValue: '10.0.0.0/16' });

      // Assess
      expect(atlas.apiCalls().map((c) => c.path)).toEqual([path]);
    },
  );

  it('service-account access list delete encodes the / of a CIDR ipAddress', async () => {
    // Prepare
    const atlas = mockAtlas();
    const path = `${API}/orgs/${ORG_ID}/serviceAccounts/${CLIENT_ID}/accessList/198.51.100.0%2F24`;
    atlas.pool.intercept({ path, method: 'DELETE' }).reply(204, '');

    // Act
    await atlas.client.serviceAccountAccessList.delete({
      orgId: ORG_ID,
      clientId: CLIENT_ID,
      ipAddress: '198.51.100.0/24',
    });

    // Assess
    expect(atlas.apiCalls().map((c) => c.path)).toEqual([path]);
  });
});

/**
 * A mock Atlas whose access-list writes take a while, and that records when each one starts and when its
 * answer is ready. Each request is told apart by the `comment` of its first entry (adds) or its path (deletes).
 */
function slowAccessList() {
  const atlas = mockAtlas();
  const events: string[] = [];
  const slowly =
    (status: number, label: (opts: { path: string; body?: unknown }) => string) =>
    async (opts: { path: string; body?: unknown }) => {
      const name = label(opts);
      events.push(`start ${name}`);
      await pause(50);
      events.push(`end ${name}`);
      return { statusCode: status, data: status === 204 ? '' : { results: [] } };
    };
  const byComment = (opts: { body?: unknown }) => JSON.parse(String(opts.body))[0].comment as string;
  for (const groupId of [GROUP_ID, OTHER_GROUP_ID]) {
    atlas.pool
      .intercept({ path: `${API}/groups/${groupId}/accessList?itemsPerPage=500`, method: 'POST' })
      .reply(slowly(200, byComment))
      .persist();
    atlas.pool
      .intercept({ path: (p) => p.startsWith(`${API}/groups/${groupId}/accessList/`), method: 'DELETE' })
      .reply(slowly(204, (opts) => `delete ${opts.path.split('/').pop()}`))
      .persist();
  }
  return { atlas, events };
}

const entry = (comment: string) => [{ ipAddress: '203.0.113.7', comment }];

describe('project access-list changes', () => {
  it('runs adds for the same project one after another', async () => {
    // Prepare
    const { atlas, events } = slowAccessList();

    // Act
    await Promise.all([
      atlas.client.projectAccessList.add({ groupId: GROUP_ID, entries: entry('A') }),
      atlas.client.projectAccessList.add({ groupId: GROUP_ID, entries: entry('B') }),
    ]);

    // Assess
    expect(events).toEqual(['start A', 'end A', 'start B', 'end B']);
  });

  it('runs adds for different projects at the same time', async () => {
    // Prepare
    const { atlas, events } = slowAccessList();

    // Act
    await Promise.all([
      atlas.client.projectAccessList.add({ groupId: GROUP_ID, entries: entry('A') }),
      atlas.client.projectAccessList.add({ groupId: OTHER_GROUP_ID, entries: entry('B') }),
    ]);

    // Assess
    expect(events.slice(0, 2).sort()).toEqual(['start A', 'start B']);
  });

  it('does not start a delete while an add for the same project runs', async () => {
    // Prepare
    const { atlas, events } = slowAccessList();

    // Act
    await Promise.all([
      atlas.client.projectAccessList.add({ groupId: GROUP_ID, entries: entry('A') }),
      atlas.client.projectAccessList.delete({ groupId: GROUP_ID, entryValue: '198.51.100.9' }),
    ]);

    // Assess
    expect(events).toEqual(['start A', 'end A', 'start delete 198.51.100.9', 'end delete 198.51.100.9']);
  });

  it('starts the next add even when the one before it failed', async () => {
    // Prepare
    const atlas = mockAtlas({ retry: { maxAttempts: 1 } });
    const path = `${API}/groups/${GROUP_ID}/accessList?itemsPerPage=500`;
    atlas.pool.intercept({ path, method: 'POST' }).reply(400, { error: 400, errorCode: 'INVALID_ENTRY' });
    atlas.pool.intercept({ path, method: 'POST' }).reply(200, { results: [] });

    // Act
    const [first, second] = await Promise.allSettled([
      atlas.client.projectAccessList.add({ groupId: GROUP_ID, entries: entry('A') }),
      atlas.client.projectAccessList.add({ groupId: GROUP_ID, entries: entry('B') }),
    ]);

    // Assess
    expect(first.status).toBe('rejected');
    expect(second).toEqual({ status: 'fulfilled', value: { results: [] } });
  });
});
