/**
 * Reads what the inventory needs from Atlas: the projects in scope, then every dedicated and flex cluster of
 * each, with a fixed number of calls in flight over the client's keep-alive pool. A project that cannot be
 * read is recorded and the run goes on; the run stops scheduling calls before its deadline and says it is
 * partial. One failure is the dedicated list's alone (`isFlexUpgradeRefusal`): the project's flex clusters
 * are still read and kept.
 */
import {
  AtlasApiError,
  AtlasAuthError,
  type AtlasClient,
  AtlasDeadlineError,
  type AtlasError,
  AtlasNetworkError,
  isCredentialRejection,
} from '../atlas/index.ts';
import { InventoryFailedError } from './errors.ts';
import type { InventoryCluster, InventoryDatabaseUser, InventoryProject, ProjectError } from './model.ts';
import { normaliseCluster, normaliseDatabaseUser, normaliseFlexCluster } from './normalise.ts';

export interface CollectOptions {
  atlas: AtlasClient;
  /** Only these organizations' projects (default: every project the credentials can see). */
  orgIds?: readonly string[];
  /** Only these projects (with `orgIds`, projects of those orgs are added to them). */
  projectIds?: readonly string[];
  /** Atlas calls in flight at once. */
  concurrency: number;
  /** Epoch ms after which no new call is started; calls in flight are bounded by it too. */
  deadline?: number;
  /** Called after each project is done (read or failed). */
  onProgress?: (done: number, total: number) => void;
}

export interface Collected {
  /** Projects read, wholly or in part (an error with a `kind` says which list was not read). */
  projects: InventoryProject[];
  clusters: InventoryCluster[];
  /** The database users of the projects read whose user list could be read. */
  databaseUsers: InventoryDatabaseUser[];
  errors: ProjectError[];
  /** True when the deadline stopped the run before every project was read. */
  partial: boolean;
  /** Projects in scope of which nothing was read (failed, or not reached before the deadline). */
  unreadProjectIds: string[];
}

/** Reads projects and clusters; throws `InventoryFailedError` only when nothing could be read. */
export async function collectInventory(options: CollectOptions): Promise<Collected> {
  const { atlas } = options;
  const callOptions = options.deadline === undefined ? {} : { deadline: options.deadline };
  const { projects, errors } = await discoverProjects(options, callOptions);
  if (projects.length === 0 && errors.length > 0) {
    throw new InventoryFailedError(`no project could be read: ${describe(errors[0])}`);
  }

  // One unit of work per list call, so `concurrency` is the number of Atlas calls in flight.
  // The database users are one more call per project: who may connect, for the access findings.
  type Work = { project: InventoryProject; list: 'clusters' | 'flex' | 'databaseUsers' };
  const LISTS = ['clusters', 'flex', 'databaseUsers'] as const;
  const work: Work[] = projects.flatMap((project) => LISTS.map((list) => ({ project, list })));
  const clustersByProject = new Map<string, InventoryCluster[]>();
  const usersByProject = new Map<string, InventoryDatabaseUser[]>();
  /** Projects given up on: nothing of them is kept. */
  const failed = new Map<string, ProjectError>();
  /** Projects of which one list alone could not be read (dedicated clusters, database users): the rest is kept. */
  const listFailed = new Map<string, ProjectError>();
  const remaining = new Map<string, number>(projects.map((p) => [p.id, LISTS.length]));
  let partial = false;
  let done = 0;
  let next = 0;

  const finishOne = (projectId: string) => {
    const left = (remaining.get(projectId) ?? 1) - 1;
    remaining.set(projectId, left);
    if (left === 0) {
      done += 1;
      options.onProgress?.(done, projects.length);
    }
  };

  const worker = async () => {
    for (;;) {
      const item = work[next];
      if (!item) return;
      next += 1;
      if (failed.has(item.project.id)) {
        finishOne(item.project.id);
        continue;
      }
      if (options.deadline !== undefined && Date.now() >= options.deadline) {
        partial = true;
        return;
      }
      try {
        const found: InventoryCluster[] = [];
        if (item.list === 'databaseUsers') {
          const users: InventoryDatabaseUser[] = [];
          for await (const user of atlas.databaseUsers.list({ groupId: item.project.id }, callOptions)) {
            users.push(normaliseDatabaseUser(user, item.project));
          }
          usersByProject.set(item.project.id, users);
        } else if (item.list === 'clusters') {
          for await (const cluster of atlas.clusters.list({ groupId: item.project.id }, callOptions)) {
            found.push(normaliseCluster(cluster, item.project));
          }
        } else {
          for await (const flex of atlas.flexClusters.list({ groupId: item.project.id }, callOptions)) {
            found.push(normaliseFlexCluster(flex, item.project));
          }
        }
        clustersByProject.set(item.project.id, [...(clustersByProject.get(item.project.id) ?? []), ...found]);
      } catch (error) {
        if (error instanceof AtlasDeadlineError) {
          partial = true;
          return;
        }
        if (isAuthFailure(error)) throw error;
        if (item.list === 'clusters' && isFlexUpgradeRefusal(error)) {
          listFailed.set(item.project.id, { ...toProjectError(item.project.id, error), kind: 'dedicated' });
        } else if (item.list === 'databaseUsers' && error instanceof AtlasApiError && error.status === 403) {
          // A role that reads clusters but not users (a custom one): the clusters are kept, the gap recorded.
          listFailed.set(`${item.project.id}#users`, {
            ...toProjectError(item.project.id, error),
            kind: 'databaseUsers',
          });
        } else {
          failed.set(item.project.id, toProjectError(item.project.id, error));
        }
      }
      finishOne(item.project.id);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));

  const readProjects = projects.filter((p) => !failed.has(p.id) && remaining.get(p.id) === 0);
  const readIds = new Set(readProjects.map((p) => p.id));
  if (readProjects.length === 0 && (failed.size > 0 || errors.length > 0)) {
    const first = [...failed.values()][0] ?? errors[0];
    throw new InventoryFailedError(`no project could be read: ${describe(first)}`);
  }
  const byName = (a: InventoryCluster, b: InventoryCluster) =>
    a.projectName.localeCompare(b.projectName) || a.name.localeCompare(b.name);
  return {
    projects: readProjects,
    clusters: readProjects.flatMap((p) => clustersByProject.get(p.id) ?? []).sort(byName),
    databaseUsers: readProjects.flatMap((p) =>
      (usersByProject.get(p.id) ?? []).toSorted((a, b) => a.username.localeCompare(b.username)),
    ),
    errors: [
      ...errors,
      ...failed.values(),
      // A project given up on has its own error; the dedicated list's would only repeat part of it.
      ...[...listFailed.values()].filter((e) => readIds.has(e.projectId)),
    ].sort((a, b) => a.projectId.localeCompare(b.projectId)),
    partial,
    unreadProjectIds: [
      ...errors.map((e) => e.projectId),
      ...projects.filter((p) => !readIds.has(p.id)).map((p) => p.id),
    ],
  };
}

/** The projects in scope: the listed ones, the orgs' ones, or every one the credentials can see. */
async function discoverProjects(
  options: CollectOptions,
  callOptions: { deadline?: number },
): Promise<{ projects: InventoryProject[]; errors: ProjectError[] }> {
  const { atlas } = options;
  const found = new Map<string, InventoryProject>();
  const errors: ProjectError[] = [];
  const keep = (p: { id: string; name: string; orgId: string }) =>
    found.set(p.id, { id: p.id, name: p.name, orgId: p.orgId });

  if (!options.orgIds?.length && !options.projectIds?.length) {
    for await (const project of atlas.projects.list(callOptions)) keep(project);
    return { projects: [...found.values()], errors };
  }
  for (const orgId of options.orgIds ?? []) {
    try {
      for await (const project of atlas.projects.listForOrg({ orgId }, callOptions)) keep(project);
    } catch (error) {
      if (isAuthFailure(error) || error instanceof AtlasDeadlineError) throw error;
      throw new InventoryFailedError(
        `organization ${orgId} could not be read: ${describe(toProjectError(orgId, error))}`,
      );
    }
  }
  for (const groupId of options.projectIds ?? []) {
    if (found.has(groupId)) continue;
    try {
      keep(await atlas.projects.get({ groupId }, callOptions));
    } catch (error) {
      if (isAuthFailure(error) || error instanceof AtlasDeadlineError) throw error;
      errors.push(toProjectError(groupId, error));
    }
  }
  return { projects: [...found.values()], errors };
}

/**
 * Atlas refuses a project's dedicated-cluster list with 400 `CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API` while one
 * of its clusters is being upgraded to flex (reference/atlas-api.md, Addendum 2; the Terraform provider's
 * `IsCannotUseFlexWithClusterApis` and its `TestAccAdvancedCluster_sharedTier_flexUpgrade` failures on
 * `GET /groups/{id}/clusters`; the Atlas CLI's `cannotUseFlexWithClusterApisErrorCode`). The refusal is the
 * dedicated list's only: the flex list still answers.
 */
function isFlexUpgradeRefusal(error: unknown): boolean {
  return (
    error instanceof AtlasApiError &&
    error.status === 400 &&
    error.errorCode === 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API'
  );
}

/**
 * Refused credentials, or a token endpoint that will not issue one, are no project's fault: the whole run
 * fails (and the Atlas session may refetch the secret). A permission 401 (`NOT_IN_GROUP`) is the project's.
 */
function isAuthFailure(error: unknown): boolean {
  return isCredentialRejection(error) || (error instanceof AtlasAuthError && !error.isRetryable);
}

function toProjectError(projectId: string, error: unknown): ProjectError {
  if (error instanceof AtlasApiError) {
    return {
      projectId,
      status: error.status,
      errorCode: error.errorCode,
      detail: error.detail ?? error.message,
    };
  }
  if (error instanceof AtlasNetworkError) {
    return { projectId, status: 0, errorCode: error.code, detail: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { projectId, status: 0, errorCode: (error as AtlasError)?.name ?? 'ERROR', detail: message };
}

function describe(error: ProjectError | undefined): string {
  if (!error) return 'no detail';
  return `${error.projectId}: ${error.status || ''} ${error.errorCode}: ${error.detail}`.replace(/\s+/g, ' ');
}
