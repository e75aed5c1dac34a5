/** What the inventory needs from a place to keep snapshots; shared/aws/snapshot-store.ts implements it (S3, files). */
import type { Snapshot } from './model.ts';

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

/** The inventory's storage: the previous snapshot to diff against, and a place for the new one. */
export interface SnapshotStore {
  /** The snapshot `latest.json` points at; undefined when nothing was ever written. */
  readLatest(): Promise<Snapshot | undefined>;
  /** Writes the snapshot and its renderings, then moves `latest.json` to them. */
  write(snapshot: Snapshot, files: SnapshotFiles): Promise<StoredSnapshot>;
}
