/**
 * The plan for one list: the declared entries compared with the listed ones in canonical form (an address and
 * its `/32` are one entry; a declared entry already listed is left alone, whatever its comment), what the prune
 * mode lets go, then the guards (./guards.ts).
 *
 * - `none`: adds what is missing, removes nothing.
 * - `managed`: also removes the listed entries this sync added earlier (the managed-entries record) that are
 *   no longer declared; entries it adds to a project list carry `[atlas-ops]` in their comment.
 * - `all`: also removes every listed entry not declared.
 *
 * A declared temporary entry whose `deleteAfterDate` has passed is no longer declared: Atlas has removed it
 * (or will), and adding it again would be refused (EXPIRATION_DATE_IN_PAST).
 */
import { canonicalEntryKey } from './canonical-entry.ts';
import { type DeclaredList, MANAGED_COMMENT_MARK } from './desired-state.ts';
import { applyGuards, type GuardSettings } from './guards.ts';
import type { AccessEntry, AccessListRef, ListPlan, PlannedEntry } from './model.ts';

export interface PlanListInput {
  list: AccessListRef;
  declared: DeclaredList;
  /** The list as Atlas returns it now (every page). */
  listed: readonly AccessEntry[];
  /** Canonical keys of the entries the sync added to this list earlier and still owns. */
  managed: ReadonlySet<string>;
  guards: GuardSettings;
  /** Epoch ms: what "expired" is measured against. */
  now: number;
}

/** The guarded plan for one list. */
export function planList(input: PlanListInput): ListPlan {
  const { declared, now } = input;
  const wanted = new Map<string, AccessEntry>();
  for (const entry of declared.entries as readonly AccessEntry[]) {
    if (entry.deleteAfterDate !== undefined && Date.parse(entry.deleteAfterDate) <= now) continue;
    const key = canonicalEntryKey(entry);
    if (key !== undefined && !wanted.has(key)) wanted.set(key, entry);
  }
  const listed = new Map<string, AccessEntry>();
  for (const entry of input.listed) {
    const key = canonicalEntryKey(entry);
    if (key !== undefined && !listed.has(key)) listed.set(key, identityOf(entry));
  }

  const add: PlannedEntry[] = [];
  for (const [key, entry] of wanted) {
    if (!listed.has(key)) add.push({ key, entry: toSend(input.list, declared.prune, entry) });
  }
  const keep: PlannedEntry[] = [];
  const remove: PlannedEntry[] = [];
  for (const [key, entry] of listed) {
    const removable =
      !wanted.has(key) &&
      (declared.prune === 'all' || (declared.prune === 'managed' && input.managed.has(key)));
    (removable ? remove : keep).push({ key, entry });
  }
  return applyGuards(
    { list: input.list, prune: declared.prune, add, remove, keep, listedCount: listed.size },
    input.guards,
  );
}

/** A listed entry reduced to what the plan shows: its identity, comment and expiry. */
function identityOf(entry: AccessEntry): AccessEntry {
  return {
    ...(entry.ipAddress ? { ipAddress: entry.ipAddress } : {}),
    ...(entry.cidrBlock ? { cidrBlock: entry.cidrBlock } : {}),
    ...(entry.awsSecurityGroup ? { awsSecurityGroup: entry.awsSecurityGroup } : {}),
    ...(entry.comment ? { comment: entry.comment } : {}),
    ...(entry.deleteAfterDate ? { deleteAfterDate: entry.deleteAfterDate } : {}),
  };
}

/** The entry as the POST sends it: on a managed project list, its comment carries the sync's mark. */
function toSend(list: AccessListRef, prune: DeclaredList['prune'], entry: AccessEntry): AccessEntry {
  if (list.kind === 'serviceAccount') {
    return entry.ipAddress ? { ipAddress: entry.ipAddress } : { cidrBlock: entry.cidrBlock ?? '' };
  }
  const sent = identityOf(entry);
  if (prune === 'managed') sent.comment = markedComment(entry.comment);
  return sent;
}

/** `office VPN` → `office VPN [atlas-ops]`; none → `[atlas-ops]`. */
export function markedComment(comment: string | undefined): string {
  return comment ? `${comment} ${MANAGED_COMMENT_MARK}` : MANAGED_COMMENT_MARK;
}
