/**
 * Global Cluster configuration (2024-08-05): managed sharded namespaces and custom zone mappings.
 * In this version `customZoneMapping` maps a location to a replication spec's `zoneId` (older versions used
 * the replication spec `id`).
 */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp } from '../http.ts';
import { defineOperation } from '../operation.ts';
import { clusterName, objectId } from '../validation.ts';

/** `ManagedNamespaces`: a collection that Atlas shards by location. */
export interface ManagedNamespace {
  db: string;
  collection: string;
  customShardKey: string;
  isCustomShardKeyHashed?: boolean;
  isShardKeyUnique?: boolean;
  numInitialChunks?: number;
  presplitHashedZones?: boolean;
}

/** `GeoSharding20240805`. Every field is optional in the spec. */
export interface GeoSharding {
  /** Location code (ISO 3166-1 alpha-2, with a subdivision where possible, e.g. `US-VA`) to zone id. */
  customZoneMapping?: Record<string, string>;
  managedNamespaces?: ManagedNamespace[];
  /** True when the shards are managed by you, not by Atlas. */
  selfManagedSharding?: boolean;
}

/** `ZoneMapping`: a location and the zone **name** it should be served from. */
export interface ZoneMapping {
  location: string;
  zone: string;
}

export interface GlobalClusterParams {
  groupId: string;
  clusterName: string;
}

const required = z.string().check(z.minLength(1, 'must not be empty'));

const newManagedNamespace = z.strictObject({
  db: required,
  collection: required,
  customShardKey: required,
  isCustomShardKeyHashed: z.optional(z.boolean()),
  isShardKeyUnique: z.optional(z.boolean()),
  numInitialChunks: z.optional(z.int().check(z.gte(0), z.lte(8192, 'must be at most 8192'))),
  presplitHashedZones: z.optional(z.boolean()),
});

const zoneMapping = z.strictObject({ location: required, zone: required });

const VERSION = '2024-08-05';
const PATH = '/groups/{groupId}/clusters/{clusterName}/globalWrites';
const cluster = { groupId: objectId, clusterName };

export const getGlobalWrites = defineOperation<GlobalClusterParams, GeoSharding>({
  name: 'getGroupClusterGlobalWrites',
  method: 'GET',
  path: PATH,
  version: VERSION,
  params: z.object(cluster),
});

export const addManagedNamespace = defineOperation<
  GlobalClusterParams & { namespace: ManagedNamespace },
  GeoSharding
>({
  name: 'createGroupClusterGlobalWriteManagedNamespace',
  method: 'POST',
  path: `${PATH}/managedNamespaces`,
  version: VERSION,
  params: z.object({ ...cluster, namespace: newManagedNamespace }),
  body: (params) => params.namespace,
  // Not retrySafe: a repeat of a create that did succeed would fail, and hide that it had.
});

export const removeManagedNamespace = defineOperation<
  GlobalClusterParams & { db: string; collection: string },
  GeoSharding
>({
  name: 'deleteGroupClusterGlobalWriteManagedNamespaces',
  method: 'DELETE',
  path: `${PATH}/managedNamespaces`,
  version: VERSION,
  // Optional in the spec, but without both Atlas cannot tell which namespace is meant.
  params: z.object({ ...cluster, db: required, collection: required }),
  query: ['db', 'collection'],
});

export const addCustomZoneMappings = defineOperation<
  GlobalClusterParams & { mappings: ZoneMapping[] },
  GeoSharding
>({
  name: 'createGroupClusterGlobalWriteCustomZoneMapping',
  method: 'POST',
  path: `${PATH}/customZoneMapping`,
  version: VERSION,
  params: z.object({
    ...cluster,
    mappings: z.array(zoneMapping).check(z.minLength(1, 'must hold at least one mapping')),
  }),
  body: (params) => ({ customZoneMappings: params.mappings }),
  // Setting the same mappings twice leaves the same mappings.
  retrySafe: true,
});

export const removeAllCustomZoneMappings = defineOperation<GlobalClusterParams, GeoSharding>({
  name: 'deleteGroupClusterGlobalWriteCustomZoneMapping',
  method: 'DELETE',
  path: `${PATH}/customZoneMapping`,
  version: VERSION,
  params: z.object(cluster),
});

export class GlobalClustersApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** A Global Cluster's managed namespaces and custom zone mappings. */
  get(params: GlobalClusterParams, options?: CallOptions): Promise<GeoSharding> {
    return this.#http.call(getGlobalWrites, params, options);
  }

  /** Shards a collection by location; Atlas may answer 405 when the cluster is not a Global Cluster. */
  addManagedNamespace(
    params: GlobalClusterParams & { namespace: ManagedNamespace },
    options?: CallOptions,
  ): Promise<GeoSharding> {
    return this.#http.call(addManagedNamespace, params, options);
  }

  /** Stops managing one namespace (`db` and `collection` both required). */
  removeManagedNamespace(
    params: GlobalClusterParams & { db: string; collection: string },
    options?: CallOptions,
  ): Promise<GeoSharding> {
    return this.#http.call(removeManagedNamespace, params, options);
  }

  /** Maps locations to zones by zone name. */
  addCustomZoneMappings(
    params: GlobalClusterParams & { mappings: ZoneMapping[] },
    options?: CallOptions,
  ): Promise<GeoSharding> {
    return this.#http.call(addCustomZoneMappings, params, options);
  }

  /** Removes every custom zone mapping, restoring the default mapping. */
  removeAllCustomZoneMappings(params: GlobalClusterParams, options?: CallOptions): Promise<GeoSharding> {
    return this.#http.call(removeAllCustomZoneMappings, params, options);
  }
}
