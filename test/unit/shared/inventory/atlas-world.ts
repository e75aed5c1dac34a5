/**
 * A mock Atlas that serves what the inventory reads (projects, dedicated and flex clusters, one page each)
 * from a plain object the test may change between runs, with scripted Atlas errors per list.
 */
import type { Cluster } from '../../../../shared/atlas/resources/clusters.ts';
import type { DatabaseUser } from '../../../../shared/atlas/resources/database-users.ts';
import type { FlexCluster } from '../../../../shared/atlas/resources/flex-clusters.ts';
import type { InventoryProject } from '../../../../shared/inventory/model.ts';
import { JSON_HEADERS, type MockAtlas, mockAtlas } from '../../../support/mock-atlas.ts';
import { ANALYTICS, flex, PAYMENTS, replicaSet, tenant } from './fixtures.ts';

const API = '/api/atlas/v2';

/** An Atlas error answer for the next `times` calls to one list (path after `/api/atlas/v2`, no query). */
export interface ListFault {
  path: string;
  status: number;
  errorCode: string;
  times?: number;
}

export interface AtlasWorld {
  projects: InventoryProject[];
  clusters: Cluster[];
  flexClusters: FlexCluster[];
  /** Each with its project's `groupId`. */
  databaseUsers: (DatabaseUser & { groupId: string })[];
  faults: ListFault[];
}

export const clustersPath = (groupId: string) => `/groups/${groupId}/clusters`;
export const flexClustersPath = (groupId: string) => `/groups/${groupId}/flexClusters`;
export const databaseUsersPath = (groupId: string) => `/groups/${groupId}/databaseUsers`;

/** A mock Atlas answering from `world` (data read at every call, faults taken once), one attempt per call. */
export function atlasWorld(world: AtlasWorld): MockAtlas {
  const atlas = mockAtlas({ retry: { maxAttempts: 1 } });
  const faults = world.faults.map((fault) => ({ ...fault, times: fault.times ?? 1 }));
  atlas.pool
    .intercept({ path: (path) => path.startsWith(`${API}/groups`), method: 'GET' })
    .reply((request) => {
      const path = String(request.path).split('?')[0]?.slice(API.length) ?? '';
      const fault = faults.find((f) => f.path === path && f.times > 0);
      if (fault) {
        fault.times -= 1;
        const body = { error: fault.status, errorCode: fault.errorCode, detail: `${fault.errorCode} here` };
        return {
          statusCode: fault.status,
          data: JSON.stringify(body),
          responseOptions: { headers: JSON_HEADERS },
        };
      }
      const page = (results: unknown[]) => ({
        statusCode: 200,
        data: JSON.stringify({ results }),
        responseOptions: { headers: JSON_HEADERS },
      });
      if (path === '/groups') {
        return page(world.projects.map((p) => ({ ...p, clusterCount: 0, created: '2024-01-01T00:00:00Z' })));
      }
      const list = /^\/groups\/([0-9a-f]{24})\/(clusters|flexClusters|databaseUsers)$/.exec(path);
      if (!list) return { statusCode: 404, data: '{}', responseOptions: { headers: JSON_HEADERS } };
      const lists: Record<string, { groupId?: string }[]> = {
        clusters: world.clusters,
        flexClusters: world.flexClusters,
        databaseUsers: world.databaseUsers,
      };
      const source = lists[list[2] ?? ''] ?? [];
      return page(source.filter((c) => c.groupId === list[1]));
    })
    .persist();
  return atlas;
}

/** Two projects (payments, analytics) with a replica set, a tenant and a flex cluster, and no faults. */
export function world(overrides: Partial<AtlasWorld> = {}): AtlasWorld {
  return {
    projects: [PAYMENTS, ANALYTICS],
    clusters: [replicaSet, tenant],
    flexClusters: [flex],
    databaseUsers: [],
    faults: [],
    ...overrides,
  };
}
