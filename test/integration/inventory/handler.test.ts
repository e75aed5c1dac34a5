/**
 * The inventory handler as Lambda runs it, against the Atlas simulator and the local S3 and Secrets Manager
 * stand-ins over loopback: credentials from the secret, every page, failures per project, retries, token
 * expiry, the deadline, and what lands in the bucket.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInventoryHandler } from '../../../functions/inventory/create-handler.ts';
import { createLocalS3Client } from '../../../local/aws/clients.ts';
import { type LocalStack, startLocalStack } from '../../../local/stack.ts';
import { ConfigError } from '../../../shared/config/env.ts';
import type { Snapshot } from '../../../shared/inventory/model.ts';
import { requestLog, scriptFaults, send } from '../../support/simulator.ts';

let stack: LocalStack | undefined;

beforeEach(() => {
  // The EMF lines would fill the test output; the metrics test turns them back on.
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function snapshotOf(local: LocalStack, summary: Awaited<ReturnType<LocalStack['invokeInventory']>>) {
  const files = await local.downloadReports(summary, await mkdtemp(join(tmpdir(), 'atlas-ops-inventory-')));
  return { snapshot: JSON.parse(await readFile(files.json, 'utf8')) as Snapshot, files };
}

describe('inventory handler', () => {
  it('reads every project and cluster of the demo, stores the three files, and reports changes on the next run', async () => {
    // Prepare
    stack = await startLocalStack({});
    const { state } = stack.simulator;

    // Act
    const first = await stack.invokeInventory();
    const paused = state.clusters.find((c) => !c.paused);
    if (!paused) throw new Error('the demo seed has no running cluster');
    paused.paused = true;
    const second = await stack.invokeInventory();
    const { snapshot, files } = await snapshotOf(stack, second);

    // Assess
    expect(first.projects).toBe(state.projects.length);
    expect(first.clusters).toBe(state.clusters.length + state.flexClusters.length);
    expect(first.changes.firstRun).toBe(true);
    expect(snapshot.clusters.filter((c) => c.kind === 'flex').map((c) => c.name)).toEqual(
      state.flexClusters.map((c) => c.name),
    );
    expect(snapshot.changes.changed).toEqual([
      expect.objectContaining({
        name: paused.name,
        fields: [{ field: 'paused', before: false, after: true }],
      }),
    ]);
    expect(snapshot.findings.some((f) => f.rule === 'cluster-paused' && f.clusterName === paused.name)).toBe(
      true,
    );
    expect(await readFile(files.csv, 'utf8')).toContain(paused.name);
    expect(await readFile(files.html, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect(second.keys.json).toMatch(/^inventory\/\d{4}\/\d{2}\/\d{2}\//);
  });

  it('walks every page of projects', async () => {
    // Prepare: 520 projects need two pages of 500
    stack = await startLocalStack({
      simulator: { seed: 'large:520x1' },
      inventoryEnv: { INVENTORY_CONCURRENCY: '32' },
    });

    // Act
    const summary = await stack.invokeInventory();

    // Assess
    expect(summary.projects).toBe(520);
    expect(summary.clusters).toBe(520);
    const projectPages = (await requestLog(stack.simulator)).filter((r) => r.path === '/api/atlas/v2/groups');
    expect(projectPages).toHaveLength(2);
  });

  it('records a project it may not read, retries throttling and 5xx, and reads the rest', async () => {
    // Prepare
    stack = await startLocalStack({});
    const [forbidden, throttled, flaky] = stack.simulator.state.projects;
    await scriptFaults(stack.simulator, [
      {
        path: `/api/atlas/v2/groups/${forbidden?.id}/clusters`,
        count: 5,
        status: 403,
        errorCode: 'NOT_IN_GROUP',
      },
      { path: `/api/atlas/v2/groups/${throttled?.id}/clusters`, count: 2, status: 429, retryAfter: 0 },
      { path: `/api/atlas/v2/groups/${flaky?.id}/flexClusters`, count: 2, status: 503 },
    ]);

    // Act
    const summary = await stack.invokeInventory();
    const { snapshot } = await snapshotOf(stack, summary);

    // Assess
    expect(snapshot.errors).toEqual([
      expect.objectContaining({ projectId: forbidden?.id, status: 403, errorCode: 'NOT_IN_GROUP' }),
    ]);
    expect(snapshot.projects.map((p) => p.id).sort()).toEqual([throttled?.id, flaky?.id].sort());
    expect(snapshot.stats.retries).toBe(4);
    expect(snapshot.stats.throttled).toBe(2);
  });

  it('renews an access token that expires in the middle of the run', async () => {
    // Prepare: slow enough calls that the run is still going when every token expires
    stack = await startLocalStack({
      simulator: { seed: 'large:20x2', latencyMs: 30 },
      inventoryEnv: { INVENTORY_CONCURRENCY: '2' },
    });
    const local = stack;

    // Act
    const run = local.invokeInventory();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await send(local.simulator, 'POST', '/__sim/tokens/expire');
    const summary = await run;

    // Assess
    expect(summary.projects).toBe(20);
    expect(summary.projectsFailed).toBe(0);
    const log = await requestLog(local.simulator);
    expect(log.filter((r) => r.path === '/api/oauth/token')).toHaveLength(2);
    expect(log.some((r) => r.status === 401)).toBe(true);
  });

  it('stops before its deadline and stores what it has, marked partial', async () => {
    // Prepare: 80 calls of 50 ms, two at a time, need 2 s; the function has 1 s, of which 300 ms are kept back
    stack = await startLocalStack({
      simulator: { seed: 'large:40x2', latencyMs: 50 },
      inventoryTimeoutMs: 1_000,
      inventoryEnv: {
        INVENTORY_CONCURRENCY: '2',
        INVENTORY_RESERVE_MS: '300',
      },
    });

    // Act
    const summary = await stack.invokeInventory();
    const { snapshot } = await snapshotOf(stack, summary);

    // Assess
    expect(summary.partial).toBe(true);
    expect(summary.projects).toBeGreaterThan(0);
    expect(summary.projects).toBeLessThan(40);
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.clusters.every((c) => snapshot.projects.some((p) => p.id === c.groupId))).toBe(true);
  });

  it('publishes its metrics as CloudWatch embedded metric format', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'AtlasOpsTest');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'atlas-ops-inventory');
    stack = await startLocalStack();
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const handler = createInventoryHandler(stack.env);

    // Act
    const { lambdaContext, scheduledEvent } = await import('../../../local/lambda-context.ts');
    await handler(scheduledEvent(), lambdaContext('atlas-ops-inventory', 60_000));
    vi.restoreAllMocks();

    // Assess
    const emf = lines
      .map((l) => l.trim())
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l));
    expect(emf[0]?._aws.CloudWatchMetrics[0].Namespace).toBe('AtlasOpsTest');
    const names = emf.flatMap((blob) =>
      blob._aws.CloudWatchMetrics.flatMap((m: { Metrics: { Name: string }[] }) =>
        m.Metrics.map((x) => x.Name),
      ),
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'ProjectsScanned',
        'Clusters',
        'AtlasCalls',
        'ClustersByState',
        'FindingsByRule',
      ]),
    );
    expect(emf.find((blob) => 'ProjectsScanned' in blob)?.ProjectsScanned).toBe(
      stack.simulator.state.projects.length,
    );
  });

  it('does not report as added the clusters of a project the previous run could not read', async () => {
    // Prepare: the first run may not read one project's clusters
    stack = await startLocalStack({});
    const { state } = stack.simulator;
    const forbidden = state.clusters[0]?.groupId ?? '';
    await scriptFaults(stack.simulator, [
      {
        path: `/api/atlas/v2/groups/${forbidden}/clusters`,
        count: 1,
        status: 403,
        errorCode: 'NOT_IN_GROUP',
      },
    ]);
    const first = await stack.invokeInventory();

    // Act: the project is readable again
    const second = await stack.invokeInventory();
    const { snapshot } = await snapshotOf(stack, second);

    // Assess
    expect(first.projectsFailed).toBe(1);
    expect(second.projectsFailed).toBe(0);
    expect(snapshot.changes.added).toEqual([]);
    expect(snapshot.changes.removed).toEqual([]);
  });

  it('keeps the flex clusters of a project whose cluster list Atlas refuses during an upgrade to flex', async () => {
    // Prepare: a complete first run, then Atlas refuses the dedicated list of the project with the flex cluster
    stack = await startLocalStack({});
    const { state } = stack.simulator;
    const upgrading = state.flexClusters[0]?.groupId ?? '';
    await stack.invokeInventory();
    await scriptFaults(stack.simulator, [
      {
        path: `/api/atlas/v2/groups/${upgrading}/clusters`,
        method: 'GET',
        count: 1,
        status: 400,
        errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
      },
    ]);

    // Act
    const summary = await stack.invokeInventory();
    const { snapshot } = await snapshotOf(stack, summary);

    // Assess
    expect(snapshot.errors).toEqual([
      expect.objectContaining({
        projectId: upgrading,
        kind: 'dedicated',
        status: 400,
        errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
      }),
    ]);
    expect(
      snapshot.clusters.filter((c) => c.groupId === upgrading).map((c) => `${c.kind}/${c.name}`),
    ).toEqual(state.flexClusters.filter((c) => c.groupId === upgrading).map((c) => `flex/${c.name}`));
    expect(snapshot.projects.map((p) => p.id)).toContain(upgrading);
    expect(snapshot.changes.removed).toEqual([]);
    expect(snapshot.changes.added).toEqual([]);
    const flexCalls = (await requestLog(stack.simulator)).filter(
      (r) => r.path === `/api/atlas/v2/groups/${upgrading}/flexClusters`,
    );
    expect(flexCalls.map((r) => r.status)).toEqual([200, 200]);
  });

  it.each([
    [
      'the previous snapshot has expired',
      (s3: ReturnType<typeof createLocalS3Client>, bucket: string, key: string) =>
        s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })),
    ],
    [
      'the previous snapshot is corrupt',
      (s3: ReturnType<typeof createLocalS3Client>, bucket: string, key: string) =>
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{"generatedAt": "trunc' })),
    ],
    [
      'latest.json is corrupt',
      (s3: ReturnType<typeof createLocalS3Client>, bucket: string) =>
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'inventory/latest.json', Body: 'not json' })),
    ],
  ])('runs as a first run, and warns, when %s', async (_case, spoil) => {
    // Prepare: a stored run whose snapshot is then spoilt
    stack = await startLocalStack({});
    const first = await stack.invokeInventory();
    const s3 = createLocalS3Client(stack.env.AWS_ENDPOINT_URL_S3 ?? '');
    await spoil(s3, stack.env.SNAPSHOT_BUCKET ?? '', first.keys.json);
    s3.destroy();
    // Powertools writes WARN lines to stderr (console.warn), INFO to stdout.
    const lines: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    }

    // Act
    const summary = await stack.invokeInventory();
    vi.restoreAllMocks();
    const { snapshot } = await snapshotOf(stack, summary);

    // Assess
    expect(summary.changes.firstRun).toBe(true);
    expect(summary.warnings).toHaveLength(1);
    expect(snapshot.warnings).toEqual(summary.warnings);
    const warned = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l) as { level?: string; message?: string; warning?: string })
      .filter((l) => l.level === 'WARN');
    expect(warned).toEqual([expect.objectContaining({ warning: summary.warnings[0] })]);
    expect(summary.warnings[0]).toMatch(/first run/);
  });

  it('refuses to start without its configuration, naming what is missing', () => {
    expect(() => createInventoryHandler({ SNAPSHOT_BUCKET: 'b' })).toThrow(ConfigError);
    expect(() => createInventoryHandler({ SNAPSHOT_BUCKET: 'b' })).toThrow(/ATLAS_SECRET_ID/);
    expect(() =>
      createInventoryHandler({
        ATLAS_SECRET_ID: 's',
        SNAPSHOT_BUCKET: 'b',
        INVENTORY_RULES: '{"backup-off":{}}',
      }),
    ).toThrow(/backup-off/);
  });
});
