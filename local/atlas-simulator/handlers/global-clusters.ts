/**
 * Global Cluster configuration (`GeoSharding`; 2023-01-01 and 2023-02-01 deprecated, 2024-08-05): managed
 * sharded namespaces and custom zone mappings of a GEOSHARDED cluster. Every answer, writes included, is
 * 200 with the cluster's whole configuration.
 *
 * The state keeps the 2024-08-05 shape: `customZoneMapping` maps a location to a replication spec's
 * `zoneId`. The older versions name the zone's replication spec `id` instead, and in the older cluster
 * shapes the simulator serves (handlers/clusters.ts) a zone's replication spec `id` is its `zoneId`; so the
 * mapping reads the same in every version and stays consistent with the cluster a client reads.
 *
 * Codes: CLUSTER_NOT_FOUND, DUPLICATE_MANAGED_NAMESPACE and INVALID_LOCATION_CODE are Atlas's published
 * codes and texts (its error-code page). Neither that page nor the official clients (Terraform provider,
 * atlas-sdk-go, Atlas CLI, Kubernetes operator) name a code for the cases below, so these are assumed:
 * - a write to a cluster that is not GEOSHARDED: 400 NOT_GLOBAL_CLUSTER (reads answer with the empty
 *   configuration, as for any cluster; the spec also lists a 405 for adding a namespace, unexplained);
 * - a mapping to a zone name the cluster does not have: 400 INVALID_ZONE_NAME;
 * - removing a namespace that is not managed: 404 MANAGED_NAMESPACE_NOT_FOUND.
 */
import { z } from 'zod';
import { notFound, SimError } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import type { SimCluster, SimGlobalWrites, SimState } from '../state.ts';
import { clusterName, objectId } from '../validation.ts';
import { CLUSTER_VERSIONS } from './common.ts';

const PATH = '/groups/{groupId}/clusters/{clusterName}/globalWrites';

/** ISO 3166-1 alpha-2, with an ISO 3166-2 subdivision where there is one (`DE`, `US-VA`). */
const LOCATION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

const required = z.string().min(1, 'must not be empty');

const clusterParams = z.object({ groupId: objectId, clusterName });

const managedNamespace = z.object({
  db: required,
  collection: required,
  customShardKey: required,
  isCustomShardKeyHashed: z.boolean().optional(),
  isShardKeyUnique: z.boolean().optional(),
  numInitialChunks: z.int().min(0, 'must not be negative').max(8192, 'must be at most 8192').optional(),
  presplitHashedZones: z.boolean().optional(),
});

const customZoneMappings = z.object({
  customZoneMappings: z.array(z.object({ location: required, zone: required })),
});

interface Zone {
  /** The replication spec (shard) id. */
  id: string;
  zoneId: string;
  zoneName: string;
}

function findCluster(state: SimState, groupId: string, name: string): SimCluster {
  const cluster = state.clusters.find((c) => c.groupId === groupId && c.name === name);
  if (!cluster) {
    throw notFound('CLUSTER_NOT_FOUND', `No cluster named ${name} exists in group ${groupId}.`, [
      name,
      groupId,
    ]);
  }
  return cluster;
}

/** The replication specs of a cluster in the 2024-08-05 shape (one per shard). */
function zonesOf(cluster: SimCluster): Zone[] {
  const specs = Array.isArray(cluster.replicationSpecs) ? (cluster.replicationSpecs as unknown[]) : [];
  const zones: Zone[] = [];
  for (const spec of specs) {
    if (spec === null || typeof spec !== 'object') continue;
    const { id, zoneId, zoneName } = spec as Record<string, unknown>;
    if (typeof id !== 'string') continue;
    zones.push({
      id,
      zoneId: typeof zoneId === 'string' ? zoneId : id,
      zoneName: typeof zoneName === 'string' ? zoneName : '',
    });
  }
  return zones;
}

function defaults(cluster: SimCluster): SimGlobalWrites {
  return {
    customZoneMapping: {},
    managedNamespaces: [],
    selfManagedSharding: cluster.globalClusterSelfManagedSharding === true,
  };
}

/** The stored configuration, created on first write. */
function writable(state: SimState, cluster: SimCluster): SimGlobalWrites {
  if (cluster.clusterType !== 'GEOSHARDED') {
    throw new SimError(
      400,
      'NOT_GLOBAL_CLUSTER',
      `Cluster ${cluster.name} is not a Global Cluster (clusterType GEOSHARDED); it has no managed namespaces or zone mappings.`,
      { parameters: [cluster.name] },
    );
  }
  state.globalWrites[cluster.id] ??= defaults(cluster);
  return state.globalWrites[cluster.id] as SimGlobalWrites;
}

/** `GeoSharding` (older versions) or `GeoSharding20240805`: the same fields, see the header. */
function view(state: SimState, cluster: SimCluster): Record<string, unknown> {
  const settings = state.globalWrites[cluster.id] ?? defaults(cluster);
  return {
    customZoneMapping: { ...settings.customZoneMapping },
    managedNamespaces: structuredClone(settings.managedNamespaces),
    selfManagedSharding: settings.selfManagedSharding,
  };
}

export const globalClusterRoutes = [
  defineRoute({
    method: 'GET',
    path: PATH,
    versions: CLUSTER_VERSIONS,
    endpointSet: 'global-clusters',
    params: clusterParams,
    handle: ({ state, params }) => {
      const cluster = findCluster(state, params.groupId, params.clusterName);
      return { status: 200, body: view(state, cluster) };
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${PATH}/managedNamespaces`,
    versions: CLUSTER_VERSIONS,
    endpointSet: 'global-clusters',
    params: clusterParams,
    body: managedNamespace,
    handle: ({ state, params, body }) => {
      const cluster = findCluster(state, params.groupId, params.clusterName);
      const settings = writable(state, cluster);
      const namespace = `${body.db}.${body.collection}`;
      if (settings.managedNamespaces.some((n) => n.db === body.db && n.collection === body.collection)) {
        throw new SimError(
          400,
          'DUPLICATE_MANAGED_NAMESPACE',
          `Managed Namespace ${namespace} already exists.`,
          {
            parameters: [namespace],
          },
        );
      }
      settings.managedNamespaces.push({
        collection: body.collection,
        customShardKey: body.customShardKey,
        db: body.db,
        isCustomShardKeyHashed: body.isCustomShardKeyHashed ?? false,
        isShardKeyUnique: body.isShardKeyUnique ?? false,
        ...(body.numInitialChunks === undefined ? {} : { numInitialChunks: body.numInitialChunks }),
        presplitHashedZones: body.presplitHashedZones ?? false,
      });
      return { status: 200, body: view(state, cluster) };
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: `${PATH}/managedNamespaces`,
    versions: CLUSTER_VERSIONS,
    endpointSet: 'global-clusters',
    params: clusterParams,
    // Optional in the spec, but without both Atlas cannot tell which namespace is meant.
    query: z.object({ db: required, collection: required }).loose(),
    handle: ({ state, params, query }) => {
      const cluster = findCluster(state, params.groupId, params.clusterName);
      const settings = writable(state, cluster);
      const at = settings.managedNamespaces.findIndex(
        (n) => n.db === query.db && n.collection === query.collection,
      );
      if (at < 0) {
        const namespace = `${query.db}.${query.collection}`;
        throw notFound(
          'MANAGED_NAMESPACE_NOT_FOUND',
          `Namespace ${namespace} is not a managed namespace of cluster ${cluster.name}.`,
          [namespace, cluster.name],
        );
      }
      settings.managedNamespaces.splice(at, 1);
      return { status: 200, body: view(state, cluster) };
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${PATH}/customZoneMapping`,
    versions: CLUSTER_VERSIONS,
    endpointSet: 'global-clusters',
    params: clusterParams,
    body: customZoneMappings,
    handle: ({ state, params, body }) => {
      const cluster = findCluster(state, params.groupId, params.clusterName);
      const settings = writable(state, cluster);
      const zones = zonesOf(cluster);
      // Check every mapping before changing any.
      const resolved = body.customZoneMappings.map(({ location, zone }, index) => {
        if (!LOCATION.test(location)) {
          throw new SimError(
            400,
            'INVALID_LOCATION_CODE',
            `Invalid location code ${location}. A list of valid codes is available at https://cloud.mongodb.com/static/atlas/country_iso_codes.txt.`,
            {
              parameters: [location],
              fields: [
                {
                  field: `customZoneMappings.${index}.location`,
                  description: 'must be an ISO 3166 location code such as US-VA or DE',
                },
              ],
            },
          );
        }
        const target = zones.find((spec) => spec.zoneName === zone);
        if (!target) {
          const names = [...new Set(zones.map((spec) => spec.zoneName))].join(', ');
          throw new SimError(
            400,
            'INVALID_ZONE_NAME',
            `Cluster ${cluster.name} has no zone named ${zone}; its zones are: ${names}.`,
            {
              parameters: [zone, cluster.name],
              fields: [
                {
                  field: `customZoneMappings.${index}.zone`,
                  description: "must be the zoneName of one of the cluster's zones",
                },
              ],
            },
          );
        }
        return [location, target.zoneId] as const;
      });
      for (const [location, zoneId] of resolved) settings.customZoneMapping[location] = zoneId;
      return { status: 200, body: view(state, cluster) };
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: `${PATH}/customZoneMapping`,
    versions: CLUSTER_VERSIONS,
    endpointSet: 'global-clusters',
    params: clusterParams,
    handle: ({ state, params }) => {
      const cluster = findCluster(state, params.groupId, params.clusterName);
      writable(state, cluster).customZoneMapping = {};
      return { status: 200, body: view(state, cluster) };
    },
  }),
];
