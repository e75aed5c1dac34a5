/** The provisioner's metrics: what it records per batch, and what the dashboard draws on its row. */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { type MetricCatalogue, metricRecorder } from '../config/metrics.ts';
import type { RecordCounters } from './record-processor.ts';

export const PROVISIONING_METRICS = {
  OperationsSucceeded: { label: 'Succeeded', unit: 'Count', graph: 'Operations by outcome' },
  OperationsFailed: { label: 'Failed', unit: 'Count', graph: 'Operations by outcome' },
  OperationsRetried: { label: 'Retried', unit: 'Count', graph: 'Operations by outcome' },
  OperationsDeadLettered: { label: 'Dead-lettered', unit: 'Count', graph: 'Operations by outcome' },
  PoisonMessages: { label: 'Poison messages', unit: 'Count', graph: 'Operations by outcome' },
  DuplicatesPrevented: { label: 'Duplicates prevented', unit: 'Count', graph: 'Operations by outcome' },
  OutcomesEmitted: { label: 'Emitted', unit: 'Count', graph: 'Outcomes to the notifier' },
  OutcomesFailed: { label: 'Failed to emit', unit: 'Count', graph: 'Outcomes to the notifier' },
} as const satisfies MetricCatalogue;

/**
 * Adds a batch's counts to `metrics` (flushed by the handler's `logMetrics` middleware): poison messages count
 * as dead-lettered too; the outcome counts only when outcomes are published at all.
 */
export function recordProvisioningMetrics(
  metrics: Metrics,
  batch: { counters: RecordCounters; duplicatesPrevented: number; publishesOutcomes: boolean },
): void {
  const record = metricRecorder(metrics, PROVISIONING_METRICS);
  const { counters } = batch;
  record('OperationsSucceeded', counters.succeeded);
  record('OperationsFailed', counters.failed);
  record('OperationsRetried', counters.retried);
  record('OperationsDeadLettered', counters.deadLettered + counters.poison);
  record('PoisonMessages', counters.poison);
  record('DuplicatesPrevented', batch.duplicatesPrevented);
  if (batch.publishesOutcomes) {
    record('OutcomesEmitted', counters.outcomesEmitted);
    record('OutcomesFailed', counters.outcomesFailed);
  }
}
