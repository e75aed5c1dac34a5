/**
 * Pausing and resuming a dedicated cluster (`PATCH /groups/{groupId}/clusters/{clusterName}`, 2024-10-23) over
 * raw HTTP against the demo seed, with the simulator's clock moved on instead of waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../local/atlas-simulator/index.ts';
import {
  DEMO_CLUSTERS,
  DEMO_FLEX_CLUSTER_NAME,
  DEMO_PROJECT_IDS,
  demoSeed,
} from '../../../local/atlas-simulator/seeds/demo.ts';
import { atlasCall, bearerToken, type RawResponse, useDemoSimulator } from '../../support/simulator.ts';

type Json = Record<string, unknown>;

const { paymentsProd, sandbox } = DEMO_PROJECT_IDS;
const VERSION = '2024-10-23';
const clusterPath = (groupId: string, name: string) => `/groups/${groupId}/clusters/${name}`;

describe('pausing and resuming a cluster', () => {
  const demo = useDemoSimulator();

  const patch = (groupId: string, name: string, body: Json, token = demo.token): Promise<RawResponse> =>
    atlasCall(demo.sim, token, 'PATCH', clusterPath(groupId, name), { version: VERSION, body });
  const read = async (groupId: string, name: string, token = demo.token) =>
    (await atlasCall(demo.sim, token, 'GET', clusterPath(groupId, name), { version: '2024-08-05' })).json as {
      paused: boolean;
      stateName: string;
      tags: Json[];
    };

  it('pauses an IDLE cluster: 200, paused and UPDATING, then IDLE', async () => {
    // Act
    const res = await patch(paymentsProd, DEMO_CLUSTERS.paymentsEu, { paused: true });
    const during = await read(paymentsProd, DEMO_CLUSTERS.paymentsEu);
    demo.sim.advanceClock(3_000);
    const after = await read(paymentsProd, DEMO_CLUSTERS.paymentsEu);

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.atlas.2024-10-23+json');
    expect(res.json).toMatchObject({
      name: DEMO_CLUSTERS.paymentsEu,
      groupId: paymentsProd,
      paused: true,
      stateName: 'UPDATING',
      replicationSpecs: expect.any(Array),
    });
    expect(during).toMatchObject({ paused: true, stateName: 'UPDATING' });
    expect(after).toMatchObject({ paused: true, stateName: 'IDLE' });
  });

  it('refuses to pause a cluster that is not IDLE (409), or one resumed within the hour (400)', async () => {
    // Prepare: the seed's paused cluster is resumed.
    const resumed = await patch(sandbox, DEMO_CLUSTERS.sandboxPaused, { paused: false });

    // Act
    const whileUpdating = await patch(sandbox, DEMO_CLUSTERS.sandboxPaused, { paused: true });
    demo.sim.advanceClock(3_000);
    const tooSoon = await patch(sandbox, DEMO_CLUSTERS.sandboxPaused, { paused: true });
    demo.sim.advanceClock(60 * 60_000);
    const token = await bearerToken(demo.sim);
    const later = await patch(sandbox, DEMO_CLUSTERS.sandboxPaused, { paused: true }, token);

    // Assess
    expect(resumed.status).toBe(200);
    expect(resumed.json).toMatchObject({ paused: false, stateName: 'UPDATING' });
    expect(whileUpdating.status).toBe(409);
    expect(whileUpdating.json).toMatchObject({
      error: 409,
      errorCode: 'CANNOT_PAUSE_CLUSTER_WITH_PENDING_CHANGES',
    });
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.json).toMatchObject({
      errorCode: 'CANNOT_PAUSE_RECENTLY_RESUMED_CLUSTER',
      parameters: [60],
    });
    expect(later.status).toBe(200);
    expect(later.json).toMatchObject({ paused: true });
  });

  it('refuses any change to a paused cluster but a resume (409 CANNOT_UPDATE_PAUSED_CLUSTER)', async () => {
    // Act
    const tags = await patch(sandbox, DEMO_CLUSTERS.sandboxPaused, { tags: [{ key: 'env', value: 'qa' }] });
    const resumeAndChange = await patch(sandbox, DEMO_CLUSTERS.sandboxPaused, {
      paused: false,
      terminationProtectionEnabled: true,
    });
    const pauseAgain = await patch(sandbox, DEMO_CLUSTERS.sandboxPaused, { paused: true });
    const unchanged = await read(sandbox, DEMO_CLUSTERS.sandboxPaused);

    // Assess
    expect(tags.status).toBe(409);
    expect(tags.json).toMatchObject({
      errorCode: 'CANNOT_UPDATE_PAUSED_CLUSTER',
      detail: `Cannot update cluster ${DEMO_CLUSTERS.sandboxPaused} while it is paused or being paused.`,
    });
    expect(resumeAndChange.json).toMatchObject({ errorCode: 'CANNOT_UPDATE_PAUSED_CLUSTER' });
    expect(pauseAgain.status).toBe(409);
    expect(pauseAgain.json).toMatchObject({ errorCode: 'CLUSTER_ALREADY_PAUSED' });
    expect(unchanged).toMatchObject({
      paused: true,
      tags: expect.not.arrayContaining([{ key: 'env', value: 'qa' }]),
    });
  });

  it('changes simple settings of a running cluster, but not together with a pause', async () => {
    // Act
    const tagged = await patch(sandbox, DEMO_CLUSTERS.sandboxDev, { tags: [{ key: 'owner', value: 'qa' }] });
    const both = await patch(sandbox, DEMO_CLUSTERS.sandboxDev, {
      paused: true,
      tags: [{ key: 'owner', value: 'ops' }],
    });
    const rename = await patch(sandbox, DEMO_CLUSTERS.sandboxDev, { name: 'renamed' });
    const unmodelled = await patch(sandbox, DEMO_CLUSTERS.sandboxDev, { mongoDBMajorVersion: '8.0' });
    const readOnlyEcho = await patch(sandbox, DEMO_CLUSTERS.sandboxDev, {
      name: DEMO_CLUSTERS.sandboxDev,
      stateName: 'IDLE',
      pitEnabled: false,
    });

    // Assess
    expect(tagged.status).toBe(200);
    expect((await read(sandbox, DEMO_CLUSTERS.sandboxDev)).tags).toEqual([{ key: 'owner', value: 'qa' }]);
    expect(both.status).toBe(409);
    expect(both.json).toMatchObject({ errorCode: 'CANNOT_UPDATE_AND_PAUSE_CLUSTER' });
    expect(rename.json).toMatchObject({ errorCode: 'CLUSTER_CANNOT_CHANGE_NAME' });
    expect(unmodelled.json).toMatchObject({
      errorCode: 'INVALID_ATTRIBUTE',
      parameters: ['mongoDBMajorVersion'],
    });
    expect(readOnlyEcho.status).toBe(200);
  });

  it('serves 2024-10-23 only and sends flex clusters to their own API', async () => {
    // Act
    const older = await atlasCall(
      demo.sim,
      demo.token,
      'PATCH',
      clusterPath(sandbox, DEMO_CLUSTERS.sandboxDev),
      {
        version: '2024-08-05',
        body: { paused: true },
      },
    );
    const flex = await patch(sandbox, DEMO_FLEX_CLUSTER_NAME, { paused: true });
    const missing = await patch(sandbox, 'no-such-cluster', { paused: true });

    // Assess
    expect(older.status).toBe(406);
    expect(older.json).toMatchObject({ errorCode: 'INVALID_VERSION_DATE' });
    expect(flex.status).toBe(400);
    expect(flex.json).toMatchObject({ errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API' });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ errorCode: 'CLUSTER_NOT_FOUND' });
  });
});

describe('pausing a shared-tier cluster', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    const state = demoSeed();
    const cluster = state.clusters.find((c) => c.name === DEMO_CLUSTERS.sandboxDev);
    if (!cluster) throw new Error('no sandbox-dev in the demo seed');
    cluster.replicationSpecs = [
      {
        id: 'f'.repeat(24),
        zoneName: 'Zone 1',
        regionConfigs: [
          {
            providerName: 'TENANT',
            backingProviderName: 'AWS',
            regionName: 'US_EAST_1',
            priority: 7,
            electableSpecs: { instanceSize: 'M0' },
          },
        ],
      },
    ];
    sim = await startSimulator({ port: 0, seed: state });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('is refused with 400 TENANT_CLUSTER_UPDATE_UNSUPPORTED', async () => {
    // Act
    const res = await atlasCall(
      sim,
      await bearerToken(sim),
      'PATCH',
      clusterPath(sandbox, DEMO_CLUSTERS.sandboxDev),
      {
        version: VERSION,
        body: { paused: true },
      },
    );

    // Assess
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      errorCode: 'TENANT_CLUSTER_UPDATE_UNSUPPORTED',
      detail: 'Cannot update a M0/M2/M5 cluster through the public API.',
    });
  });
});
