/**
 * Network peering (2023-01-01): `/groups/{groupId}/peers` (list, create 200, get, delete 202 then TERMINATING)
 * and the peering containers. A peering's status moves on with the time since it was requested, computed at
 * read time. Error codes and their texts follow Atlas's published error-code table (PEER_NOT_FOUND,
 * PEER_ALREADY_EXISTS, CLOUD_PROVIDER_CONTAINER_NOT_FOUND, …). The request schemas are written from the
 * spec here rather than taken from the client (shared/atlas/resources), so that a mistake in the client's
 * checks cannot hide behind the same mistake in the simulator.
 */
import { z } from 'zod';
import {
  awsAccountId,
  awsRegionName,
  cidrBlock,
  cloudProvider,
  objectId,
  vpcId,
} from '../../../shared/atlas/validation.ts';
import { notFound, SimError } from '../errors.ts';
import { ipv4Range, isPrivate, overlaps } from '../ipv4.ts';
import { defineRoute } from '../routes.ts';
import type { SimContainer, SimPeer, SimState } from '../state.ts';
import { V2023_01_01, withoutKeys } from './common.ts';

/** Set on a peering when its deletion was requested (epoch ms); never sent to clients. */
const DELETE_REQUESTED_AT = 'deleteRequestedAt';

type Provider = SimPeer['providerName'];

/** The statuses a new peering goes through, one `peeringTransitionMs` each, ending in the last. */
const STATUS_STEPS: Record<Provider, readonly string[]> = {
  AWS: ['INITIATING', 'PENDING_ACCEPTANCE', 'AVAILABLE'],
  AZURE: ['ADDING_PEER', 'AVAILABLE'],
  GCP: ['ADDING_PEER', 'WAITING_FOR_USER', 'AVAILABLE'],
};

/** Statuses a seed may set that time does not move on from. */
const STUCK_STATUSES = new Set(['FAILED', 'DELETION_FAILED']);

// --- Request schemas --------------------------------------------------------------------------------------

const azureResourceName = z.string().regex(/^([-\w._()])+$/, 'must hold only letters, digits, and - _ . ( )');

const newAwsPeering = z.object({
  providerName: z.literal('AWS'),
  containerId: objectId,
  accepterRegionName: awsRegionName,
  awsAccountId,
  // The spec's pattern for this field is an address without a mask, but Atlas documents (and wants) the
  // CIDR block of the VPC.
  routeTableCidrBlock: cidrBlock,
  vpcId,
});

const newAzurePeering = z.object({
  providerName: z.literal('AZURE'),
  containerId: objectId,
  azureDirectoryId: z.guid('must be a UUID'),
  azureSubscriptionId: z.guid('must be a UUID'),
  resourceGroupName: azureResourceName,
  vnetName: azureResourceName,
});

const newGcpPeering = z.object({
  providerName: z.literal('GCP'),
  containerId: objectId,
  gcpProjectId: z
    .string()
    .regex(/^[a-z][0-9a-z-]{4,28}[0-9a-z]$/, 'must be a GCP project id (6-30 lowercase letters, digits, -)'),
  networkName: z
    .string()
    .regex(
      /^[a-z]([-a-z0-9]{0,62}[a-z0-9]{0,1})?$/,
      'must be a GCP network name (lowercase letters, digits, -)',
    ),
});

/** Atlas takes a peering without `providerName` as an AWS one. */
const newPeering = z.preprocess(
  (value) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && !('providerName' in value)
      ? { ...value, providerName: 'AWS' }
      : value,
  z.discriminatedUnion('providerName', [newAwsPeering, newAzurePeering, newGcpPeering], {
    error: 'must be AWS, AZURE or GCP',
  }),
);

const providerQuery = cloudProvider.optional();
const requiredProvider = z.enum(['AWS', 'AZURE', 'GCP'], {
  error: (issue) =>
    issue.input === undefined ? 'is required (AWS, AZURE or GCP)' : 'must be AWS, AZURE or GCP',
});

const groupParams = z.object({ groupId: objectId });
const peerParams = z.object({ groupId: objectId, peerId: objectId });
const containerParams = z.object({ groupId: objectId, containerId: objectId });

// --- State helpers ------------------------------------------------------------------------------------------

/** Drops the peerings whose deletion has run its course. */
function purgeTerminated(state: SimState, now: number, transitionMs: number): void {
  const gone = (peer: SimPeer) => {
    const requested = peer[DELETE_REQUESTED_AT];
    return typeof requested === 'number' && now - requested >= transitionMs;
  };
  for (const peer of state.peers.filter(gone)) delete state.peerCreatedAt[peer.id];
  state.peers = state.peers.filter((peer) => !gone(peer));
}

function isDeleting(peer: SimPeer): boolean {
  return typeof peer[DELETE_REQUESTED_AT] === 'number';
}

/** Whether the project has an AWS peering that is not being deleted (security-group entries need one). */
export function hasAwsPeering(state: SimState, groupId: string): boolean {
  return state.peers.some((p) => p.groupId === groupId && p.providerName === 'AWS' && !isDeleting(p));
}

/** The status a peering shows now. */
function currentStatus(peer: SimPeer, state: SimState, now: number, transitionMs: number): string {
  if (isDeleting(peer)) return peer.providerName === 'AWS' ? 'TERMINATING' : 'DELETING';
  const stored = peer.providerName === 'AWS' ? peer.statusName : peer.status;
  const createdAt = state.peerCreatedAt[peer.id];
  if (typeof stored === 'string' && STUCK_STATUSES.has(stored)) return stored;
  // A seed file may hold a peering without a provider; Atlas would call it AWS.
  const steps = STATUS_STEPS[peer.providerName] ?? STATUS_STEPS.AWS;
  // A seeded peering without a creation time shows what the seed says (or is long established).
  if (createdAt === undefined) return typeof stored === 'string' ? stored : (steps.at(-1) ?? 'AVAILABLE');
  const step = transitionMs <= 0 ? steps.length - 1 : Math.floor((now - createdAt) / transitionMs);
  return steps[Math.min(Math.max(step, 0), steps.length - 1)] ?? 'AVAILABLE';
}

/** A peering as Atlas returns it (`BaseNetworkPeeringConnectionSettings`). */
function peerView(
  peer: SimPeer,
  state: SimState,
  now: number,
  transitionMs: number,
): Record<string, unknown> {
  const view = withoutKeys(peer, 'groupId', DELETE_REQUESTED_AT, 'statusName', 'status', 'connectionId');
  const status = currentStatus(peer, state, now, transitionMs);
  if (peer.providerName === 'AWS') {
    // AWS names the peering connection (`pcx-…`) once Atlas has requested it.
    if (status !== 'INITIATING' && typeof peer.connectionId === 'string')
      view.connectionId = peer.connectionId;
    view.statusName = status;
  } else {
    view.status = status;
  }
  return view;
}

/** A network container as Atlas returns it (`CloudProviderContainer`). */
function containerView(container: SimContainer): Record<string, unknown> {
  return withoutKeys(container, 'groupId');
}

function findPeer(state: SimState, groupId: string, peerId: string): SimPeer {
  const peer = state.peers.find((p) => p.id === peerId && p.groupId === groupId);
  if (!peer)
    throw notFound('PEER_NOT_FOUND', `No peer with ID ${peerId} exists in project ${groupId}.`, [
      peerId,
      groupId,
    ]);
  return peer;
}

function containerNotFound(containerId: string): SimError {
  return notFound(
    'CLOUD_PROVIDER_CONTAINER_NOT_FOUND',
    `An invalid cloud provider container ID ${containerId} was specified.`,
    [containerId],
  );
}

const hex = (id: string, length: number) => id.padEnd(length, '0').slice(0, length);

/** Peering provisions the container: it gets its provider-side network if it had none. */
function provision(container: SimContainer, makeId: () => string): void {
  container.provisioned = true;
  if (container.providerName === 'AWS' && container.vpcId === undefined) {
    container.vpcId = `vpc-${hex(makeId(), 17)}`;
  }
  if (container.providerName === 'GCP') {
    container.gcpProjectId ??= `p-${hex(makeId(), 24)}`;
    container.networkName ??= `nt-${hex(container.id, 24)}-${hex(makeId(), 8)}`;
  }
  if (container.providerName === 'AZURE') {
    container.azureSubscriptionId ??= hex(makeId(), 24);
    container.vnetName ??= `vnet_${hex(container.id, 24)}_${hex(makeId(), 8)}`;
  }
}

// --- Routes -------------------------------------------------------------------------------------------------

export const networkPeeringRoutes = [
  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/peers',
    versions: V2023_01_01,
    endpointSet: 'network-peering',
    params: groupParams,
    query: z.object({ providerName: providerQuery }).loose(),
    handle: ({ state, params, query, now, settings }) => {
      purgeTerminated(state, now, settings.peeringTransitionMs);
      const provider = query.providerName ?? 'AWS';
      const list = state.peers
        .filter((p) => p.groupId === params.groupId && p.providerName === provider)
        .map((p) => peerView(p, state, now, settings.peeringTransitionMs));
      return { status: 200, list };
    },
  }),

  defineRoute({
    method: 'POST',
    path: '/groups/{groupId}/peers',
    versions: V2023_01_01,
    endpointSet: 'network-peering',
    params: groupParams,
    body: newPeering,
    handle: ({ state, params, body, now, ids, settings }) => {
      purgeTerminated(state, now, settings.peeringTransitionMs);
      const container = state.containers.find(
        (c) => c.id === body.containerId && c.groupId === params.groupId,
      );
      if (!container || container.providerName !== body.providerName)
        throw containerNotFound(body.containerId);
      const inProject = state.peers.filter(
        (p) => p.groupId === params.groupId && p.providerName === body.providerName,
      );

      if (body.providerName === 'AWS') {
        const route = ipv4Range(body.routeTableCidrBlock);
        if (!route || !isPrivate(route)) {
          throw new SimError(
            400,
            'INVALID_ROUTE_TABLE_CIDR',
            `The address ${body.routeTableCidrBlock} must be within the private ranges ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].`,
            {
              parameters: [body.routeTableCidrBlock],
              fields: [{ field: 'routeTableCidrBlock', description: 'must be a private IPv4 CIDR block' }],
            },
          );
        }
        const atlas =
          typeof container.atlasCidrBlock === 'string' ? ipv4Range(container.atlasCidrBlock) : undefined;
        if (atlas && overlaps(route, atlas)) {
          throw new SimError(
            409,
            'OVERLAPPING_ATLAS_CIDR_BLOCK',
            `The CIDR block ${body.routeTableCidrBlock} overlaps with an Atlas CIDR block.`,
            { parameters: [body.routeTableCidrBlock] },
          );
        }
        // A second peering to the same VPC of the same account.
        if (inProject.some((p) => p.awsAccountId === body.awsAccountId && p.vpcId === body.vpcId)) {
          throw new SimError(
            409,
            'PEER_ALREADY_EXISTS',
            `The peer with AWS Account ID ${body.awsAccountId} and VPC ID ${body.vpcId} already exists.`,
            { parameters: [body.awsAccountId, body.vpcId] },
          );
        }
      } else if (body.providerName === 'AZURE') {
        if (
          inProject.some(
            (p) => p.azureSubscriptionId === body.azureSubscriptionId && p.vnetName === body.vnetName,
          )
        ) {
          throw new SimError(
            409,
            'PEER_ALREADY_EXISTS_AZURE',
            `The peer with Azure Subscription ID ${body.azureSubscriptionId} and Virtual Network name ${body.vnetName} already exists.`,
            { parameters: [body.azureSubscriptionId, body.vnetName] },
          );
        }
      } else if (
        inProject.some((p) => p.gcpProjectId === body.gcpProjectId && p.networkName === body.networkName)
      ) {
        throw new SimError(
          409,
          'PEER_ALREADY_EXISTS_GCP',
          `The peer with GCP Project ID ${body.gcpProjectId} and network name ${body.networkName} already exists.`,
          { parameters: [body.gcpProjectId, body.networkName] },
        );
      }

      const id = ids.next('peer');
      const peer: SimPeer = { id, groupId: params.groupId, ...body };
      if (body.providerName === 'AWS') peer.connectionId = `pcx-${hex(ids.next('pcx'), 17)}`;
      state.peers.push(peer);
      state.peerCreatedAt[id] = now;
      provision(container, () => ids.next('network'));
      return { status: 200, body: peerView(peer, state, now, settings.peeringTransitionMs) };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/peers/{peerId}',
    versions: V2023_01_01,
    endpointSet: 'network-peering',
    params: peerParams,
    handle: ({ state, params, now, settings }) => {
      purgeTerminated(state, now, settings.peeringTransitionMs);
      const peer = findPeer(state, params.groupId, params.peerId);
      return { status: 200, body: peerView(peer, state, now, settings.peeringTransitionMs) };
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: '/groups/{groupId}/peers/{peerId}',
    versions: V2023_01_01,
    endpointSet: 'network-peering',
    params: peerParams,
    handle: ({ state, params, now, settings }) => {
      purgeTerminated(state, now, settings.peeringTransitionMs);
      const peer = findPeer(state, params.groupId, params.peerId);
      if (isDeleting(peer)) {
        throw new SimError(
          409,
          'PEER_ALREADY_REQUESTED_DELETION',
          `The peer with ID ${peer.id} has already been requested for deletion.`,
          { parameters: [peer.id] },
        );
      }
      peer[DELETE_REQUESTED_AT] = now;
      // The spec: removing the project's last (AWS) peering also removes the security-group entries of its
      // IP access list, as they only work through a peering.
      if (peer.providerName === 'AWS' && !hasAwsPeering(state, params.groupId)) {
        state.projectAccessList = state.projectAccessList.filter(
          (e) => e.groupId !== params.groupId || e.awsSecurityGroup === undefined,
        );
      }
      if (settings.peeringTransitionMs <= 0) purgeTerminated(state, now, settings.peeringTransitionMs);
      return { status: 202, body: {} };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/containers',
    versions: V2023_01_01,
    endpointSet: 'network-peering',
    params: groupParams,
    query: z.object({ providerName: requiredProvider }).loose(),
    handle: ({ state, params, query }) => {
      const list = state.containers
        .filter((c) => c.groupId === params.groupId && c.providerName === query.providerName)
        .map(containerView);
      return { status: 200, list };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/containers/all',
    versions: V2023_01_01,
    endpointSet: 'network-peering',
    params: groupParams,
    handle: ({ state, params }) => {
      const list = state.containers.filter((c) => c.groupId === params.groupId).map(containerView);
      return { status: 200, list };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/containers/{containerId}',
    versions: V2023_01_01,
    endpointSet: 'network-peering',
    params: containerParams,
    handle: ({ state, params }) => {
      const container = state.containers.find(
        (c) => c.id === params.containerId && c.groupId === params.groupId,
      );
      if (!container) throw containerNotFound(params.containerId);
      return { status: 200, body: containerView(container) };
    },
  }),
];
