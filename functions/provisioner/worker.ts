/** The provisioning worker's manifest (shared/lambda/worker-manifest.ts): what it is, declared once. */
import { PROVISIONING_MAX_CONCURRENCY } from '../../shared/config/rules.ts';
import { defineWorker } from '../../shared/lambda/worker-manifest.ts';
import { PROVISIONING_METRICS } from '../../shared/operations/metrics.ts';
import { provisionerEnvSchema } from './env.ts';

export const provisionerWorker = defineWorker({
  name: 'provisioner',
  title: 'Provisioning',
  summary: 'Queue-triggered Atlas operations',
  description: 'atlas-ops: runs the Atlas operations queued on the provisioning queue',
  serviceName: 'atlas-ops-provisioner',
  entry: 'functions/provisioner/handler.ts',
  timeoutSeconds: 60,
  memoryMb: 512,
  trigger: {
    kind: 'queue',
    carries: 'operation',
    maxReceiveCount: 6,
    // The bound on parallel Atlas operations (the stack's `provisioningMaxConcurrency` changes it).
    maxConcurrency: PROVISIONING_MAX_CONCURRENCY.default,
    batchSize: 10,
  },
  environment: provisionerEnvSchema,
  metrics: PROVISIONING_METRICS,
  loadHandler: async () => {
    const { createProvisionerHandler } = await import('./create-handler.ts');
    return (env) => createProvisionerHandler(env).handler;
  },
});
