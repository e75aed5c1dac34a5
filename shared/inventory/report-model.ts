/**
 * The numbers a report shows, computed once from a snapshot so that every rendering (HTML, a chat message, a
 * metric) shows the same totals and breakdowns.
 */
import type { InventoryCluster, Severity, Snapshot } from './model.ts';

/** One bar of a breakdown. */
export interface BreakdownEntry {
  label: string;
  count: number;
}

export interface ReportModel {
  totals: {
    projects: number;
    clusters: number;
    dedicated: number;
    flex: number;
    paused: number;
    findings: Record<Severity, number> & { total: number };
    /** Projects the run could not read. */
    errors: number;
    changes: { added: number; removed: number; changed: number; firstRun: boolean };
  };
  /**
   * Clusters per value, most first (ties by label, numbers in numeric order). A cluster counts once per
   * distinct value it has, so a multi-region or multi-cloud cluster appears in several bars and a
   * breakdown's counts can add up to more than the number of clusters.
   */
  breakdowns: {
    byProvider: BreakdownEntry[];
    byRegion: BreakdownEntry[];
    byMajorVersion: BreakdownEntry[];
    byInstanceSize: BreakdownEntry[];
    byState: BreakdownEntry[];
  };
}

/** The label of a value Atlas did not give. */
export const UNKNOWN_LABEL = '(unknown)';

// Fixed locale and numeric collation: `M10` before `M200`, `8.0` before `10.0`, the same on every machine.
// Made on first use: building an ICU collator takes about 9 ms, which a cold start need not pay for a report
// that is rendered only at the end of a run.
let collator: Intl.Collator | undefined;
function compareLabels(a: string, b: string): number {
  collator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
  return collator.compare(a, b);
}

/** Counts clusters per value; `valuesOf` returns the values of one cluster (repeats count once). */
function breakdown(
  clusters: readonly InventoryCluster[],
  valuesOf: (cluster: InventoryCluster) => readonly string[],
): BreakdownEntry[] {
  const counts = new Map<string, number>();
  for (const cluster of clusters) {
    for (const value of new Set(valuesOf(cluster))) {
      const label = value === '' ? UNKNOWN_LABEL : value;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || compareLabels(a.label, b.label));
}

/** Totals and breakdowns of a snapshot, for reports. */
export function buildReportModel(snapshot: Snapshot): ReportModel {
  const { clusters, findings, changes } = snapshot;
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const finding of findings) bySeverity[finding.severity] += 1;
  return {
    totals: {
      projects: snapshot.projects.length,
      clusters: clusters.length,
      dedicated: clusters.filter((c) => c.kind === 'dedicated').length,
      flex: clusters.filter((c) => c.kind === 'flex').length,
      paused: clusters.filter((c) => c.paused).length,
      findings: { ...bySeverity, total: findings.length },
      errors: snapshot.errors.length,
      changes: {
        added: changes.added.length,
        removed: changes.removed.length,
        changed: changes.changed.length,
        firstRun: changes.firstRun,
      },
    },
    breakdowns: {
      byProvider: breakdown(clusters, (c) => c.regions.map((r) => r.provider)),
      byRegion: breakdown(clusters, (c) => c.regions.map((r) => r.region)),
      byMajorVersion: breakdown(clusters, (c) => [c.mongoDBMajorVersion]),
      byInstanceSize: breakdown(clusters, (c) => c.regions.map((r) => r.instanceSize)),
      byState: breakdown(clusters, (c) => [c.stateName]),
    },
  };
}
