/**
 * The access-list sync's model: which lists it manages, the plan for each (add / remove / keep / refused by a
 * guard), what applying it did, and the report of a run. Plain data, so a report is JSON as it stands.
 */

/** How far a list may be pruned: `none` never removes; `managed` removes what the sync added; `all` removes every undeclared entry. */
export type PruneMode = 'none' | 'managed' | 'all';

export const PRUNE_MODES = ['none', 'managed', 'all'] as const satisfies readonly PruneMode[];

/** `plan` reports drift and changes nothing; `apply` makes the changes the guards allow. */
export type SyncMode = 'plan' | 'apply';

export const SYNC_MODES = ['plan', 'apply'] as const satisfies readonly SyncMode[];

/** One access list: a project's IP access list, or a service account's API access list. */
export type AccessListRef =
  | { kind: 'project'; groupId: string }
  | { kind: 'serviceAccount'; orgId: string; clientId: string };

/**
 * An access-list entry: exactly one of `ipAddress`, `cidrBlock` and `awsSecurityGroup` (a security group only
 * on project lists), with a comment and an expiry on project lists.
 */
export interface AccessEntry {
  ipAddress?: string;
  cidrBlock?: string;
  awsSecurityGroup?: string;
  comment?: string;
  deleteAfterDate?: string;
}

/** An entry of a plan, with the canonical key it is compared by (shared/access-list/canonical-entry.ts). */
export interface PlannedEntry {
  key: string;
  /** To add: the entry as it is sent. To remove or keep: the entry as Atlas lists it. */
  entry: AccessEntry;
}

/**
 * What stopped a change: `protected` (the entry admits an address in `protect` or the stack's
 * `protectedAddresses`), `staticEgress` (it admits one of the stack's own egress addresses), `maxDeletions`
 * (the list would lose more entries than allowed: the whole list is refused), `removalShare` (the run would
 * remove more than the allowed share of the entries the list holds, the lock-out: the whole list is refused)
 * and `wouldEmptyList` (nothing would be left on the list).
 */
export type Guard = 'protected' | 'staticEgress' | 'maxDeletions' | 'removalShare' | 'wouldEmptyList';

export type ChangeAction = 'add' | 'remove';

/** A change a guard refused, and why. */
export interface RefusedChange extends PlannedEntry {
  action: ChangeAction;
  guard: Guard;
  reason: string;
}

/** The plan for one list: what to add and remove, what stays, and what a guard refused. */
export interface ListPlan {
  list: AccessListRef;
  prune: PruneMode;
  add: PlannedEntry[];
  remove: PlannedEntry[];
  keep: PlannedEntry[];
  refused: RefusedChange[];
}

/** What Atlas said when a call failed: its status and `errorCode` when it answered, else the error's name. */
export interface ChangeError {
  status?: number;
  errorCode: string;
  detail: string;
}

/**
 * What became of one change: `applied`; `alreadyAbsent` (a remove that found the entry gone: the state asked
 * for); `failed`; or `skipped` (a remove not tried because an add to the same list failed, so a replacement
 * address never leaves the list without its successor).
 */
export type ChangeOutcomeState = 'applied' | 'alreadyAbsent' | 'failed' | 'skipped';

export interface ChangeOutcome extends PlannedEntry {
  action: ChangeAction;
  state: ChangeOutcomeState;
  error?: ChangeError;
}

/** Where a list stands after the run. */
export type ListStatus = 'inSync' | 'drift' | 'applied' | 'refused' | 'failed' | 'unreadable';

/** One change in a report: planned (plan mode), its outcome (apply mode), or refused. */
export interface ReportedChange extends PlannedEntry {
  action: ChangeAction;
  state: 'planned' | 'refused' | ChangeOutcomeState;
  guard?: Guard;
  reason?: string;
  error?: ChangeError;
}

/** One list in a report. */
export interface ListReport {
  list: AccessListRef;
  /** `project <groupId>` or `service account <clientId> (org <orgId>)`. */
  name: string;
  prune: PruneMode;
  status: ListStatus;
  changes: ReportedChange[];
  /** The listed entries that stay (declared, or not the sync's to remove). */
  keep: PlannedEntry[];
  /** Why the list could not be read (nothing was planned for it). */
  error?: ChangeError;
}

export interface SyncTotals {
  lists: number;
  /** Lists whose entries differ from the declared state (something to add, remove, or refused). */
  listsInDrift: number;
  listsUnreadable: number;
  /** Entries added (apply mode) or to add (plan mode). */
  added: number;
  /** Entries removed (apply mode) or to remove (plan mode). */
  removed: number;
  refused: number;
  /** Changes that failed or were skipped, lists that could not be read, and run-level errors. */
  failed: number;
}

/** The report of one run: JSON as it stands, rendered as a short table by `renderSyncReport`. */
export interface SyncReport {
  generatedAt: string;
  mode: SyncMode;
  /** Where the desired state came from (S3 URI or file path) and, for S3, its version. */
  source?: { location: string; versionId?: string };
  /** The most removals per list: the document's, capped at the stack's (see `notes`). */
  maxDeletions: number;
  /** The largest share of one list's entries the run could remove (the stack's). */
  maxRemovalShare: number;
  /** The canonical networks no run removes: `protect`, the stack's protected addresses, its static egress. */
  protect: string[];
  protectedByStack: string[];
  staticEgress: string[];
  /** Where the document asked for more than the stack allows, and what was used instead. */
  notes: string[];
  lists: ListReport[];
  totals: SyncTotals;
  /** What went wrong outside any one list (the managed-entries record could not be saved, …). */
  errors: string[];
}

/** The key a list is recorded under: `project:<groupId>`, `serviceAccount:<orgId>/<clientId>`. */
export function listKey(list: AccessListRef): string {
  return list.kind === 'project'
    ? `project:${list.groupId}`
    : `serviceAccount:${list.orgId}/${list.clientId}`;
}

/** The list as people name it. */
export function listName(list: AccessListRef): string {
  return list.kind === 'project'
    ? `project ${list.groupId}`
    : `service account ${list.clientId} (org ${list.orgId})`;
}

/**
 * The value that names a listed entry in a DELETE path: its address when it has one (Atlas lists an address
 * entry with its `/32` block too, and accepts either), else its CIDR block or security group.
 */
export function entryValue(entry: AccessEntry): string {
  return entry.ipAddress ?? entry.cidrBlock ?? entry.awsSecurityGroup ?? '';
}

/** The entry as one short text: its address, block or security group, and its comment. */
export function describeEntry(entry: AccessEntry): string {
  const value = entryValue(entry);
  return entry.comment ? `${value} (${entry.comment})` : value;
}
