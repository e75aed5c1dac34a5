/** The built-in seeds: what the demo organization holds, and the shape, size and determinism of large:PxC. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadSeed,
  type RunningSimulator,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SIM_PRIVATE_KEY,
  SIM_PUBLIC_KEY,
  type SimState,
  startSimulator,
} from '../../../local/atlas-simulator/index.ts';
import {
  DEMO_CLUSTER_IDS,
  DEMO_CLUSTERS,
  DEMO_FLEX_CLUSTER_NAME,
  DEMO_GLOBAL_ZONE_IDS,
  DEMO_INVITATION_ID,
  DEMO_ORG_ID,
  DEMO_PENDING_USERNAME,
  DEMO_PROJECT_IDS,
  demoSeed,
} from '../../../local/atlas-simulator/seeds/demo.ts';
import { largeSeed } from '../../../local/atlas-simulator/seeds/large.ts';
import { atlasCall, bearerToken } from '../../support/simulator.ts';

const HEX24 = /^[a-f0-9]{24}$/;

interface Spec {
  id: string;
  zoneId: string;
  zoneName: string;
  regionConfigs: { providerName: string; regionName: string; electableSpecs: { instanceSize: string } }[];
}

function cluster(state: SimState, name: string) {
  const found = state.clusters.find((c) => c.name === name);
  if (!found) throw new Error(`no cluster ${name} in the seed`);
  return found as typeof found & {
    replicationSpecs: Spec[];
    tags: { key: string; value: string }[];
    advancedConfiguration: { minimumEnabledTlsProtocol: string };
  };
}

function regionsOf(state: SimState): string[] {
  return state.clusters.flatMap((c) =>
    (c.replicationSpecs as Spec[]).flatMap((s) =>
      s.regionConfigs.map((r) => `${r.providerName}:${r.regionName}`),
    ),
  );
}

describe('demo seed', () => {
  it('holds one organization with three tagged projects and the well-known credentials', () => {
    // Act
    const state = demoSeed();

    // Assess
    expect(state.orgs).toEqual([expect.objectContaining({ id: DEMO_ORG_ID, isDeleted: false })]);
    expect(state.projects.map((p) => p.name)).toEqual(['payments-prod', 'analytics', 'sandbox']);
    expect(state.projects.every((p) => p.orgId === DEMO_ORG_ID && (p.tags?.length ?? 0) > 0)).toBe(true);
    expect(state.serviceAccounts).toEqual([
      expect.objectContaining({
        clientId: SIM_CLIENT_ID,
        clientSecret: SIM_CLIENT_SECRET,
        orgId: DEMO_ORG_ID,
      }),
    ]);
    expect(state.apiKeys).toEqual([
      { publicKey: SIM_PUBLIC_KEY, privateKey: SIM_PRIVATE_KEY, orgId: DEMO_ORG_ID },
    ]);
  });

  it('has ten dedicated clusters across AWS, GCP and Azure regions, plus one flex cluster', () => {
    // Act
    const state = demoSeed();

    // Assess
    expect(state.clusters).toHaveLength(10);
    expect(state.clusters.map((c) => c.name).sort()).toEqual(Object.values(DEMO_CLUSTERS).sort());
    expect(new Set(regionsOf(state))).toEqual(
      new Set(['AWS:US_EAST_1', 'AWS:EU_WEST_1', 'GCP:CENTRAL_US', 'GCP:WESTERN_EUROPE', 'AZURE:US_EAST_2']),
    );
    expect(state.clusters.every((c) => HEX24.test(c.id) && c.stateName === 'IDLE')).toBe(true);
    expect(state.flexClusters).toEqual([
      expect.objectContaining({
        name: DEMO_FLEX_CLUSTER_NAME,
        groupId: DEMO_PROJECT_IDS.sandbox,
        providerSettings: {
          providerName: 'FLEX',
          backingProviderName: 'AWS',
          regionName: 'US_EAST_1',
          diskSizeGB: 5,
        },
      }),
    ]);
  });

  it('includes the clusters a health check should flag', () => {
    // Act
    const state = demoSeed();

    // Assess
    expect(state.clusters.filter((c) => c.paused).map((c) => c.name)).toEqual([DEMO_CLUSTERS.sandboxPaused]);
    expect(state.clusters.filter((c) => !c.backupEnabled).map((c) => c.name)).toEqual([
      DEMO_CLUSTERS.sandboxDev,
    ]);
    const tls10 = state.clusters.filter(
      (c) =>
        (c.advancedConfiguration as { minimumEnabledTlsProtocol: string }).minimumEnabledTlsProtocol ===
        'TLS1_0',
    );
    expect(tls10.map((c) => c.name)).toEqual([DEMO_CLUSTERS.legacyReports]);
    expect(cluster(state, DEMO_CLUSTERS.legacyReports).mongoDBMajorVersion).toBe('6.0');
    expect(new Set(state.clusters.map((c) => c.mongoDBMajorVersion))).toEqual(new Set(['6.0', '7.0', '8.0']));
    const untagged = (key: string) =>
      state.clusters
        .filter((c) => !(c.tags as { key: string }[]).some((t) => t.key === key))
        .map((c) => c.name);
    expect(untagged('owner')).toEqual(
      expect.arrayContaining([
        DEMO_CLUSTERS.paymentsEu,
        DEMO_CLUSTERS.legacyReports,
        DEMO_CLUSTERS.sandboxDev,
      ]),
    );
    expect(untagged('env')).toEqual(expect.arrayContaining([DEMO_CLUSTERS.reportingAzure]));
  });

  it('has a two-shard cluster and a global cluster whose zone settings point at its zones', () => {
    // Act
    const state = demoSeed();
    const ledger = cluster(state, DEMO_CLUSTERS.ledger);
    const global = cluster(state, DEMO_CLUSTERS.checkoutGlobal);
    const writes = state.globalWrites[DEMO_CLUSTER_IDS.checkoutGlobal];

    // Assess
    expect(ledger.clusterType).toBe('SHARDED');
    expect(ledger.replicationSpecs).toHaveLength(2);
    expect(new Set(ledger.replicationSpecs.map((s) => s.id)).size).toBe(2);
    expect(global.clusterType).toBe('GEOSHARDED');
    expect(global.replicationSpecs.map((s) => s.zoneId)).toEqual([
      DEMO_GLOBAL_ZONE_IDS.americas,
      DEMO_GLOBAL_ZONE_IDS.europe,
    ]);
    expect(DEMO_GLOBAL_ZONE_IDS.americas).not.toBe(DEMO_GLOBAL_ZONE_IDS.europe);
    expect(new Set(Object.values(writes?.customZoneMapping ?? {}))).toEqual(
      new Set([DEMO_GLOBAL_ZONE_IDS.americas, DEMO_GLOBAL_ZONE_IDS.europe]),
    );
    expect(writes?.managedNamespaces).toEqual(
      expect.arrayContaining([expect.objectContaining({ db: 'checkout', collection: 'orders' })]),
    );
    expect(writes?.selfManagedSharding).toBe(false);
  });

  it('has archives, users with a matching pending invitation, peering and access lists', () => {
    // Act
    const state = demoSeed();

    // Assess
    expect(state.onlineArchives).toHaveLength(3);
    expect(new Set(state.onlineArchives.map((a) => a.clusterName)).size).toBe(2);
    expect(state.onlineArchives.map((a) => a.state).sort()).toEqual(['ACTIVE', 'ACTIVE', 'PAUSED']);
    const pending = state.users.filter((u) => u.orgMembershipStatus === 'PENDING');
    expect(pending.map((u) => u.username)).toEqual([DEMO_PENDING_USERNAME]);
    expect(state.users.filter((u) => u.orgMembershipStatus === 'ACTIVE').length).toBeGreaterThanOrEqual(3);
    expect(state.invitations).toEqual([
      expect.objectContaining({
        id: DEMO_INVITATION_ID,
        username: DEMO_PENDING_USERNAME,
        orgId: DEMO_ORG_ID,
      }),
    ]);
    expect(state.containers.map((c) => c.providerName).sort()).toEqual(['AWS', 'AZURE', 'GCP']);
    expect(state.peers).toEqual([expect.objectContaining({ providerName: 'AWS', statusName: 'AVAILABLE' })]);
    expect(state.peers[0]?.containerId).toBe(state.containers.find((c) => c.providerName === 'AWS')?.id);
    expect(state.projectAccessList.some((e) => e.deleteAfterDate !== undefined)).toBe(true);
    expect(state.projectAccessList.every((e) => e.comment)).toBe(true);
    expect(state.serviceAccounts[0]?.accessList.map((e) => e.ipAddress ?? e.cidrBlock)).toContain(
      '127.0.0.1',
    );
  });

  it('is the same on every build, and builds are independent of each other', () => {
    // Act
    const first = demoSeed();
    const second = demoSeed();
    first.clusters.pop();

    // Assess
    expect(second.clusters).toHaveLength(10);
    expect(JSON.stringify(demoSeed())).toBe(JSON.stringify(second));
  });

  it('lets local calls through when the API access list is enforced', async () => {
    // Prepare
    const sim = await startSimulator({ port: 0, seed: 'demo', enforceApiAccessList: true });
    try {
      const token = await bearerToken(sim);

      // Act
      const res = await atlasCall(sim, token, 'GET', '/groups');

      // Assess
      expect(res.status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});

describe('large:PxC seed', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 'large:3x4' });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('builds P projects of C clusters each in one organization', async () => {
    // Act
    const state = await loadSeed('large:3x4');

    // Assess
    expect(state.orgs).toHaveLength(1);
    expect(state.projects.map((p) => p.name)).toEqual(['project-0001', 'project-0002', 'project-0003']);
    expect(state.clusters).toHaveLength(12);
    for (const project of state.projects) {
      const names = state.clusters.filter((c) => c.groupId === project.id).map((c) => c.name);
      expect(names).toEqual(['cluster-0001', 'cluster-0002', 'cluster-0003', 'cluster-0004']);
    }
    expect(state.serviceAccounts[0]?.clientId).toBe(SIM_CLIENT_ID);
    expect(state.apiKeys[0]?.publicKey).toBe(SIM_PUBLIC_KEY);
  });

  it('is deterministic', async () => {
    // Act
    const first = await loadSeed('large:3x4');
    const second = await loadSeed('large:3x4');

    // Assess
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('varies providers, versions and states across clusters', () => {
    // Act
    const state = largeSeed(10, 20);

    // Assess
    const providers = new Set(regionsOf(state).map((r) => r.split(':')[0]));
    expect(providers).toEqual(new Set(['AWS', 'GCP', 'AZURE']));
    expect(new Set(state.clusters.map((c) => c.mongoDBMajorVersion)).size).toBeGreaterThanOrEqual(3);
    expect(state.clusters.some((c) => c.paused)).toBe(true);
    expect(state.clusters.some((c) => !c.backupEnabled)).toBe(true);
    expect(state.clusters.some((c) => c.clusterType === 'SHARDED')).toBe(true);
    const ids = state.clusters.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('builds 200 projects of 50 clusters quickly', () => {
    // Act
    const started = performance.now();
    const state = largeSeed(200, 50);
    const elapsed = performance.now() - started;

    // Assess
    expect(state.clusters).toHaveLength(10_000);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('is served: every project lists its clusters', async () => {
    // Prepare
    const token = await bearerToken(sim);

    // Act
    const res = await atlasCall(sim, token, 'GET', '/groups', { version: '2023-01-01' });

    // Assess
    const body = res.json as { results: { name: string; clusterCount: number }[]; totalCount: number };
    expect(res.status).toBe(200);
    expect(body.totalCount).toBe(3);
    expect(body.results.map((p) => p.clusterCount)).toEqual([4, 4, 4]);
  });
});
