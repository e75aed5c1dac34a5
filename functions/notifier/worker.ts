/** The notifier's manifest (shared/lambda/worker-manifest.ts): what it is, declared once. */
import { defineWorker } from '../../shared/lambda/worker-manifest.ts';
import { NOTIFIER_METRICS } from '../../shared/notify/metrics.ts';
import { notifierEnvSchema } from './env.ts';

export const notifierWorker = defineWorker({
  name: 'notifier',
  title: 'Notifier',
  summary: 'Operation outcomes → tickets',
  description: 'atlas-ops: tells each ticket how its Atlas operation ended',
  serviceName: 'atlas-ops-notifier',
  entry: 'functions/notifier/handler.ts',
  // Ticketing APIs answer in seconds; a batch of ten, each with a 15 s HTTP timeout, fits in this.
  timeoutSeconds: 30,
  memoryMb: 256,
  // Ticketing APIs rate-limit per account: a few pollers at most.
  trigger: { kind: 'queue', carries: 'outcome', maxReceiveCount: 6, maxConcurrency: 2, batchSize: 10 },
  environment: notifierEnvSchema,
  metrics: NOTIFIER_METRICS,
  loadHandler: async () => (await import('./create-handler.ts')).createNotifierHandler,
});
