/** The inventory's CloudWatch metrics (Powertools EMF): what ran and what it found. */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { type MetricCatalogue, metricRecorder } from '../config/metrics.ts';
import type { Snapshot } from './model.ts';

/** The inventory's metrics: what the worker records, the dashboard draws and the alarms watch. */
export const INVENTORY_METRICS = {
  ProjectsScanned: { label: 'Projects scanned', unit: 'Count', graph: 'Runs by outcome' },
  ProjectsFailed: { label: 'Projects failed', unit: 'Count', graph: 'Runs by outcome' },
  PartialRuns: { label: 'Partial runs', unit: 'Count', graph: 'Runs by outcome' },
  Clusters: { label: 'Clusters', unit: 'Count', statistic: 'Maximum' },
  Findings: { label: 'Findings', unit: 'Count', graph: 'Runs by outcome' },
  RunDuration: { label: 'Run duration (ms)', unit: 'Milliseconds', statistic: 'Maximum' },
  ClustersByState: { label: 'Clusters by state', unit: 'Count', dimensions: ['State'] },
  FindingsByRule: { label: 'Findings by rule', unit: 'Count', dimensions: ['Rule'] },
} as const satisfies MetricCatalogue;

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * Adds the run's metrics to `metrics` (flushed by the handler's `logMetrics` middleware). Its Atlas calls,
 * retries and 429s are counted by the worker kit's Atlas session, as for every worker that calls Atlas.
 */
export function recordInventoryMetrics(metrics: Metrics, snapshot: Snapshot): void {
  const record = metricRecorder(metrics, INVENTORY_METRICS);
  record('ProjectsScanned', snapshot.projects.length);
  record('ProjectsFailed', snapshot.errors.length);
  record('Clusters', snapshot.clusters.length);
  record('Findings', snapshot.findings.length);
  record('RunDuration', snapshot.stats.durationMs);
  record('PartialRuns', snapshot.partial ? 1 : 0);
  // Per-state and per-rule counts need their own dimension, so each goes out as a single metric.
  for (const [state, count] of countBy(snapshot.clusters, (c) => (c.paused ? 'PAUSED' : c.stateName))) {
    record('ClustersByState', count, { State: state });
  }
  for (const [rule, count] of countBy(snapshot.findings, (f) => f.rule)) {
    record('FindingsByRule', count, { Rule: rule });
  }
}
