/** The inventory worker's manifest (shared/lambda/worker-manifest.ts): what it is, declared once. */
import { INVENTORY_METRICS } from '../../shared/inventory/metrics.ts';
import { defineWorker } from '../../shared/lambda/worker-manifest.ts';
import { inventoryEnvSchema } from './env.ts';

export const inventoryWorker = defineWorker({
  name: 'inventory',
  title: 'Inventory',
  summary: 'Scheduled cluster inventory',
  description: 'atlas-ops: scheduled inventory of every Atlas cluster the credentials can see',
  serviceName: 'atlas-ops-inventory',
  entry: 'functions/inventory/handler.ts',
  timeoutSeconds: 300,
  // A run needs about 130 MB plus 50 MB per 10,000 clusters (bench: inventory); 1024 MB holds 80,000
  // clusters (~525 MB) with room to spare, and Lambda's CPU share grows with it.
  memoryMb: 1024,
  // Safe to retry: a failed run never moves `latest.json` (written last) and every run writes a folder of its own.
  trigger: { kind: 'schedule', schedule: 'rate(6 hours)', retryAttempts: 2 },
  environment: inventoryEnvSchema,
  metrics: INVENTORY_METRICS,
  // A small V8 young generation keeps the peak RSS of a 20,000-cluster run near 220 MB instead of ~300 MB, at
  // no cost in speed measurable through the noise: the run waits on the network (bench: inventory).
  nodeOptions: '--max-semi-space-size=4',
  loadHandler: async () => (await import('./create-handler.ts')).createInventoryHandler,
});
