/**
 * `orgInvitation.cancel`. The invitation endpoints are deprecated (sunset 2027-07-01, then 410); Atlas now
 * keeps an open invitation as a PENDING org user, and removing that user (2025-02-19) is the replacement.
 * So the executor does both: it cancels the invitation by id when given one, and removes the PENDING user
 * with the invitee's email (given, or read from the invitation before cancelling it). Only PENDING users are
 * ever removed: an invitee who has joined stays.
 */
import { AtlasApiError, hasAtlasErrorCode } from '../../atlas/errors.ts';
import type { AtlasClient, CallOptions } from '../../atlas/index.ts';
import { cancelOrgInvitation, listOrgInvitations } from '../../atlas/resources/org-invitations.ts';
import { listOrgUsers, removeOrgUser } from '../../atlas/resources/org-users.ts';
import { objectId } from '../../atlas/validation.ts';
import * as z from '../../config/zod.ts';
import { isNotFound } from '../delete-outcome.ts';
import { PermanentOperationError } from '../errors.ts';
import { fromAnswer, planRequest } from '../plan.ts';
import { inOrganization } from '../target.ts';
import { defineOperationType, type PlannedRequest } from '../types.ts';

/** Which invitation: by id (the deprecated endpoint), by the invitee's email (the replacement), or both. */
export interface CancelOrgInvitationParams {
  orgId: string;
  invitationId?: string | undefined;
  /** The invitee's email address. */
  username?: string | undefined;
}

/** What became of the invitation, and which PENDING users were removed. */
export interface CancelOrgInvitationResult {
  /** Present when an `invitationId` was given. */
  invitation?: { id: string; cancelled: boolean; alreadyAbsent?: true; endpointGone?: true };
  /** The invitee, when given or read from the invitation. */
  username?: string;
  /** Ids of the PENDING org users removed. */
  removedPendingUserIds: string[];
}

const params = z
  .strictObject({
    orgId: objectId,
    invitationId: z.optional(objectId),
    username: z.optional(z.email('must be an email address')),
  })
  .check(
    z.refine(
      (p) => p.invitationId !== undefined || p.username !== undefined,
      'must set invitationId, username or both',
    ),
  );

/** 410 Gone: the deprecated endpoint is past its sunset. */
function isGone(error: unknown): boolean {
  return error instanceof AtlasApiError && error.status === 410;
}

/**
 * Atlas answers a DELETE of an invitation that "does not exist or has already been accepted" with
 * 400 INVALID_INVITATION_ID, not 404 (Atlas's error-code page; the Terraform provider reads the invitation
 * first for this reason; reference/atlas-api.md, Addendum 2). A 404 is read the same way.
 */
function isNoSuchInvitation(error: unknown): boolean {
  return isNotFound(error) || hasAtlasErrorCode(error, 'INVALID_INVITATION_ID');
}

/**
 * An invitation that is no longer open was cancelled or accepted. Accepted means the invitee is now an
 * ACTIVE member: that is not a cancellation, and removing a member is a different operation.
 */
async function failIfMember(
  atlas: AtlasClient,
  orgId: string,
  username: string,
  callOptions: CallOptions | undefined,
): Promise<void> {
  const members = await Array.fromAsync(
    atlas.orgUsers.list({ orgId, username, orgMembershipStatuses: ['ACTIVE'] }, callOptions),
  );
  const member = members.find(
    (user) => user.orgMembershipStatus === 'ACTIVE' && user.username.toLowerCase() === username.toLowerCase(),
  );
  if (member) {
    throw new PermanentOperationError({
      errorCode: 'INVITATION_ALREADY_ACCEPTED',
      detail:
        `${username} accepted the invitation and is now a member of organization ${orgId} (user ${member.id}); ` +
        'nothing was cancelled. Removing a member is a different operation.',
    });
  }
}

/** The invitee's email of an open invitation; `undefined` when it is not listed (cancelled, accepted) or the endpoint is gone. */
async function inviteeOf(
  atlas: AtlasClient,
  orgId: string,
  invitationId: string,
  callOptions: CallOptions | undefined,
): Promise<string | undefined> {
  try {
    const invitations = await atlas.orgInvitations.list({ orgId }, callOptions);
    return invitations.find((invitation) => invitation.id === invitationId)?.username;
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

/** Removes every PENDING org user with this email (a 404 means it went meanwhile); returns their ids. */
async function removePendingUsers(
  atlas: AtlasClient,
  orgId: string,
  username: string,
  callOptions: CallOptions | undefined,
): Promise<string[]> {
  const users = await Array.fromAsync(
    atlas.orgUsers.list({ orgId, username, orgMembershipStatuses: ['PENDING'] }, callOptions),
  );
  // Checked again here: removing an active member by mistake would be far worse than a missed filter.
  const pending = users.filter(
    (user) =>
      user.orgMembershipStatus === 'PENDING' && user.username.toLowerCase() === username.toLowerCase(),
  );
  const removed: string[] = [];
  for (const user of pending) {
    try {
      await atlas.orgUsers.remove({ orgId, userId: user.id }, callOptions);
      removed.push(user.id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return removed;
}

export const orgInvitationCancel = defineOperationType<CancelOrgInvitationParams>({
  type: 'orgInvitation.cancel',
  summary: 'cancel an organization invitation (by invitation id, invitee email, or both)',
  risk: 'organization',
  target: (params) =>
    inOrganization(
      params.orgId,
      `invitation ${[params.invitationId, params.username].filter(Boolean).join(' for ')}`,
    ),
  params,
  idempotency:
    'A 400 INVALID_INVITATION_ID (or 404) on the invitation, or no PENDING org user with the email, means it is ' +
    'already cancelled, unless the invitee is now an ACTIVE member (then it fails: INVITATION_ALREADY_ACCEPTED); the ' +
    'PENDING user with that email (given, or read from the invitation) is removed as well, since that is how ' +
    'Atlas cancels invitations once the deprecated endpoint is gone (2027-07-01).',
  plan({ orgId, invitationId, username }) {
    const requests: PlannedRequest[] = [];
    if (invitationId !== undefined) {
      if (username === undefined) requests.push(planRequest(listOrgInvitations, { orgId }));
      requests.push(planRequest(cancelOrgInvitation, { orgId, invitationId }));
    }
    const email = username ?? fromAnswer('username');
    requests.push(
      planRequest(
        listOrgUsers,
        { orgId, username: email, orgMembershipStatuses: ['PENDING'] },
        { list: true },
      ),
      planRequest(removeOrgUser, { orgId, userId: fromAnswer('userId') }),
    );
    return requests;
  },
  async execute(
    { orgId, invitationId, username },
    { atlas, callOptions },
  ): Promise<CancelOrgInvitationResult> {
    const result: CancelOrgInvitationResult = { removedPendingUserIds: [] };
    let invitee = username;
    if (invitationId !== undefined) {
      // Read before cancelling: once cancelled, the invitation no longer tells whose it was.
      invitee ??= await inviteeOf(atlas, orgId, invitationId, callOptions);
      try {
        await atlas.orgInvitations.cancel({ orgId, invitationId }, callOptions);
        result.invitation = { id: invitationId, cancelled: true };
      } catch (error) {
        if (isNoSuchInvitation(error)) {
          // Cancelled before (a repeat of this operation), or accepted: only the invitee's email can tell.
          if (invitee !== undefined) await failIfMember(atlas, orgId, invitee, callOptions);
          result.invitation = { id: invitationId, cancelled: false, alreadyAbsent: true };
        } else if (isGone(error) && invitee !== undefined) {
          // Past the sunset, removing the pending user below is the cancellation; without an email there is none.
          result.invitation = { id: invitationId, cancelled: false, endpointGone: true };
        } else {
          throw error;
        }
      }
    }
    if (invitee !== undefined) {
      result.username = invitee;
      result.removedPendingUserIds = await removePendingUsers(atlas, orgId, invitee, callOptions);
      // By email alone: nothing pending to remove may mean the invitee joined.
      if (invitationId === undefined && result.removedPendingUserIds.length === 0) {
        await failIfMember(atlas, orgId, invitee, callOptions);
      }
    }
    return result;
  },
});
