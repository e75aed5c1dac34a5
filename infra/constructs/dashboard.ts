import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ATLAS_CALL_METRICS } from '../../shared/atlas/metrics.ts';
import type { MetricCatalogue, MetricDefinition } from '../../shared/config/metrics.ts';
import { callsAtlas } from '../../shared/lambda/worker-manifest.ts';
import type { DeployedWorker, WorkerQueue } from './deployed-worker.ts';
import { METRICS_NAMESPACE } from './worker-function.ts';

/** The period every graph of the dashboard aggregates over. */
export const DASHBOARD_PERIOD = Duration.minutes(5);

export interface AtlasOpsDashboardProps {
  /** The workers deployed, one row each in this order. */
  readonly workers: readonly DeployedWorker[];
  /** @default a name CloudFormation generates */
  readonly dashboardName?: string;
}

const WIDTH = 6;
const HEIGHT = 6;

/**
 * One CloudWatch dashboard for every worker deployed, one row each, drawn from the worker's manifest: its
 * alarms; runs (invocations), errors and throttles; duration against the timeout; what it did, one graph per
 * group of its metric catalogue (Powertools metrics in `AtlasOps`, by the `service` dimension), the Atlas-call
 * counts for a worker that calls Atlas; and its queues: backlog and the oldest message's age.
 */
export class AtlasOpsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: AtlasOpsDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
      defaultInterval: Duration.days(1),
    });
    for (const worker of props.workers) {
      const { manifest } = worker;
      this.row(manifest.title, worker.summary ?? manifest.summary, worker.alarms, [
        ...functionWidgets(worker.function),
        ...(worker.dashboardWidgets?.() ?? []),
        ...(callsAtlas(manifest) ? catalogueGraphs(manifest.serviceName, ATLAS_CALL_METRICS) : []),
        ...catalogueGraphs(manifest.serviceName, manifest.metrics),
        ...worker.queues.map(queueWidget),
      ]);
    }
  }

  /** A heading, then the worker's alarms and its graphs, four to a line. */
  private row(title: string, subtitle: string, alarms: readonly Alarm[], widgets: IWidget[]) {
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${title}\n${subtitle}`, width: 24, height: 2 }));
    const all: IWidget[] = [
      new AlarmStatusWidget({ title: `${title} alarms`, alarms: [...alarms], width: WIDTH, height: HEIGHT }),
      ...widgets,
    ];
    for (let i = 0; i < all.length; i += 24 / WIDTH) {
      this.dashboard.addWidgets(...all.slice(i, i + 24 / WIDTH));
    }
  }
}

/**
 * One graph per `graph` title of `catalogue`, in catalogue order: a line per metric, or, for metrics with
 * dimensions, a line per combination of dimension values (a search expression).
 */
export function catalogueGraphs(service: string, catalogue: MetricCatalogue): IWidget[] {
  const groups = new Map<string, [string, MetricDefinition][]>();
  for (const [name, definition] of Object.entries(catalogue)) {
    if (!definition.graph) continue;
    groups.set(definition.graph, [...(groups.get(definition.graph) ?? []), [name, definition]]);
  }
  return [...groups].map(([title, metrics]) => {
    const dimensions = metrics[0]?.[1].dimensions;
    if (dimensions?.length) {
      return graph(title, [
        search(
          service,
          [...dimensions],
          metrics.map(([name]) => name),
        ),
      ]);
    }
    return graph(
      title,
      metrics.map(([name, definition]) => powertoolsMetric(service, name, definition)),
    );
  });
}

/** A worker's Powertools metric: namespace `AtlasOps`, dimension `service` (what Powertools emits). */
export function powertoolsMetric(service: string, name: string, definition: MetricDefinition): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service },
    statistic: definition.statistic === 'Maximum' ? Stats.MAXIMUM : Stats.SUM,
    period: DASHBOARD_PERIOD,
    label: definition.label,
  });
}

/**
 * Every series of `metricNames` whose dimensions are `service` plus `dimensions` (a Powertools single metric
 * keeps the `service` dimension and adds its own), one line per combination of values.
 */
function search(service: string, dimensions: string[], metricNames: string[]): MathExpression {
  const schema = [METRICS_NAMESPACE, ...[...dimensions].sort(), 'service'].join(',');
  // Exact matches (`Name="value"`, a dimension name as designator), OR-ed in parentheses: the forms the
  // CloudWatch search expression syntax documents (AmazonCloudWatch/latest/monitoring/search-expression-syntax).
  const names = metricNames.map((name) => `MetricName="${name}"`).join(' OR ');
  return new MathExpression({
    expression: `SEARCH('{${schema}} service="${service}" (${names})', 'Sum', ${DASHBOARD_PERIOD.toSeconds()})`,
    // CloudWatch dynamic labels: one line per metric and dimension values.
    label: ['MetricName', ...[...dimensions].sort().map((d) => `Dim.${d}`)]
      .map((p) => `\${PROP('${p}')}`)
      .join(' '),
    period: DASHBOARD_PERIOD,
    usingMetrics: {},
  });
}

/** A graph of the dashboard's size. */
export function graph(
  title: string,
  left: IMetric[],
  options: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {},
) {
  return new GraphWidget({ title, left, width: WIDTH, height: HEIGHT, ...options });
}

/** Runs, errors and throttles; duration (average, p99, maximum) under a line at the timeout. */
function functionWidgets(fn: IFunction & { readonly timeout?: Duration | undefined }): IWidget[] {
  const period = DASHBOARD_PERIOD;
  const timeout = fn.timeout;
  return [
    graph('Runs and errors', [
      fn.metricInvocations({ period, statistic: Stats.SUM, label: 'Runs' }),
      fn.metricErrors({ period, statistic: Stats.SUM, label: 'Errors' }),
      fn.metricThrottles({ period, statistic: Stats.SUM, label: 'Throttles' }),
    ]),
    graph(
      'Duration against the timeout (ms)',
      [
        fn.metricDuration({ period, statistic: Stats.AVERAGE, label: 'Average' }),
        fn.metricDuration({ period, statistic: Stats.p(99), label: 'p99' }),
        fn.metricDuration({ period, statistic: Stats.MAXIMUM, label: 'Maximum' }),
      ],
      timeout
        ? {
            leftAnnotations: [
              {
                value: timeout.toMilliseconds(),
                label: `Timeout ${timeout.toHumanString()}`,
                color: '#d62728',
              },
            ],
            leftYAxis: { min: 0, max: timeout.toMilliseconds() },
          }
        : {},
    ),
  ];
}

/** A queue's visible messages (left) and the oldest one's age in seconds (right). */
function queueWidget({ title, queue }: WorkerQueue): GraphWidget {
  const period = DASHBOARD_PERIOD;
  return graph(
    title,
    [queue.metricApproximateNumberOfMessagesVisible({ period, statistic: Stats.MAXIMUM, label: 'Messages' })],
    {
      right: [
        queue.metricApproximateAgeOfOldestMessage({
          period,
          statistic: Stats.MAXIMUM,
          label: 'Oldest message (s)',
        }),
      ],
    },
  );
}
