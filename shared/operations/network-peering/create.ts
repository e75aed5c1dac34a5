/**
 * `networkPeering.create`. Atlas's POST is not safe to repeat: after a lost answer a repeat would start a
 * second connection to the same network. So the executor looks before it creates, and a redelivered
 * message finds the connection its first delivery started.
 */
import { AtlasApiError } from '../../atlas/errors.ts';
import type { AtlasClient, CallOptions } from '../../atlas/index.ts';
import {
  type CreateNetworkPeeringParams,
  createNetworkPeering,
  listNetworkPeerings,
  type NetworkPeering,
  type NewNetworkPeering,
} from '../../atlas/resources/network-peering.ts';
import { PermanentOperationError, TransientOperationError } from '../errors.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { defineOperationType } from '../types.ts';

/** The network a peering connects to, as its owner names it. */
function peerText(peering: NewNetworkPeering): string {
  switch (peering.providerName) {
    case 'AWS':
      return `AWS ${peering.vpcId} (account ${peering.awsAccountId}, ${peering.routeTableCidrBlock}) from container ${peering.containerId}`;
    case 'AZURE':
      return `Azure VNet ${peering.vnetName} (resource group ${peering.resourceGroupName}) from container ${peering.containerId}`;
    default:
      return `GCP network ${peering.networkName} (project ${peering.gcpProjectId}) from container ${peering.containerId}`;
  }
}

/** What the run did: started a connection, or found one that already connects the same network. */
export type CreateNetworkPeeringResult =
  | { created: true; peering: NetworkPeering }
  | { created: false; alreadyExists: true; peering: NetworkPeering };

/** States of a connection on its way out: it no longer counts as connecting the network. */
const LEAVING = new Set(['TERMINATING', 'DELETING']);
/**
 * States a connection does not recover from by itself (the spec's enums: AWS `statusName` FAILED with an
 * `errorStateName` REJECTED, EXPIRED or INVALID_ARGUMENT; Azure/GCP `status` FAILED, DELETION_FAILED).
 */
const FAILED = new Set(['FAILED', 'DELETION_FAILED']);

function statusOf(peering: NetworkPeering): string | undefined {
  return peering.providerName === 'AWS' ? peering.statusName : peering.status;
}

/** Azure names and GUIDs are case-insensitive, so `MyVNet` and `myvnet` are one network. */
function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * True when `existing` connects the network `wanted` asks for, by Atlas's own conflict key (the error-code
 * page's PEER_ALREADY_EXISTS, reference/atlas-api.md Addendum 2): AWS account + VPC id; Azure subscription +
 * VNet name (not the resource group); GCP project + network. Not the region: Atlas answers
 * `accepterRegionName: null` for a VPC in the container's own region (the Terraform provider's
 * resource_network_peering.go, `ensureAccepterRegionName`), and a VPC id names one VPC anyway.
 */
function connectsSameNetwork(existing: NetworkPeering, wanted: NewNetworkPeering): boolean {
  switch (wanted.providerName) {
    case 'AWS':
      return (
        existing.providerName === 'AWS' &&
        existing.vpcId === wanted.vpcId &&
        existing.awsAccountId === wanted.awsAccountId
      );
    case 'AZURE':
      return (
        existing.providerName === 'AZURE' &&
        sameText(existing.azureSubscriptionId, wanted.azureSubscriptionId) &&
        sameText(existing.vnetName, wanted.vnetName)
      );
    case 'GCP':
      return (
        existing.providerName === 'GCP' &&
        existing.gcpProjectId === wanted.gcpProjectId &&
        existing.networkName === wanted.networkName
      );
  }
}

/** What the project already has for the network: a live connection, a failed one, one going away, or none. */
type Found =
  | { kind: 'live'; peering: NetworkPeering }
  | { kind: 'failed'; peering: NetworkPeering }
  | { kind: 'leaving'; peering: NetworkPeering }
  | { kind: 'none' };

async function findConnection(
  atlas: AtlasClient,
  params: CreateNetworkPeeringParams,
  callOptions: CallOptions | undefined,
): Promise<Found> {
  const { groupId, peering: wanted } = params;
  let found: Found = { kind: 'none' };
  for await (const peering of atlas.networkPeering.list(
    { groupId, providerName: wanted.providerName },
    callOptions,
  )) {
    if (!connectsSameNetwork(peering, wanted)) continue;
    const status = statusOf(peering);
    if (status !== undefined && LEAVING.has(status))
      found = found.kind === 'none' ? { kind: 'leaving', peering } : found;
    else if (status !== undefined && FAILED.has(status)) found = { kind: 'failed', peering };
    else return { kind: 'live', peering };
  }
  return found;
}

/** A failed connection to the network blocks a new one (Atlas's conflict key): say so and how to clear it. */
function failedConnection(peering: NetworkPeering): PermanentOperationError {
  const state =
    peering.providerName === 'AWS'
      ? peering.errorStateName
      : peering.providerName === 'AZURE'
        ? peering.errorState
        : peering.errorMessage;
  return new PermanentOperationError({
    errorCode: 'PEER_FAILED',
    detail:
      `peering ${peering.id ?? ''} to the same network is ${statusOf(peering)}${state ? ` (${state})` : ''}; ` +
      'delete it (networkPeering.delete) before creating it again',
  });
}

export const networkPeeringCreate = defineOperationType<CreateNetworkPeeringParams>({
  type: 'networkPeering.create',
  summary: 'start a network peering connection (AWS VPC, Azure VNet or GCP network) for a project',
  risk: 'additive',
  target: (params) => inProject(params.groupId, `peering to ${peerText(params.peering)}`),
  params: strictParams(createNetworkPeering.params),
  idempotency:
    "Lists the project's peerings for the provider (all pages) first; one that connects the same network by " +
    "Atlas's conflict key (AWS account + VPC id; Azure subscription + VNet name; GCP project + network) and is " +
    'not TERMINATING or DELETING is returned instead of creating a second one (a FAILED one fails the run). A ' +
    'POST answered 409 PEER_ALREADY_EXISTS* lists again and returns the connection it finds.',
  plan: (params) => [
    planRequest(
      listNetworkPeerings,
      { groupId: params.groupId, providerName: params.peering.providerName },
      { list: true },
    ),
    planRequest(createNetworkPeering, params),
  ],
  async execute(params, { atlas, callOptions }): Promise<CreateNetworkPeeringResult> {
    const before = await findConnection(atlas, params, callOptions);
    if (before.kind === 'live') return { created: false, alreadyExists: true, peering: before.peering };
    if (before.kind === 'failed') throw failedConnection(before.peering);
    try {
      return { created: true, peering: await atlas.networkPeering.create(params, callOptions) };
    } catch (error) {
      // PEER_ALREADY_EXISTS (…_AZURE, …_GCP): a connection appeared between the list and the POST (another
      // delivery, or our own POST whose answer was lost). Look again and return it.
      if (!(error instanceof AtlasApiError && error.errorCode.startsWith('PEER_ALREADY_EXISTS'))) throw error;
      const after = await findConnection(atlas, params, callOptions);
      if (after.kind === 'live') return { created: false, alreadyExists: true, peering: after.peering };
      if (after.kind === 'failed') throw failedConnection(after.peering);
      // Still going away, or not listed yet: Atlas keeps the conflict until it is gone, so try again later.
      throw new TransientOperationError(`Atlas reports a peering to the same network: ${error.message}`, {
        cause: error,
      });
    }
  },
});
