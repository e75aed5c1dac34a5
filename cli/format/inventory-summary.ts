/** The inventory as a person reads it in a terminal: one line per project, totals, findings and changes. */
import type { Snapshot } from '../../shared/inventory/model.ts';

function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
}

export function formatInventorySummary(snapshot: Snapshot): string {
  const rows = [['PROJECT', 'CLUSTERS', 'FLEX', 'PAUSED', 'FINDINGS']];
  for (const project of [...snapshot.projects].sort((a, b) => a.name.localeCompare(b.name))) {
    const clusters = snapshot.clusters.filter((c) => c.groupId === project.id);
    rows.push([
      project.name,
      String(clusters.filter((c) => c.kind === 'dedicated').length),
      String(clusters.filter((c) => c.kind === 'flex').length),
      String(clusters.filter((c) => c.paused).length),
      String(snapshot.findings.filter((f) => f.groupId === project.id).length),
    ]);
  }
  rows.push([
    'TOTAL',
    String(snapshot.clusters.filter((c) => c.kind === 'dedicated').length),
    String(snapshot.clusters.filter((c) => c.kind === 'flex').length),
    String(snapshot.clusters.filter((c) => c.paused).length),
    String(snapshot.findings.length),
  ]);

  const bySeverity = (severity: string) => snapshot.findings.filter((f) => f.severity === severity).length;
  const byRule = new Map<string, number>();
  for (const finding of snapshot.findings) byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1);
  const rules = [...byRule].map(([rule, count]) => `${rule} ${count}`).join(', ');
  const { changes } = snapshot;
  const changeLine = changes.firstRun
    ? 'first run (nothing to compare with)'
    : `${changes.added.length} added, ${changes.removed.length} removed, ${changes.changed.length} changed`;

  return [
    `Atlas inventory ${snapshot.generatedAt} from ${snapshot.source.baseUrl}${snapshot.partial ? '  (PARTIAL: stopped before its deadline)' : ''}`,
    '',
    table(rows),
    '',
    `Findings: ${bySeverity('high')} high, ${bySeverity('medium')} medium, ${bySeverity('low')} low${rules ? ` (${rules})` : ''}`,
    `Changes since the last run: ${changeLine}`,
    ...(snapshot.errors.length > 0
      ? [
          `Projects not read: ${snapshot.errors.map((e) => `${e.projectId} (${e.status} ${e.errorCode})`).join(', ')}`,
        ]
      : []),
    ...(snapshot.warnings ?? []).map((warning) => `WARNING: ${warning}`),
  ].join('\n');
}
