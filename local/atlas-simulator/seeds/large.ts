/**
 * The `large:PxC` seed: one organization with P projects (`project-0001`, …) of C dedicated clusters each
 * (`cluster-0001`, … in every project), for load and pagination work. Shapes vary with the cluster's index:
 * provider and region, size, MongoDB version, a sharded or global cluster now and then, some paused, some
 * with backup off, some on TLS 1.0, some missing tags. Deterministic and cheap: 200x50 builds in well under
 * a second.
 */
import {
  IdGenerator,
  type SimCluster,
  type SimGlobalWrites,
  type SimProject,
  type SimState,
} from '../state.ts';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_PRIVATE_KEY, SIM_PUBLIC_KEY } from './credentials.ts';
import {
  buildCluster,
  type CloudProvider,
  type ClusterInput,
  type RegionInput,
  type ShardInput,
} from './demo.ts';

const REGIONS: Record<CloudProvider, readonly string[]> = {
  AWS: ['US_EAST_1', 'US_WEST_2', 'EU_WEST_1', 'EU_CENTRAL_1', 'AP_SOUTHEAST_2'],
  GCP: ['CENTRAL_US', 'WESTERN_EUROPE', 'EASTERN_US', 'EASTERN_ASIA_PACIFIC'],
  AZURE: ['US_EAST_2', 'EUROPE_WEST', 'US_WEST_2', 'UK_SOUTH'],
};
/** Roughly how Atlas fleets split: mostly AWS. */
const PROVIDERS: readonly CloudProvider[] = ['AWS', 'AWS', 'GCP', 'AWS', 'AZURE', 'AWS', 'GCP'];
const SIZES: readonly [string, number][] = [
  ['M10', 10],
  ['M20', 20],
  ['M30', 40],
  ['M40', 80],
  ['M50', 160],
  ['M60', 320],
];
const MAJORS = ['8.0', '7.0', '8.0', '7.0', '6.0', '8.0'] as const;
const ENVS = ['prod', 'staging', 'dev'] as const;
const EPOCH = Date.parse('2024-01-01T00:00:00Z');
const HOUR = 3_600_000;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const pad = (n: number) => String(n).padStart(4, '0');
const pick = <T>(list: readonly T[], index: number): T => list[index % list.length] as T;

/** `projects` projects of `clustersPerProject` dedicated clusters each, one organization, the usual credentials. */
export function largeSeed(projects: number, clustersPerProject: number): SimState {
  const ids = new IdGenerator(`atlas-simulator:large-seed:${projects}x${clustersPerProject}`);
  const orgId = ids.next('org');
  const projectList: SimProject[] = [];
  const clusters: SimCluster[] = [];
  const globalWrites: Record<string, SimGlobalWrites> = {};

  for (let p = 0; p < projects; p++) {
    const groupId = ids.next('project');
    const env = pick(ENVS, p);
    projectList.push({
      id: groupId,
      name: `project-${pad(p + 1)}`,
      orgId,
      created: iso(EPOCH + p * HOUR),
      tags: [
        { key: 'env', value: env },
        { key: 'team', value: `team-${pad((p % 25) + 1)}` },
      ],
      withDefaultAlertsSettings: true,
      regionUsageRestrictions: 'COMMERCIAL_FEDRAMP_REGIONS_ONLY',
    });

    for (let c = 0; c < clustersPerProject; c++) {
      const i = p * clustersPerProject + c;
      const provider = pick(PROVIDERS, i);
      const [instanceSize, diskSizeGB] = pick(SIZES, i * 5 + p);
      const region = (offset = 0): RegionInput => ({
        provider,
        region: pick(REGIONS[provider], i + p + offset),
      });
      const clusterType = i % 41 === 20 ? 'GEOSHARDED' : i % 11 === 5 ? 'SHARDED' : 'REPLICASET';
      const shards: ShardInput[] = [];
      if (clusterType === 'GEOSHARDED') {
        for (const [z, zoneName] of ['Zone A', 'Zone B'].entries()) {
          shards.push({
            id: ids.next('replication-spec'),
            zoneId: ids.next('zone'),
            zoneName,
            regions: [region(z)],
          });
        }
      } else {
        const zoneId = ids.next('zone');
        const count = clusterType === 'SHARDED' ? 2 + (i % 3) : 1;
        for (let s = 0; s < count; s++) {
          shards.push({ id: ids.next('replication-spec'), zoneId, zoneName: 'Zone 1', regions: [region()] });
        }
      }
      const tags = [
        ...(i % 5 === 2 ? [] : [{ key: 'env', value: env }]),
        ...(i % 4 === 0 ? [] : [{ key: 'owner', value: `owner-${pad((i % 40) + 1)}` }]),
      ];
      const input: ClusterInput = {
        id: ids.next('cluster'),
        groupId,
        name: `cluster-${pad(c + 1)}`,
        clusterType,
        mongoDBMajorVersion: pick(MAJORS, i + p),
        instanceSize,
        diskSizeGB,
        shards,
        createDate: iso(EPOCH + p * HOUR + (c + 1) * 60_000),
        paused: i % 13 === 7,
        backupEnabled: i % 9 !== 4,
        pitEnabled: env === 'prod' && i % 9 !== 4,
        terminationProtectionEnabled: env === 'prod',
        encryptionAtRestProvider: i % 6 === 0 ? provider : 'NONE',
        minimumEnabledTlsProtocol: i % 17 === 3 ? 'TLS1_0' : i % 17 === 8 ? 'TLS1_1' : 'TLS1_2',
        tags,
        ...(i % 3 === 0 && instanceSize !== 'M60'
          ? { computeAutoScaling: { minInstanceSize: instanceSize, maxInstanceSize: 'M60' } }
          : {}),
      };
      const cluster = buildCluster(input);
      clusters.push(cluster);
      if (clusterType === 'GEOSHARDED') {
        const [zoneA, zoneB] = shards;
        globalWrites[cluster.id] = {
          customZoneMapping: { CA: zoneA?.zoneId ?? '', GB: zoneB?.zoneId ?? '' },
          managedNamespaces: [
            {
              db: 'app',
              collection: 'accounts',
              customShardKey: 'accountId',
              isCustomShardKeyHashed: false,
              isShardKeyUnique: false,
              numInitialChunks: 0,
              presplitHashedZones: false,
            },
          ],
          selfManagedSharding: false,
        };
      }
    }
  }

  const ownerId = ids.next('user');
  return {
    orgs: [{ id: orgId, name: 'Large-Org', isDeleted: false, skipDefaultAlertsSettings: false }],
    projects: projectList,
    clusters,
    flexClusters: [],
    onlineArchives: [],
    users: [
      {
        id: ownerId,
        orgId,
        username: 'owner@large.example.com',
        orgMembershipStatus: 'ACTIVE',
        roles: { orgRoles: ['ORG_OWNER'], groupRoleAssignments: [] },
        teamIds: [],
        firstName: 'Olivia',
        lastName: 'Owner',
        country: 'US',
        createdAt: iso(EPOCH),
        lastAuth: iso(EPOCH + 30 * 24 * HOUR),
      },
    ],
    invitations: [],
    containers: [],
    peers: [],
    peerCreatedAt: {},
    projectAccessList: [],
    serviceAccounts: [
      {
        clientId: SIM_CLIENT_ID,
        clientSecret: SIM_CLIENT_SECRET,
        orgId,
        name: 'simulator',
        accessList: [{ ipAddress: '127.0.0.1', createdAt: iso(EPOCH), requestCount: 0 }],
      },
    ],
    apiKeys: [{ publicKey: SIM_PUBLIC_KEY, privateKey: SIM_PRIVATE_KEY, orgId }],
    globalWrites,
    databaseUsers: [],
    snapshots: [],
    clusterActivity: {},
  };
}
