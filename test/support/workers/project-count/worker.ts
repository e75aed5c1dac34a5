/**
 * A worker of the smallest kind, for the tests that show a new worker is its folder and one line in a list:
 * a schedule that counts the projects the Atlas credentials see. Nothing of it is special, so the stack and
 * the local stack run it from this manifest alone.
 */
import type { MetricCatalogue } from '../../../../shared/config/metrics.ts';
import { defineWorker } from '../../../../shared/lambda/worker-manifest.ts';
import { projectCountEnvSchema } from './env.ts';

export const PROJECT_COUNT_METRICS = {
  ProjectsCounted: { label: 'Projects', unit: 'Count', statistic: 'Maximum', graph: 'Projects counted' },
} as const satisfies MetricCatalogue;

export const projectCountWorker = defineWorker({
  name: 'project-count',
  title: 'Project count',
  summary: 'Counts the projects the credentials see',
  description: 'atlas-ops: counts the Atlas projects the credentials see',
  serviceName: 'atlas-ops-project-count',
  entry: 'test/support/workers/project-count/handler.ts',
  timeoutSeconds: 30,
  memoryMb: 256,
  trigger: { kind: 'schedule', schedule: 'rate(1 day)', retryAttempts: 2 },
  environment: projectCountEnvSchema,
  metrics: PROJECT_COUNT_METRICS,
  loadHandler: async () => (await import('./create-handler.ts')).createProjectCountHandler,
});
