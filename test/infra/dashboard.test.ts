import type { Metrics } from '@aws-lambda-powertools/metrics';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { accessListSyncWorker } from '../../functions/access-list-sync/worker.ts';
import { inventoryWorker } from '../../functions/inventory/worker.ts';
import { notifierWorker } from '../../functions/notifier/worker.ts';
import { provisionerWorker } from '../../functions/provisioner/worker.ts';
import { webhookIntakeWorker } from '../../functions/webhook-intake/worker.ts';
import { WORKERS } from '../../functions/workers.ts';
import { AtlasOpsStack } from '../../infra/atlas-ops-stack.ts';
import { METRICS_NAMESPACE } from '../../infra/constructs/worker-function.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { recordSyncMetrics } from '../../shared/access-list/metrics.ts';
import { ATLAS_CALL_METRICS } from '../../shared/atlas/metrics.ts';
import type { MetricCatalogue } from '../../shared/config/metrics.ts';
import { recordInventoryMetrics } from '../../shared/inventory/metrics.ts';
import { AtlasSessions, atlasSession } from '../../shared/lambda/atlas-session.ts';
import { callsAtlas, type WorkerManifest } from '../../shared/lambda/worker-manifest.ts';
import { recordNotifierMetrics } from '../../shared/notify/metrics.ts';
import { newNotificationCounters } from '../../shared/notify/record-processor.ts';
import { recordProvisioningMetrics } from '../../shared/operations/metrics.ts';
import { newCounters } from '../../shared/operations/record-processor.ts';
import { recordIntakeMetrics } from '../../shared/webhooks/metrics.ts';
import { testApp } from '../support/cdk.ts';

type MetricLine = (string | Record<string, unknown>)[];
interface Widget {
  type: string;
  properties: {
    markdown?: string;
    title?: string;
    metrics?: MetricLine[];
    annotations?: { horizontal?: { value: number; label?: string }[] };
    alarms?: string[];
  };
}
interface Row {
  title: string;
  widgets: Widget[];
}

/** The dashboard body, tokens as the logical id they refer to (or `TOKEN`), cut into rows at each heading. */
function dashboardRows(template: Template): Row[] {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard?.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const parts = typeof body === 'string' ? [body] : body['Fn::Join'][1];
  const text = parts
    .map((part) => (typeof part === 'string' ? part : String((part as { Ref?: string }).Ref ?? 'TOKEN')))
    .join('');
  const { widgets } = JSON.parse(text) as { widgets: Widget[] };
  const rows: Row[] = [];
  for (const widget of widgets) {
    const heading = widget.properties.markdown?.match(/^## (.+)$/m)?.[1];
    if (heading) rows.push({ title: heading, widgets: [] });
    else rows.at(-1)?.widgets.push(widget);
  }
  return rows;
}

/** Every `AtlasOps` metric of a row: [metric name, dimensions as name → value]. */
function powertoolsMetrics(row: Row): [string, Record<string, string>][] {
  return row.widgets
    .flatMap((widget) => widget.properties.metrics ?? [])
    .filter((line) => line[0] === METRICS_NAMESPACE)
    .map((line) => {
      const [, name, ...rest] = line.filter((item): item is string => typeof item === 'string');
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < rest.length; i += 2) dimensions[rest[i] as string] = rest[i + 1] as string;
      return [name as string, dimensions];
    });
}

/** Every SEARCH expression of a row. */
function searches(row: Row): string[] {
  return row.widgets
    .flatMap((widget) => widget.properties.metrics ?? [])
    .flatMap((line) => line.filter((item) => typeof item === 'object'))
    .map((options) => (options as { expression?: string }).expression)
    .filter((expression): expression is string => expression?.startsWith('SEARCH(') ?? false);
}

/** A Powertools `Metrics` stand-in that records each metric name with the dimension names it goes out with. */
function recorder(): { metrics: Metrics; emitted: Map<string, string[]> } {
  const emitted = new Map<string, string[]>();
  const make = (dimensions: Record<string, string>): Metrics =>
    ({
      addMetric: (name: string) => emitted.set(name, Object.keys(dimensions).sort()),
      addDimension: (key: string, value: string) => {
        dimensions[key] = value;
      },
      addDimensions: (more: Record<string, string>) => Object.assign(dimensions, more),
      // Powertools' single metric keeps the default dimension (`service`) and adds its own.
      singleMetric: () => make({ service: 'x' }),
    }) as unknown as Metrics;
  return { metrics: make({ service: 'x' }), emitted };
}

/** Adds what the worker kit's Atlas session emits at the end of an invocation to `into`. */
function withAtlasSessionMetrics(into: ReturnType<typeof recorder>): Map<string, string[]> {
  const sessions = new AtlasSessions({ connection: { get: never, refresh: never } });
  const middleware = atlasSession(sessions, { reserveMs: 0, metrics: into.metrics });
  const context = { atlas: sessions.open() };
  middleware.after?.({ context } as unknown as Parameters<NonNullable<typeof middleware.after>>[0]);
  return into.emitted;
}

const never = (): Promise<never> => Promise.reject(new Error('no Atlas connection in a template test'));

/** What each worker's metric recording emits, by worker name: metric name → dimension names. */
function emittedByWorker(): Record<string, Map<string, string[]>> {
  const inventory = recorder();
  recordInventoryMetrics(inventory.metrics, {
    projects: [],
    errors: [],
    clusters: [{ paused: false, stateName: 'IDLE' }],
    findings: [{ rule: 'rule' }],
    stats: { atlasCalls: 1, retries: 0, throttled: 0, durationMs: 1 },
    partial: false,
  } as unknown as Parameters<typeof recordInventoryMetrics>[1]);
  const intake = recorder();
  for (const kind of ['accepted', 'duplicate', 'ignored', 'refused', 'failed', 'status']) {
    recordIntakeMetrics(intake.metrics, { kind, source: 'jira', reason: 'REASON' } as unknown as Parameters<
      typeof recordIntakeMetrics
    >[1]);
  }
  const sync = recorder();
  recordSyncMetrics(sync.metrics, {
    mode: 'apply',
    totals: { added: 0, removed: 0, listsInDrift: 0, refused: 0, failed: 0 },
  } as unknown as Parameters<typeof recordSyncMetrics>[1]);
  const provisioning = recorder();
  recordProvisioningMetrics(provisioning.metrics, {
    counters: newCounters(),
    duplicatesPrevented: 0,
    publishesOutcomes: true,
  });
  const notifier = recorder();
  recordNotifierMetrics(notifier.metrics, {
    ...newNotificationCounters(),
    sent: { jira: 1 },
    failed: { github: 1 },
  });
  return {
    [inventoryWorker.name]: withAtlasSessionMetrics(inventory),
    [provisionerWorker.name]: withAtlasSessionMetrics(provisioning),
    [webhookIntakeWorker.name]: intake.emitted,
    [accessListSyncWorker.name]: withAtlasSessionMetrics(sync),
    [notifierWorker.name]: notifier.emitted,
  };
}

/** A worker's whole catalogue: its own metrics, and the Atlas-call counts when it calls Atlas. */
function catalogueOf(manifest: WorkerManifest): MetricCatalogue {
  return { ...manifest.metrics, ...(callsAtlas(manifest) ? ATLAS_CALL_METRICS : {}) };
}

function fullStack(app = testApp()) {
  const stack = new AtlasOpsStack(app, 'Full', { provisioning: {}, accessListSync: {} });
  return { stack, template: Template.fromStack(stack) };
}

describe('AtlasOpsDashboard', () => {
  const full = fullStack();
  const rows = dashboardRows(full.template);
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    full.stack.getLogicalId(construct.node.defaultChild as never);
  const deployed = (manifest: WorkerManifest) => {
    const worker = full.stack.workers.find((w) => w.manifest.name === manifest.name);
    if (!worker) throw new Error(`no ${manifest.name}`);
    return worker;
  };
  const rowOf = (manifest: WorkerManifest) => rows.find((r) => r.title === manifest.title) as Row;

  it('is in the template, its name a stack output', () => {
    // Act
    const dashboards = full.template.findResources('AWS::CloudWatch::Dashboard');
    const outputs = full.template.findOutputs('DashboardName');

    // Assess
    expect(Object.keys(dashboards)).toHaveLength(1);
    expect(outputs.DashboardName?.Value).toEqual({ Ref: Object.keys(dashboards)[0] });
  });

  it('has one row per worker present, in the order of the workers list', () => {
    expect(rows.map((row) => row.title)).toEqual(WORKERS.map((worker) => worker.title));
  });

  it('has only the inventory row when no other worker is deployed', () => {
    // Prepare
    const stack = new AtlasOpsStack(testApp(), 'Plain');

    // Act
    const plainRows = dashboardRows(Template.fromStack(stack));

    // Assess
    expect(plainRows.map((row) => row.title)).toEqual(['Inventory']);
    expect(Template.fromStack(stack).findOutputs('DashboardName')).not.toEqual({});
  });

  it.each(WORKERS.map((manifest) => [manifest.name, manifest] as const))(
    '%s: runs, errors and duration of its own function, under a line at its timeout',
    (_name, manifest) => {
      // Prepare
      const row = rowOf(manifest);
      const id = logicalId(deployed(manifest).function);
      const timeoutSeconds = full.template.toJSON().Resources[id].Properties.Timeout as number;

      // Act
      const lambdaLines = row.widgets
        .flatMap((widget) => widget.properties.metrics ?? [])
        .filter((line) => line[0] === 'AWS/Lambda');
      const annotations = row.widgets.flatMap((widget) => widget.properties.annotations?.horizontal ?? []);

      // Assess
      expect(new Set(lambdaLines.map((line) => line[1]))).toEqual(
        new Set(['Invocations', 'Errors', 'Throttles', 'Duration']),
      );
      for (const line of lambdaLines) expect(line.slice(2, 4)).toEqual(['FunctionName', id]);
      expect(annotations).toEqual([expect.objectContaining({ value: timeoutSeconds * 1000 })]);
      expect(row.widgets.some((widget) => widget.properties.alarms?.length)).toBe(true);
    },
  );

  it.each(WORKERS.map((manifest) => [manifest.name, manifest] as const))(
    '%s: records only metrics of its catalogue, with the dimensions the catalogue gives them',
    (name, manifest) => {
      // Prepare
      const catalogue = catalogueOf(manifest);

      // Act
      const recorded = emittedByWorker()[name];

      // Assess
      expect(recorded?.size).toBeGreaterThan(0);
      for (const [metric, dimensions] of recorded ?? []) {
        expect(Object.keys(catalogue), metric).toContain(metric);
        expect(dimensions, metric).toEqual([...(catalogue[metric]?.dimensions ?? []), 'service'].sort());
      }
    },
  );

  it.each(WORKERS.map((manifest) => [manifest.name, manifest] as const))(
    '%s: draws the metrics it records, and every one its catalogue puts on a graph',
    (name, manifest) => {
      // Prepare
      const row = rowOf(manifest);
      const environment =
        full.template.toJSON().Resources[logicalId(deployed(manifest).function)].Properties.Environment
          .Variables;
      const recorded = emittedByWorker()[name] as Map<string, string[]>;
      const service = manifest.serviceName;

      // Act
      const metrics = powertoolsMetrics(row);
      const searched = searches(row).map((expression) => {
        const [, schema, query] = expression.match(/^SEARCH\('\{([^}]+)\} (.+)', 'Sum', \d+\)$/) ?? [];
        const [namespace, ...dimensionNames] = (schema ?? '').split(',');
        const names = [...(query ?? '').matchAll(/MetricName="([A-Za-z]+)"/g)].map((m) => m[1] as string);
        return { namespace, dimensionNames, query: query ?? '', names };
      });
      const drawn = new Set([...metrics.map(([metric]) => metric), ...searched.flatMap((s) => s.names)]);

      // Assess: the service dimension is the function's POWERTOOLS_SERVICE_NAME, in the namespace it emits to.
      expect(environment.POWERTOOLS_SERVICE_NAME).toBe(service);
      expect(environment.POWERTOOLS_METRICS_NAMESPACE).toBe(METRICS_NAMESPACE);
      for (const [metric, dimensions] of metrics) {
        expect(recorded.get(metric), metric).toEqual(['service']);
        expect(dimensions).toEqual({ service });
      }
      for (const search of searched) {
        expect(search.namespace).toBe(METRICS_NAMESPACE);
        expect(search.query).toContain(`service="${service}"`);
        for (const metric of search.names) {
          expect(recorded.get(metric), metric).toEqual([...search.dimensionNames].sort());
        }
      }
      const graphed = Object.entries(catalogueOf(manifest)).filter(([, definition]) => definition.graph);
      expect([...drawn].sort()).toEqual(graphed.map(([metric]) => metric).sort());
    },
  );

  it('shows what the issue asks of each worker', () => {
    // Act
    const names = Object.fromEntries(
      rows.map((row) => [
        row.title,
        [...powertoolsMetrics(row).map(([name]) => name), ...searches(row)].join(' '),
      ]),
    );
    const sqs = (title: string) =>
      rows
        .find((row) => row.title === title)
        ?.widgets.flatMap((widget) => widget.properties.metrics ?? [])
        .filter((line) => line[0] === 'AWS/SQS')
        .map((line) => line[1]);

    // Assess
    for (const title of ['Inventory', 'Provisioning', 'Access-list sync']) {
      expect(names[title]).toMatch(/AtlasCalls.*AtlasRetries.*AtlasThrottled/);
    }
    expect(names.Provisioning).toMatch(
      /OperationsSucceeded.*OperationsFailed.*OperationsRetried.*OperationsDeadLettered/,
    );
    expect(names['Webhook intake']).toMatch(
      /DeliveriesAccepted.*DeliveriesRefused.*DeliveriesRefusedByReason/,
    );
    expect(names['Access-list sync']).toContain('ListsInDrift');
    expect(names.Notifier).toMatch(/NotificationsSent.*NotificationsFailed/);
    for (const title of ['Inventory', 'Provisioning', 'Access-list sync', 'Notifier']) {
      expect(sqs(title)).toEqual(
        expect.arrayContaining(['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']),
      );
    }
  });

  it('synthesises with cdk-nag AwsSolutions and no unacknowledged finding', () => {
    // Prepare
    const app = testApp();
    fullStack(app);
    addNagChecks(app);

    // Act + Assess
    expect(() => app.synth()).not.toThrow();
  });
});
