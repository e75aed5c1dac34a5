/**
 * What changed since the previous run: clusters added, removed, and changed in a fixed list of fields.
 * Pure and deterministic, so the same two snapshots always give the same `Changes`, in the same order.
 */
import type {
  Changes,
  ClusterRef,
  ClusterRegion,
  FieldChange,
  InventoryCluster,
  PreviousSnapshot,
  Snapshot,
} from './model.ts';

/**
 * The fields compared between runs, in the order changes are reported. `id` is here because a cluster
 * deleted and recreated under the same name is the same cluster to a person but a new one to Atlas.
 * Volatile or derived fields (`projectName`, `mongoDBMajorVersion`, `createDate`) are left out: they either
 * follow from a compared field or are not a change to the cluster.
 */
export const COMPARED_FIELDS = [
  'id',
  'stateName',
  'clusterType',
  'mongoDBVersion',
  'paused',
  'backupEnabled',
  'pitEnabled',
  'terminationProtectionEnabled',
  'minimumTlsProtocol',
  'shardCount',
  'regions',
  'tags',
] as const satisfies readonly (keyof InventoryCluster)[];

export type ComparedField = (typeof COMPARED_FIELDS)[number];

function compareText(a: string, b: string): number {
  // Code-unit order, not locale order, so the result never depends on where the run happens.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders clusters (or references to them) by project name, then name, then the rest of the identity. */
export function compareClusterRefs(a: ClusterRef, b: ClusterRef): number {
  return (
    compareText(a.projectName, b.projectName) ||
    compareText(a.name, b.name) ||
    compareText(a.groupId, b.groupId) ||
    compareText(a.kind, b.kind)
  );
}

/** The identity of a cluster across runs: project, kind and name (not `id`, see `COMPARED_FIELDS`). */
export function clusterKey(cluster: Pick<InventoryCluster, 'groupId' | 'kind' | 'name'>): string {
  return JSON.stringify([cluster.groupId, cluster.kind, cluster.name]);
}

function refOf(cluster: InventoryCluster): ClusterRef {
  return {
    groupId: cluster.groupId,
    projectName: cluster.projectName,
    name: cluster.name,
    kind: cluster.kind,
  };
}

function regionKey(region: ClusterRegion): string {
  return JSON.stringify([
    region.provider,
    region.region,
    region.instanceSize,
    region.electableNodes,
    region.readOnlyNodes,
    region.analyticsNodes,
    region.zoneName ?? null,
  ]);
}

/** Regions in a canonical order, so that a reordering by Atlas is not reported as a change. */
function canonicalRegions(regions: readonly ClusterRegion[] | undefined): ClusterRegion[] {
  return [...(regions ?? [])].sort((a, b) => compareText(regionKey(a), regionKey(b)));
}

/** Tags with their keys in a canonical order. */
function canonicalTags(tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).sort(([a], [b]) => compareText(a, b)));
}

/**
 * The value of a compared field in a form where equal means "the same to a person". Absent values become
 * `null` so that a change from or to "not set" survives JSON (which drops `undefined`).
 */
function comparable(cluster: InventoryCluster, field: ComparedField): unknown {
  if (field === 'regions') return canonicalRegions(cluster.regions);
  if (field === 'tags') return canonicalTags(cluster.tags);
  return cluster[field] ?? null;
}

function fieldChanges(before: InventoryCluster, after: InventoryCluster): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of COMPARED_FIELDS) {
    const was = comparable(before, field);
    const now = comparable(after, field);
    // Canonical forms hold only strings, numbers, booleans, null, arrays and key-ordered objects,
    // so their JSON is equal exactly when the values are.
    if (JSON.stringify(was) !== JSON.stringify(now)) changes.push({ field, before: was, after: now });
  }
  return changes;
}

/**
 * Compares the clusters of the previous snapshot with the current ones.
 * Without a previous snapshot this is the first run: nothing is reported as added.
 * Lists are sorted by project name, then cluster name.
 */
export function diffSnapshots(
  previous: Pick<Snapshot, 'clusters'> | undefined,
  current: readonly InventoryCluster[],
): Changes {
  if (previous === undefined) return { added: [], removed: [], changed: [], firstRun: true };

  const before = new Map(previous.clusters.map((cluster) => [clusterKey(cluster), cluster]));
  const after = new Map(current.map((cluster) => [clusterKey(cluster), cluster]));

  const added: ClusterRef[] = [];
  const changed: Changes['changed'] = [];
  for (const [key, cluster] of after) {
    const old = before.get(key);
    if (old === undefined) {
      added.push(refOf(cluster));
      continue;
    }
    const fields = fieldChanges(old, cluster);
    if (fields.length > 0) changed.push({ ...refOf(cluster), fields });
  }
  const removed = [...before].filter(([key]) => !after.has(key)).map(([, cluster]) => refOf(cluster));

  return {
    added: added.sort(compareClusterRefs),
    removed: removed.sort(compareClusterRefs),
    changed: changed.sort(compareClusterRefs),
    firstRun: false,
  };
}

/** What `diffRuns` needs of a run: its clusters and what it could not read. */
export type RunCoverage = Pick<
  PreviousSnapshot,
  'clusters' | 'partial' | 'projects' | 'errors' | 'unreadProjectIds'
>;

/** Whether a run read one project's list of dedicated or flex clusters to the end. */
export type ReadScope = (groupId: string, kind: InventoryCluster['kind']) => boolean;

/**
 * The cluster lists a run read to the end. Not read: the projects in `unreadProjectIds`, the projects of
 * `errors` without a `kind`, and the one list of an error with a `kind` (the other list of that project
 * was read). A snapshot written before `unreadProjectIds` existed says which projects failed (`errors`) but,
 * when it is `partial`, not which it did not reach: then only the projects it lists count as read, so the
 * clusters of a project created since are not reported as added, once — better than reporting every cluster
 * of every project it did not reach.
 */
export function readScope(run: Omit<RunCoverage, 'clusters'>): ReadScope {
  const unreadProjects = new Set(run.unreadProjectIds ?? []);
  const unreadLists = new Set<string>();
  for (const error of run.errors) {
    if (error.kind === undefined) unreadProjects.add(error.projectId);
    else unreadLists.add(JSON.stringify([error.projectId, error.kind]));
  }
  const onlyListed =
    run.unreadProjectIds === undefined && run.partial ? new Set(run.projects.map((p) => p.id)) : undefined;
  return (groupId, kind) =>
    !unreadProjects.has(groupId) &&
    !unreadLists.has(JSON.stringify([groupId, kind])) &&
    (onlyListed === undefined || onlyListed.has(groupId));
}

/**
 * What changed between two runs, comparing only the cluster lists both read to the end: a list one of them
 * could not read (a failed project, a project a partial run did not reach) says nothing about its clusters,
 * so they are neither "removed" (not read now) nor "added" (not read before). A project whose dedicated list
 * Atlas refused while a cluster was upgraded to flex (collect.ts) has its dedicated clusters left out the
 * same way, while its flex clusters, which were read, compare as usual. The price: a change that happens
 * while its list is unread is reported on no run (the next run compares with the run that did not read it).
 */
export function diffRuns(previous: RunCoverage | undefined, current: RunCoverage): Changes {
  if (previous === undefined) return diffSnapshots(undefined, current.clusters);
  const readBefore = readScope(previous);
  const readNow = readScope(current);
  const readByBoth = (cluster: InventoryCluster) =>
    readBefore(cluster.groupId, cluster.kind) && readNow(cluster.groupId, cluster.kind);
  return diffSnapshots(
    { clusters: previous.clusters.filter(readByBoth) },
    current.clusters.filter(readByBoth),
  );
}
