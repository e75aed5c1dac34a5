/** The webhook intake's manifest (shared/lambda/worker-manifest.ts): what it is, declared once. */
import { defineWorker } from '../../shared/lambda/worker-manifest.ts';
import { INTAKE_METRICS } from '../../shared/webhooks/metrics.ts';
import { webhookIntakeEnvSchema } from './env.ts';

export const webhookIntakeWorker = defineWorker({
  name: 'webhook-intake',
  title: 'Webhook intake',
  summary: 'HTTP API → provisioning queue',
  description: 'atlas-ops: verifies ticketing-system webhooks and queues the operations they ask for',
  serviceName: 'atlas-ops-webhook-intake',
  entry: 'functions/webhook-intake/handler.ts',
  // Senders give up after 5–30 s (reference/webhooks.md §9.5); the intake answers in milliseconds.
  timeoutSeconds: 10,
  memoryMb: 256,
  trigger: { kind: 'http' },
  environment: webhookIntakeEnvSchema,
  metrics: INTAKE_METRICS,
  loadHandler: async () => (await import('./create-handler.ts')).createWebhookIntakeHandler,
});
