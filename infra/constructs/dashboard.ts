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
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SERVICE_NAME as ACCESS_LIST_SYNC_SERVICE } from '../../functions/access-list-sync/env.ts';
import { SERVICE_NAME as INVENTORY_SERVICE } from '../../functions/inventory/env.ts';
import { SERVICE_NAME as NOTIFIER_SERVICE } from '../../functions/notifier/env.ts';
import { SERVICE_NAME as PROVISIONER_SERVICE } from '../../functions/provisioner/env.ts';
import { SERVICE_NAME as WEBHOOK_INTAKE_SERVICE } from '../../functions/webhook-intake/env.ts';
import type { AccessListSync } from './access-list-sync.ts';
import type { InventoryWorker } from './inventory-worker.ts';
import type { Notifier } from './notifier.ts';
import type { ProvisioningWorker } from './provisioning-worker.ts';
import type { WebhookIntake } from './webhook-intake.ts';
import { METRICS_NAMESPACE } from './worker-function.ts';

/** The period every graph of the dashboard aggregates over. */
export const DASHBOARD_PERIOD = Duration.minutes(5);

/**
 * Each worker's `POWERTOOLS_SERVICE_NAME`: Powertools Metrics puts it in the `service` dimension of every
 * metric the worker emits (test/infra/dashboard.test.ts checks these against the functions' environment).
 */
export const WORKER_SERVICES = {
  inventory: INVENTORY_SERVICE,
  provisioning: PROVISIONER_SERVICE,
  webhookIntake: WEBHOOK_INTAKE_SERVICE,
  accessListSync: ACCESS_LIST_SYNC_SERVICE,
  notifier: NOTIFIER_SERVICE,
} as const;

export interface AtlasOpsDashboardProps {
  readonly inventory: InventoryWorker;
  readonly provisioning?: ProvisioningWorker | undefined;
  readonly webhookIntake?: WebhookIntake | undefined;
  readonly accessListSync?: AccessListSync | undefined;
  readonly notifier?: Notifier | undefined;
  /** @default a name CloudFormation generates */
  readonly dashboardName?: string;
}

const WIDTH = 6;
const HEIGHT = 6;

/**
 * One CloudWatch dashboard for every worker deployed, one row each: its alarms; runs (invocations), errors
 * and throttles; duration against the timeout; what it did (from its Powertools metrics in `AtlasOps`, by the
 * `service` dimension); and its queues: backlog, dead-letter depth and the oldest message's age.
 */
export class AtlasOpsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: AtlasOpsDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      ...(props.dashboardName ? { dashboardName: props.dashboardName } : {}),
      defaultInterval: Duration.days(1),
    });

    const { inventory, provisioning, webhookIntake, accessListSync, notifier } = props;

    const inv = powertools(WORKER_SERVICES.inventory);
    this.row('Inventory', 'Scheduled cluster inventory', inventory.alarms, [
      ...functionWidgets(inventory.function),
      atlasCallsGraph(inv),
      graph('Runs by outcome', [
        inv('ProjectsScanned', 'Projects scanned'),
        inv('ProjectsFailed', 'Projects failed'),
        inv('PartialRuns', 'Partial runs'),
        inv('Findings', 'Findings'),
      ]),
      queueWidget('Schedule dead-letter queue', inventory.deadLetterQueue),
    ]);

    if (provisioning) {
      const prov = powertools(WORKER_SERVICES.provisioning);
      this.row('Provisioning', 'Queue-triggered Atlas operations', provisioning.alarms, [
        ...functionWidgets(provisioning.function),
        atlasCallsGraph(prov),
        graph('Operations by outcome', [
          prov('OperationsSucceeded', 'Succeeded'),
          prov('OperationsFailed', 'Failed'),
          prov('OperationsRetried', 'Retried'),
          prov('OperationsDeadLettered', 'Dead-lettered'),
          prov('PoisonMessages', 'Poison messages'),
          prov('DuplicatesPrevented', 'Duplicates prevented'),
        ]),
        graph('Outcomes to the notifier', [
          prov('OutcomesEmitted', 'Emitted'),
          prov('OutcomesFailed', 'Failed to emit'),
        ]),
        queueWidget('Operations queue', provisioning.queue),
        queueWidget('Dead-letter queue', provisioning.deadLetterQueue),
      ]);
    }

    if (webhookIntake) {
      const hook = powertools(WORKER_SERVICES.webhookIntake);
      this.row('Webhook intake', 'HTTP API → provisioning queue', webhookIntake.alarms, [
        ...functionWidgets(webhookIntake.function),
        graph('HTTP API requests', [
          webhookIntake.api.metricCount({
            period: DASHBOARD_PERIOD,
            statistic: Stats.SUM,
            label: 'Requests',
          }),
          webhookIntake.api.metricClientError({
            period: DASHBOARD_PERIOD,
            statistic: Stats.SUM,
            label: '4xx',
          }),
          webhookIntake.api.metricServerError({
            period: DASHBOARD_PERIOD,
            statistic: Stats.SUM,
            label: '5xx',
          }),
        ]),
        graph('Deliveries by outcome', [
          hook('DeliveriesAccepted', 'Accepted'),
          hook('DeliveriesRefused', 'Refused'),
          hook('DeliveriesDuplicate', 'Duplicate'),
          hook('DeliveriesIgnored', 'Ignored'),
          hook('DeliveriesFailed', 'Failed'),
          hook('StatusReads', 'Status reads'),
        ]),
        graph('Refused deliveries by source and reason', [
          search(WORKER_SERVICES.webhookIntake, ['Reason', 'Source'], ['DeliveriesRefusedByReason']),
        ]),
        graph('Ignored and failed deliveries by source and reason', [
          search(
            WORKER_SERVICES.webhookIntake,
            ['Reason', 'Source'],
            ['DeliveriesIgnoredByReason', 'DeliveriesFailedByReason'],
          ),
        ]),
      ]);
    }

    if (accessListSync) {
      const sync = powertools(WORKER_SERVICES.accessListSync);
      this.row('Access-list sync', `Scheduled, mode ${accessListSync.mode}`, accessListSync.alarms, [
        ...functionWidgets(accessListSync.function),
        atlasCallsGraph(sync),
        graph('Access lists in drift', [sync('ListsInDrift', 'Lists in drift', Stats.MAXIMUM)]),
        graph('Changes by outcome', [
          sync('EntriesAdded', 'Entries added'),
          sync('EntriesRemoved', 'Entries removed'),
          sync('ChangesRefused', 'Refused'),
          sync('ChangesFailed', 'Failed'),
        ]),
        queueWidget('Schedule dead-letter queue', accessListSync.scheduledInvocation.deadLetterQueue),
      ]);
    }

    if (notifier) {
      const note = powertools(WORKER_SERVICES.notifier);
      this.row('Notifier', 'Operation outcomes → tickets', notifier.alarms, [
        ...functionWidgets(notifier.function),
        graph('Notifications by source', [
          search(WORKER_SERVICES.notifier, ['Source'], ['NotificationsSent', 'NotificationsFailed']),
        ]),
        graph('Duplicates and retries', [
          note('NotificationsDuplicate', 'Duplicates'),
          note('NotificationsRetried', 'Retried'),
        ]),
        queueWidget('Outcomes queue', notifier.queue),
        queueWidget('Dead-letter queue', notifier.deadLetterQueue),
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

/** What a worker's Atlas calls cost: the worker kit's Atlas session counts them for every worker that calls Atlas. */
function atlasCallsGraph(metric: ReturnType<typeof powertools>): IWidget {
  return graph('Atlas calls, retries and 429s', [
    metric('AtlasCalls', 'Atlas calls'),
    metric('AtlasRetries', 'Retries'),
    metric('AtlasThrottled', '429s'),
  ]);
}

/** A worker's Powertools metric: namespace `AtlasOps`, dimension `service` (what Powertools emits). */
function powertools(service: string) {
  return (metricName: string, label: string, statistic: string = Stats.SUM): Metric =>
    new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service },
      statistic,
      period: DASHBOARD_PERIOD,
      label,
    });
}

/**
 * Every series of `metricNames` whose dimensions are `service` plus `dimensions` (a Powertools single metric
 * keeps the `service` dimension and adds its own), one line per combination of values.
 */
function search(service: string, dimensions: string[], metricNames: string[]): MathExpression {
  const schema = [METRICS_NAMESPACE, ...dimensions, 'service'].join(',');
  // Exact matches (`Name="value"`, a dimension name as designator), OR-ed in parentheses: the forms the
  // CloudWatch search expression syntax documents (AmazonCloudWatch/latest/monitoring/search-expression-syntax).
  const names = metricNames.map((name) => `MetricName="${name}"`).join(' OR ');
  return new MathExpression({
    expression: `SEARCH('{${schema}} service="${service}" (${names})', 'Sum', ${DASHBOARD_PERIOD.toSeconds()})`,
    // CloudWatch dynamic labels: one line per metric and dimension values.
    label: ['MetricName', ...dimensions.map((d) => `Dim.${d}`)].map((p) => `\${PROP('${p}')}`).join(' '),
    period: DASHBOARD_PERIOD,
    usingMetrics: {},
  });
}

function graph(
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
function queueWidget(title: string, queue: IQueue): GraphWidget {
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
