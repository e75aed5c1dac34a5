/** What the inventory needs from a place to keep snapshots; shared/inventory/adapters/snapshot-store.ts implements it (S3, files). */
import type { PreviousSnapshot, Snapshot } from './model.ts';

/** Where one written snapshot went. */
export interface StoredSnapshot {
  /** The run's folder: `s3://bucket/prefix/YYYY/MM/DD/<run>/` or an absolute directory. */
  location: string;
  /** S3 keys (S3) or absolute file paths (files). */
  keys: { json: string; csv?: string; html?: string };
}

/** The renderings to store beside the snapshot (the snapshot itself is always stored: the next run reads it). */
export interface SnapshotFiles {
  csv?: string;
  html?: string;
}

/** The newest snapshot, or why there is none to compare with. */
export interface LatestSnapshot {
  /** Undefined before the first run, and when the snapshot `latest.json` points at cannot be used. */
  snapshot: PreviousSnapshot | undefined;
  /**
   * Why a snapshot that should be there could not be used (expired, deleted, not JSON, not a snapshot, or a
   * `latest.json` that is none of these): one sentence each, for the run to log and record. Empty otherwise.
   */
  warnings: string[];
}

/** The inventory's storage: the previous snapshot to diff against, and a place for the new one. */
export interface SnapshotStore {
  /**
   * The snapshot `latest.json` points at. A missing or unusable one is no error (the run goes on as a first
   * run, with `warnings`); a storage failure (access denied, throttled, unreachable) is, so a run never
   * mistakes an outage for a fresh start.
   */
  readLatest(): Promise<LatestSnapshot>;
  /** Writes the snapshot and its renderings, then moves `latest.json` to them. */
  write(snapshot: Snapshot, files: SnapshotFiles): Promise<StoredSnapshot>;
}
