/**
 * Every resource method sends the exact method, path, query, version and body that atlas-api.md gives for
 * its operation, and hands the caller what Atlas answered. The expectations are written out here, never
 * read from the operation constants, so a wrong constant fails.
 */
import { describe, expect, it } from 'vitest';
import type { AtlasClient } from '../../../../../shared/atlas/client.ts';
import type { DatabaseUser } from '../../../../../shared/atlas/resources/database-users.ts';
import { JSON_HEADERS, mockAtlas } from '../../../../support/mock-atlas.ts';
import {
  API,
  ARCHIVE_ID,
  AWS_PEERING,
  CLIENT_ID,
  FIRST_PAGE,
  GROUP_ID,
  INVITATION_ID,
  ORG_ID,
  PEER_ID,
  USER_ID,
} from './fixtures.ts';

interface Case {
  /** `resource.method`, for the test title. */
  call: string;
  act: (client: AtlasClient) => Promise<unknown>;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path after `/api/atlas/v2`, with the query string in the order the client writes it. */
  path: string;
  version: string;
  /** The JSON body the request must carry (writes only). */
  body?: unknown;
  status: number;
  /** What Atlas answers (omitted for an empty answer). */
  reply?: unknown;
  /** What the caller gets back. */
  returns: unknown;
}

const org = { id: ORG_ID, name: 'Acme' };
const project = {
  id: GROUP_ID,
  name: 'prod',
  orgId: ORG_ID,
  clusterCount: 2,
  created: '2025-01-02T03:04:05Z',
};
const flex = { name: 'flex-1', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' } };
const activeUser = {
  id: USER_ID,
  orgMembershipStatus: 'ACTIVE',
  roles: ['GROUP_READ_ONLY'],
  username: 'ada@example.com',
  createdAt: '2025-01-02T03:04:05Z',
  firstName: 'Ada',
  lastName: 'Lovelace',
};
const pendingOrgUser = {
  id: USER_ID,
  orgMembershipStatus: 'PENDING',
  roles: { orgRoles: ['ORG_MEMBER'] },
  username: 'ada@example.com',
  invitationCreatedAt: '2025-01-02T03:04:05Z',
  inviterUsername: 'grace@example.com',
};
const peering = { ...AWS_PEERING, id: PEER_ID, statusName: 'PENDING_ACCEPTANCE' };
const gcpContainer = {
  id: PEER_ID,
  providerName: 'GCP',
  atlasCidrBlock: '10.0.0.0/18',
  regions: ['EASTERN_US'],
};
const archive = {
  _id: ARCHIVE_ID,
  clusterName: 'prod',
  dbName: 'sales',
  collName: 'orders',
  state: 'ACTIVE',
};
const invitation = { id: INVITATION_ID, orgId: ORG_ID, orgName: 'Acme', username: 'ada@example.com' };
const saEntries = [{ ipAddress: '203.0.113.7' }, { cidrBlock: '198.51.100.0/24' }];
const saPage = { results: saEntries.map((e) => ({ ...e, requestCount: 0 })) };
const accessEntries = [
  { ipAddress: '203.0.113.7', comment: 'office' },
  { cidrBlock: '198.51.100.0/24', deleteAfterDate: '2030-01-01T00:00:00Z' },
  { awsSecurityGroup: 'sg-0123abcd' },
];
const accessPage = { results: accessEntries.map((e) => ({ ...e, groupId: GROUP_ID })) };
const IAM_ROLE = 'arn:aws:iam::123456789012:role/analyst';
const dbUser: DatabaseUser = {
  username: 'reader',
  databaseName: 'admin',
  roles: [{ roleName: 'readAnyDatabase', databaseName: 'admin' }],
  scopes: [{ name: 'main', type: 'CLUSTER' }],
  deleteAfterDate: '2026-12-09T00:00:00Z',
};
const snapshot = {
  id: '6b1d2a3e4f5a6b7c8d9e0f1a',
  description: 'before',
  status: 'queued',
  snapshotType: 'onDemand',
};
const namespace = { db: 'sales', collection: 'orders', customShardKey: 'region', numInitialChunks: 8192 };
const geoSharding = { customZoneMapping: { 'US-VA': ARCHIVE_ID }, managedNamespaces: [namespace] };
const zoneMappings = [{ location: 'US-VA', zone: 'Zone 1' }];
const GLOBAL = `/groups/${GROUP_ID}/clusters/geo/globalWrites`;
const geo = { groupId: GROUP_ID, clusterName: 'geo' };

const cases: Case[] = [
  // orgs
  {
    call: 'orgs.list',
    act: (c) => Array.fromAsync(c.orgs.list({ name: 'Acme' })),
    method: 'GET',
    path: `/orgs?name=Acme&${FIRST_PAGE}`,
    version: '2023-01-01',
    status: 200,
    reply: { results: [org] },
    returns: [org],
  },
  {
    call: 'orgs.list (no filter)',
    act: (c) => Array.fromAsync(c.orgs.list()),
    method: 'GET',
    path: `/orgs?${FIRST_PAGE}`,
    version: '2023-01-01',
    status: 200,
    reply: { results: [org] },
    returns: [org],
  },
  // projects
  {
    call: 'projects.list',
    act: (c) => Array.fromAsync(c.projects.list()),
    method: 'GET',
    path: `/groups?${FIRST_PAGE}`,
    version: '2023-01-01',
    status: 200,
    reply: { results: [project] },
    returns: [project],
  },
  {
    call: 'projects.listForOrg',
    act: (c) => Array.fromAsync(c.projects.listForOrg({ orgId: ORG_ID, name: 'prod' })),
    method: 'GET',
    path: `/orgs/${ORG_ID}/groups?name=prod&${FIRST_PAGE}`,
    version: '2023-01-01',
    status: 200,
    reply: { results: [project] },
    returns: [project],
  },
  {
    call: 'projects.get',
    act: (c) => c.projects.get({ groupId: GROUP_ID }),
    method: 'GET',
    path: `/groups/${GROUP_ID}`,
    version: '2023-01-01',
    status: 200,
    reply: project,
    returns: project,
  },
  // flex clusters
  {
    call: 'flexClusters.list',
    act: (c) => Array.fromAsync(c.flexClusters.list({ groupId: GROUP_ID })),
    method: 'GET',
    path: `/groups/${GROUP_ID}/flexClusters?${FIRST_PAGE}`,
    version: '2024-11-13',
    status: 200,
    reply: { results: [flex] },
    returns: [flex],
  },
  {
    call: 'flexClusters.get',
    act: (c) => c.flexClusters.get({ groupId: GROUP_ID, name: 'flex-1' }),
    method: 'GET',
    path: `/groups/${GROUP_ID}/flexClusters/flex-1`,
    version: '2024-11-13',
    status: 200,
    reply: flex,
    returns: flex,
  },
  // project users
  {
    call: 'projectUsers.get',
    act: (c) =>
      c.projectUsers.get({
        groupId: GROUP_ID,
        userId: USER_ID,
        orgMembershipStatuses: ['ACTIVE', 'PENDING'],
      }),
    method: 'GET',
    path: `/groups/${GROUP_ID}/users/${USER_ID}?orgMembershipStatuses=ACTIVE&orgMembershipStatuses=PENDING`,
    version: '2025-02-19',
    status: 200,
    reply: activeUser,
    returns: activeUser,
  },
  // network peering
  {
    call: 'networkPeering.list',
    act: (c) => Array.fromAsync(c.networkPeering.list({ groupId: GROUP_ID, providerName: 'AWS' })),
    method: 'GET',
    path: `/groups/${GROUP_ID}/peers?providerName=AWS&${FIRST_PAGE}`,
    version: '2023-01-01',
    status: 200,
    reply: { results: [peering] },
    returns: [peering],
  },
  {
    call: 'networkPeering.create',
    act: (c) => c.networkPeering.create({ groupId: GROUP_ID, peering: AWS_PEERING }),
    method: 'POST',
    path: `/groups/${GROUP_ID}/peers`,
    version: '2023-01-01',
    body: AWS_PEERING,
    status: 200,
    reply: peering,
    returns: peering,
  },
  {
    call: 'networkPeering.get',
    act: (c) => c.networkPeering.get({ groupId: GROUP_ID, peerId: PEER_ID }),
    method: 'GET',
    path: `/groups/${GROUP_ID}/peers/${PEER_ID}`,
    version: '2023-01-01',
    status: 200,
    reply: peering,
    returns: peering,
  },
  {
    call: 'networkPeering.delete',
    act: (c) => c.networkPeering.delete({ groupId: GROUP_ID, peerId: PEER_ID }),
    method: 'DELETE',
    path: `/groups/${GROUP_ID}/peers/${PEER_ID}`,
    version: '2023-01-01',
    status: 202,
    reply: {},
    returns: undefined,
  },
  {
    call: 'networkPeering.listContainers',
    act: (c) => Array.fromAsync(c.networkPeering.listContainers({ groupId: GROUP_ID, providerName: 'GCP' })),
    method: 'GET',
    path: `/groups/${GROUP_ID}/containers?providerName=GCP&${FIRST_PAGE}`,
    version: '2023-01-01',
    status: 200,
    reply: { results: [gcpContainer] },
    returns: [gcpContainer],
  },
  {
    call: 'networkPeering.listAllContainers',
    act: (c) => Array.fromAsync(c.networkPeering.listAllContainers({ groupId: GROUP_ID })),
    method: 'GET',
    path: `/groups/${GROUP_ID}/containers/all?${FIRST_PAGE}`,
    version: '2023-01-01',
    status: 200,
    reply: { results: [gcpContainer] },
    returns: [gcpContainer],
  },
  // online archives
  {
    call: 'onlineArchives.list',
    act: (c) => Array.fromAsync(c.onlineArchives.list({ groupId: GROUP_ID, clusterName: 'prod' })),
    method: 'GET',
    path: `/groups/${GROUP_ID}/clusters/prod/onlineArchives?${FIRST_PAGE}`,
    version: '2023-01-01',
    status: 200,
    reply: { results: [archive] },
    returns: [archive],
  },
  {
    call: 'onlineArchives.get',
    act: (c) => c.onlineArchives.get({ groupId: GROUP_ID, clusterName: 'prod', archiveId: ARCHIVE_ID }),
    method: 'GET',
    path: `/groups/${GROUP_ID}/clusters/prod/onlineArchives/${ARCHIVE_ID}`,
    version: '2023-01-01',
    status: 200,
    reply: archive,
    returns: archive,
  },
  {
    call: 'onlineArchives.delete',
    act: (c) => c.onlineArchives.delete({ groupId: GROUP_ID, clusterName: 'prod', archiveId: ARCHIVE_ID }),
    method: 'DELETE',
    path: `/groups/${GROUP_ID}/clusters/prod/onlineArchives/${ARCHIVE_ID}`,
    version: '2023-01-01',
    status: 204,
    returns: undefined,
  },
  // org invitations (deprecated, a bare array)
  {
    call: 'orgInvitations.list',
    act: (c) => c.orgInvitations.list({ orgId: ORG_ID, username: 'ada@example.com' }),
    method: 'GET',
    path: `/orgs/${ORG_ID}/invites?username=ada%40example.com`,
    version: '2023-01-01',
    status: 200,
    reply: [invitation],
    returns: [invitation],
  },
  {
    call: 'orgInvitations.cancel',
    act: (c) => c.orgInvitations.cancel({ orgId: ORG_ID, invitationId: INVITATION_ID }),
    method: 'DELETE',
    path: `/orgs/${ORG_ID}/invites/${INVITATION_ID}`,
    version: '2023-01-01',
    status: 204,
    returns: undefined,
  },
  // org users
  {
    call: 'orgUsers.list',
    act: (c) =>
      Array.fromAsync(
        c.orgUsers.list({ orgId: ORG_ID, username: 'ada@example.com', orgMembershipStatus: 'PENDING' }),
      ),
    method: 'GET',
    path: `/orgs/${ORG_ID}/users?username=ada%40example.com&orgMembershipStatus=PENDING&${FIRST_PAGE}`,
    version: '2025-02-19',
    status: 200,
    reply: { results: [pendingOrgUser] },
    returns: [pendingOrgUser],
  },
  {
    call: 'orgUsers.remove',
    act: (c) => c.orgUsers.remove({ orgId: ORG_ID, userId: USER_ID }),
    method: 'DELETE',
    path: `/orgs/${ORG_ID}/users/${USER_ID}`,
    version: '2025-02-19',
    status: 204,
    returns: undefined,
  },
  // service-account access list
  {
    call: 'serviceAccountAccessList.list',
    act: (c) => Array.fromAsync(c.serviceAccountAccessList.list({ orgId: ORG_ID, clientId: CLIENT_ID })),
    method: 'GET',
    path: `/orgs/${ORG_ID}/serviceAccounts/${CLIENT_ID}/accessList?${FIRST_PAGE}`,
    version: '2024-08-05',
    status: 200,
    reply: saPage,
    returns: saPage.results,
  },
  {
    call: 'serviceAccountAccessList.add',
    act: (c) => c.serviceAccountAccessList.add({ orgId: ORG_ID, clientId: CLIENT_ID, entries: saEntries }),
    method: 'POST',
    path: `/orgs/${ORG_ID}/serviceAccounts/${CLIENT_ID}/accessList?itemsPerPage=500`,
    version: '2024-08-05',
    body: saEntries,
    status: 200,
    reply: saPage,
    returns: saPage,
  },
  {
    call: 'serviceAccountAccessList.delete',
    act: (c) =>
      c.serviceAccountAccessList.delete({ orgId: ORG_ID, clientId: CLIENT_ID, ipAddress: '203.0.113.7' }),
    method: 'DELETE',
    path: `/orgs/${ORG_ID}/serviceAccounts/${CLIENT_ID}/accessList/203.0.113.7`,
    version: '2024-08-05',
    status: 204,
    returns: undefined,
  },
  // project access list
  {
    call: 'projectAccessList.list',
    act: (c) => Array.fromAsync(c.projectAccessList.list({ groupId: GROUP_ID })),
    method: 'GET',
    path: `/groups/${GROUP_ID}/accessList?${FIRST_PAGE}`,
    version: '2023-01-01',
    status: 200,
    reply: accessPage,
    returns: accessPage.results,
  },
  {
    call: 'projectAccessList.add',
    act: (c) => c.projectAccessList.add({ groupId: GROUP_ID, entries: accessEntries }),
    method: 'POST',
    path: `/groups/${GROUP_ID}/accessList?itemsPerPage=500`,
    version: '2023-01-01',
    body: accessEntries,
    status: 200,
    reply: accessPage,
    returns: accessPage,
  },
  {
    call: 'projectAccessList.get',
    act: (c) => c.projectAccessList.get({ groupId: GROUP_ID, entryValue: '203.0.113.7' }),
    method: 'GET',
    path: `/groups/${GROUP_ID}/accessList/203.0.113.7`,
    version: '2023-01-01',
    status: 200,
    reply: accessPage.results[0],
    returns: accessPage.results[0],
  },
  {
    call: 'projectAccessList.delete',
    act: (c) => c.projectAccessList.delete({ groupId: GROUP_ID, entryValue: 'sg-0123abcd' }),
    method: 'DELETE',
    path: `/groups/${GROUP_ID}/accessList/sg-0123abcd`,
    version: '2023-01-01',
    status: 204,
    returns: undefined,
  },
  {
    call: 'projectAccessList.status',
    act: (c) => c.projectAccessList.status({ groupId: GROUP_ID, entryValue: '203.0.113.7' }),
    method: 'GET',
    path: `/groups/${GROUP_ID}/accessList/203.0.113.7/status`,
    version: '2023-01-01',
    status: 200,
    reply: { STATUS: 'PENDING' },
    returns: { STATUS: 'PENDING' },
  },
  // global clusters
  {
    call: 'globalClusters.get',
    act: (c) => c.globalClusters.get(geo),
    method: 'GET',
    path: GLOBAL,
    version: '2024-08-05',
    status: 200,
    reply: geoSharding,
    returns: geoSharding,
  },
  {
    call: 'globalClusters.addManagedNamespace',
    act: (c) => c.globalClusters.addManagedNamespace({ ...geo, namespace }),
    method: 'POST',
    path: `${GLOBAL}/managedNamespaces`,
    version: '2024-08-05',
    body: namespace,
    status: 200,
    reply: geoSharding,
    returns: geoSharding,
  },
  {
    call: 'globalClusters.removeManagedNamespace',
    act: (c) => c.globalClusters.removeManagedNamespace({ ...geo, db: 'sales', collection: 'orders' }),
    method: 'DELETE',
    path: `${GLOBAL}/managedNamespaces?db=sales&collection=orders`,
    version: '2024-08-05',
    status: 200,
    reply: { managedNamespaces: [] },
    returns: { managedNamespaces: [] },
  },
  {
    call: 'globalClusters.addCustomZoneMappings',
    act: (c) => c.globalClusters.addCustomZoneMappings({ ...geo, mappings: zoneMappings }),
    method: 'POST',
    path: `${GLOBAL}/customZoneMapping`,
    version: '2024-08-05',
    body: { customZoneMappings: zoneMappings },
    status: 200,
    reply: geoSharding,
    returns: geoSharding,
  },
  {
    call: 'globalClusters.removeAllCustomZoneMappings',
    act: (c) => c.globalClusters.removeAllCustomZoneMappings(geo),
    method: 'DELETE',
    path: `${GLOBAL}/customZoneMapping`,
    version: '2024-08-05',
    status: 200,
    reply: { customZoneMapping: {}, managedNamespaces: [namespace] },
    returns: { customZoneMapping: {}, managedNamespaces: [namespace] },
  },
  // project users and roles (2025-02-19)
  {
    call: 'projectUsers.list',
    act: (c) => Array.fromAsync(c.projectUsers.list({ groupId: GROUP_ID, username: 'ada@example.com' })),
    method: 'GET',
    path: `/groups/${GROUP_ID}/users?username=ada%40example.com&${FIRST_PAGE}`,
    version: '2025-02-19',
    status: 200,
    reply: { results: [activeUser] },
    returns: [activeUser],
  },
  {
    call: 'projectUsers.add',
    act: (c) =>
      c.projectUsers.add({ groupId: GROUP_ID, username: 'ada@example.com', roles: ['GROUP_READ_ONLY'] }),
    method: 'POST',
    path: `/groups/${GROUP_ID}/users`,
    version: '2025-02-19',
    body: { username: 'ada@example.com', roles: ['GROUP_READ_ONLY'] },
    status: 201,
    reply: activeUser,
    returns: activeUser,
  },
  {
    call: 'projectUsers.addRole',
    act: (c) => c.projectUsers.addRole({ groupId: GROUP_ID, userId: USER_ID, groupRole: 'GROUP_OWNER' }),
    method: 'POST',
    path: `/groups/${GROUP_ID}/users/${USER_ID}:addRole`,
    version: '2025-02-19',
    body: { groupRole: 'GROUP_OWNER' },
    status: 200,
    reply: activeUser,
    returns: activeUser,
  },
  {
    call: 'projectUsers.removeRole',
    act: (c) => c.projectUsers.removeRole({ groupId: GROUP_ID, userId: USER_ID, groupRole: 'GROUP_OWNER' }),
    method: 'POST',
    path: `/groups/${GROUP_ID}/users/${USER_ID}:removeRole`,
    version: '2025-02-19',
    body: { groupRole: 'GROUP_OWNER' },
    status: 200,
    reply: activeUser,
    returns: activeUser,
  },
  {
    call: 'projectUsers.remove',
    act: (c) => c.projectUsers.remove({ groupId: GROUP_ID, userId: USER_ID }),
    method: 'DELETE',
    path: `/groups/${GROUP_ID}/users/${USER_ID}`,
    version: '2025-02-19',
    status: 204,
    returns: undefined,
  },
  // database users (2023-01-01)
  {
    call: 'databaseUsers.create',
    act: (c) =>
      c.databaseUsers.create({ groupId: GROUP_ID, user: { ...dbUser, password: 'a-long-password' } }),
    method: 'POST',
    path: `/groups/${GROUP_ID}/databaseUsers`,
    version: '2023-01-01',
    body: { ...dbUser, password: 'a-long-password', groupId: GROUP_ID },
    status: 201,
    reply: dbUser,
    returns: dbUser,
  },
  {
    call: 'databaseUsers.list',
    act: (c) => Array.fromAsync(c.databaseUsers.list({ groupId: GROUP_ID })),
    method: 'GET',
    path: `/groups/${GROUP_ID}/databaseUsers?${FIRST_PAGE}`,
    version: '2023-01-01',
    status: 200,
    reply: { results: [dbUser] },
    returns: [dbUser],
  },
  {
    call: 'databaseUsers.get',
    act: (c) => c.databaseUsers.get({ groupId: GROUP_ID, databaseName: '$external', username: IAM_ROLE }),
    method: 'GET',
    path: `/groups/${GROUP_ID}/databaseUsers/%24external/${encodeURIComponent(IAM_ROLE)}`,
    version: '2023-01-01',
    status: 200,
    reply: dbUser,
    returns: dbUser,
  },
  {
    call: 'databaseUsers.update',
    act: (c) =>
      c.databaseUsers.update({
        groupId: GROUP_ID,
        databaseName: 'admin',
        username: 'reader',
        changes: { deleteAfterDate: '2026-12-10T00:00:00Z' },
      }),
    method: 'PATCH',
    path: `/groups/${GROUP_ID}/databaseUsers/admin/reader`,
    version: '2023-01-01',
    body: { deleteAfterDate: '2026-12-10T00:00:00Z' },
    status: 200,
    reply: dbUser,
    returns: dbUser,
  },
  {
    call: 'databaseUsers.delete',
    act: (c) => c.databaseUsers.delete({ groupId: GROUP_ID, databaseName: 'admin', username: 'reader' }),
    method: 'DELETE',
    path: `/groups/${GROUP_ID}/databaseUsers/admin/reader`,
    version: '2023-01-01',
    status: 204,
    returns: undefined,
  },
  // clusters (2024-08-05), pause (2024-10-23) and on-demand snapshots (2023-01-01)
  {
    call: 'clusters.list',
    act: (c) => Array.fromAsync(c.clusters.list({ groupId: GROUP_ID })),
    method: 'GET',
    path: `/groups/${GROUP_ID}/clusters?${FIRST_PAGE}`,
    version: '2024-08-05',
    status: 200,
    reply: { results: [{ name: 'main' }] },
    returns: [{ name: 'main' }],
  },
  {
    call: 'clusters.get',
    act: (c) => c.clusters.get({ groupId: GROUP_ID, clusterName: 'main' }),
    method: 'GET',
    path: `/groups/${GROUP_ID}/clusters/main`,
    version: '2024-08-05',
    status: 200,
    reply: { name: 'main', stateName: 'IDLE' },
    returns: { name: 'main', stateName: 'IDLE' },
  },
  {
    call: 'clusters.setPaused',
    act: (c) => c.clusters.setPaused({ groupId: GROUP_ID, clusterName: 'sandbox', paused: true }),
    method: 'PATCH',
    path: `/groups/${GROUP_ID}/clusters/sandbox`,
    version: '2024-10-23',
    body: { paused: true },
    status: 200,
    reply: { name: 'sandbox', paused: true },
    returns: { name: 'sandbox', paused: true },
  },
  {
    call: 'cloudBackups.snapshots',
    act: (c) => Array.fromAsync(c.cloudBackups.snapshots({ groupId: GROUP_ID, clusterName: 'main' })),
    method: 'GET',
    path: `/groups/${GROUP_ID}/clusters/main/backup/snapshots?${FIRST_PAGE}`,
    version: '2023-01-01',
    status: 200,
    reply: { results: [snapshot] },
    returns: [snapshot],
  },
  {
    call: 'cloudBackups.takeSnapshot',
    act: (c) =>
      c.cloudBackups.takeSnapshot({
        groupId: GROUP_ID,
        clusterName: 'main',
        description: 'before',
        retentionInDays: 7,
      }),
    method: 'POST',
    path: `/groups/${GROUP_ID}/clusters/main/backup/snapshots`,
    version: '2023-01-01',
    body: { description: 'before', retentionInDays: 7 },
    status: 200,
    reply: snapshot,
    returns: snapshot,
  },
];

describe('resource operations', () => {
  it.each(cases)('$call: $method $path with version $version', async (c) => {
    // Prepare
    const atlas = mockAtlas();
    const interceptor = atlas.pool.intercept({ path: `${API}${c.path}`, method: c.method });
    if (c.reply === undefined) interceptor.reply(c.status, '');
    else interceptor.reply(c.status, JSON.stringify(c.reply), { headers: JSON_HEADERS });

    // Act
    const result = await c.act(atlas.client);

    // Assess
    const requests = atlas.apiCalls();
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe(c.method);
    expect(request?.path).toBe(`${API}${c.path}`);
    const mediaType = `application/vnd.atlas.${c.version}+json`;
    expect(request?.headers.accept).toBe(mediaType);
    if (c.body === undefined) {
      expect(request?.headers['content-type']).toBeUndefined();
      expect(request?.body ?? undefined).toBeUndefined();
    } else {
      expect(request?.headers['content-type']).toBe(mediaType);
      expect(JSON.parse(String(request?.body))).toEqual(c.body);
    }
    expect(result).toEqual(c.returns);
  });

  it('covers every public method of every resource', () => {
    // Prepare
    const { client } = mockAtlas();
    const resources = [
      'orgs',
      'projects',
      'flexClusters',
      'projectUsers',
      'networkPeering',
      'onlineArchives',
      'orgInvitations',
      'orgUsers',
      'serviceAccountAccessList',
      'projectAccessList',
      'globalClusters',
      'databaseUsers',
      'cloudBackups',
      'clusters',
    ] as const;

    // Act
    const methods = resources.flatMap((name) =>
      Object.getOwnPropertyNames(Object.getPrototypeOf(client[name]))
        .filter((method) => method !== 'constructor')
        .map((method) => `${name}.${method}`),
    );

    // Assess
    const tested = new Set(cases.map((c) => c.call.split(' ')[0]));
    expect(methods.filter((m) => !tested.has(m))).toEqual([]);
  });
});
