/**
 * The scheduled cluster inventory (EventBridge Scheduler → Lambda, invoked asynchronously). Wiring only:
 * configuration, the worker kit and the snapshot store are built once per container (or once per local
 * stack, which passes its own environment); the work is `runInventory` in shared/inventory.
 *
 * A run that throws is retried by Lambda (infra/constructs/inventory-worker.ts: the schedule's own retries
 * cover only invocations it could not deliver). That is safe: a failed run never moves `latest.json` (the
 * store writes it last), so the retry compares with the last complete run, and its files go to a new folder.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { S3SnapshotStore } from '../../shared/inventory/adapters/snapshot-store.ts';
import { recordInventoryMetrics } from '../../shared/inventory/metrics.ts';
import { runInventory } from '../../shared/inventory/run.ts';
import { createAtlasWorkerKit } from '../../shared/lambda/worker-kit.ts';
import { loadInventoryConfig } from './env.ts';

/** What one run returns to its caller (the scheduler ignores it; the local stack and tests read it). */
export interface InventoryRunSummary {
  generatedAt: string;
  partial: boolean;
  /** See `Snapshot.warnings`: also logged, as they arise, at WARN. */
  warnings: string[];
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
  const kit = createAtlasWorkerKit({ env, secretId: config.secretId, reserveMs: config.reserveMs });
  const store = new S3SnapshotStore({
    s3: kit.traced(new S3Client({ forcePathStyle: config.forcePathStyle, ...kit.awsEndpoint('S3') })),
    bucket: config.bucket,
    prefix: config.prefix,
  });

  return kit.handler(async (_event: unknown, context): Promise<InventoryRunSummary> => {
    const { snapshot, stored } = await context.atlas.run((atlas) =>
      runInventory({
        atlas,
        store,
        orgIds: config.orgIds,
        projectIds: config.projectIds,
        concurrency: config.concurrency,
        rules: config.rules,
        onWarning: (warning) => kit.logger.warn('Inventory run warning', { warning }),
        ...(context.atlas.deadline === undefined ? {} : { deadline: context.atlas.deadline }),
      }),
    );
    recordInventoryMetrics(kit.metrics, snapshot);
    const summary: InventoryRunSummary = {
      generatedAt: snapshot.generatedAt,
      partial: snapshot.partial,
      warnings: snapshot.warnings,
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
    kit.logger.info('Inventory stored', { ...summary });
    return summary;
  });
}
