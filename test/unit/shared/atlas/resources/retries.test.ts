/**
 * Which writes the client repeats after a 5xx: set-like ones (adding access-list entries or zone mappings)
 * are repeated, creates that could take effect twice are not.
 */
import { describe, expect, it } from 'vitest';
import type { AtlasClient } from '../../../../../shared/atlas/client.ts';
import { AtlasApiError } from '../../../../../shared/atlas/errors.ts';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import { API, AWS_PEERING, CLIENT_ID, GROUP_ID, ORG_ID, rejectionOf } from './fixtures.ts';

const unavailable = { error: 503, errorCode: 'SERVICE_UNAVAILABLE' };
const geo = { groupId: GROUP_ID, clusterName: 'geo' };

interface Write {
  call: string;
  path: string;
  act: (client: AtlasClient) => Promise<unknown>;
}

const repeated: Write[] = [
  {
    call: 'projectAccessList.add',
    path: `/groups/${GROUP_ID}/accessList?itemsPerPage=500`,
    act: (c) => c.projectAccessList.add({ groupId: GROUP_ID, entries: [{ ipAddress: '203.0.113.7' }] }),
  },
  {
    call: 'serviceAccountAccessList.add',
    path: `/orgs/${ORG_ID}/serviceAccounts/${CLIENT_ID}/accessList?itemsPerPage=500`,
    act: (c) =>
      c.serviceAccountAccessList.add({
        orgId: ORG_ID,
        clientId: CLIENT_ID,
        entries: [{ ipAddress: '203.0.113.7' }],
      }),
  },
  {
    call: 'globalClusters.addCustomZoneMappings',
    path: `/groups/${GROUP_ID}/clusters/geo/globalWrites/customZoneMapping`,
    act: (c) =>
      c.globalClusters.addCustomZoneMappings({ ...geo, mappings: [{ location: 'DE', zone: 'EU' }] }),
  },
];

const notRepeated: Write[] = [
  {
    call: 'networkPeering.create',
    path: `/groups/${GROUP_ID}/peers`,
    act: (c) => c.networkPeering.create({ groupId: GROUP_ID, peering: AWS_PEERING }),
  },
  {
    call: 'globalClusters.addManagedNamespace',
    path: `/groups/${GROUP_ID}/clusters/geo/globalWrites/managedNamespaces`,
    act: (c) =>
      c.globalClusters.addManagedNamespace({
        ...geo,
        namespace: { db: 'sales', collection: 'orders', customShardKey: 'region' },
      }),
  },
];

describe('repeating writes after a server error', () => {
  it.each(repeated)(
    '$call is repeated, since adding the same thing twice changes nothing',
    async ({ path, act }) => {
      // Prepare
      const atlas = mockAtlas();
      atlas.pool.intercept({ path: `${API}${path}`, method: 'POST' }).reply(503, unavailable);
      atlas.pool.intercept({ path: `${API}${path}`, method: 'POST' }).reply(200, { results: [] });

      // Act
      await act(atlas.client);

      // Assess
      expect(atlas.apiCalls()).toHaveLength(2);
    },
  );

  it.each(notRepeated)(
    '$call is not repeated, since a repeat could take effect twice',
    async ({ path, act }) => {
      // Prepare
      const atlas = mockAtlas();
      atlas.pool.intercept({ path: `${API}${path}`, method: 'POST' }).reply(503, unavailable);
      atlas.pool.intercept({ path: `${API}${path}`, method: 'POST' }).reply(200, {});

      // Act
      const error = await rejectionOf(act(atlas.client));

      // Assess
      expect(error).toBeInstanceOf(AtlasApiError);
      expect((error as AtlasApiError).status).toBe(503);
      expect(atlas.apiCalls()).toHaveLength(1);
    },
  );
});
