/** The inventory's CloudWatch metrics (Powertools EMF): what ran and what it found. */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Snapshot } from './model.ts';

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
  metrics.addMetric('ProjectsScanned', MetricUnit.Count, snapshot.projects.length);
  metrics.addMetric('ProjectsFailed', MetricUnit.Count, snapshot.errors.length);
  metrics.addMetric('Clusters', MetricUnit.Count, snapshot.clusters.length);
  metrics.addMetric('Findings', MetricUnit.Count, snapshot.findings.length);
  metrics.addMetric('RunDuration', MetricUnit.Milliseconds, snapshot.stats.durationMs);
  metrics.addMetric('PartialRuns', MetricUnit.Count, snapshot.partial ? 1 : 0);
  // Per-state and per-rule counts need their own dimension, so each goes out as a single metric.
  for (const [state, count] of countBy(snapshot.clusters, (c) => (c.paused ? 'PAUSED' : c.stateName))) {
    const single = metrics.singleMetric();
    single.addDimension('State', state);
    single.addMetric('ClustersByState', MetricUnit.Count, count);
  }
  for (const [rule, count] of countBy(snapshot.findings, (f) => f.rule)) {
    const single = metrics.singleMetric();
    single.addDimension('Rule', rule);
    single.addMetric('FindingsByRule', MetricUnit.Count, count);
  }
}
