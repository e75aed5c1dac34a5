/** The access-list sync's CloudWatch metrics (Powertools EMF); the alarm watches `ChangesRefused` and `ChangesFailed`. */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { type MetricCatalogue, metricRecorder } from '../config/metrics.ts';
import type { SyncReport } from './model.ts';

/** The sync's metrics: what the worker records, the dashboard draws and the changes alarm watches. */
export const ACCESS_LIST_SYNC_METRICS = {
  ListsInDrift: {
    label: 'Lists in drift',
    unit: 'Count',
    statistic: 'Maximum',
    graph: 'Access lists in drift',
  },
  EntriesAdded: { label: 'Entries added', unit: 'Count', graph: 'Changes by outcome' },
  EntriesRemoved: { label: 'Entries removed', unit: 'Count', graph: 'Changes by outcome' },
  ChangesRefused: { label: 'Refused', unit: 'Count', graph: 'Changes by outcome' },
  ChangesFailed: { label: 'Failed', unit: 'Count', graph: 'Changes by outcome' },
} as const satisfies MetricCatalogue;

/**
 * Adds the run's metrics to `metrics` (flushed by the handler's `logMetrics` middleware). In plan mode nothing
 * is added or removed, so `EntriesAdded` and `EntriesRemoved` are 0 and `ListsInDrift` tells what would change.
 * A list that cannot be read counts as one failed change.
 */
export function recordSyncMetrics(metrics: Metrics, report: SyncReport): void {
  const applied = report.mode === 'apply';
  const record = metricRecorder(metrics, ACCESS_LIST_SYNC_METRICS);
  record('EntriesAdded', applied ? report.totals.added : 0);
  record('EntriesRemoved', applied ? report.totals.removed : 0);
  record('ListsInDrift', report.totals.listsInDrift);
  record('ChangesRefused', report.totals.refused);
  record('ChangesFailed', report.totals.failed);
}
