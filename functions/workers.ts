/**
 * Every worker, one line each: the stack deploys, the dashboard draws, the local stack runs, the benchmarks
 * bundle and the tests check the workers of this list. Adding a worker is its folder (worker.ts, env.ts,
 * create-handler.ts, handler.ts) and a line here (docs/architecture.md#adding-a-worker).
 */
import type { WorkerManifest } from '../shared/lambda/worker-manifest.ts';
import { accessListSyncWorker } from './access-list-sync/worker.ts';
import { inventoryWorker } from './inventory/worker.ts';
import { notifierWorker } from './notifier/worker.ts';
import { provisionerWorker } from './provisioner/worker.ts';
import { webhookIntakeWorker } from './webhook-intake/worker.ts';

export const WORKERS: readonly WorkerManifest[] = [
  inventoryWorker,
  provisionerWorker,
  webhookIntakeWorker,
  accessListSyncWorker,
  notifierWorker,
];
