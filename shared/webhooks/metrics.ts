/** The intake's CloudWatch metrics (Powertools EMF): each delivery's outcome, and why refusals were refused. */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { IntakeOutcome } from './intake.ts';

/** The metric every refused delivery counts in (the construct's alarm watches it). */
export const REFUSED_METRIC = 'DeliveriesRefused';

const OUTCOME_METRICS = {
  accepted: 'DeliveriesAccepted',
  duplicate: 'DeliveriesDuplicate',
  ignored: 'DeliveriesIgnored',
  refused: REFUSED_METRIC,
  failed: 'DeliveriesFailed',
} as const;

/** Adds one delivery's outcome to `metrics` (flushed by the handler's `logMetrics` middleware). */
export function recordIntakeMetrics(metrics: Metrics, outcome: IntakeOutcome): void {
  if (outcome.kind === 'status') {
    metrics.addMetric('StatusReads', MetricUnit.Count, 1);
    return;
  }
  // Every count, zeros included, so alarms see data rather than gaps.
  for (const [kind, name] of Object.entries(OUTCOME_METRICS)) {
    metrics.addMetric(name, MetricUnit.Count, kind === outcome.kind ? 1 : 0);
  }
  if (outcome.kind === 'refused' || outcome.reason !== undefined) {
    const single = metrics.singleMetric();
    single.addDimensions({ Source: outcome.source ?? 'unknown', Reason: outcome.reason ?? 'UNKNOWN' });
    single.addMetric(`${OUTCOME_METRICS[outcome.kind]}ByReason`, MetricUnit.Count, 1);
  }
}
