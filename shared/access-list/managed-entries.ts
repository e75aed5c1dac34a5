/**
 * The sync's record of the entries it added: what `prune: managed` may remove once they are no longer
 * declared. The record, not the `[atlas-ops]` comment mark, decides: a comment is anyone's to edit.
 * shared/access-list/adapters/access-list-store.ts keeps it as an S3 object beside the desired state, or as a file for the CLI.
 */
import * as z from '../config/zod.ts';
import { ManagedRecordError } from './errors.ts';

/** Canonical keys of the entries the sync added and still owns, by list (`listKey`). */
export type ManagedEntries = Record<string, string[]>;

/** Where the record lives. */
export interface ManagedEntriesStore {
  /** Where it is, for messages (`s3://bucket/key` or a path). */
  readonly location: string;
  /** The record; an empty one when none was written yet. Throws when what is stored is not a record. */
  read(): Promise<ManagedEntries>;
  /** Replaces the record. */
  write(entries: ManagedEntries): Promise<void>;
}

const recordSchema = z.object({
  version: z.literal(1),
  lists: z.record(z.string(), z.array(z.string())),
});

/** The stored text of a record. */
export function serialiseManagedEntries(entries: ManagedEntries): string {
  const lists = Object.fromEntries(
    Object.entries(entries)
      .filter(([, keys]) => keys.length > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([list, keys]) => [list, [...new Set(keys)].sort()]),
  );
  return `${JSON.stringify({ version: 1, lists }, null, 2)}\n`;
}

/** A stored record read back; throws `ManagedRecordError` naming `where` when it is not one. */
export function parseManagedEntries(text: string, where: string): ManagedEntries {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ManagedRecordError(`${where} is not JSON; fix or delete it (it records what the sync added)`);
  }
  const result = recordSchema.safeParse(parsed);
  if (!result.success) {
    throw new ManagedRecordError(
      `${where} is not a managed-entries record (${result.error.issues[0]?.message ?? 'wrong shape'}); fix or delete it`,
    );
  }
  return result.data.lists;
}

/** A store that holds the record in memory: for tests and for runs that must not persist it. */
export class MemoryManagedEntriesStore implements ManagedEntriesStore {
  readonly location = '(memory)';
  entries: ManagedEntries;

  constructor(entries: ManagedEntries = {}) {
    this.entries = entries;
  }

  async read(): Promise<ManagedEntries> {
    return structuredClone(this.entries);
  }

  async write(entries: ManagedEntries): Promise<void> {
    this.entries = structuredClone(entries);
  }
}
