/**
 * The scheduled cluster inventory (EventBridge Scheduler → Lambda). Wiring only: configuration, clients and
 * middleware are built once per container (or once per local stack, which passes its own environment);
 * the work is `runInventory` in shared/inventory.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { deadlineFromLambdaContext } from '../../shared/atlas/index.ts';
import { SecretAtlasConnection } from '../../shared/aws/atlas-connection.ts';
import { withAtlasClient } from '../../shared/aws/atlas-session.ts';
import { S3SnapshotStore } from '../../shared/aws/snapshot-store.ts';
import { recordInventoryMetrics } from '../../shared/inventory/metrics.ts';
import { runInventory } from '../../shared/inventory/run.ts';
import { loadInventoryConfig } from './config.ts';

/** What one run returns to its caller (the scheduler ignores it; the local stack and tests read it). */
export interface InventoryRunSummary {
  generatedAt: string;
  partial: boolean;
  projects: number;
  projectsFailed: number;
  clusters: number;
  findings: number;
  changes: { added: number; removed: number; changed: number; firstRun: boolean };
  location: string;
  keys: { json: string; csv?: string; html?: string };
}

/**
 * Builds the handler for an environment: Lambda passes `process.env`; the local stack and tests pass theirs
 * (with `AWS_ENDPOINT_URL_*` pointing at the stand-ins).
 */
export function createInventoryHandler(env: Record<string, string | undefined>) {
  const config = loadInventoryConfig(env);
  const logger = new Logger();
  const metrics = new Metrics();
  const tracer = new Tracer();
  const endpoint = (name: string) => (env[name] ? { endpoint: env[name] } : {});
  const connection = new SecretAtlasConnection({
    secretId: config.secretId,
    client: tracer.captureAWSv3Client(new SecretsManagerClient(endpoint('AWS_ENDPOINT_URL_SECRETS_MANAGER'))),
  });
  const store = new S3SnapshotStore({
    s3: tracer.captureAWSv3Client(
      new S3Client({ forcePathStyle: config.forcePathStyle, ...endpoint('AWS_ENDPOINT_URL_S3') }),
    ),
    bucket: config.bucket,
    prefix: config.prefix,
  });

  async function inventory(_event: unknown, context: Context): Promise<InventoryRunSummary> {
    const deadline = deadlineFromLambdaContext(context, config.reserveMs);
    const { snapshot, stored } = await withAtlasClient(
      connection,
      (atlas) =>
        runInventory({
          atlas,
          store,
          orgIds: config.orgIds,
          projectIds: config.projectIds,
          concurrency: config.concurrency,
          rules: config.rules,
          deadline,
        }),
      { logger },
    );
    recordInventoryMetrics(metrics, snapshot);
    const summary: InventoryRunSummary = {
      generatedAt: snapshot.generatedAt,
      partial: snapshot.partial,
      projects: snapshot.projects.length,
      projectsFailed: snapshot.errors.length,
      clusters: snapshot.clusters.length,
      findings: snapshot.findings.length,
      changes: {
        added: snapshot.changes.added.length,
        removed: snapshot.changes.removed.length,
        changed: snapshot.changes.changed.length,
        firstRun: snapshot.changes.firstRun,
      },
      location: stored.location,
      keys: stored.keys,
    };
    logger.info('Inventory stored', { ...summary });
    return summary;
  }

  return middy(inventory)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
