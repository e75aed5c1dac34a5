/**
 * The guards between a plan and Atlas, per list and run: no removal of an entry that admits a protected
 * address or one of the stack's own static egress addresses; at most `maxDeletions` removals (over it, the
 * list is refused whole: nothing is added or removed, so a typo in the document changes nothing); and never a
 * list left empty. A refused change is reported with the guard that refused it.
 */
import type { AccessListRef, Guard, ListPlan, PlannedEntry, PruneMode, RefusedChange } from './model.ts';
import { type Network, networkOfKey, overlaps } from './networks.ts';

export interface GuardSettings {
  /** The most removals a run may make on one list. */
  maxDeletions: number;
  /** The networks of `protect`. */
  protect: readonly Network[];
  /** The stack's own static egress addresses (empty when static egress is off). */
  staticEgress: readonly Network[];
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
    const egress = settings.staticEgress.find((p) => overlaps(network, p));
    if (protectedBy) {
      refused.push(refuse('remove', change, 'protected', `admits ${protectedBy.key}, which protect names`));
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
    return {
      list: draft.list,
      prune: draft.prune,
      add: [],
      remove: [],
      keep: draft.keep,
      refused: [
        ...refused,
        ...draft.add.map((change) => refuse('add', change, 'maxDeletions', reason)),
        ...remove.map((change) => refuse('remove', change, 'maxDeletions', reason)),
      ],
    };
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

function refuse(action: RefusedChange['action'], change: PlannedEntry, guard: Guard, reason: string) {
  return { action, key: change.key, entry: change.entry, guard, reason };
}
