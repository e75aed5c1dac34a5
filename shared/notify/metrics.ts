/** The notifier's metrics: what it records per batch, and what the dashboard draws on its row. */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { type MetricCatalogue, metricRecorder } from '../config/metrics.ts';
import type { NotificationCounters } from './record-processor.ts';

export const NOTIFIER_METRICS = {
  NotificationsSent: {
    label: 'Sent',
    unit: 'Count',
    dimensions: ['Source'],
    graph: 'Notifications by source',
  },
  NotificationsFailed: {
    label: 'Failed',
    unit: 'Count',
    dimensions: ['Source'],
    graph: 'Notifications by source',
  },
  NotificationsDuplicate: { label: 'Duplicates', unit: 'Count', graph: 'Duplicates and retries' },
  NotificationsRetried: { label: 'Retried', unit: 'Count', graph: 'Duplicates and retries' },
} as const satisfies MetricCatalogue;

/** Adds a batch's counts to `metrics`: sent and failed per source (a single metric each), duplicates, retries. */
export function recordNotifierMetrics(metrics: Metrics, counters: NotificationCounters): void {
  const record = metricRecorder(metrics, NOTIFIER_METRICS);
  for (const [source, value] of Object.entries(counters.sent))
    record('NotificationsSent', value, { Source: source });
  for (const [source, value] of Object.entries(counters.failed)) {
    record('NotificationsFailed', value, { Source: source });
  }
  record('NotificationsDuplicate', counters.duplicates);
  record('NotificationsRetried', counters.retried);
}
