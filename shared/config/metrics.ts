/**
 * A worker's metric catalogue: the names of the Powertools metrics it emits, declared once as data. The worker
 * records by these names (a name outside its catalogue does not compile), and the dashboard and the alarms draw
 * from the same catalogue, so a renamed metric cannot leave a graph pointing at nothing.
 *
 * @example
 * export const SYNC_METRICS = { EntriesAdded: { label: 'Entries added', unit: 'Count' } } as const satisfies MetricCatalogue;
 * metricRecorder(metrics, SYNC_METRICS)('EntriesAdded', 3);
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';

export interface MetricDefinition {
  /** What a graph's legend calls it. */
  readonly label: string;
  /** The Powertools (CloudWatch) unit. */
  readonly unit: 'Count' | 'Milliseconds';
  /**
   * Dimensions a single metric adds beside `service` (Powertools keeps the default dimension on single
   * metrics): such a metric is recorded with a value for each. @default none: the worker's `service` only
   */
  readonly dimensions?: readonly string[];
  /** The statistic a graph shows. @default 'Sum' */
  readonly statistic?: 'Sum' | 'Maximum';
  /**
   * The title of the dashboard graph it is drawn in: the metrics of a catalogue with the same title share
   * one graph, in catalogue order (infra/constructs/dashboard.ts). @default not drawn (the logs and the
   * metrics console still have it)
   */
  readonly graph?: string;
}

/** Metric name → definition. */
export type MetricCatalogue = Readonly<Record<string, MetricDefinition>>;

/** The dimension values a metric with `dimensions` is recorded with; nothing for one without. */
type DimensionArguments<Definition extends MetricDefinition> = Definition extends {
  readonly dimensions: readonly (infer Name extends string)[];
}
  ? [dimensions: Readonly<Record<Name, string>>]
  : [];

/** Records one metric of a catalogue: its name, its value, and its dimension values when it has dimensions. */
export type MetricRecorder<Catalogue extends MetricCatalogue> = <Name extends keyof Catalogue & string>(
  name: Name,
  value: number,
  ...dimensions: DimensionArguments<Catalogue[Name]>
) => void;

/**
 * A recorder of `catalogue`'s metrics into `metrics` (flushed by the handler's `logMetrics` middleware). A
 * metric with dimensions goes out as a Powertools single metric, which carries its own dimensions.
 */
export function metricRecorder<Catalogue extends MetricCatalogue>(
  metrics: Metrics,
  catalogue: Catalogue,
): MetricRecorder<Catalogue> {
  return (name, value, ...dimensions) => {
    const definition = catalogue[name] as MetricDefinition;
    const [values] = dimensions as [Readonly<Record<string, string>>?];
    if (!definition.dimensions?.length || !values) {
      metrics.addMetric(name, definition.unit, value);
      return;
    }
    const single = metrics.singleMetric();
    single.addDimensions(values);
    single.addMetric(name, definition.unit, value);
  };
}
