/**
 * A queue worker of the smallest kind, for the tests that show a new worker is its folder and one line in a
 * list: each message names a project (`{"projectId": "…"}`), the worker reads it from Atlas, and a project
 * Atlas does not have goes to the dead-letter queue. Nothing of it is special, so the stack and the local
 * stack run it from this manifest alone.
 */
import type { MetricCatalogue } from '../../../../shared/config/metrics.ts';
import { defineWorker } from '../../../../shared/lambda/worker-manifest.ts';
import { projectCheckEnvSchema } from './env.ts';

export const PROJECT_CHECK_METRICS = {
  ProjectsFound: { label: 'Found', unit: 'Count', graph: 'Projects checked' },
  ProjectsMissing: { label: 'Missing', unit: 'Count', graph: 'Projects checked' },
} as const satisfies MetricCatalogue;

export const projectCheckWorker = defineWorker({
  name: 'project-check',
  title: 'Project check',
  summary: 'Checks each queued project id against Atlas',
  description: 'atlas-ops: checks queued project ids against Atlas',
  serviceName: 'atlas-ops-project-check',
  entry: 'test/support/workers/project-check/handler.ts',
  timeoutSeconds: 20,
  memoryMb: 256,
  trigger: { kind: 'queue', carries: 'project', maxReceiveCount: 5, maxConcurrency: 2, batchSize: 5 },
  environment: projectCheckEnvSchema,
  metrics: PROJECT_CHECK_METRICS,
  loadHandler: async () => (await import('./create-handler.ts')).createProjectCheckHandler,
});
