/**
 * One inventory run, the same in Lambda, the local stack and the CLI: read the previous snapshot, collect,
 * diff, check the rules, render, and store — the pointer to the newest snapshot last. Safe to run again after
 * a failure: a failed run never moves the pointer, so the retry compares with the last complete run.
 */
import type { AtlasClient } from '../atlas/index.ts';
import { collectInventory } from './collect.ts';
import { diffRuns } from './diff.ts';
import { evaluateFindings, type FindingRules } from './findings.ts';
import type { Snapshot } from './model.ts';
import { renderClustersCsv } from './render-csv.ts';
import { renderHtmlReport } from './render-html.ts';
import type { SnapshotStore, StoredSnapshot } from './snapshot-store.ts';

export interface InventoryScope {
  orgIds?: readonly string[];
  projectIds?: readonly string[];
  /** Atlas calls in flight at once. */
  concurrency: number;
  rules: FindingRules;
}

export interface InventoryJob extends InventoryScope {
  atlas: AtlasClient;
  store: SnapshotStore;
  /** Epoch ms by which collecting must stop, leaving time to write (see `deadlineFromLambdaContext`). */
  deadline?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Told each warning as it arises (e.g. an unusable previous snapshot), before the Atlas calls; the
   * warnings are in `snapshot.warnings` too.
   */
  onWarning?: (warning: string) => void;
  now?: () => Date;
  /** Which renderings to store beside the snapshot. Default: both. */
  formats?: { csv: boolean; html: boolean };
}

export interface InventoryResult {
  snapshot: Snapshot;
  stored: StoredSnapshot;
}

export async function runInventory(job: InventoryJob): Promise<InventoryResult> {
  const started = Date.now();
  const before = { ...job.atlas.stats };
  // Read the previous snapshot first: if the store cannot be read, fail before spending Atlas calls. One
  // that is gone or unusable is no failure: this run is then a first run, and says so.
  const { snapshot: previous, warnings } = await job.store.readLatest();
  for (const warning of warnings) job.onWarning?.(warning);
  const collected = await collectInventory({
    atlas: job.atlas,
    concurrency: job.concurrency,
    ...(job.orgIds ? { orgIds: job.orgIds } : {}),
    ...(job.projectIds ? { projectIds: job.projectIds } : {}),
    ...(job.deadline === undefined ? {} : { deadline: job.deadline }),
    ...(job.onProgress ? { onProgress: job.onProgress } : {}),
  });
  const snapshot: Snapshot = {
    generatedAt: (job.now?.() ?? new Date()).toISOString(),
    source: { baseUrl: job.atlas.baseUrl },
    partial: collected.partial,
    warnings,
    projects: collected.projects,
    clusters: collected.clusters,
    databaseUsers: collected.databaseUsers,
    errors: collected.errors,
    unreadProjectIds: collected.unreadProjectIds,
    findings: evaluateFindings(collected.clusters, job.rules, collected.databaseUsers),
    // Only what this run and the previous one both read is compared (see diffRuns).
    changes: diffRuns(previous, collected),
    stats: {
      atlasCalls: job.atlas.stats.requests - before.requests,
      retries: job.atlas.stats.retries - before.retries,
      throttled: job.atlas.stats.throttled - before.throttled,
      durationMs: Date.now() - started,
    },
  };
  const formats = job.formats ?? { csv: true, html: true };
  const stored = await job.store.write(snapshot, {
    ...(formats.csv ? { csv: renderClustersCsv(snapshot) } : {}),
    ...(formats.html ? { html: renderHtmlReport(snapshot) } : {}),
  });
  return { snapshot, stored };
}
