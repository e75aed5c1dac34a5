/** The intake's CloudWatch metrics (Powertools EMF): each delivery's outcome, and why refusals were refused. */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { type MetricCatalogue, metricRecorder } from '../config/metrics.ts';
import type { IntakeOutcome } from './intake.ts';

const BY_REASON = ['Source', 'Reason'] as const;

/** The intake's metrics: what the worker records, the dashboard draws and the refused-deliveries alarm watches. */
export const INTAKE_METRICS = {
  DeliveriesAccepted: { label: 'Accepted', unit: 'Count', graph: 'Deliveries by outcome' },
  DeliveriesRefused: { label: 'Refused', unit: 'Count', graph: 'Deliveries by outcome' },
  DeliveriesDuplicate: { label: 'Duplicate', unit: 'Count', graph: 'Deliveries by outcome' },
  DeliveriesIgnored: { label: 'Ignored', unit: 'Count', graph: 'Deliveries by outcome' },
  DeliveriesFailed: { label: 'Failed', unit: 'Count', graph: 'Deliveries by outcome' },
  StatusReads: { label: 'Status reads', unit: 'Count', graph: 'Deliveries by outcome' },
  DeliveriesRefusedByReason: {
    label: 'Refused',
    unit: 'Count',
    dimensions: BY_REASON,
    graph: 'Refused deliveries by source and reason',
  },
  DeliveriesIgnoredByReason: {
    label: 'Ignored',
    unit: 'Count',
    dimensions: BY_REASON,
    graph: 'Ignored and failed deliveries by source and reason',
  },
  DeliveriesFailedByReason: {
    label: 'Failed',
    unit: 'Count',
    dimensions: BY_REASON,
    graph: 'Ignored and failed deliveries by source and reason',
  },
} as const satisfies MetricCatalogue;

/** The metric every refused delivery counts in (the construct's alarm watches it). */
export const REFUSED_METRIC = 'DeliveriesRefused' satisfies keyof typeof INTAKE_METRICS;

const OUTCOME_METRICS = {
  accepted: 'DeliveriesAccepted',
  duplicate: 'DeliveriesDuplicate',
  ignored: 'DeliveriesIgnored',
  refused: REFUSED_METRIC,
  failed: 'DeliveriesFailed',
} as const satisfies Record<string, keyof typeof INTAKE_METRICS>;

const REASON_METRICS = {
  accepted: undefined,
  duplicate: undefined,
  ignored: 'DeliveriesIgnoredByReason',
  refused: 'DeliveriesRefusedByReason',
  failed: 'DeliveriesFailedByReason',
} as const satisfies Record<keyof typeof OUTCOME_METRICS, keyof typeof INTAKE_METRICS | undefined>;

/** Adds one delivery's outcome to `metrics` (flushed by the handler's `logMetrics` middleware). */
export function recordIntakeMetrics(metrics: Metrics, outcome: IntakeOutcome): void {
  const record = metricRecorder(metrics, INTAKE_METRICS);
  if (outcome.kind === 'status') {
    record('StatusReads', 1);
    return;
  }
  // Every count, zeros included, so alarms see data rather than gaps.
  for (const [kind, name] of Object.entries(OUTCOME_METRICS)) {
    record(name, kind === outcome.kind ? 1 : 0);
  }
  const byReason = REASON_METRICS[outcome.kind];
  if (byReason && (outcome.kind === 'refused' || outcome.reason !== undefined)) {
    record(byReason, 1, { Source: outcome.source ?? 'unknown', Reason: outcome.reason ?? 'UNKNOWN' });
  }
}
