/**
 * The snapshot's clusters as CSV (RFC 4180), one row per cluster, for people who live in spreadsheets.
 * Cluster names and tags come from users, so every cell is guarded against formula injection as well as
 * quoted where RFC 4180 requires it.
 */
import { compareClusterRefs } from './diff.ts';
import type { Finding, InventoryCluster, Snapshot } from './model.ts';

/** The header row, in column order. */
export const CSV_COLUMNS = [
  'projectName',
  'groupId',
  'name',
  'kind',
  'clusterType',
  'stateName',
  'mongoDBVersion',
  'providers',
  'regions',
  'instanceSizes',
  'shardCount',
  'electableNodes',
  'readOnlyNodes',
  'analyticsNodes',
  'paused',
  'backupEnabled',
  'pitEnabled',
  'terminationProtectionEnabled',
  'minimumTlsProtocol',
  'tags',
  'createDate',
  'findings',
] as const;

type CsvColumn = (typeof CSV_COLUMNS)[number];

/**
 * One cell, made safe for spreadsheets and for RFC 4180. A spreadsheet runs a cell that starts with `=`, `+`,
 * `-`, `@` (or a tab or carriage return, which some of them skip) as a formula, so such a cell gets a
 * leading `'`, which spreadsheets read as "this is text".
 */
export function csvCell(value: string | number | boolean): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Values in first-seen order without repeats (the region Atlas lists first is the preferred one). */
function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function findingKey(groupId: string, clusterName: string): string {
  return JSON.stringify([groupId, clusterName]);
}

function row(cluster: InventoryCluster, findingCount: number): Record<CsvColumn, string | number | boolean> {
  const { regions } = cluster;
  return {
    projectName: cluster.projectName,
    groupId: cluster.groupId,
    name: cluster.name,
    kind: cluster.kind,
    clusterType: cluster.clusterType,
    stateName: cluster.stateName,
    mongoDBVersion: cluster.mongoDBVersion,
    providers: unique(regions.map((r) => r.provider)).join(';'),
    regions: unique(regions.map((r) => r.region)).join(';'),
    instanceSizes: unique(regions.map((r) => r.instanceSize)).join(';'),
    shardCount: cluster.shardCount,
    electableNodes: sum(regions.map((r) => r.electableNodes)),
    readOnlyNodes: sum(regions.map((r) => r.readOnlyNodes)),
    analyticsNodes: sum(regions.map((r) => r.analyticsNodes)),
    paused: cluster.paused,
    backupEnabled: cluster.backupEnabled,
    pitEnabled: cluster.pitEnabled,
    terminationProtectionEnabled: cluster.terminationProtectionEnabled,
    minimumTlsProtocol: cluster.minimumTlsProtocol ?? '',
    tags: Object.entries(cluster.tags)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => `${key}=${value}`)
      .join(';'),
    createDate: cluster.createDate ?? '',
    findings: findingCount,
  };
}

function countFindings(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings) {
    const key = findingKey(finding.groupId, finding.clusterName);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * The clusters of a snapshot as CSV: a header row, then one row per cluster sorted by project and name.
 * Lines end with CRLF, as RFC 4180 asks. Multi-valued columns (providers, regions, …) are `;`-joined without
 * repeats; node counts are totals over all shards and regions; tags read `key=value;key=value`.
 */
export function renderClustersCsv(snapshot: Snapshot): string {
  const findingCounts = countFindings(snapshot.findings);
  const clusters = [...snapshot.clusters].sort(compareClusterRefs);
  const lines = [CSV_COLUMNS.map(csvCell).join(',')];
  for (const cluster of clusters) {
    const values = row(cluster, findingCounts.get(findingKey(cluster.groupId, cluster.name)) ?? 0);
    lines.push(CSV_COLUMNS.map((column) => csvCell(values[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
