/**
 * The guards between a plan and Atlas, per list and run: no removal of an entry that admits a protected
 * address (the document's `protect`, the stack's `protectedAddresses`) or one of the stack's own static egress
 * addresses; at most `maxDeletions` removals, and at most `maxRemovalShare` of the entries the list holds
 * (over either, the list is refused whole: nothing is added or removed, so a typo in the document, or a
 * placeholder entry under `prune: all` that would replace every entry, changes nothing); and never a list left
 * empty. A refused change is reported with the guard that refused it.
 *
 * The limits come from the stack (context keys, or the CLI's flags): the document may only tighten them — a
 * lower `maxDeletions`, more addresses in `protect` — never loosen them (`guardSettingsFor`).
 */
import { DEFAULT_MAX_DELETIONS } from './desired-state.ts';
import type { AccessListRef, Guard, ListPlan, PlannedEntry, PruneMode, RefusedChange } from './model.ts';
import { type Network, networkOf, networkOfKey, overlaps } from './networks.ts';

/** The default share of one list's entries a run may remove. */
export const DEFAULT_MAX_REMOVAL_SHARE = 0.5;

export interface GuardSettings {
  /** The most removals a run may make on one list. */
  maxDeletions: number;
  /**
   * The largest share (0–1) of the entries a list holds that a run may remove from it. @default
   * DEFAULT_MAX_REMOVAL_SHARE
   */
  maxRemovalShare?: number;
  /** The networks of `protect`. */
  protect: readonly Network[];
  /** The stack's own protected addresses (`protectedAddresses`), whatever the document says. @default none */
  stackProtect?: readonly Network[];
  /** The stack's own static egress addresses (empty when static egress is off). */
  staticEgress: readonly Network[];
}

/** What the stack (context keys; for the CLI, its flags) allows a run of the sync, at most. */
export interface SyncLimits {
  /** The most removals per list and run: the document's `maxDeletions` may be lower, never higher. */
  maxDeletions: number;
  /** The largest share of one list a run may remove (0–1). */
  maxRemovalShare: number;
  /** Addresses and CIDR blocks no run removes, whatever the document's `protect` says. */
  protectedAddresses: readonly string[];
  /** Whether a declared entry may admit the whole internet or most of it (./wide-networks.ts). */
  allowWideNetworks: boolean;
}

export const DEFAULT_SYNC_LIMITS: SyncLimits = {
  maxDeletions: DEFAULT_MAX_DELETIONS,
  maxRemovalShare: DEFAULT_MAX_REMOVAL_SHARE,
  protectedAddresses: [],
  allowWideNetworks: false,
};

/**
 * The guards of a run: the stack's limits, tightened by what the document asks (`maxDeletions`, `protect`),
 * never loosened; `notes` says where the document asked for more than the stack allows.
 *
 * @example guardSettingsFor({ maxDeletions: 50, protect: [] }, { ...DEFAULT_SYNC_LIMITS, maxDeletions: 10 }, [])
 * // settings.maxDeletions 10, notes ["the desired state's maxDeletions (50) is capped at the stack's 10"]
 */
export function guardSettingsFor(
  document: { maxDeletions?: number | undefined; protect: readonly string[] },
  limits: SyncLimits,
  staticEgress: readonly string[],
): { settings: GuardSettings; notes: string[] } {
  const notes: string[] = [];
  let maxDeletions = document.maxDeletions ?? limits.maxDeletions;
  if (maxDeletions > limits.maxDeletions) {
    notes.push(
      `the desired state's maxDeletions (${maxDeletions}) is capped at the stack's ${limits.maxDeletions}`,
    );
    maxDeletions = limits.maxDeletions;
  }
  return {
    settings: {
      maxDeletions,
      maxRemovalShare: limits.maxRemovalShare,
      protect: document.protect.map(networkOf),
      stackProtect: limits.protectedAddresses.map(networkOf),
      staticEgress: staticEgress.map(networkOf),
    },
    notes,
  };
}

/** `0.5` → `50%`. */
export function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/** A plan before the guards: every change the prune mode asks for. */
export interface DraftPlan {
  list: AccessListRef;
  prune: PruneMode;
  add: PlannedEntry[];
  remove: PlannedEntry[];
  keep: PlannedEntry[];
  /** How many distinct entries the list holds now. */
  listedCount: number;
}

/** The draft with every guard applied: what may be done, and what is refused and why. */
export function applyGuards(draft: DraftPlan, settings: GuardSettings): ListPlan {
  const refused: RefusedChange[] = [];
  const remove: PlannedEntry[] = [];
  for (const change of draft.remove) {
    const network = networkOfKey(change.key);
    const protectedBy = settings.protect.find((p) => overlaps(network, p));
    const stackProtected = (settings.stackProtect ?? []).find((p) => overlaps(network, p));
    const egress = settings.staticEgress.find((p) => overlaps(network, p));
    if (protectedBy) {
      refused.push(refuse('remove', change, 'protected', `admits ${protectedBy.key}, which protect names`));
    } else if (stackProtected) {
      refused.push(
        refuse(
          'remove',
          change,
          'protected',
          `admits ${stackProtected.key}, which the stack protects (protectedAddresses)`,
        ),
      );
    } else if (egress) {
      refused.push(
        refuse('remove', change, 'staticEgress', `admits ${egress.key}, an egress address of this stack`),
      );
    } else {
      remove.push(change);
    }
  }

  if (remove.length > settings.maxDeletions) {
    const reason =
      `the list would lose ${remove.length} ${remove.length === 1 ? 'entry' : 'entries'}, more than ` +
      `maxDeletions (${settings.maxDeletions}); ` +
      'nothing on it is changed';
    return refuseList(draft, refused, remove, 'maxDeletions', reason);
  }

  // The lock-out: `prune: all` with one placeholder entry would replace every entry the list holds. Judged on
  // the share of the entries listed now that the run would remove, after the protect and egress guards.
  const share = settings.maxRemovalShare ?? DEFAULT_MAX_REMOVAL_SHARE;
  if (remove.length > 0 && remove.length / draft.listedCount > share) {
    const reason =
      `the run would remove ${remove.length} of the list's ${draft.listedCount} ` +
      `${draft.listedCount === 1 ? 'entry' : 'entries'} (${percent(remove.length / draft.listedCount)}), ` +
      `more than the ${percent(share)} a run may remove (maxRemovalShare); nothing on it is changed`;
    return refuseList(draft, refused, remove, 'removalShare', reason);
  }

  if (remove.length > 0 && draft.listedCount - remove.length + draft.add.length <= 0) {
    const reason = 'removing these entries would leave the list empty';
    return {
      list: draft.list,
      prune: draft.prune,
      add: draft.add,
      remove: [],
      keep: draft.keep,
      refused: [...refused, ...remove.map((change) => refuse('remove', change, 'wouldEmptyList', reason))],
    };
  }

  return { list: draft.list, prune: draft.prune, add: draft.add, remove, keep: draft.keep, refused };
}

/** The list refused whole: nothing added or removed, every change reported with `guard`. */
function refuseList(
  draft: DraftPlan,
  refused: RefusedChange[],
  remove: readonly PlannedEntry[],
  guard: Guard,
  reason: string,
): ListPlan {
  return {
    list: draft.list,
    prune: draft.prune,
    add: [],
    remove: [],
    keep: draft.keep,
    refused: [
      ...refused,
      ...draft.add.map((change) => refuse('add', change, guard, reason)),
      ...remove.map((change) => refuse('remove', change, guard, reason)),
    ],
  };
}

function refuse(action: RefusedChange['action'], change: PlannedEntry, guard: Guard, reason: string) {
  return { action, key: change.key, entry: change.entry, guard, reason };
}
