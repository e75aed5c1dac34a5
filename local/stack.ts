/**
 * The local stack: the Atlas simulator, an S3 stand-in and a Secrets Manager stand-in on 127.0.0.1, with the
 * workers' real handlers wired to them the way Lambda wires them — only the endpoints differ.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createInventoryHandler, type InventoryRunSummary } from '../functions/inventory/create-handler.ts';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from './atlas-simulator/index.ts';
import { createLocalS3Client, ensureBucket } from './aws/clients.ts';
import { startS3StandIn } from './aws/s3.ts';
import { startSecretsManagerStandIn } from './aws/secrets-manager.ts';
import { lambdaContext, scheduledEvent } from './lambda-context.ts';

export const LOCAL_SECRET_ID = 'atlas-ops/atlas-credentials';
export const LOCAL_BUCKET = 'atlas-ops-local-snapshots';

export interface LocalStackOptions {
  /** Simulator options (seed, latency, faults, …); `port` defaults to a free one. */
  simulator?: SimulatorOptions;
  /** Extra environment for the inventory handler (e.g. `INVENTORY_CONCURRENCY`). */
  inventoryEnv?: Record<string, string>;
  /** The Lambda timeout the handler believes it has. Default 5 minutes, as deployed. */
  inventoryTimeoutMs?: number;
}

export interface LocalStack {
  simulator: RunningSimulator;
  /** The environment the handlers run with (stand-in endpoints, bucket, secret id). */
  env: Record<string, string>;
  /** Invokes the inventory handler as the scheduler would. */
  invokeInventory(): Promise<InventoryRunSummary>;
  /** Copies a run's snapshot, CSV and HTML report out of the S3 stand-in into `dir`; returns their paths. */
  downloadReports(
    summary: InventoryRunSummary,
    dir: string,
  ): Promise<{ json: string; csv: string; html: string }>;
  close(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const simulator = await startSimulator({ port: 0, seed: 'demo', ...options.simulator });
  const s3StandIn = await startS3StandIn();
  const secrets = await startSecretsManagerStandIn({
    secrets: {
      [LOCAL_SECRET_ID]: JSON.stringify({
        clientId: simulator.clientId,
        clientSecret: simulator.clientSecret,
        baseUrl: simulator.url,
      }),
    },
  });
  const s3 = createLocalS3Client(s3StandIn.endpoint);
  await ensureBucket(s3, LOCAL_BUCKET);

  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: s3StandIn.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    ATLAS_SECRET_ID: LOCAL_SECRET_ID,
    SNAPSHOT_BUCKET: LOCAL_BUCKET,
    SNAPSHOT_PREFIX: 'inventory/',
    SNAPSHOT_S3_FORCE_PATH_STYLE: 'true',
    ...options.inventoryEnv,
  };
  // The AWS SDK reads region and credentials from the process environment, as it does in Lambda.
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  const inventory = createInventoryHandler(env);
  const timeoutMs = options.inventoryTimeoutMs ?? 300_000;

  return {
    simulator,
    env,
    invokeInventory: () =>
      inventory(
        scheduledEvent(),
        lambdaContext('atlas-ops-inventory', timeoutMs),
      ) as Promise<InventoryRunSummary>,
    async downloadReports(summary, dir) {
      await mkdir(dir, { recursive: true });
      const paths = {
        json: join(dir, 'snapshot.json'),
        csv: join(dir, 'clusters.csv'),
        html: join(dir, 'report.html'),
      };
      for (const kind of ['json', 'csv', 'html'] as const) {
        const object = await s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: summary.keys[kind] }));
        await writeFile(paths[kind], (await object.Body?.transformToString('utf8')) ?? '');
      }
      return paths;
    },
    async close() {
      s3.destroy();
      await Promise.all([simulator.close(), s3StandIn.close(), secrets.close()]);
    },
  };
}
