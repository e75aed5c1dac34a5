/**
 * Applies plans to Atlas. Lists are independent: a list that fails does not stop the others, and every
 * change's outcome is recorded. Within a list, adds go first (one POST per 200 entries: Atlas upserts, so a
 * repeat is harmless), then removes one at a time; when an add fails the list's removes are skipped, so an
 * address being replaced never leaves the list before its successor is on it. Writes to one project's list
 * are serialised by the client (Atlas does not support concurrent changes to it).
 */
import { AtlasApiError, type AtlasClient, AtlasValidationError, type CallOptions } from '../atlas/index.ts';
import type { NewProjectAccessListEntry } from '../atlas/resources/project-access-list.ts';
import type { NewServiceAccountAccessListEntry } from '../atlas/resources/service-account-access-list.ts';
import {
  type AccessListRef,
  type ChangeError,
  type ChangeOutcome,
  entryValue,
  type ListPlan,
  type PlannedEntry,
} from './model.ts';

/** What the sync needs of the Atlas client: list, add and delete on both kinds of access list. */
export interface AccessListAtlas {
  projectAccessList: Pick<AtlasClient['projectAccessList'], 'list' | 'add' | 'delete'>;
  serviceAccountAccessList: Pick<AtlasClient['serviceAccountAccessList'], 'list' | 'add' | 'delete'>;
}

/** Entries per POST: the service-account API's limit (the project API names none; the same keeps POSTs small). */
export const MAX_ENTRIES_PER_POST = 200;

/** Lists worked on at once. */
const LIST_CONCURRENCY = 4;

export interface ApplyOptions {
  /** The deadline of every Atlas call. */
  callOptions?: CallOptions;
}

/** The outcomes of one list's changes, in the order they were made. */
export interface ListOutcome {
  list: AccessListRef;
  changes: ChangeOutcome[];
}

/** Applies each plan's adds and removes; never throws for a change that fails (its outcome says so). */
export async function applyPlans(
  atlas: AccessListAtlas,
  plans: readonly ListPlan[],
  options: ApplyOptions = {},
): Promise<ListOutcome[]> {
  return mapWithConcurrency(plans, LIST_CONCURRENCY, async (plan) => ({
    list: plan.list,
    changes: await applyList(atlas, plan, options.callOptions ?? {}),
  }));
}

async function applyList(atlas: AccessListAtlas, plan: ListPlan, callOptions: CallOptions) {
  const outcomes: ChangeOutcome[] = [];
  for (let start = 0; start < plan.add.length; start += MAX_ENTRIES_PER_POST) {
    const chunk = plan.add.slice(start, start + MAX_ENTRIES_PER_POST);
    outcomes.push(...(await addChunk(atlas, plan.list, chunk, callOptions)));
  }
  const addFailed = outcomes.some((outcome) => outcome.state === 'failed');
  for (const change of plan.remove) {
    if (addFailed) {
      outcomes.push({
        action: 'remove',
        ...change,
        state: 'skipped',
        error: { errorCode: 'ADD_FAILED', detail: 'not removed: an add to this list failed' },
      });
      continue;
    }
    outcomes.push(await remove(atlas, plan.list, change, callOptions));
  }
  return outcomes;
}

/**
 * POSTs the chunk. When Atlas refuses it as a whole for one bad entry (a 400 or 409; or our own input check),
 * each entry is POSTed alone, so every change gets its own outcome.
 */
async function addChunk(
  atlas: AccessListAtlas,
  list: AccessListRef,
  chunk: readonly PlannedEntry[],
  callOptions: CallOptions,
): Promise<ChangeOutcome[]> {
  try {
    if (list.kind === 'project') {
      await atlas.projectAccessList.add(
        { groupId: list.groupId, entries: chunk.map((c) => c.entry as NewProjectAccessListEntry) },
        callOptions,
      );
    } else {
      await atlas.serviceAccountAccessList.add(
        {
          orgId: list.orgId,
          clientId: list.clientId,
          entries: chunk.map((c) => c.entry as NewServiceAccountAccessListEntry),
        },
        callOptions,
      );
    }
    return chunk.map((change) => ({ action: 'add', ...change, state: 'applied' }));
  } catch (error) {
    if (chunk.length > 1 && refusesOneEntry(error)) {
      const each: ChangeOutcome[] = [];
      for (const change of chunk) each.push(...(await addChunk(atlas, list, [change], callOptions)));
      return each;
    }
    return chunk.map((change) => ({ action: 'add', ...change, state: 'failed', error: changeError(error) }));
  }
}

async function remove(
  atlas: AccessListAtlas,
  list: AccessListRef,
  change: PlannedEntry,
  callOptions: CallOptions,
): Promise<ChangeOutcome> {
  const value = entryValue(change.entry);
  try {
    if (list.kind === 'project') {
      await atlas.projectAccessList.delete({ groupId: list.groupId, entryValue: value }, callOptions);
    } else {
      await atlas.serviceAccountAccessList.delete(
        { orgId: list.orgId, clientId: list.clientId, ipAddress: value },
        callOptions,
      );
    }
    return { action: 'remove', ...change, state: 'applied' };
  } catch (error) {
    // A 404 (ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND on project lists) is the state the delete asks for, as
    // for the provisioning deletes (shared/operations/delete-outcome.ts).
    if (error instanceof AtlasApiError && error.status === 404) {
      return { action: 'remove', ...change, state: 'alreadyAbsent' };
    }
    return { action: 'remove', ...change, state: 'failed', error: changeError(error) };
  }
}

/** True for a refusal that one bad entry of a multi-entry POST can cause. */
function refusesOneEntry(error: unknown): boolean {
  if (error instanceof AtlasValidationError) return true;
  return error instanceof AtlasApiError && (error.status === 400 || error.status === 409);
}

/** What to record of a failed call: Atlas's status, `errorCode` and `detail`, or the error's name and message. */
export function changeError(error: unknown): ChangeError {
  if (error instanceof AtlasApiError) {
    return { status: error.status, errorCode: error.errorCode, detail: error.detail ?? error.message };
  }
  if (error instanceof AtlasValidationError) {
    return {
      errorCode: 'VALIDATION_ERROR',
      detail: error.problems.map((p) => `${p.field}: ${p.description}`).join('; '),
    };
  }
  if (error instanceof Error) return { errorCode: error.name, detail: error.message };
  return { errorCode: 'UNKNOWN_ERROR', detail: String(error) };
}

/** `fn` over `items`, at most `limit` at a time, results in the order of `items`. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
