/**
 * `networkPeering.create`. Atlas's POST is not safe to repeat: after a lost answer a repeat would start a
 * second connection to the same network. So the executor looks before it creates, and a redelivered
 * message finds the connection its first delivery started.
 */
import {
  type CreateNetworkPeeringParams,
  createNetworkPeering,
  listNetworkPeerings,
  type NetworkPeering,
  type NewNetworkPeering,
} from '../../atlas/resources/network-peering.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { defineOperationType } from '../types.ts';

/** What the run did: started a connection, or found one that already connects the same network. */
export type CreateNetworkPeeringResult =
  | { created: true; peering: NetworkPeering }
  | { created: false; alreadyExists: true; peering: NetworkPeering };

/** States of a connection on its way out: it no longer counts as connecting the network. */
const LEAVING = new Set(['TERMINATING', 'DELETING']);

function isLeaving(peering: NetworkPeering): boolean {
  const status = peering.providerName === 'AWS' ? peering.statusName : peering.status;
  return status !== undefined && LEAVING.has(status);
}

/** Azure names and GUIDs are case-insensitive, so `MyVNet` and `myvnet` are one network. */
function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** True when `existing` connects the network `wanted` asks for (the container is not part of the identity). */
function connectsSameNetwork(existing: NetworkPeering, wanted: NewNetworkPeering): boolean {
  switch (wanted.providerName) {
    case 'AWS':
      return (
        existing.providerName === 'AWS' &&
        existing.vpcId === wanted.vpcId &&
        existing.awsAccountId === wanted.awsAccountId &&
        existing.accepterRegionName === wanted.accepterRegionName
      );
    case 'AZURE':
      return (
        existing.providerName === 'AZURE' &&
        sameText(existing.azureSubscriptionId, wanted.azureSubscriptionId) &&
        sameText(existing.resourceGroupName, wanted.resourceGroupName) &&
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

export const networkPeeringCreate = defineOperationType<CreateNetworkPeeringParams>({
  type: 'networkPeering.create',
  summary: 'start a network peering connection (AWS VPC, Azure VNet or GCP network) for a project',
  params: strictParams(createNetworkPeering.params),
  idempotency:
    "Lists the project's peerings for the provider (all pages) first; one that connects the same VPC (vpcId, " +
    'awsAccountId, accepterRegionName), VNet (subscription, resource group, name) or GCP network (project, ' +
    'network) and is not TERMINATING or DELETING is returned instead of creating a second one.',
  plan: (params) => [
    planRequest(
      listNetworkPeerings,
      { groupId: params.groupId, providerName: params.peering.providerName },
      { list: true },
    ),
    planRequest(createNetworkPeering, params),
  ],
  async execute(params, { atlas, callOptions }): Promise<CreateNetworkPeeringResult> {
    const { groupId, peering: wanted } = params;
    const existing = atlas.networkPeering.list({ groupId, providerName: wanted.providerName }, callOptions);
    for await (const peering of existing) {
      if (!isLeaving(peering) && connectsSameNetwork(peering, wanted)) {
        return { created: false, alreadyExists: true, peering };
      }
    }
    return { created: true, peering: await atlas.networkPeering.create(params, callOptions) };
  },
});
