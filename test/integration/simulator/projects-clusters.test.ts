/** Projects, dedicated clusters (three versions) and flex clusters, over raw HTTP against the demo seed. */
import { describe, expect, it } from 'vitest';
import {
  DEMO_CLUSTERS,
  DEMO_FLEX_CLUSTER_NAME,
  DEMO_GLOBAL_ZONE_IDS,
  DEMO_ORG_ID,
  DEMO_PROJECT_IDS,
} from '../../../local/atlas-simulator/seeds/demo.ts';
import {
  atlasCall,
  type Json,
  type Page,
  type RawResponse,
  scriptFaults,
  useDemoSimulator,
} from '../../support/simulator.ts';

const { paymentsProd, analytics, sandbox } = DEMO_PROJECT_IDS;
const UNKNOWN_ID = '0123456789abcdef01234567';

describe('projects, clusters and flex clusters', () => {
  const demo = useDemoSimulator({ reset: false });

  const get = (path: string, version?: string): Promise<RawResponse> =>
    atlasCall(demo.sim, demo.token, 'GET', path, version ? { version } : {});
  /** Follows a page link (an absolute URL) with the same version. */
  const follow = (href: string, version: string) =>
    get(new URL(href).pathname.replace('/api/atlas/v2', '') + new URL(href).search, version);

  describe('projects', () => {
    it('lists every project of the organization with its cluster count, dedicated and flex', async () => {
      // Act
      const res = await get('/groups', '2023-01-01');

      // Assess
      const body = res.json as Page<{
        id: string;
        name: string;
        orgId: string;
        clusterCount: number;
        created: string;
      }>;
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json');
      expect(body.totalCount).toBe(3);
      expect(body.results.map((p) => [p.name, p.clusterCount])).toEqual([
        ['payments-prod', 4],
        ['analytics', 4],
        ['sandbox', 3],
      ]);
      expect(body.results.every((p) => p.orgId === DEMO_ORG_ID && !Number.isNaN(Date.parse(p.created)))).toBe(
        true,
      );
    });

    it('filters an organization’s projects by a case-insensitive name prefix', async () => {
      // Act
      const some = await get(`/orgs/${DEMO_ORG_ID}/groups?name=PAY`);
      const none = await get(`/orgs/${DEMO_ORG_ID}/groups?name=zzz`);
      const all = await get(`/orgs/${DEMO_ORG_ID}/groups`);

      // Assess
      expect((some.json as Page<{ name: string }>).results.map((p) => p.name)).toEqual(['payments-prod']);
      expect((none.json as Page).results).toEqual([]);
      expect((none.json as Page).totalCount).toBe(0);
      expect((all.json as Page).results).toHaveLength(3);
    });

    it('gets one project by id, with a self link', async () => {
      // Act
      const res = await get(`/groups/${analytics}`);

      // Assess
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json');
      expect(res.json).toMatchObject({
        id: analytics,
        name: 'analytics',
        orgId: DEMO_ORG_ID,
        clusterCount: 4,
        tags: expect.arrayContaining([{ key: 'owner', value: 'data-team' }]),
        links: [{ href: `${demo.sim.url}/api/atlas/v2/groups/${analytics}`, rel: 'self' }],
      });
    });

    it('answers 404 GROUP_NOT_FOUND for a project that does not exist', async () => {
      // Act
      const res = await get(`/groups/${UNKNOWN_ID}`);

      // Assess
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ errorCode: 'GROUP_NOT_FOUND' });
    });

    it('answers 400 VALIDATION_ERROR naming groupId for a malformed project id', async () => {
      // Act
      const res = await get('/groups/not-a-project/clusters');

      // Assess
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        errorCode: 'VALIDATION_ERROR',
        badRequestDetail: { fields: [expect.objectContaining({ field: 'groupId' })] },
      });
    });
  });

  describe('clusters list', () => {
    it('pages through a project’s clusters with next and previous links', async () => {
      // Act
      const first = await get(`/groups/${paymentsProd}/clusters?itemsPerPage=2`, '2024-08-05');
      const firstBody = first.json as Page<{ name: string }>;
      const next = firstBody.links.find((l) => l.rel === 'next');
      const second = next ? await follow(next.href, '2024-08-05') : undefined;
      const secondBody = second?.json as Page<{ name: string }>;

      // Assess
      expect(first.status).toBe(200);
      expect(firstBody.totalCount).toBe(4);
      expect(firstBody.results).toHaveLength(2);
      expect(firstBody.links.map((l) => l.rel)).toEqual(['self', 'next']);
      expect(new URL(next?.href ?? '').searchParams.get('pageNum')).toBe('2');
      expect(second?.status).toBe(200);
      expect(secondBody.results).toHaveLength(2);
      expect(secondBody.links.map((l) => l.rel)).toEqual(['self', 'previous']);
      expect([...firstBody.results, ...secondBody.results].map((c) => c.name).sort()).toEqual(
        [
          DEMO_CLUSTERS.paymentsMain,
          DEMO_CLUSTERS.paymentsEu,
          DEMO_CLUSTERS.ledger,
          DEMO_CLUSTERS.checkoutGlobal,
        ].sort(),
      );
    });

    it('leaves totalCount out when includeCount=false', async () => {
      // Act
      const res = await get(`/groups/${paymentsProd}/clusters?includeCount=false&itemsPerPage=3`);

      // Assess
      const body = res.json as Page;
      expect(res.status).toBe(200);
      expect(body).not.toHaveProperty('totalCount');
      expect(body.results).toHaveLength(3);
    });

    it('accepts includeDeletedWithRetainedBackups', async () => {
      // Act
      const res = await get(`/groups/${analytics}/clusters?includeDeletedWithRetainedBackups=true`);

      // Assess
      expect(res.status).toBe(200);
      expect((res.json as Page).totalCount).toBe(4);
    });

    it('does not list flex clusters', async () => {
      // Act
      const res = await get(`/groups/${sandbox}/clusters`);

      // Assess
      const names = (res.json as Page<{ name: string }>).results.map((c) => c.name);
      expect(names.sort()).toEqual([DEMO_CLUSTERS.sandboxDev, DEMO_CLUSTERS.sandboxPaused]);
      expect(names).not.toContain(DEMO_FLEX_CLUSTER_NAME);
    });
  });

  describe('cluster get, by version', () => {
    const ledgerPath = `/groups/${paymentsProd}/clusters/${DEMO_CLUSTERS.ledger}`;

    it('resolves 2025-03-12 to 2024-08-05: one replication spec per shard, disk size in each spec', async () => {
      // Act
      const res = await get(ledgerPath, '2025-03-12');

      // Assess
      const body = res.json as Json & { replicationSpecs: Json[] };
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2024-08-05+json');
      expect(res.headers.deprecation).toBeUndefined();
      expect(body).toMatchObject({
        name: DEMO_CLUSTERS.ledger,
        groupId: paymentsProd,
        clusterType: 'SHARDED',
      });
      expect(body.replicationSpecs).toHaveLength(2);
      expect(body.replicationSpecs[0]).not.toHaveProperty('numShards');
      expect(body.replicationSpecs[0]).toMatchObject({
        regionConfigs: [
          { providerName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { diskSizeGB: 320 } },
        ],
      });
      expect(body).not.toHaveProperty('diskSizeGB');
      expect(body.links).toEqual([{ href: `${demo.sim.url}/api/atlas/v2${ledgerPath}`, rel: 'self' }]);
    });

    it('answers 2023-02-01 per zone with numShards and a top-level disk size, with deprecation headers', async () => {
      // Act
      const res = await get(ledgerPath, '2023-02-01');

      // Assess
      const body = res.json as Json & { replicationSpecs: (Json & { regionConfigs: Json[] })[] };
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-02-01+json');
      expect(res.headers.deprecation).toBeDefined();
      expect(res.headers.sunset).toBe(new Date('2027-07-01T00:00:00Z').toUTCString());
      expect(body.diskSizeGB).toBe(320);
      expect(body.replicationSpecs).toHaveLength(1);
      expect(body.replicationSpecs[0]?.numShards).toBe(2);
      expect(body.replicationSpecs[0]?.regionConfigs[0]?.electableSpecs).toEqual({
        instanceSize: 'M50',
        nodeCount: 3,
        diskIOPS: 3000,
        ebsVolumeType: 'STANDARD',
      });
    });

    it('answers 2023-02-01 for a global cluster with one spec per zone, named by zone id', async () => {
      // Act
      const res = await get(`/groups/${paymentsProd}/clusters/${DEMO_CLUSTERS.checkoutGlobal}`, '2023-02-01');

      // Assess
      const body = res.json as { replicationSpecs: { id: string; zoneName: string; numShards: number }[] };
      expect(body.replicationSpecs.map((s) => [s.id, s.zoneName, s.numShards])).toEqual([
        [DEMO_GLOBAL_ZONE_IDS.americas, 'Americas', 1],
        [DEMO_GLOBAL_ZONE_IDS.europe, 'Europe', 1],
      ]);
    });

    it('answers 2023-01-01 in the legacy shape with provider settings, with deprecation headers', async () => {
      // Act
      const res = await get(ledgerPath, '2023-01-01');

      // Assess
      const body = res.json as Json;
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json');
      expect(res.headers.deprecation).toBeDefined();
      expect(res.headers.sunset).toBeDefined();
      expect(body).toMatchObject({
        name: DEMO_CLUSTERS.ledger,
        numShards: 2,
        diskSizeGB: 320,
        providerBackupEnabled: true,
        providerSettings: { providerName: 'AWS', instanceSizeName: 'M50', regionName: 'US_EAST_1' },
        replicationSpecs: [
          {
            numShards: 2,
            regionsConfig: { US_EAST_1: { electableNodes: 3, priority: 7, readOnlyNodes: 0 } },
          },
        ],
      });
      expect(body.mongoURI).toMatch(/^mongodb:\/\//);
      expect(body.srvAddress).toMatch(/^mongodb\+srv:\/\//);
    });

    it('answers the legacy shape for GCP and Azure clusters too', async () => {
      // Act
      const gcp = await get(`/groups/${analytics}/clusters/${DEMO_CLUSTERS.analyticsGcp}`, '2023-01-01');
      const azure = await get(`/groups/${analytics}/clusters/${DEMO_CLUSTERS.reportingAzure}`, '2023-01-01');

      // Assess
      expect(gcp.json).toMatchObject({
        numShards: 1,
        providerSettings: { providerName: 'GCP', instanceSizeName: 'M30', regionName: 'CENTRAL_US' },
        replicationSpecs: [{ regionsConfig: { CENTRAL_US: { electableNodes: 3, analyticsNodes: 1 } } }],
      });
      expect(azure.json).toMatchObject({
        providerSettings: { providerName: 'AZURE', instanceSizeName: 'M30', regionName: 'US_EAST_2' },
      });
    });

    it('answers 404 CLUSTER_NOT_FOUND naming the cluster and the project', async () => {
      // Act
      const res = await get(`/groups/${paymentsProd}/clusters/no-such-cluster`);

      // Assess
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({
        error: 404,
        errorCode: 'CLUSTER_NOT_FOUND',
        detail: `No cluster named no-such-cluster exists in group ${paymentsProd}.`,
        parameters: ['no-such-cluster', paymentsProd],
      });
    });

    it('does not find a cluster of another project', async () => {
      // Act
      const res = await get(`/groups/${sandbox}/clusters/${DEMO_CLUSTERS.paymentsMain}`);

      // Assess
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ errorCode: 'CLUSTER_NOT_FOUND' });
    });

    it('refuses a flex cluster with 400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API', async () => {
      // Act
      const res = await get(`/groups/${sandbox}/clusters/${DEMO_FLEX_CLUSTER_NAME}`);

      // Assess
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
        detail: `Flex cluster ${DEMO_FLEX_CLUSTER_NAME} cannot be used in the Cluster API.`,
      });
    });

    it('answers the list 400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API when a fault scripts it (an upgrade to flex)', async () => {
      // Prepare
      await scriptFaults(demo.sim, [
        {
          path: `/api/atlas/v2/groups/${sandbox}/clusters`,
          method: 'GET',
          status: 400,
          errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
          detail: 'Flex cluster upgrading cannot be used in the Cluster API.',
        },
      ]);

      // Act
      const during = await get(`/groups/${sandbox}/clusters`);
      const after = await get(`/groups/${sandbox}/clusters`);

      // Assess
      expect(during.status).toBe(400);
      expect(during.headers['x-error-code']).toBe('CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API');
      expect(during.json).toEqual({
        error: 400,
        errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
        detail: 'Flex cluster upgrading cannot be used in the Cluster API.',
        parameters: [],
        reason: 'Bad Request',
      });
      expect(after.status).toBe(200);
    });

    it('takes includeDeletedWithRetainedBackups as a boolean, as the spec declares it', async () => {
      // Act
      const withDeleted = await get(`/groups/${sandbox}/clusters?includeDeletedWithRetainedBackups=true`);
      const without = await get(`/groups/${sandbox}/clusters?includeDeletedWithRetainedBackups=false`);
      const notBoolean = await get(`/groups/${sandbox}/clusters?includeDeletedWithRetainedBackups=maybe`);

      // Assess
      expect([withDeleted.status, without.status]).toEqual([200, 200]);
      expect((withDeleted.json as Page).results).toEqual((without.json as Page).results);
      expect(notBoolean.status).toBe(400);
      expect(notBoolean.json).toMatchObject({
        errorCode: 'VALIDATION_ERROR',
        badRequestDetail: {
          fields: [expect.objectContaining({ field: 'includeDeletedWithRetainedBackups' })],
        },
      });
    });
  });

  describe('flex clusters', () => {
    it('lists a project’s flex clusters in the 2024-11-13 shape', async () => {
      // Act
      const res = await get(`/groups/${sandbox}/flexClusters`, '2024-11-13');
      const empty = await get(`/groups/${paymentsProd}/flexClusters`, '2024-11-13');

      // Assess
      const body = res.json as Page<Json>;
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2024-11-13+json');
      expect(body.totalCount).toBe(1);
      expect(body.results[0]).toMatchObject({
        name: DEMO_FLEX_CLUSTER_NAME,
        groupId: sandbox,
        clusterType: 'REPLICASET',
        providerSettings: { providerName: 'FLEX', backingProviderName: 'AWS' },
        backupSettings: { enabled: true },
      });
      expect((empty.json as Page).results).toEqual([]);
    });

    it('gets one flex cluster by name', async () => {
      // Act
      const res = await get(`/groups/${sandbox}/flexClusters/${DEMO_FLEX_CLUSTER_NAME}`);

      // Assess
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2024-11-13+json');
      expect(res.json).toMatchObject({
        name: DEMO_FLEX_CLUSTER_NAME,
        versionReleaseSystem: 'LTS',
        connectionStrings: { standardSrv: expect.stringMatching(/^mongodb\+srv:\/\//) },
        links: [
          {
            rel: 'self',
            href: `${demo.sim.url}/api/atlas/v2/groups/${sandbox}/flexClusters/${DEMO_FLEX_CLUSTER_NAME}`,
          },
        ],
      });
    });

    it('answers 404 CLUSTER_NOT_FOUND for an unknown name, and 400 for a dedicated cluster’s', async () => {
      // Act
      const unknown = await get(`/groups/${sandbox}/flexClusters/nope`);
      const dedicated = await get(`/groups/${sandbox}/flexClusters/${DEMO_CLUSTERS.sandboxDev}`);

      // Assess
      expect(unknown.status).toBe(404);
      expect(unknown.json).toMatchObject({
        errorCode: 'CLUSTER_NOT_FOUND',
        detail: `No cluster named nope exists in group ${sandbox}.`,
        parameters: ['nope', sandbox],
      });
      expect(dedicated.status).toBe(400);
      expect(dedicated.json).toMatchObject({
        errorCode: 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API',
        detail: `Cannot use non-flex cluster ${DEMO_CLUSTERS.sandboxDev} in the flex API.`,
      });
    });

    it('refuses a version before 2024-11-13', async () => {
      // Act
      const res = await get(`/groups/${sandbox}/flexClusters`, '2024-08-05');

      // Assess
      expect(res.status).toBe(406);
    });
  });
});
