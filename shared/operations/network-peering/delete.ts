/** `networkPeering.delete`: asks Atlas to remove a peering connection (Atlas answers 202 and removes it later). */
import { hasAtlasErrorCode } from '../../atlas/errors.ts';
import { deleteNetworkPeering } from '../../atlas/resources/network-peering.ts';
import { type DeleteOutcome, isNotFound } from '../delete-outcome.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { defineOperationType } from '../types.ts';

/** What the run did; `deletionAlreadyRequested` when an earlier request is still being carried out. */
export type DeleteNetworkPeeringResult = DeleteOutcome | { deleted: false; deletionAlreadyRequested: true };

export const networkPeeringDelete = defineOperationType<{ groupId: string; peerId: string }>({
  type: 'networkPeering.delete',
  summary: 'remove a network peering connection from a project',
  risk: 'destructive',
  target: (params) => inProject(params.groupId, `peering ${params.peerId}`),
  params: strictParams(deleteNetworkPeering.params),
  idempotency:
    'A 404 (the connection is gone) and a 409 PEER_ALREADY_REQUESTED_DELETION (an earlier request is removing ' +
    'it) both mean the asked-for state is reached or on its way, so a repeat succeeds without a second effect.',
  plan: (params) => [planRequest(deleteNetworkPeering, params)],
  async execute(params, { atlas, callOptions }): Promise<DeleteNetworkPeeringResult> {
    try {
      await atlas.networkPeering.delete(params, callOptions);
      return { deleted: true };
    } catch (error) {
      if (isNotFound(error)) return { deleted: false, alreadyAbsent: true };
      if (hasAtlasErrorCode(error, 'PEER_ALREADY_REQUESTED_DELETION')) {
        return { deleted: false, deletionAlreadyRequested: true };
      }
      throw error;
    }
  },
});
