/**
 * Network peering connections and the Atlas-side network containers they attach to (2023-01-01).
 * Peering is asynchronous: create and delete return at once, and the connection's status moves later.
 * Removing a project's last peering connection also removes the AWS security-group entries of its IP access list.
 */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
import { awsAccountId, awsRegionName, cidrBlock, cloudProvider, objectId, vpcId } from '../validation.ts';
import type { CloudProvider } from './common.ts';

// Response types. The spec does not list `providerName` as required, but it is the discriminator of
// `BaseNetworkPeeringConnectionSettings`, so Atlas always returns it.

/** `AwsNetworkPeeringConnectionSettings`. */
export interface AwsNetworkPeering {
  providerName: 'AWS';
  id?: string;
  containerId: string;
  accepterRegionName: string;
  awsAccountId: string;
  routeTableCidrBlock: string;
  vpcId: string;
  /** The AWS peering connection id (`pcx-…`), once AWS has one. */
  connectionId?: string;
  statusName?: 'INITIATING' | 'PENDING_ACCEPTANCE' | 'FAILED' | 'FINALIZING' | 'AVAILABLE' | 'TERMINATING';
  errorStateName?: 'REJECTED' | 'EXPIRED' | 'INVALID_ARGUMENT';
}

/** `AzureNetworkPeeringConnectionSettings`. */
export interface AzureNetworkPeering {
  providerName: 'AZURE';
  id?: string;
  containerId: string;
  azureDirectoryId: string;
  azureSubscriptionId: string;
  resourceGroupName: string;
  vnetName: string;
  status?: 'ADDING_PEER' | 'AVAILABLE' | 'FAILED' | 'DELETION_FAILED' | 'DELETING';
  errorState?: string;
}

/** `GCPNetworkPeeringConnectionSettings`. */
export interface GcpNetworkPeering {
  providerName: 'GCP';
  id?: string;
  containerId: string;
  gcpProjectId: string;
  networkName: string;
  status?: 'ADDING_PEER' | 'WAITING_FOR_USER' | 'AVAILABLE' | 'FAILED' | 'DELETING';
  errorMessage?: string;
}

/** `BaseNetworkPeeringConnectionSettings`; narrow on `providerName`. */
export type NetworkPeering = AwsNetworkPeering | AzureNetworkPeering | GcpNetworkPeering;

/** `AWSCloudProviderContainer`. */
export interface AwsNetworkContainer {
  providerName: 'AWS';
  id?: string;
  provisioned?: boolean;
  /** Atlas's region name, e.g. `US_EAST_1` (kept open: Atlas adds regions). */
  regionName: string;
  atlasCidrBlock?: string;
  vpcId?: string;
}

/** `AzureCloudProviderContainer`. */
export interface AzureNetworkContainer {
  providerName: 'AZURE';
  id?: string;
  provisioned?: boolean;
  atlasCidrBlock: string;
  /** Atlas's region name, e.g. `US_EAST_2`. */
  region: string;
  azureSubscriptionId?: string;
  vnetName?: string;
}

/** `GCPCloudProviderContainer`. */
export interface GcpNetworkContainer {
  providerName: 'GCP';
  id?: string;
  provisioned?: boolean;
  atlasCidrBlock: string;
  /** Atlas's region names, e.g. `EASTERN_US`. */
  regions: string[];
  gcpProjectId?: string;
  networkName?: string;
}

/** `CloudProviderContainer`; narrow on `providerName`. */
export type NetworkContainer = AwsNetworkContainer | AzureNetworkContainer | GcpNetworkContainer;

// Request body. Strict objects, so a read-only or misspelt field is reported instead of silently dropped.

/** Azure resource group and VNet names. */
const azureResourceName = z
  .string()
  .check(z.regex(/^([-\w._()])+$/, 'must hold only letters, digits, and - _ . ( )'));

const newAwsPeering = z.strictObject({
  providerName: z.literal('AWS'),
  containerId: objectId,
  accepterRegionName: awsRegionName,
  awsAccountId,
  // The spec's pattern for this field matches an address without a mask although it is documented as a
  // CIDR block (the VPC's); we check for what Atlas documents.
  routeTableCidrBlock: cidrBlock,
  vpcId,
});

const newAzurePeering = z.strictObject({
  providerName: z.literal('AZURE'),
  containerId: objectId,
  // `z.guid()` rather than `z.uuid()`: Azure ids are GUIDs, and need not carry RFC 9562 version bits.
  azureDirectoryId: z.guid('must be a UUID'),
  azureSubscriptionId: z.guid('must be a UUID'),
  resourceGroupName: azureResourceName,
  vnetName: azureResourceName,
});

const newGcpPeering = z.strictObject({
  providerName: z.literal('GCP'),
  containerId: objectId,
  gcpProjectId: z
    .string()
    .check(
      z.regex(
        /^[a-z][0-9a-z-]{4,28}[0-9a-z]$/,
        'must be a GCP project id (6-30 lowercase letters, digits, -)',
      ),
    ),
  networkName: z
    .string()
    .check(
      z.regex(
        /^[a-z]([-a-z0-9]{0,62}[a-z0-9]{0,1})?$/,
        'must be a GCP network name (lowercase letters, digits, -)',
      ),
    ),
});

const newNetworkPeering = z.discriminatedUnion('providerName', [
  newAwsPeering,
  newAzurePeering,
  newGcpPeering,
]);

/** What `create` sends: one provider's peering settings, told apart by `providerName`. */
export type NewNetworkPeering = z.infer<typeof newNetworkPeering>;

export interface CreateNetworkPeeringParams {
  groupId: string;
  peering: NewNetworkPeering;
}

const VERSION = '2023-01-01';

export const listNetworkPeerings = defineOperation<
  { groupId: string; providerName?: CloudProvider },
  Page<NetworkPeering>
>({
  name: 'listGroupPeers',
  method: 'GET',
  path: '/groups/{groupId}/peers',
  version: VERSION,
  params: z.object({ groupId: objectId, providerName: z.optional(cloudProvider) }),
  query: ['providerName'],
});

export const createNetworkPeering = defineOperation<CreateNetworkPeeringParams, NetworkPeering>({
  name: 'createGroupPeer',
  method: 'POST',
  path: '/groups/{groupId}/peers',
  version: VERSION,
  params: z.object({ groupId: objectId, peering: newNetworkPeering }),
  body: (params) => params.peering,
  // Not retrySafe: a repeat after a lost answer could start a second peering connection.
});

export const getNetworkPeering = defineOperation<{ groupId: string; peerId: string }, NetworkPeering>({
  name: 'getGroupPeer',
  method: 'GET',
  path: '/groups/{groupId}/peers/{peerId}',
  version: VERSION,
  params: z.object({ groupId: objectId, peerId: objectId }),
});

/** `RequestAccepted`: an empty object. */
export type RequestAccepted = Record<string, never>;

export const deleteNetworkPeering = defineOperation<{ groupId: string; peerId: string }, RequestAccepted>({
  name: 'deleteGroupPeer',
  method: 'DELETE',
  path: '/groups/{groupId}/peers/{peerId}',
  version: VERSION,
  params: z.object({ groupId: objectId, peerId: objectId }),
});

export const listNetworkContainers = defineOperation<
  { groupId: string; providerName: CloudProvider },
  Page<NetworkContainer>
>({
  name: 'listGroupContainers',
  method: 'GET',
  path: '/groups/{groupId}/containers',
  version: VERSION,
  params: z.object({ groupId: objectId, providerName: cloudProvider }),
  query: ['providerName'],
});

export const listAllNetworkContainers = defineOperation<{ groupId: string }, Page<NetworkContainer>>({
  name: 'listGroupContainerAll',
  method: 'GET',
  path: '/groups/{groupId}/containers/all',
  version: VERSION,
  params: z.object({ groupId: objectId }),
});

export class NetworkPeeringApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** Every peering connection of a project for one provider (Atlas defaults to AWS). */
  list(
    params: { groupId: string; providerName?: CloudProvider },
    options?: PageOptions,
  ): AsyncGenerator<NetworkPeering> {
    return this.#http.paginate(listNetworkPeerings, params, options);
  }

  /** Starts a peering connection; it is usable once its status reaches AVAILABLE (AWS: after you accept it). */
  create(params: CreateNetworkPeeringParams, options?: CallOptions): Promise<NetworkPeering> {
    return this.#http.call(createNetworkPeering, params, options);
  }

  /** One peering connection by id. */
  get(params: { groupId: string; peerId: string }, options?: CallOptions): Promise<NetworkPeering> {
    return this.#http.call(getNetworkPeering, params, options);
  }

  /** Asks Atlas to remove a peering connection; it resolves once Atlas has accepted (202), before the removal ends. */
  async delete(params: { groupId: string; peerId: string }, options?: CallOptions): Promise<void> {
    await this.#http.call(deleteNetworkPeering, params, options);
  }

  /** Every network container of a project for one provider. */
  listContainers(
    params: { groupId: string; providerName: CloudProvider },
    options?: PageOptions,
  ): AsyncGenerator<NetworkContainer> {
    return this.#http.paginate(listNetworkContainers, params, options);
  }

  /** Every network container of a project, all providers. */
  listAllContainers(params: { groupId: string }, options?: PageOptions): AsyncGenerator<NetworkContainer> {
    return this.#http.paginate(listAllNetworkContainers, params, options);
  }
}
