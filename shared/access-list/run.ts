/**
 * One run of the access-list sync, the same for the worker and the CLI: read every declared list from Atlas,
 * plan each (./plan.ts, with the guards), apply the plans in `apply` mode, keep the record of what the sync
 * owns up to date, and build the report. A list that cannot be read is reported and the others go on.
 *
 * @example
 * const report = await runAccessListSync({ atlas, desired: parseDesiredState(text), mode: 'plan', managed });
 * process.exitCode = syncExitCode(report);
 */
import { type CallOptions, isCredentialRejection } from '../atlas/index.ts';
import { type AccessListAtlas, applyPlans, changeError, mapWithConcurrency } from './apply.ts';
import { canonicalEntryKey } from './canonical-entry.ts';
import { type DeclaredList, type DesiredState, refuseWideNetworks } from './desired-state.ts';
import { DEFAULT_SYNC_LIMITS, guardSettingsFor, type SyncLimits } from './guards.ts';
import { type ManagedEntries, type ManagedEntriesStore, serialiseManagedEntries } from './managed-entries.ts';
import {
  type AccessEntry,
  type AccessListRef,
  type ChangeError,
  listKey,
  type SyncMode,
  type SyncReport,
} from './model.ts';
import { planList } from './plan.ts';
import { buildSyncReport, type ListResult } from './report.ts';

export interface RunSyncOptions {
  atlas: AccessListAtlas;
  desired: DesiredState;
  mode: SyncMode;
  /** The record of the entries the sync added (read when a list is `managed`; written in apply mode). */
  managed: ManagedEntriesStore;
  /** The stack's own static egress addresses: never removed. */
  staticEgress?: readonly string[];
  /**
   * What the stack allows (./guards.ts): the largest `maxDeletions` and removal share, the protected floor,
   * wide networks or not. The document may only tighten them. @default DEFAULT_SYNC_LIMITS
   */
  limits?: Partial<SyncLimits>;
  /** The deadline of every Atlas call. */
  callOptions?: CallOptions;
  /** Where the desired state came from, for the report. */
  source?: SyncReport['source'];
  now?: () => Date;
}

/** Lists read from Atlas at once. */
const READ_CONCURRENCY = 4;

interface Declared {
  list: AccessListRef;
  declared: DeclaredList;
}

type ReadList = Declared & ({ listed: AccessEntry[] } | { error: ChangeError });

/**
 * Runs the sync once and returns its report; throws only for what stops the whole run (see the module doc),
 * a desired state with a wide network included (`DesiredStateError`, nothing read or sent) unless the stack
 * allows them.
 */
export async function runAccessListSync(options: RunSyncOptions): Promise<SyncReport> {
  const { atlas, desired, mode, callOptions = {} } = options;
  const limits: SyncLimits = { ...DEFAULT_SYNC_LIMITS, ...options.limits };
  if (!limits.allowWideNetworks) refuseWideNetworks(desired);
  const generatedAt = (options.now?.() ?? new Date()).toISOString();
  const declared: Declared[] = [
    ...desired.projects.map((p) => ({ list: { kind: 'project' as const, groupId: p.groupId }, declared: p })),
    ...desired.serviceAccounts.map((s) => ({
      list: { kind: 'serviceAccount' as const, orgId: s.orgId, clientId: s.clientId },
      declared: s,
    })),
  ];
  const usesRecord = declared.some((d) => d.declared.prune === 'managed');
  // Read before Atlas is touched: an unreadable record stops the run before anything is planned on a guess.
  const record: ManagedEntries = usesRecord ? await options.managed.read() : {};
  const { settings: guards, notes } = guardSettingsFor(desired, limits, options.staticEgress ?? []);

  const lists = await mapWithConcurrency(declared, READ_CONCURRENCY, (d) => readList(atlas, d, callOptions));
  const now = Date.parse(generatedAt);
  const results: ListResult[] = lists.map((read) => {
    if ('error' in read) return { list: read.list, prune: read.declared.prune, error: read.error };
    const managed = new Set(record[listKey(read.list)] ?? []);
    const plan = planList({
      list: read.list,
      declared: read.declared,
      listed: read.listed,
      managed,
      guards,
      now,
    });
    return { list: read.list, prune: read.declared.prune, plan };
  });

  const errors: string[] = [];
  if (mode === 'apply') {
    const planned = results.flatMap((r) => ('plan' in r ? [r.plan] : []));
    const outcomes = await applyPlans(atlas, planned, { callOptions });
    const byList = new Map(outcomes.map((o) => [listKey(o.list), o]));
    for (const result of results) {
      if ('plan' in result) {
        const outcome = byList.get(listKey(result.list));
        if (outcome) result.outcome = outcome;
      }
    }
    if (usesRecord) {
      const next = nextRecord(record, lists, results);
      if (serialiseManagedEntries(next) !== serialiseManagedEntries(record)) {
        try {
          await options.managed.write(next);
        } catch (error) {
          errors.push(
            `could not save the record of managed entries (${options.managed.location}): ${(error as Error).message}`,
          );
        }
      }
    }
  }

  return buildSyncReport({
    generatedAt,
    mode,
    ...(options.source ? { source: options.source } : {}),
    maxDeletions: guards.maxDeletions,
    maxRemovalShare: limits.maxRemovalShare,
    protect: guards.protect.map((n) => n.key),
    protectedByStack: (guards.stackProtect ?? []).map((n) => n.key),
    staticEgress: guards.staticEgress.map((n) => n.key),
    results,
    errors,
    notes,
  });
}

async function readList(atlas: AccessListAtlas, d: Declared, callOptions: CallOptions): Promise<ReadList> {
  try {
    const entries =
      d.list.kind === 'project'
        ? await Array.fromAsync(atlas.projectAccessList.list({ groupId: d.list.groupId }, callOptions))
        : await Array.fromAsync(
            atlas.serviceAccountAccessList.list(
              { orgId: d.list.orgId, clientId: d.list.clientId },
              callOptions,
            ),
          );
    // Atlas writes the unset identity fields of a service-account entry as null.
    const listed = entries.map(
      (e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== null)) as AccessEntry,
    );
    return { ...d, listed };
  } catch (error) {
    // Refused credentials may be a rotated secret: the session reads it again and reruns the whole sync.
    if (isCredentialRejection(error)) throw error;
    return { ...d, error: changeError(error) };
  }
}

/**
 * The record after an apply, for the managed lists read this run: what the sync owned and is still listed,
 * plus what it added, minus what it removed (or found gone). Lists not read, or no longer managed, keep their
 * entries as they were.
 */
function nextRecord(
  record: ManagedEntries,
  lists: readonly ReadList[],
  results: readonly ListResult[],
): ManagedEntries {
  const next: ManagedEntries = structuredClone(record);
  for (const read of lists) {
    if (read.declared.prune !== 'managed' || 'error' in read) continue;
    const key = listKey(read.list);
    const listed = new Set(read.listed.map(canonicalEntryKey));
    const owned = new Set((record[key] ?? []).filter((entry) => listed.has(entry)));
    const result = results.find((r) => listKey(r.list) === key);
    for (const change of result && 'plan' in result ? (result.outcome?.changes ?? []) : []) {
      if (change.action === 'add' && change.state === 'applied') owned.add(change.key);
      if (change.action === 'remove' && (change.state === 'applied' || change.state === 'alreadyAbsent')) {
        owned.delete(change.key);
      }
    }
    if (owned.size > 0) next[key] = [...owned].sort();
    else delete next[key];
  }
  return next;
}
