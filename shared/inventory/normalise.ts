/**
 * Turns what Atlas returns (dedicated clusters in the 2024-08-05 shape, flex clusters in the 2024-11-13 shape)
 * into the snapshot's `InventoryCluster`, so that diffs, rules and reports never look at Atlas shapes.
 * Every field the model requires gets a value even when Atlas leaves it out (false, '' or 0), so a missing
 * field reads as "not set" rather than breaking a comparison with `undefined`.
 */

import type {
  CloudRegionConfig20240805,
  Cluster,
  HardwareSpec20240805,
} from '../atlas/resources/clusters.ts';
import type { ResourceTag } from '../atlas/resources/common.ts';
import type { DatabaseUser } from '../atlas/resources/database-users.ts';
import type { FlexCluster } from '../atlas/resources/flex-clusters.ts';
import type { ClusterRegion, InventoryCluster, InventoryDatabaseUser, InventoryProject } from './model.ts';

/**
 * A flex cluster as Atlas may return it. Atlas documents `tags` on flex clusters although our resource type
 * does not list them yet; reading them when present keeps tag rules from flagging every flex cluster.
 */
export type FlexClusterInput = FlexCluster & { tags?: ResourceTag[] };

/**
 * The major version of a MongoDB version string, `''` when it has none.
 * @example majorVersionOf('7.0.12') // '7.0'
 */
export function majorVersionOf(version: string | undefined): string {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  return match ? `${match[1]}.${match[2]}` : '';
}

/** Tags as a record; when Atlas repeats a key, the last value wins (Atlas itself rejects duplicates). */
export function tagsToRecord(tags: readonly ResourceTag[] | undefined): Record<string, string> {
  // Object.fromEntries defines own properties, so a tag named `__proto__` stays a plain tag.
  return Object.fromEntries((tags ?? []).map((tag) => [tag.key, tag.value]));
}

function nodeCount(spec: HardwareSpec20240805 | undefined): number {
  return spec?.nodeCount ?? 0;
}

function regionOf(config: CloudRegionConfig20240805, zoneName: string | undefined): ClusterRegion {
  // A TENANT region config runs on shared hardware; the provider a person cares about is the backing one.
  const provider =
    config.providerName === 'TENANT' ? (config.backingProviderName ?? 'TENANT') : config.providerName;
  const instanceSize =
    config.electableSpecs?.instanceSize ??
    config.readOnlySpecs?.instanceSize ??
    config.analyticsSpecs?.instanceSize ??
    '';
  return {
    provider,
    region: config.regionName,
    instanceSize,
    electableNodes: nodeCount(config.electableSpecs),
    readOnlyNodes: nodeCount(config.readOnlySpecs),
    analyticsNodes: nodeCount(config.analyticsSpecs),
    ...(zoneName !== undefined ? { zoneName } : {}),
  };
}

/**
 * A dedicated cluster (2024-08-05 shape) as an inventory cluster.
 *
 * Regions: one entry per region config of each replication spec, without merging, so that node totals are
 * the cluster's real totals (a 2-shard cluster with 3 electable nodes per shard has 6). In this shape each
 * replication spec is one shard, so `shardCount` is `replicationSpecs.length`. Atlas names a zone on every
 * cluster ("Zone 1"), but the zone only means something for a global cluster, so it is kept for GEOSHARDED
 * clusters only.
 */
export function normaliseCluster(cluster: Cluster, project: InventoryProject): InventoryCluster {
  const specs = cluster.replicationSpecs ?? [];
  const keepZone = cluster.clusterType === 'GEOSHARDED';
  const regions = specs.flatMap((spec) =>
    spec.regionConfigs.map((config) => regionOf(config, keepZone ? spec.zoneName : undefined)),
  );
  const mongoDBVersion = cluster.mongoDBVersion ?? '';
  const minimumTlsProtocol = cluster.advancedConfiguration?.minimumEnabledTlsProtocol;
  return {
    groupId: cluster.groupId || project.id,
    projectName: project.name,
    name: cluster.name,
    id: cluster.id ?? '',
    kind: 'dedicated',
    stateName: cluster.stateName ?? '',
    clusterType: cluster.clusterType ?? '',
    mongoDBVersion,
    mongoDBMajorVersion: cluster.mongoDBMajorVersion || majorVersionOf(mongoDBVersion),
    paused: cluster.paused ?? false,
    backupEnabled: cluster.backupEnabled ?? false,
    pitEnabled: cluster.pitEnabled ?? false,
    terminationProtectionEnabled: cluster.terminationProtectionEnabled ?? false,
    ...(minimumTlsProtocol !== undefined ? { minimumTlsProtocol } : {}),
    shardCount: specs.length,
    regions,
    tags: tagsToRecord(cluster.tags),
    ...(cluster.createDate !== undefined ? { createDate: cluster.createDate } : {}),
  };
}

/**
 * A flex cluster (2024-11-13 shape) as an inventory cluster: one region on the backing provider, instance
 * size `FLEX`, one shard. Atlas reports no node counts for flex clusters (they run on shared hardware), so
 * the node counts are 0, and no TLS setting, so `minimumTlsProtocol` is absent.
 */
export function normaliseFlexCluster(flex: FlexClusterInput, project: InventoryProject): InventoryCluster {
  const mongoDBVersion = flex.mongoDBVersion ?? '';
  return {
    groupId: flex.groupId || project.id,
    projectName: project.name,
    name: flex.name ?? '',
    id: flex.id ?? '',
    kind: 'flex',
    stateName: flex.stateName ?? '',
    // A flex cluster is always a replica set; the spec allows no other value.
    clusterType: flex.clusterType ?? 'REPLICASET',
    mongoDBVersion,
    mongoDBMajorVersion: majorVersionOf(mongoDBVersion),
    paused: false,
    backupEnabled: flex.backupSettings?.enabled ?? false,
    pitEnabled: false,
    terminationProtectionEnabled: flex.terminationProtectionEnabled ?? false,
    shardCount: 1,
    regions: [
      {
        provider: flex.providerSettings.backingProviderName ?? '',
        region: flex.providerSettings.regionName ?? '',
        instanceSize: 'FLEX',
        electableNodes: 0,
        readOnlyNodes: 0,
        analyticsNodes: 0,
      },
    ],
    tags: tagsToRecord(flex.tags),
    ...(flex.createDate !== undefined ? { createDate: flex.createDate } : {}),
  };
}

/** The end atlas-ops marks in the description of a user it created or extended: `[atlas-ops … until <date>]`. */
const GRANTED_UNTIL = /\[atlas-ops [0-9a-f]+ until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\]/;

/** A `CloudDatabaseUser` as the inventory keeps it: who, how they sign in, what they may do, where, until when. */
export function normaliseDatabaseUser(user: DatabaseUser, project: InventoryProject): InventoryDatabaseUser {
  const authentication: InventoryDatabaseUser['authentication'] =
    user.awsIAMType && user.awsIAMType !== 'NONE'
      ? 'aws-iam'
      : user.x509Type && user.x509Type !== 'NONE'
        ? 'x509'
        : user.ldapAuthType && user.ldapAuthType !== 'NONE'
          ? 'ldap'
          : user.oidcAuthType && user.oidcAuthType !== 'NONE'
            ? 'oidc'
            : 'password';
  const grantedUntil = GRANTED_UNTIL.exec(user.description ?? '')?.[1];
  return {
    groupId: project.id,
    projectName: project.name,
    username: user.username,
    databaseName: user.databaseName,
    roles: (user.roles ?? []).map(
      (role) =>
        `${role.roleName}@${role.databaseName}${role.collectionName ? `.${role.collectionName}` : ''}`,
    ),
    scopes: (user.scopes ?? []).map((scope) => scope.name),
    ...(user.deleteAfterDate ? { deleteAfterDate: user.deleteAfterDate } : {}),
    authentication,
    ...(grantedUntil ? { grantedUntil } : {}),
  };
}
