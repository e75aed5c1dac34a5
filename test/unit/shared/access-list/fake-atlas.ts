/**
 * An in-memory Atlas for the sync's unit tests: both kinds of access list, set-like adds, deletes that answer
 * 404 for an absent entry, a log of every write, and scripted failures.
 */
import type { AccessListAtlas } from '../../../../shared/access-list/apply.ts';
import { canonicalEntryKey } from '../../../../shared/access-list/canonical-entry.ts';
import type { AccessEntry } from '../../../../shared/access-list/model.ts';
import { AtlasApiError } from '../../../../shared/atlas/index.ts';

export interface FakeCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** `project:<groupId>` or `serviceAccount:<orgId>/<clientId>`. */
  list: string;
  entries?: AccessEntry[];
  value?: string;
}

/** Decides whether a call fails: return the error to throw, or undefined to let it through. */
export type FailureRule = (call: FakeCall) => Error | undefined;

export function atlasError(status: number, errorCode: string, method = 'POST'): AtlasApiError {
  return new AtlasApiError({ status, errorCode, detail: `${errorCode} happened`, method, path: '/fake' });
}

export class FakeAtlas implements AccessListAtlas {
  readonly lists = new Map<string, AccessEntry[]>();
  readonly calls: FakeCall[] = [];
  readonly failures: FailureRule[] = [];

  /** Sets a project's list (addresses get their `/32` block, as Atlas lists them). */
  project(groupId: string, entries: AccessEntry[]): this {
    this.lists.set(`project:${groupId}`, entries.map(asListedByProject));
    return this;
  }

  account(orgId: string, clientId: string, entries: AccessEntry[]): this {
    this.lists.set(`serviceAccount:${orgId}/${clientId}`, [...entries]);
    return this;
  }

  /** The canonical keys listed now. */
  keys(list: string): string[] {
    return (this.lists.get(list) ?? []).map((e) => canonicalEntryKey(e) ?? '');
  }

  writes(): FakeCall[] {
    return this.calls.filter((c) => c.method !== 'GET');
  }

  readonly projectAccessList: AccessListAtlas['projectAccessList'] = {
    list: (params) => this.#list(`project:${params.groupId}`),
    add: async (params) => {
      this.#add(`project:${params.groupId}`, params.entries, asListedByProject);
      return { results: [] };
    },
    delete: async (params) => this.#delete(`project:${params.groupId}`, params.entryValue),
  };

  readonly serviceAccountAccessList: AccessListAtlas['serviceAccountAccessList'] = {
    list: (params) => this.#list(`serviceAccount:${params.orgId}/${params.clientId}`),
    add: async (params) => {
      this.#add(`serviceAccount:${params.orgId}/${params.clientId}`, params.entries, (e) => ({ ...e }));
      return { results: [] };
    },
    delete: async (params) =>
      this.#delete(`serviceAccount:${params.orgId}/${params.clientId}`, params.ipAddress),
  };

  #check(call: FakeCall): void {
    this.calls.push(call);
    for (const rule of this.failures) {
      const error = rule(call);
      if (error) throw error;
    }
  }

  async *#list(list: string): AsyncGenerator<AccessEntry> {
    this.#check({ method: 'GET', list });
    const entries = this.lists.get(list);
    if (!entries) throw atlasError(404, 'GROUP_NOT_FOUND', 'GET');
    yield* entries.map((e) => ({ ...e }));
  }

  #add(list: string, sent: AccessEntry[], stored: (entry: AccessEntry) => AccessEntry): void {
    this.#check({ method: 'POST', list, entries: sent.map((e) => ({ ...e })) });
    const current = this.lists.get(list) ?? [];
    for (const entry of sent.map(stored)) {
      const at = current.findIndex((e) => canonicalEntryKey(e) === canonicalEntryKey(entry));
      if (at >= 0) current[at] = entry;
      else current.push(entry);
    }
    this.lists.set(list, current);
  }

  #delete(list: string, value: string): void {
    this.#check({ method: 'DELETE', list, value });
    const current = this.lists.get(list) ?? [];
    const key = canonicalEntryKey(
      value.startsWith('sg-') ? { awsSecurityGroup: value } : { cidrBlock: value },
    );
    const at = current.findIndex((e) => canonicalEntryKey(e) === key);
    if (at < 0) throw atlasError(404, 'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND', 'DELETE');
    current.splice(at, 1);
  }
}

function asListedByProject(entry: AccessEntry): AccessEntry {
  return entry.ipAddress && !entry.cidrBlock
    ? { ...entry, cidrBlock: `${entry.ipAddress}/32` }
    : { ...entry };
}
