/**
 * Network peering (2023-01-01): `/groups/{groupId}/peers` (list, create 200, get, delete 202 then TERMINATING)
 * and the peering containers. A peering's status moves on with the time since it was requested, computed at
 * read time, unless a seed or the `/__sim/peers/{peerId}/status` control has set it. Error codes and their
 * texts are those of Atlas's error-code page (PEER_NOT_FOUND, PEER_ALREADY_EXISTS…, OVERLAPPING_ATLAS_CIDR_BLOCK,
 * INVALID_ROUTE_TABLE_CIDR, CLOUD_PROVIDER_CONTAINER_NOT_FOUND, PEER_ALREADY_REQUESTED_DELETION). The request
 * schemas are the simulator's own reading of the spec (../validation.ts), never the client's.
 */
import { z } from 'zod';
import { notFound, SimError } from '../errors.ts';
import { ipv4Range, isPrivate, overlaps } from '../ipv4.ts';
import { defineRoute } from '../routes.ts';
import type { SimContainer, SimPeer, SimState } from '../state.ts';
import {
  awsAccountId,
  awsRegionName,
  azureResourceName,
  cidrBlock,
  cloudProvider,
  gcpNetworkName,
  gcpProjectId,
  objectId,
  uuid,
  vpcId,
} from '../validation.ts';
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

/** The statuses of each provider's peering (the spec's enums), which the status control may set. */
const STATUSES: Record<Provider, readonly string[]> = {
  AWS: ['INITIATING', 'PENDING_ACCEPTANCE', 'FAILED', 'FINALIZING', 'AVAILABLE', 'TERMINATING'],
  AZURE: ['ADDING_PEER', 'AVAILABLE', 'FAILED', 'DELETION_FAILED', 'DELETING'],
  GCP: ['ADDING_PEER', 'WAITING_FOR_USER', 'AVAILABLE', 'FAILED', 'DELETING'],
};

/** Why an AWS peering failed (spec enum of `errorStateName`). */
const AWS_ERROR_STATES = ['REJECTED', 'EXPIRED', 'INVALID_ARGUMENT'];

/** Set on a peering whose status the control pinned; never sent to clients. */
const PINNED = 'statusPinned';

// --- Request schemas --------------------------------------------------------------------------------------

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
  azureDirectoryId: uuid,
  azureSubscriptionId: uuid,
  resourceGroupName: azureResourceName,
  vnetName: azureResourceName,
});

const newGcpPeering = z.object({
  providerName: z.literal('GCP'),
  containerId: objectId,
  gcpProjectId,
  networkName: gcpNetworkName,
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
  if (typeof stored === 'string' && (STUCK_STATUSES.has(stored) || peer[PINNED] === true)) return stored;
  // A seed file may hold a peering without a provider; Atlas would call it AWS.
  const steps = STATUS_STEPS[peer.providerName] ?? STATUS_STEPS.AWS;
  // A seeded peering without a creation time shows what the seed says (or is long established).
  if (createdAt === undefined) return typeof stored === 'string' ? stored : (steps.at(-1) ?? 'AVAILABLE');
  const step = transitionMs <= 0 ? steps.length - 1 : Math.floor((now - createdAt) / transitionMs);
  return steps[Math.min(Math.max(step, 0), steps.length - 1)] ?? 'AVAILABLE';
}

/** `us-east-1` for Atlas's `US_EAST_1`. */
const awsSpelling = (atlasRegion: string) => atlasRegion.toLowerCase().replaceAll('_', '-');

/**
 * A peering as Atlas returns it (`BaseNetworkPeeringConnectionSettings`).
 *
 * An AWS peering to a VPC in the container's own region is answered with `accepterRegionName: null`, though
 * the request named the region and the simulator keeps it: Atlas does so, and the Terraform provider works
 * around it by reading the container's region instead (internal/service/networkpeering/resource.go,
 * `ensureAccepterRegionName`, "the API returns it as a null value").
 */
function peerView(
  peer: SimPeer,
  state: SimState,
  now: number,
  transitionMs: number,
): Record<string, unknown> {
  const view = withoutKeys(
    peer,
    'groupId',
    DELETE_REQUESTED_AT,
    PINNED,
    'statusName',
    'status',
    'connectionId',
  );
  const status = currentStatus(peer, state, now, transitionMs);
  if (peer.providerName === 'AWS') {
    const container = state.containers.find((c) => c.id === peer.containerId);
    if (
      typeof peer.accepterRegionName === 'string' &&
      typeof container?.regionName === 'string' &&
      peer.accepterRegionName.toLowerCase() === awsSpelling(container.regionName)
    ) {
      view.accepterRegionName = null;
    }
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
      // Atlas's error-code page names each conflict's key: AWS account + VPC id, Azure subscription + VNet name
      // (not the resource group), GCP project + network name. A peering being deleted still holds its key
      // until it is gone (assumed: Atlas still lists it, TERMINATING or DELETING, and the Terraform provider
      // waits for the GET to answer 404 before it calls a delete done, resource.go `resourceDelete`).
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

// --- Control ------------------------------------------------------------------------------------------------

/**
 * Body of `POST /__sim/peers/{peerId}/status`: the status to show from now on (held still, time no longer
 * moves it) and, optionally, why (AWS `errorStateName`, Azure `errorState`, GCP `errorMessage`). For AWS,
 * `REJECTED`, `EXPIRED` and `INVALID_ARGUMENT` are taken as `FAILED` with that `errorStateName`.
 */
export const peerStatusControl = z.object({
  status: z.string().min(1),
  errorState: z.string().min(1).optional(),
});

/** Puts a peering into a status (e.g. a terminal FAILED) for tests; answers as a control endpoint does. */
export function setPeerStatus(
  state: SimState,
  peerId: string,
  request: z.infer<typeof peerStatusControl>,
  clock: { now: number; transitionMs: number },
): { status: number; body: unknown } {
  const peer = state.peers.find((p) => p.id === peerId);
  if (!peer) return { status: 404, body: { error: `no peering with id ${peerId}` } };
  const provider: Provider = STATUSES[peer.providerName] ? peer.providerName : 'AWS';
  let status = request.status.toUpperCase();
  let errorState = request.errorState;
  if (provider === 'AWS' && AWS_ERROR_STATES.includes(status)) {
    errorState = status;
    status = 'FAILED';
  }
  if (!STATUSES[provider].includes(status)) {
    return {
      status: 400,
      body: { error: `status must be one of ${STATUSES[provider].join(', ')} for an ${provider} peering` },
    };
  }
  if (provider === 'AWS' && errorState !== undefined && !AWS_ERROR_STATES.includes(errorState)) {
    return { status: 400, body: { error: `errorState must be one of ${AWS_ERROR_STATES.join(', ')}` } };
  }
  const errorField = { AWS: 'errorStateName', AZURE: 'errorState', GCP: 'errorMessage' }[provider];
  delete peer[errorField];
  if (errorState !== undefined && (status === 'FAILED' || status === 'DELETION_FAILED'))
    peer[errorField] = errorState;
  peer[provider === 'AWS' ? 'statusName' : 'status'] = status;
  peer[PINNED] = true;
  delete peer[DELETE_REQUESTED_AT];
  return { status: 200, body: peerView(peer, state, clock.now, clock.transitionMs) };
}
