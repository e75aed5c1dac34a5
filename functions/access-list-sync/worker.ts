/** The access-list sync's manifest (shared/lambda/worker-manifest.ts): what it is, declared once. */
import { ACCESS_LIST_SYNC_METRICS } from '../../shared/access-list/metrics.ts';
import { defineWorker } from '../../shared/lambda/worker-manifest.ts';
import { accessListSyncEnvSchema } from './env.ts';

export const accessListSyncWorker = defineWorker({
  name: 'access-list-sync',
  title: 'Access-list sync',
  summary: 'Scheduled, and on every change of the desired state',
  description: 'atlas-ops: makes the Atlas access lists match the declared desired state',
  serviceName: 'atlas-ops-access-list-sync',
  entry: 'functions/access-list-sync/handler.ts',
  timeoutSeconds: 300,
  memoryMb: 256,
  // Safe to retry: each run plans afresh from what Atlas lists. One run at a time: a change to the desired
  // state while a run is going must not plan against a list that run is changing.
  trigger: { kind: 'schedule', schedule: 'rate(1 hour)', retryAttempts: 2, oneRunAtATime: true },
  environment: accessListSyncEnvSchema,
  metrics: ACCESS_LIST_SYNC_METRICS,
  loadHandler: async () => (await import('./create-handler.ts')).createAccessListSyncHandler,
});
