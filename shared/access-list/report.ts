/**
 * The report of a run, per list: the changes planned (plan mode) or their outcomes (apply mode), the changes
 * a guard refused, what stays; totals for the metrics and the exit code; and a short text table for people.
 */
import type { ListOutcome } from './apply.ts';
import {
  type AccessListRef,
  type ChangeError,
  describeEntry,
  type ListPlan,
  type ListReport,
  type ListStatus,
  listName,
  type PruneMode,
  type ReportedChange,
  type SyncMode,
  type SyncReport,
  type SyncTotals,
} from './model.ts';

/** One list's part of a run: its plan and, in apply mode, its outcomes; or why it could not be read. */
export type ListResult =
  | { list: AccessListRef; prune: PruneMode; plan: ListPlan; outcome?: ListOutcome }
  | { list: AccessListRef; prune: PruneMode; error: ChangeError };

export interface BuildReportInput {
  generatedAt: string;
  mode: SyncMode;
  source?: SyncReport['source'];
  maxDeletions: number;
  maxRemovalShare: number;
  protect: string[];
  protectedByStack: string[];
  staticEgress: string[];
  results: readonly ListResult[];
  errors?: string[];
  notes?: string[];
}

/** Where a run's report is kept; shared/access-list/adapters/access-list-store.ts keeps it in S3 beside the inventory's. */
export interface SyncReportStore {
  /** Writes the JSON report and its text rendering; returns where they went. */
  write(report: SyncReport, text: string): Promise<StoredSyncReport>;
}

export interface StoredSyncReport {
  /** The run's folder: `s3://bucket/access-list/reports/YYYY/MM/DD/<run>/`. */
  location: string;
  keys: { json: string; text: string };
}

/** The report of a run from its lists' plans and outcomes. */
export function buildSyncReport(input: BuildReportInput): SyncReport {
  const lists = input.results.map((result) => listReport(input.mode, result));
  const errors = input.errors ?? [];
  const count = (predicate: (change: ReportedChange) => boolean) =>
    lists.reduce((sum, list) => sum + list.changes.filter(predicate).length, 0);
  const done = input.mode === 'apply' ? 'applied' : 'planned';
  const totals: SyncTotals = {
    lists: lists.length,
    listsInDrift: input.results.filter(
      (r) => 'plan' in r && r.plan.add.length + r.plan.remove.length + r.plan.refused.length > 0,
    ).length,
    listsUnreadable: lists.filter((list) => list.status === 'unreadable').length,
    added: count((c) => c.action === 'add' && c.state === done),
    removed: count((c) => c.action === 'remove' && c.state === done),
    refused: count((c) => c.state === 'refused'),
    failed:
      count((c) => c.state === 'failed' || c.state === 'skipped') +
      lists.filter((list) => list.status === 'unreadable').length +
      errors.length,
  };
  return {
    generatedAt: input.generatedAt,
    mode: input.mode,
    ...(input.source ? { source: input.source } : {}),
    maxDeletions: input.maxDeletions,
    maxRemovalShare: input.maxRemovalShare,
    protect: input.protect,
    protectedByStack: input.protectedByStack,
    staticEgress: input.staticEgress,
    lists,
    totals,
    errors,
    notes: input.notes ?? [],
  };
}

function listReport(mode: SyncMode, result: ListResult): ListReport {
  const base = { list: result.list, name: listName(result.list), prune: result.prune };
  if ('error' in result) {
    return { ...base, status: 'unreadable', changes: [], keep: [], error: result.error };
  }
  const { plan, outcome } = result;
  const made: ReportedChange[] =
    mode === 'apply' && outcome
      ? outcome.changes.map(reported)
      : [
          ...plan.add.map((change) => reported({ action: 'add', state: 'planned', ...change })),
          ...plan.remove.map((change) => reported({ action: 'remove', state: 'planned', ...change })),
        ];
  const refused = plan.refused.map((change) => reported({ ...change, state: 'refused' }));
  const changes = [...made, ...refused];
  return { ...base, status: statusOf(mode, changes), changes, keep: plan.keep };
}

/** The change with its fields in reading order: what, how it went, which entry, then why. */
function reported(change: ReportedChange): ReportedChange {
  return {
    action: change.action,
    state: change.state,
    key: change.key,
    entry: change.entry,
    ...(change.guard ? { guard: change.guard } : {}),
    ...(change.reason ? { reason: change.reason } : {}),
    ...(change.error ? { error: change.error } : {}),
  };
}

function statusOf(mode: SyncMode, changes: readonly ReportedChange[]): ListStatus {
  const any = (...states: ReportedChange['state'][]) => changes.some((c) => states.includes(c.state));
  if (any('failed', 'skipped')) return 'failed';
  if (any('refused')) return 'refused';
  if (mode === 'plan') return any('planned') ? 'drift' : 'inSync';
  return any('applied', 'alreadyAbsent') ? 'applied' : 'inSync';
}

/** The CLI's exit codes (design.md): 0 in sync or applied; 1 refused or failed; 3 drift found in plan mode. */
export function syncExitCode(report: SyncReport): 0 | 1 | 3 {
  if (report.totals.refused > 0 || report.totals.failed > 0) return 1;
  if (report.mode === 'plan' && report.totals.listsInDrift > 0) return 3;
  return 0;
}

/** The report as a short text table, then one line per change. */
export function renderSyncReport(report: SyncReport): string {
  const header = `Access-list sync, ${report.mode} mode, ${report.generatedAt}${
    report.source ? ` (desired state: ${report.source.location})` : ''
  }`;
  const rows = [
    ['LIST', 'PRUNE', 'ADD', 'REMOVE', 'KEEP', 'REFUSED', 'FAILED', 'STATUS'],
    ...report.lists.map((list) => {
      const n = (action: ReportedChange['action'], ...states: ReportedChange['state'][]) =>
        String(list.changes.filter((c) => c.action === action && states.includes(c.state)).length);
      const done = report.mode === 'apply' ? (['applied', 'alreadyAbsent'] as const) : (['planned'] as const);
      return [
        list.name,
        list.prune,
        n('add', ...done),
        n('remove', ...done),
        String(list.keep.length),
        String(list.changes.filter((c) => c.state === 'refused').length),
        String(list.changes.filter((c) => c.state === 'failed' || c.state === 'skipped').length),
        list.status,
      ];
    }),
  ];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const table = rows.map((row) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return column >= 2 && column <= 6 ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd(),
  );

  const details = report.lists.flatMap((list) => {
    if (list.error) return [`${list.name}: could not be read: ${formatError(list.error)}`];
    if (list.changes.length === 0) return [];
    return [`${list.name}:`, ...list.changes.map((change) => `  ${changeLine(change)}`)];
  });
  const { totals } = report;
  const summary =
    report.mode === 'plan'
      ? `Plan only, nothing changed: ${totals.listsInDrift} of ${totals.lists} lists in drift, ` +
        `${totals.added} entries to add, ${totals.removed} to remove, ${totals.refused} refused by a guard.`
      : `Applied: ${totals.added} entries added, ${totals.removed} removed, ${totals.refused} refused by a guard, ` +
        `${totals.failed} failed.`;
  return [
    header,
    '',
    ...table,
    ...(details.length > 0 ? ['', ...details] : []),
    ...report.errors.map((error) => `Error: ${error}`),
    ...report.notes.map((note) => `Note: ${note}`),
    '',
    summary,
    '',
  ].join('\n');
}

const STATE_TEXT: Record<ReportedChange['action'], Record<ReportedChange['state'], string>> = {
  add: {
    planned: 'to add',
    applied: 'added',
    alreadyAbsent: 'added',
    failed: 'add failed',
    skipped: 'add skipped',
    refused: 'add refused',
  },
  remove: {
    planned: 'to remove',
    applied: 'removed',
    alreadyAbsent: 'already absent',
    failed: 'remove failed',
    skipped: 'not removed',
    refused: 'remove refused',
  },
};

function changeLine(change: ReportedChange): string {
  const sign = change.action === 'add' ? '+' : '-';
  const what = `${sign} ${describeEntry(change.entry)}: ${STATE_TEXT[change.action][change.state]}`;
  if (change.state === 'refused') return `${what} (${change.guard}: ${change.reason})`;
  if (change.error) return `${what} (${formatError(change.error)})`;
  return what;
}

function formatError(error: ChangeError): string {
  return `${error.status === undefined ? '' : `${error.status} `}${error.errorCode}: ${error.detail}`;
}
