/**
 * Bad input is refused before anything is sent: no API request and not even a token request, and the error
 * names the bad field by its path in the params.
 */
import { describe, expect, it } from 'vitest';
import type { AtlasClient } from '../../../../../shared/atlas/client.ts';
import { AtlasValidationError } from '../../../../../shared/atlas/errors.ts';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import {
  AWS_PEERING,
  CLIENT_ID,
  CONTAINER_ID,
  GROUP_ID,
  ORG_ID,
  PEER_ID,
  rejectionOf,
  USER_ID,
} from './fixtures.ts';

interface BadInput {
  what: string;
  act: (client: AtlasClient) => Promise<unknown>;
  /** The field path the error must name. */
  field: string;
}

// Loosens a call's params type so a test can pass what TypeScript would refuse.
// biome-ignore lint/suspicious/noExplicitAny: the point is to send values the types forbid
const loose = (value: unknown): any => value;

const AZURE_PEERING = {
  providerName: 'AZURE',
  containerId: CONTAINER_ID,
  azureDirectoryId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  azureSubscriptionId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  resourceGroupName: 'rg-prod',
  vnetName: 'vnet(prod)',
} as const;
const GCP_PEERING = {
  providerName: 'GCP',
  containerId: CONTAINER_ID,
  gcpProjectId: 'my-project-123',
  networkName: 'default',
} as const;
const sa = { orgId: ORG_ID, clientId: CLIENT_ID };
const geo = { groupId: GROUP_ID, clusterName: 'geo' };

const badInputs: BadInput[] = [
  // orgs and projects
  { what: 'an empty org name filter', act: (c) => Array.fromAsync(c.orgs.list({ name: '' })), field: 'name' },
  { what: 'a bad groupId', act: (c) => c.projects.get({ groupId: 'not-a-project' }), field: 'groupId' },
  {
    what: 'an upper-case orgId',
    act: (c) => Array.fromAsync(c.projects.listForOrg({ orgId: ORG_ID.toUpperCase() })),
    field: 'orgId',
  },
  // flex clusters
  {
    what: 'a bad flex cluster name',
    act: (c) => c.flexClusters.get({ groupId: GROUP_ID, name: '-flex' }),
    field: 'name',
  },
  {
    what: 'a bad groupId in a list',
    act: (c) => Array.fromAsync(c.flexClusters.list({ groupId: '' })),
    field: 'groupId',
  },
  // project users
  {
    what: 'an unknown membership status',
    act: (c) =>
      c.projectUsers.get({
        groupId: GROUP_ID,
        userId: USER_ID,
        orgMembershipStatuses: loose(['ACTIVE', 'GONE']),
      }),
    field: 'orgMembershipStatuses.1',
  },
  {
    what: 'a bad userId',
    act: (c) => c.projectUsers.get({ groupId: GROUP_ID, userId: 'ada' }),
    field: 'userId',
  },
  // network peering
  {
    what: 'a 13-digit AWS account',
    act: (c) =>
      c.networkPeering.create({
        groupId: GROUP_ID,
        peering: { ...AWS_PEERING, awsAccountId: '1234567890123' },
      }),
    field: 'peering.awsAccountId',
  },
  {
    what: 'a bad VPC id',
    act: (c) => c.networkPeering.create({ groupId: GROUP_ID, peering: { ...AWS_PEERING, vpcId: 'vpc-123' } }),
    field: 'peering.vpcId',
  },
  {
    what: 'a route table address without a mask',
    act: (c) =>
      c.networkPeering.create({
        groupId: GROUP_ID,
        peering: { ...AWS_PEERING, routeTableCidrBlock: '10.8.0.0' },
      }),
    field: 'peering.routeTableCidrBlock',
  },
  {
    what: 'an AWS region in Atlas spelling',
    act: (c) =>
      c.networkPeering.create({
        groupId: GROUP_ID,
        peering: { ...AWS_PEERING, accepterRegionName: 'US_EAST_1' },
      }),
    field: 'peering.accepterRegionName',
  },
  {
    what: 'a peering with an unknown providerName',
    act: (c) =>
      c.networkPeering.create({ groupId: GROUP_ID, peering: loose({ ...AWS_PEERING, providerName: 'OCI' }) }),
    field: 'peering.providerName',
  },
  {
    what: 'an AWS peering missing its VPC',
    act: (c) =>
      c.networkPeering.create({ groupId: GROUP_ID, peering: loose({ ...AWS_PEERING, vpcId: undefined }) }),
    field: 'peering.vpcId',
  },
  {
    what: 'an Azure peering with a directory id that is not a UUID',
    act: (c) =>
      c.networkPeering.create({
        groupId: GROUP_ID,
        peering: { ...AZURE_PEERING, azureDirectoryId: 'contoso' },
      }),
    field: 'peering.azureDirectoryId',
  },
  {
    what: 'an Azure resource group with a space',
    act: (c) =>
      c.networkPeering.create({
        groupId: GROUP_ID,
        peering: { ...AZURE_PEERING, resourceGroupName: 'rg prod' },
      }),
    field: 'peering.resourceGroupName',
  },
  {
    what: 'a GCP project id with upper case',
    act: (c) =>
      c.networkPeering.create({ groupId: GROUP_ID, peering: { ...GCP_PEERING, gcpProjectId: 'My-Project' } }),
    field: 'peering.gcpProjectId',
  },
  {
    what: 'a GCP network name starting with a digit',
    act: (c) =>
      c.networkPeering.create({ groupId: GROUP_ID, peering: { ...GCP_PEERING, networkName: '1net' } }),
    field: 'peering.networkName',
  },
  {
    what: 'a read-only field in a peering request',
    act: (c) =>
      c.networkPeering.create({ groupId: GROUP_ID, peering: loose({ ...AWS_PEERING, id: PEER_ID }) }),
    field: 'peering',
  },
  {
    what: 'a container list without a provider',
    act: (c) => Array.fromAsync(c.networkPeering.listContainers(loose({ groupId: GROUP_ID }))),
    field: 'providerName',
  },
  {
    what: 'a bad peerId',
    act: (c) => c.networkPeering.delete({ groupId: GROUP_ID, peerId: 'pcx-1' }),
    field: 'peerId',
  },
  // online archives
  {
    what: 'a cluster name with an underscore',
    act: (c) => Array.fromAsync(c.onlineArchives.list({ groupId: GROUP_ID, clusterName: 'my_cluster' })),
    field: 'clusterName',
  },
  {
    what: 'a bad archiveId',
    act: (c) => c.onlineArchives.delete({ groupId: GROUP_ID, clusterName: 'prod', archiveId: 'archive-1' }),
    field: 'archiveId',
  },
  // org invitations and users
  {
    what: 'a bad invitationId',
    act: (c) => c.orgInvitations.cancel({ orgId: ORG_ID, invitationId: 'invite-1' }),
    field: 'invitationId',
  },
  {
    what: 'an invitation filter that is not an email',
    act: (c) => c.orgInvitations.list({ orgId: ORG_ID, username: 'ada' }),
    field: 'username',
  },
  {
    what: 'an unknown org membership status',
    act: (c) => Array.fromAsync(c.orgUsers.list({ orgId: ORG_ID, orgMembershipStatus: loose('LEFT') })),
    field: 'orgMembershipStatus',
  },
  {
    what: 'a bad org userId',
    act: (c) => c.orgUsers.remove({ orgId: ORG_ID, userId: 'x' }),
    field: 'userId',
  },
  // service-account access list
  {
    what: 'a bad clientId',
    act: (c) =>
      Array.fromAsync(c.serviceAccountAccessList.list({ orgId: ORG_ID, clientId: 'mdb_sa_id_123' })),
    field: 'clientId',
  },
  {
    what: 'a bad CIDR block',
    act: (c) => c.serviceAccountAccessList.add({ ...sa, entries: [{ cidrBlock: '10.0.0.0/33' }] }),
    field: 'entries.0.cidrBlock',
  },
  {
    what: 'an entry with both ipAddress and cidrBlock',
    act: (c) =>
      c.serviceAccountAccessList.add({
        ...sa,
        entries: [{ ipAddress: '203.0.113.7' }, { ipAddress: '203.0.113.8', cidrBlock: '203.0.113.0/24' }],
      }),
    field: 'entries.1',
  },
  {
    what: 'an entry with neither ipAddress nor cidrBlock',
    act: (c) => c.serviceAccountAccessList.add({ ...sa, entries: [{}] }),
    field: 'entries.0',
  },
  {
    what: '201 entries',
    act: (c) =>
      c.serviceAccountAccessList.add({
        ...sa,
        entries: Array.from({ length: 201 }, (_, i) => ({
          ipAddress: `10.0.${Math.floor(i / 250)}.${i % 250}`,
        })),
      }),
    field: 'entries',
  },
  {
    what: 'no entries',
    act: (c) => c.serviceAccountAccessList.add({ ...sa, entries: [] }),
    field: 'entries',
  },
  {
    what: 'a delete of something that is not an address',
    act: (c) => c.serviceAccountAccessList.delete({ ...sa, ipAddress: 'localhost' }),
    field: 'ipAddress',
  },
  // project access list
  {
    what: 'a comment of 81 characters',
    act: (c) =>
      c.projectAccessList.add({
        groupId: GROUP_ID,
        entries: [{ ipAddress: '203.0.113.7', comment: 'x'.repeat(81) }],
      }),
    field: 'entries.0.comment',
  },
  {
    what: 'a temporary security group entry',
    act: (c) =>
      c.projectAccessList.add({
        groupId: GROUP_ID,
        entries: [{ awsSecurityGroup: 'sg-0123abcd', deleteAfterDate: '2030-01-01T00:00:00Z' }],
      }),
    field: 'entries.0.deleteAfterDate',
  },
  {
    what: 'an entry with cidrBlock and awsSecurityGroup',
    act: (c) =>
      c.projectAccessList.add({
        groupId: GROUP_ID,
        entries: [{ cidrBlock: '10.0.0.0/16', awsSecurityGroup: 'sg-0123abcd' }],
      }),
    field: 'entries.0',
  },
  {
    what: 'a deleteAfterDate without a zone',
    act: (c) =>
      c.projectAccessList.add({
        groupId: GROUP_ID,
        entries: [{ ipAddress: '203.0.113.7', deleteAfterDate: '2030-01-01T00:00:00' }],
      }),
    field: 'entries.0.deleteAfterDate',
  },
  {
    what: 'a misspelt field in an entry',
    act: (c) =>
      c.projectAccessList.add({
        groupId: GROUP_ID,
        entries: [loose({ ipAddress: '203.0.113.7', coment: 'x' })],
      }),
    field: 'entries.0',
  },
  {
    what: 'a bad entryValue',
    act: (c) => c.projectAccessList.status({ groupId: GROUP_ID, entryValue: 'office' }),
    field: 'entryValue',
  },
  // global clusters
  {
    what: 'more than 8192 initial chunks',
    act: (c) =>
      c.globalClusters.addManagedNamespace({
        ...geo,
        namespace: { db: 'sales', collection: 'orders', customShardKey: 'region', numInitialChunks: 8193 },
      }),
    field: 'namespace.numInitialChunks',
  },
  {
    what: 'a namespace without a shard key',
    act: (c) =>
      c.globalClusters.addManagedNamespace({
        ...geo,
        namespace: loose({ db: 'sales', collection: 'orders' }),
      }),
    field: 'namespace.customShardKey',
  },
  {
    what: 'a namespace removal without a collection',
    act: (c) => c.globalClusters.removeManagedNamespace(loose({ ...geo, db: 'sales' })),
    field: 'collection',
  },
  {
    what: 'no zone mappings',
    act: (c) => c.globalClusters.addCustomZoneMappings({ ...geo, mappings: [] }),
    field: 'mappings',
  },
  {
    what: 'a zone mapping without a zone',
    act: (c) => c.globalClusters.addCustomZoneMappings({ ...geo, mappings: [loose({ location: 'US-VA' })] }),
    field: 'mappings.0.zone',
  },
  {
    what: 'a bad cluster name for global writes',
    act: (c) =>
      c.globalClusters.removeAllCustomZoneMappings({ groupId: GROUP_ID, clusterName: 'geo.cluster' }),
    field: 'clusterName',
  },
];

describe('resource input checks', () => {
  it.each(badInputs)('refuses $what (naming $field) without sending anything', async ({ act, field }) => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const error = await rejectionOf(act(atlas.client));

    // Assess
    expect(error).toBeInstanceOf(AtlasValidationError);
    expect((error as AtlasValidationError).problems.map((p) => p.field)).toContain(field);
    expect(atlas.calls()).toEqual([]);
  });

  it('never puts the refused value in the error message', async () => {
    // Prepare
    const atlas = mockAtlas();
    const secretLooking = 'mdb_sa_sk_not-a-client-id';

    // Act
    const error = await rejectionOf(
      Array.fromAsync(atlas.client.serviceAccountAccessList.list({ orgId: ORG_ID, clientId: secretLooking })),
    );

    // Assess
    expect(error).toBeInstanceOf(AtlasValidationError);
    expect((error as Error).message).not.toContain(secretLooking);
  });

  it('accepts each provider shape of a peering request', async () => {
    // Prepare
    const atlas = mockAtlas();
    atlas.pool
      .intercept({ path: `/api/atlas/v2/groups/${GROUP_ID}/peers`, method: 'POST' })
      .reply(200, {})
      .times(3);

    // Act
    for (const peering of [AWS_PEERING, AZURE_PEERING, GCP_PEERING]) {
      await atlas.client.networkPeering.create({ groupId: GROUP_ID, peering });
    }

    // Assess
    expect(atlas.apiCalls().map((c) => JSON.parse(String(c.body)))).toEqual([
      AWS_PEERING,
      AZURE_PEERING,
      GCP_PEERING,
    ]);
  });
});
