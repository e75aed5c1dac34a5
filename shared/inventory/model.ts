/**
 * The inventory snapshot (design.md, "Inventory snapshot"): what one run found, normalised so that runs can
 * be compared, rules can be checked and reports rendered from one model.
 */

/** Where a cluster runs, per region config of its replication specs. */
export interface ClusterRegion {
  /** `AWS`, `AZURE`, `GCP`; for flex clusters the backing provider. */
  provider: string;
  /** Atlas's region name, e.g. `US_EAST_1`. */
  region: string;
  /** e.g. `M30`; `FLEX` for flex clusters. */
  instanceSize: string;
  electableNodes: number;
  readOnlyNodes: number;
  analyticsNodes: number;
  /** Zone of a global cluster; absent for others. */
  zoneName?: string;
}

export interface InventoryCluster {
  groupId: string;
  /** The project's name, for people (reports, findings). */
  projectName: string;
  name: string;
  id: string;
  /** Dedicated clusters come from the clusters API, flex clusters from their own endpoint. */
  kind: 'dedicated' | 'flex';
  stateName: string;
  /** `REPLICASET`, `SHARDED`, `GEOSHARDED`. */
  clusterType: string;
  mongoDBVersion: string;
  /** Major version, e.g. `7.0`. */
  mongoDBMajorVersion: string;
  paused: boolean;
  backupEnabled: boolean;
  pitEnabled: boolean;
  terminationProtectionEnabled: boolean;
  /** e.g. `TLS1_2`; absent when Atlas does not say (flex clusters). */
  minimumTlsProtocol?: string;
  /** Number of shards (one per replication spec in the 2024-08-05 shape). */
  shardCount: number;
  regions: ClusterRegion[];
  /** Tags as a map, key → value. */
  tags: Record<string, string>;
  createDate?: string;
}

/**
 * A database user of a project (never its password: Atlas does not return it), as the findings and `atlas-ops
 * access list` read it.
 */
export interface InventoryDatabaseUser {
  groupId: string;
  projectName: string;
  username: string;
  /** `admin` for password users, `$external` for AWS IAM, X.509, LDAP and OIDC users. */
  databaseName: string;
  /** `roleName@databaseName` (and `.collection`), e.g. `readWrite@payments`. */
  roles: string[];
  /** The clusters it may reach; empty: every cluster of the project. */
  scopes: string[];
  /** When Atlas deletes it (a temporary user); absent for a permanent one. */
  deleteAfterDate?: string;
  /** `password`, `aws-iam`, `x509`, `ldap` or `oidc`. */
  authentication: 'password' | 'aws-iam' | 'x509' | 'ldap' | 'oidc';
  /** The end atlas-ops set when it created or extended the user (from its description); absent otherwise. */
  grantedUntil?: string;
}

export interface InventoryProject {
  id: string;
  name: string;
  orgId: string;
}

/** A project the run could not read (403, 404, repeated 5xx, …): recorded, and the run goes on. */
export interface ProjectError {
  projectId: string;
  status: number;
  errorCode: string;
  detail: string;
  /**
   * Set when only this list of the project's clusters could not be read: the project's other clusters were
   * read and are in the snapshot (e.g. `dedicated` while Atlas upgrades a cluster to flex, collect.ts).
   * Absent when nothing of the project was read.
   */
  kind?: 'dedicated' | 'flex' | 'databaseUsers';
}

export type Severity = 'high' | 'medium' | 'low';

export interface Finding {
  rule: string;
  severity: Severity;
  groupId: string;
  projectName: string;
  /** The cluster it is about; empty for a finding about a database user. */
  clusterName: string;
  /** The database user it is about, for the database-user rules. */
  databaseUser?: string;
  /** One sentence a person can act on. */
  message: string;
}

/** A field that differs between two runs for the same cluster. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ClusterRef {
  groupId: string;
  projectName: string;
  name: string;
  kind: 'dedicated' | 'flex';
}

export interface Changes {
  added: ClusterRef[];
  removed: ClusterRef[];
  changed: (ClusterRef & { fields: FieldChange[] })[];
  /** When there was no previous snapshot, nothing is "added": this is the first run. */
  firstRun: boolean;
}

export interface Snapshot {
  /** RFC 3339. */
  generatedAt: string;
  source: { baseUrl: string };
  /** True when the run stopped early (deadline) and the snapshot is incomplete. */
  partial: boolean;
  /**
   * What a person should know about how this run went that is not a project error, e.g. that the previous
   * snapshot could not be read, so this run counts as a first run. Empty when there is nothing to say.
   */
  warnings: string[];
  /** The projects read, wholly or (see `ProjectError.kind`) in part. */
  projects: InventoryProject[];
  clusters: InventoryCluster[];
  /** Every database user of the projects read (those whose user list could be read). */
  databaseUsers: InventoryDatabaseUser[];
  errors: ProjectError[];
  /**
   * Projects in scope of which nothing was read: they failed (see `errors`) or the deadline came first. The
   * next run leaves them out of its comparison, so their clusters are not reported as added then.
   */
  unreadProjectIds: string[];
  findings: Finding[];
  changes: Changes;
  /** Counters of the run (Atlas calls, retries, duration). */
  stats: { atlasCalls: number; retries: number; throttled: number; durationMs: number };
}

/**
 * A snapshot as a store reads it back. One written before `unreadProjectIds`, `warnings` and `databaseUsers`
 * existed lacks them, and whatever reads a previous snapshot must cope (see `readScope` in diff.ts).
 */
export type PreviousSnapshot = Omit<Snapshot, 'unreadProjectIds' | 'warnings' | 'databaseUsers'> &
  Partial<Pick<Snapshot, 'unreadProjectIds' | 'warnings' | 'databaseUsers'>>;
