/**
 * The simulator's in-memory state: Atlas resources in the shapes Atlas returns (newest versions), kept per
 * collection. Handlers read and write it; seeds build it; `/__sim/reset` puts the seed back.
 */
import { createHash } from 'node:crypto';

type Json = Record<string, unknown>;

export interface SimOrg extends Json {
  id: string;
  name: string;
  isDeleted: boolean;
  skipDefaultAlertsSettings?: boolean;
}

export interface SimProject extends Json {
  id: string;
  name: string;
  orgId: string;
  /** RFC 3339. */
  created: string;
  tags?: { key: string; value: string }[];
  withDefaultAlertsSettings?: boolean;
  regionUsageRestrictions?: string;
}

/** A dedicated cluster in the 2024-08-05 shape (`ClusterDescription20240805`). */
export interface SimCluster extends Json {
  id: string;
  groupId: string;
  name: string;
}

/** A flex cluster in the 2024-11-13 shape (`FlexClusterDescription20241113`). */
export interface SimFlexCluster extends Json {
  id: string;
  groupId: string;
  name: string;
}

/** `BackupOnlineArchive` (its id field is `_id`). */
export interface SimOnlineArchive extends Json {
  _id: string;
  groupId: string;
  clusterName: string;
}

/** An organization member, active or pending (`OrgUserResponse` 2025-02-19 plus the org it belongs to). */
export interface SimUser extends Json {
  id: string;
  orgId: string;
  username: string;
  orgMembershipStatus: 'ACTIVE' | 'PENDING' | 'INVITATION_EXPIRED' | 'INVITATION_REJECTED';
  roles: { orgRoles?: string[]; groupRoleAssignments?: { groupId: string; groupRoles: string[] }[] };
}

/** `OrganizationInvitation` (the deprecated invitations API). */
export interface SimInvitation extends Json {
  id: string;
  orgId: string;
  orgName: string;
  username: string;
}

/** `CloudProviderContainer` (AWS, AZURE or GCP) with the project it belongs to. */
export interface SimContainer extends Json {
  id: string;
  groupId: string;
  providerName: 'AWS' | 'AZURE' | 'GCP';
}

/** A network peering connection (AWS/AZURE/GCP settings) and when it was requested. */
export interface SimPeer extends Json {
  id: string;
  groupId: string;
  providerName: 'AWS' | 'AZURE' | 'GCP';
}

/** `NetworkPermissionEntry` of a project IP access list. */
export interface SimAccessListEntry extends Json {
  groupId: string;
  ipAddress?: string;
  cidrBlock?: string;
  awsSecurityGroup?: string;
  comment?: string;
  deleteAfterDate?: string;
  /** Simulator only: how many more reads of the list do not show this entry yet (the `unlisted` fault). */
  unlistedReads?: number;
}

/** `ServiceAccountIPAccessListEntry`. */
export interface SimServiceAccountAccessEntry extends Json {
  ipAddress?: string;
  cidrBlock?: string;
  createdAt: string;
  requestCount: number;
  lastUsedAddress?: string;
  lastUsedAt?: string;
}

export interface SimServiceAccount {
  clientId: string;
  clientSecret: string;
  orgId: string;
  name: string;
  accessList: SimServiceAccountAccessEntry[];
}

export interface SimApiKey {
  publicKey: string;
  privateKey: string;
  orgId: string;
}

/** `DatabaseUserRole`: a built-in role on a database (or one collection of it). */
export interface SimDatabaseUserRole {
  databaseName: string;
  roleName: string;
  collectionName?: string;
}

/**
 * A database user (`CloudDatabaseUser` 2023-01-01) as Atlas answers it, without its links. The password is
 * write-only and never kept. Identified by project, `databaseName` (`admin` or `$external`) and `username`.
 */
export interface SimDatabaseUser extends Json {
  groupId: string;
  databaseName: 'admin' | '$external';
  username: string;
  roles: SimDatabaseUserRole[];
  scopes: { name: string; type: 'CLUSTER' | 'DATA_LAKE' | 'STREAM' }[];
  labels: { key: string; value: string }[];
  awsIAMType: 'NONE' | 'USER' | 'ROLE';
  ldapAuthType: 'NONE' | 'GROUP' | 'USER';
  oidcAuthType: 'NONE' | 'IDP_GROUP' | 'USER';
  x509Type: 'NONE' | 'CUSTOMER' | 'MANAGED';
  /** RFC 3339; Atlas deletes the user then. */
  deleteAfterDate?: string;
  description?: string;
}

/** An on-demand Cloud Backup snapshot (`DiskBackupSnapshot`), with the cluster it was taken of. */
export interface SimSnapshot extends Json {
  id: string;
  groupId: string;
  clusterName: string;
  /** RFC 3339; the status moves on from this time (queued, inProgress, completed). */
  createdAt: string;
  /** RFC 3339: `createdAt` plus the retention; Atlas deletes the snapshot then. */
  expiresAt: string;
}

/** A pause or resume in progress, and when the cluster was last resumed (epoch ms), by cluster id. */
export interface SimClusterActivity {
  /** The cluster is UPDATING until then. */
  updatingUntil?: number;
  resumedAt?: number;
}

/** `GeoSharding20240805` of one global cluster. */
export interface SimGlobalWrites {
  customZoneMapping: Record<string, string>;
  managedNamespaces: Json[];
  selfManagedSharding: boolean;
}

export interface SimState {
  orgs: SimOrg[];
  projects: SimProject[];
  clusters: SimCluster[];
  flexClusters: SimFlexCluster[];
  onlineArchives: SimOnlineArchive[];
  users: SimUser[];
  invitations: SimInvitation[];
  containers: SimContainer[];
  peers: SimPeer[];
  /** When each peering was requested (epoch ms), to move its status along with time. */
  peerCreatedAt: Record<string, number>;
  projectAccessList: SimAccessListEntry[];
  serviceAccounts: SimServiceAccount[];
  apiKeys: SimApiKey[];
  /** Global-cluster settings by cluster id. */
  globalWrites: Record<string, SimGlobalWrites>;
  databaseUsers: SimDatabaseUser[];
  snapshots: SimSnapshot[];
  /** Pauses and resumes by cluster id (never sent to clients). */
  clusterActivity: Record<string, SimClusterActivity>;
}

export function emptyState(): SimState {
  return {
    orgs: [],
    projects: [],
    clusters: [],
    flexClusters: [],
    onlineArchives: [],
    users: [],
    invitations: [],
    containers: [],
    peers: [],
    peerCreatedAt: {},
    projectAccessList: [],
    serviceAccounts: [],
    apiKeys: [],
    globalWrites: {},
    databaseUsers: [],
    snapshots: [],
    clusterActivity: {},
  };
}

/** A deep copy, so a reset can go back to the seed however the state was changed. */
export function cloneState(state: SimState): SimState {
  return structuredClone(state);
}

/**
 * Deterministic 24-hex ids: the same seed always yields the same ids, so docs, tests and snapshots can
 * name them. `next(kind)` hashes the kind and a counter.
 */
export class IdGenerator {
  #counter = 0;
  readonly #namespace: string;

  constructor(namespace = 'atlas-simulator') {
    this.#namespace = namespace;
  }

  next(kind = 'id'): string {
    this.#counter += 1;
    return createHash('sha1')
      .update(`${this.#namespace}:${kind}:${this.#counter}`)
      .digest('hex')
      .slice(0, 24);
  }
}

const groupIndexes = new WeakMap<
  readonly { groupId: string }[],
  { length: number; byGroup: Map<string, unknown[]> }
>();

/**
 * The items of one project, from an index built once per collection (and rebuilt when its length changes).
 * A large seed has tens of thousands of clusters; filtering them on every request made each list call
 * cost milliseconds of CPU. Routes never change a cluster's project in place, so the length check is enough.
 */
export function inGroup<T extends { groupId: string }>(items: readonly T[], groupId: string): readonly T[] {
  let index = groupIndexes.get(items);
  if (!index || index.length !== items.length) {
    const byGroup = new Map<string, T[]>();
    for (const item of items) {
      const list = byGroup.get(item.groupId);
      if (list) list.push(item);
      else byGroup.set(item.groupId, [item]);
    }
    index = { length: items.length, byGroup: byGroup as Map<string, unknown[]> };
    groupIndexes.set(items, index);
  }
  return (index.byGroup.get(groupId) ?? []) as readonly T[];
}
