/**
 * What an invocation's Atlas calls cost, as metrics: the worker kit's Atlas session records them for every
 * worker that calls Atlas (shared/lambda/atlas-session.ts), and the dashboard draws them on each such row.
 */
import type { MetricCatalogue } from '../config/metrics.ts';

export const ATLAS_CALL_METRICS = {
  AtlasCalls: { label: 'Atlas calls', unit: 'Count', graph: 'Atlas calls, retries and 429s' },
  AtlasRetries: { label: 'Retries', unit: 'Count', graph: 'Atlas calls, retries and 429s' },
  AtlasThrottled: { label: '429s', unit: 'Count', graph: 'Atlas calls, retries and 429s' },
} as const satisfies MetricCatalogue;
