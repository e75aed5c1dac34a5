/** The access-list sync's CloudWatch metrics (Powertools EMF); the alarm watches `ChangesRefused` and `ChangesFailed`. */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SyncReport } from './model.ts';

/**
 * Adds the run's metrics to `metrics` (flushed by the handler's `logMetrics` middleware). In plan mode nothing
 * is added or removed, so `EntriesAdded` and `EntriesRemoved` are 0 and `ListsInDrift` tells what would change.
 * A list that cannot be read counts as one failed change.
 */
export function recordSyncMetrics(metrics: Metrics, report: SyncReport): void {
  const applied = report.mode === 'apply';
  metrics.addMetric('EntriesAdded', MetricUnit.Count, applied ? report.totals.added : 0);
  metrics.addMetric('EntriesRemoved', MetricUnit.Count, applied ? report.totals.removed : 0);
  metrics.addMetric('ListsInDrift', MetricUnit.Count, report.totals.listsInDrift);
  metrics.addMetric('ChangesRefused', MetricUnit.Count, report.totals.refused);
  metrics.addMetric('ChangesFailed', MetricUnit.Count, report.totals.failed);
}
