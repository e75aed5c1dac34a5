/**
 * A small simulator state of its own for the network-peering, online-archive, access-list and global-cluster
 * tests (independent of the demo seed), and a plain-HTTP caller that fetches an OAuth token the way a client
 * does and sends the versioned Accept header.
 */
import {
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SIM_PRIVATE_KEY,
  SIM_PUBLIC_KEY,
} from '../../../local/atlas-simulator/seeds/credentials.ts';
import {
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../../local/atlas-simulator/server.ts';
import {
  emptyState,
  type SimCluster,
  type SimOnlineArchive,
  type SimState,
} from '../../../local/atlas-simulator/state.ts';

export const API = '/api/atlas/v2';

export const ORG_ID = '65f0a0c0ffee0000000000a1';
export const OTHER_ORG_ID = '65f0a0c0ffee0000000000a2';
/** The project most tests work in: three containers, two clusters, access-list entries. */
export const GROUP_ID = '65f0a0c0ffee0000000000b1';
/** A project with one AWS container, an established AWS peering and a security-group access-list entry. */
export const PEERED_GROUP_ID = '65f0a0c0ffee0000000000b2';
/** A project of another organization. */
export const FOREIGN_GROUP_ID = '65f0a0c0ffee0000000000b3';

export const AWS_CONTAINER_ID = '65f0a0c0ffee0000000000c1';
export const AZURE_CONTAINER_ID = '65f0a0c0ffee0000000000c2';
export const GCP_CONTAINER_ID = '65f0a0c0ffee0000000000c3';
export const PEERED_CONTAINER_ID = '65f0a0c0ffee0000000000c4';
export const SEEDED_PEER_ID = '65f0a0c0ffee0000000000d1';
export const SECURITY_GROUP = 'sg-0123456789abcdef0';

export const GLOBAL_CLUSTER = 'geo-cluster';
export const REPLICA_SET = 'rs-cluster';
export const GLOBAL_CLUSTER_ID = '65f0a0c0ffee0000000000e1';
export const REPLICA_SET_ID = '65f0a0c0ffee0000000000e2';
/** Zone ids and shard (replication spec) ids of the global cluster: two EU shards, one US shard. */
export const ZONE_EU = '65f0a0c0ffee0000000000f1';
export const ZONE_US = '65f0a0c0ffee0000000000f2';
export const SHARD_EU_1 = '65f0a0c0ffee0000000000f3';
export const SHARD_EU_2 = '65f0a0c0ffee0000000000f4';
export const SHARD_US_1 = '65f0a0c0ffee0000000000f5';

export const ARCHIVE_ORDERS = '65f0a0c0ffee000000000101';
export const ARCHIVE_EVENTS = '65f0a0c0ffee000000000102';
export const ARCHIVE_GEO = '65f0a0c0ffee000000000103';

/** A client id of the right form that no service account has. */
export const UNKNOWN_CLIENT_ID = 'mdb_sa_id_0000000000000000000000ff';

const CREATED = '2025-06-01T12:00:00Z';

function regionConfig(regionName: string) {
  return {
    providerName: 'AWS',
    regionName,
    priority: 7,
    electableSpecs: {
      instanceSize: 'M30',
      nodeCount: 3,
      diskSizeGB: 40,
      ebsVolumeType: 'STANDARD',
      diskIOPS: 3000,
    },
    autoScaling: { compute: { enabled: false }, diskGB: { enabled: true } },
  };
}

function cluster(id: string, name: string, clusterType: string, replicationSpecs: unknown[]): SimCluster {
  return {
    id,
    groupId: GROUP_ID,
    name,
    clusterType,
    stateName: 'IDLE',
    mongoDBMajorVersion: '8.0',
    mongoDBVersion: '8.0.4',
    paused: false,
    pitEnabled: false,
    backupEnabled: true,
    createDate: CREATED,
    versionReleaseSystem: 'LTS',
    replicationSpecs,
  };
}

function archive(id: string, clusterName: string, dbName: string, collName: string): SimOnlineArchive {
  return {
    _id: id,
    groupId: GROUP_ID,
    clusterName,
    dbName,
    collName,
    collectionType: 'STANDARD',
    criteria: { type: 'DATE', dateField: 'createdAt', dateFormat: 'ISODATE', expireAfterDays: 90 },
    dataExpirationRule: { expireAfterDays: 365 },
    dataProcessRegion: { cloudProvider: 'AWS', region: 'US_EAST_1' },
    dataSetName: `v1$atlas$archive$${dbName}$${collName}$${clusterName}`,
    partitionFields: [{ fieldName: 'createdAt', fieldType: 'date', order: 0 }],
    paused: false,
    schedule: { type: 'DAILY', startHour: 1, startMinute: 0, endHour: 3, endMinute: 0 },
    state: 'ACTIVE',
  };
}

/** The fixture state (a fresh copy on every call). */
export function networkState(): SimState {
  const state = emptyState();
  state.orgs = [
    { id: ORG_ID, name: 'Network Tests', isDeleted: false },
    { id: OTHER_ORG_ID, name: 'Someone Else', isDeleted: false },
  ];
  state.projects = [
    { id: GROUP_ID, name: 'network-main', orgId: ORG_ID, created: CREATED },
    { id: PEERED_GROUP_ID, name: 'network-peered', orgId: ORG_ID, created: CREATED },
    { id: FOREIGN_GROUP_ID, name: 'not-ours', orgId: OTHER_ORG_ID, created: CREATED },
  ];
  state.containers = [
    {
      id: AWS_CONTAINER_ID,
      groupId: GROUP_ID,
      providerName: 'AWS',
      regionName: 'US_EAST_1',
      atlasCidrBlock: '192.168.248.0/21',
      provisioned: false,
    },
    {
      id: AZURE_CONTAINER_ID,
      groupId: GROUP_ID,
      providerName: 'AZURE',
      region: 'US_EAST_2',
      atlasCidrBlock: '192.168.208.0/21',
      provisioned: false,
    },
    {
      id: GCP_CONTAINER_ID,
      groupId: GROUP_ID,
      providerName: 'GCP',
      regions: ['EASTERN_US'],
      atlasCidrBlock: '192.168.0.0/18',
      provisioned: false,
    },
    {
      id: PEERED_CONTAINER_ID,
      groupId: PEERED_GROUP_ID,
      providerName: 'AWS',
      regionName: 'EU_WEST_1',
      atlasCidrBlock: '192.168.240.0/21',
      vpcId: 'vpc-0aa11bb22cc33dd44',
      provisioned: true,
    },
  ];
  // An established peering, seeded without a creation time: it shows the status the seed gives it.
  state.peers = [
    {
      id: SEEDED_PEER_ID,
      groupId: PEERED_GROUP_ID,
      providerName: 'AWS',
      containerId: PEERED_CONTAINER_ID,
      accepterRegionName: 'eu-west-1',
      awsAccountId: '210987654321',
      routeTableCidrBlock: '10.8.0.0/16',
      vpcId: 'vpc-0123456789abcdef0',
      connectionId: 'pcx-0fedcba98765432100',
      statusName: 'AVAILABLE',
    },
  ];
  state.clusters = [
    cluster(GLOBAL_CLUSTER_ID, GLOBAL_CLUSTER, 'GEOSHARDED', [
      { id: SHARD_EU_1, zoneId: ZONE_EU, zoneName: 'Zone EU', regionConfigs: [regionConfig('EU_WEST_1')] },
      { id: SHARD_EU_2, zoneId: ZONE_EU, zoneName: 'Zone EU', regionConfigs: [regionConfig('EU_WEST_1')] },
      { id: SHARD_US_1, zoneId: ZONE_US, zoneName: 'Zone US', regionConfigs: [regionConfig('US_EAST_1')] },
    ]),
    cluster(REPLICA_SET_ID, REPLICA_SET, 'REPLICASET', [
      {
        id: '65f0a0c0ffee0000000000f6',
        zoneId: '65f0a0c0ffee0000000000f7',
        zoneName: 'Zone 1',
        regionConfigs: [regionConfig('US_EAST_1')],
      },
    ]),
  ];
  state.onlineArchives = [
    archive(ARCHIVE_ORDERS, REPLICA_SET, 'sales', 'orders'),
    archive(ARCHIVE_EVENTS, REPLICA_SET, 'telemetry', 'events'),
    archive(ARCHIVE_GEO, GLOBAL_CLUSTER, 'shop', 'baskets'),
  ];
  state.projectAccessList = [
    { groupId: GROUP_ID, ipAddress: '203.0.113.10', cidrBlock: '203.0.113.10/32', comment: 'Office VPN' },
    { groupId: GROUP_ID, cidrBlock: '10.0.0.0/16', comment: 'Application VPC' },
    // Expired long ago: Atlas has removed it, so no read shows it.
    {
      groupId: GROUP_ID,
      ipAddress: '198.51.100.99',
      comment: 'old laptop',
      deleteAfterDate: '2020-01-01T00:00:00Z',
    },
    { groupId: PEERED_GROUP_ID, awsSecurityGroup: SECURITY_GROUP, comment: 'App servers' },
    { groupId: PEERED_GROUP_ID, cidrBlock: '10.8.0.0/16' },
  ];
  state.serviceAccounts = [
    {
      clientId: SIM_CLIENT_ID,
      clientSecret: SIM_CLIENT_SECRET,
      orgId: ORG_ID,
      name: 'network tests',
      accessList: [
        {
          ipAddress: '198.51.100.7',
          createdAt: CREATED,
          requestCount: 12,
          lastUsedAddress: '198.51.100.7',
          lastUsedAt: '2025-06-02T08:30:00Z',
        },
        { cidrBlock: '10.20.0.0/16', createdAt: CREATED, requestCount: 0 },
      ],
    },
  ];
  state.apiKeys = [{ publicKey: SIM_PUBLIC_KEY, privateKey: SIM_PRIVATE_KEY, orgId: ORG_ID }];
  state.globalWrites = {
    [GLOBAL_CLUSTER_ID]: {
      customZoneMapping: { DE: ZONE_EU },
      managedNamespaces: [
        {
          db: 'shop',
          collection: 'orders',
          customShardKey: 'customerId',
          isCustomShardKeyHashed: false,
          isShardKeyUnique: false,
          presplitHashedZones: false,
        },
      ],
      selfManagedSharding: false,
    },
  };
  return state;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when there is none. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary Atlas JSON.
  body: any;
  text: string;
}

export interface CallOptions {
  /** Serialised as JSON. */
  body?: unknown;
  /** API version for `Accept` (default 2023-01-01). */
  version?: string;
  /** Default: the versioned media type of `version`. */
  contentType?: string;
}

/** A running simulator with the fixture state, and a caller for it. */
export interface NetworkSimulator {
  sim: RunningSimulator;
  /** Calls `${API}${path}` with a bearer token (fetched once). */
  call(method: string, path: string, options?: CallOptions): Promise<ApiAnswer>;
  close(): Promise<void>;
}

export async function startNetworkSimulator(options: SimulatorOptions = {}): Promise<NetworkSimulator> {
  const sim = await startSimulator({
    port: 0,
    peeringTransitionMs: 60_000,
    ...options,
    seed: networkState(),
  });
  let token: string | undefined;
  const bearer = async () => {
    if (token) return token;
    const response = await fetch(`${sim.url}/api/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
    if (response.status !== 200)
      throw new Error(`token request failed: ${response.status} ${await response.text()}`);
    token = ((await response.json()) as { access_token: string }).access_token;
    return token;
  };
  const call = async (method: string, path: string, callOptions: CallOptions = {}): Promise<ApiAnswer> => {
    const version = callOptions.version ?? '2023-01-01';
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await bearer()}`,
      Accept: `application/vnd.atlas.${version}+json`,
    };
    if (callOptions.body !== undefined) {
      headers['Content-Type'] = callOptions.contentType ?? `application/vnd.atlas.${version}+json`;
    }
    const response = await fetch(`${sim.url}${API}${path}`, {
      method,
      headers,
      ...(callOptions.body === undefined ? {} : { body: JSON.stringify(callOptions.body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
      text,
    };
  };
  return { sim, call, close: () => sim.close() };
}

/**
 * Calls `read` until `done` holds for its answer, for at most `timeoutMs`; returns the last answer (the
 * caller asserts on it, so a timeout fails with the answer in view).
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 5_000, intervalMs = 10 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}

/** The `badRequestDetail` field names of an error answer. */
export function badFields(answer: ApiAnswer): string[] {
  return ((answer.body?.badRequestDetail?.fields ?? []) as { field: string }[]).map((f) => f.field);
}
