/**
 * On-demand Cloud Backup snapshots (2023-01-01) over raw HTTP against the demo seed: taking one (200, queued,
 * then completed as the simulator's clock moves), a second one, the list, and Atlas's refusals.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_CLUSTERS, DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import {
  atlasCall,
  bearerToken,
  type Json,
  type Page,
  type RawResponse,
  send,
  useDemoSimulator,
} from '../../support/simulator.ts';

const { paymentsProd, sandbox } = DEMO_PROJECT_IDS;
const VERSION = '2023-01-01';
const DAY = 24 * 3_600_000;

describe('on-demand snapshots', () => {
  const demo = useDemoSimulator();

  const snapshots = (groupId: string, name: string) => `/groups/${groupId}/clusters/${name}/backup/snapshots`;
  const call = (method: string, path: string, body?: unknown, token = demo.token): Promise<RawResponse> =>
    atlasCall(demo.sim, token, method, path, { version: VERSION, ...(body === undefined ? {} : { body }) });
  const take = (name: string, body: Json = { description: 'before migration', retentionInDays: 3 }) =>
    call('POST', snapshots(paymentsProd, name), body);
  const advanceClock = (ms: number) =>
    send(demo.sim, 'POST', '/__sim/clock', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: ms }),
    });

  it('takes a snapshot (200, queued), completes it, and takes a second one after it', async () => {
    // Act
    const first = await take(DEMO_CLUSTERS.paymentsMain);
    const whileQueued = await take(DEMO_CLUSTERS.paymentsMain, { description: 'again' });
    await advanceClock(5_000);
    const second = await take(DEMO_CLUSTERS.paymentsMain, {
      description: 'after migration',
      retentionInDays: 1,
    });
    const list = await call('GET', snapshots(paymentsProd, DEMO_CLUSTERS.paymentsMain));

    // Assess
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json');
    const taken = first.json as Json & { id: string; createdAt: string; expiresAt: string };
    expect(taken).toMatchObject({
      id: expect.stringMatching(/^[a-f0-9]{24}$/),
      status: 'queued',
      description: 'before migration',
      frequencyType: 'ondemand',
      snapshotType: 'onDemand',
      type: 'replicaSet',
      cloudProvider: 'AWS',
      mongodVersion: '7.0.17',
      replicaSetName: expect.stringMatching(/^atlas-[a-f0-9]{6}-shard-0$/),
    });
    expect(Date.parse(taken.expiresAt) - Date.parse(taken.createdAt)).toBe(3 * DAY);
    expect(whileQueued.status).toBe(400);
    expect(whileQueued.json).toMatchObject({
      errorCode: 'UNFINISHED_ON_DEMAND_SNAPSHOT',
      detail: 'Another on-demand snapshot is queued or in progress.',
    });
    expect(second.status).toBe(200);
    expect((second.json as { id: string }).id).not.toBe(taken.id);
    const page = list.json as Page<{ id: string; status: string; description: string }>;
    expect(list.status).toBe(200);
    expect(page.totalCount).toBe(2);
    expect(page.results.map((s) => [s.id, s.status, s.description])).toEqual([
      [taken.id, 'completed', 'before migration'],
      [(second.json as { id: string }).id, 'queued', 'after migration'],
    ]);
  });

  it('moves a snapshot from queued through inProgress to completed, and drops it when it expires', async () => {
    // Prepare
    await take(DEMO_CLUSTERS.paymentsEu, { retentionInDays: 1 });
    const status = async (token = demo.token) =>
      (
        (await call('GET', snapshots(paymentsProd, DEMO_CLUSTERS.paymentsEu), undefined, token))
          .json as Page<{
          status: string;
        }>
      ).results.map((s) => s.status);

    // Act
    const queued = await status();
    await advanceClock(2_500);
    const inProgress = await status();
    await advanceClock(2_500);
    const completed = await status();
    await advanceClock(DAY);
    const expired = await status(await bearerToken(demo.sim));

    // Assess
    expect([queued, inProgress, completed, expired]).toEqual([['queued'], ['inProgress'], ['completed'], []]);
  });

  it('snapshots a sharded cluster as a shardedCluster with its members', async () => {
    // Act
    const res = await take(DEMO_CLUSTERS.ledger);

    // Assess
    expect(res.status).toBe(200);
    const body = res.json as { type: string; members: { replicaSetName: string }[]; snapshotIds: string[] };
    expect(body.type).toBe('shardedCluster');
    expect(body.members.map((m) => m.replicaSetName)).toEqual([
      expect.stringMatching(/-shard-0$/),
      expect.stringMatching(/-shard-1$/),
      expect.stringMatching(/-config-0$/),
    ]);
    expect(body.snapshotIds).toHaveLength(3);
  });

  it('refuses a cluster with backup off, a bad retention, and a missing or flex cluster', async () => {
    // Act
    const noBackup = await call('POST', snapshots(sandbox, DEMO_CLUSTERS.sandboxDev), { retentionInDays: 1 });
    const zeroDays = await take(DEMO_CLUSTERS.paymentsMain, { retentionInDays: 0 });
    const missing = await take('no-such-cluster');
    const flex = await call('POST', snapshots(sandbox, 'sandbox-flex'), { retentionInDays: 1 });
    const listMissing = await call('GET', snapshots(paymentsProd, 'no-such-cluster'));

    // Assess
    expect(noBackup.status).toBe(400);
    expect(noBackup.json).toMatchObject({
      errorCode: 'BACKUP_JOB_NOT_FOUND',
      detail: 'Backups are not enabled for this cluster.',
    });
    expect(zeroDays.status).toBe(400);
    expect(zeroDays.json).toMatchObject({
      errorCode: 'VALIDATION_ERROR',
      badRequestDetail: { fields: [expect.objectContaining({ field: 'retentionInDays' })] },
    });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ errorCode: 'CLUSTER_NOT_FOUND' });
    expect(flex.json).toMatchObject({ errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API' });
    expect(listMissing.status).toBe(404);
  });
});
