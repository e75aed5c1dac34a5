/** How deletes report what they did: gone now either way, and whether this run was the one that removed it. */
import { AtlasApiError } from '../atlas/errors.ts';

/** The result of a delete: removed by this run, or already absent (an earlier delivery or someone else removed it). */
export type DeleteOutcome = { deleted: true } | { deleted: false; alreadyAbsent: true };

/** True for Atlas's 404, whatever its `errorCode` (`PEER_NOT_FOUND`, `RESOURCE_NOT_FOUND`, …). */
export function isNotFound(error: unknown): error is AtlasApiError {
  return error instanceof AtlasApiError && error.status === 404;
}

/** True for Atlas's 409 (`USER_ALREADY_EXISTS`, …): what a create meets when its resource exists. */
export function isConflict(error: unknown): error is AtlasApiError {
  return error instanceof AtlasApiError && error.status === 409;
}

/** Runs a delete, reading a 404 as "already absent": the state the delete asks for. */
export async function deleteIfPresent(remove: () => Promise<unknown>): Promise<DeleteOutcome> {
  try {
    await remove();
    return { deleted: true };
  } catch (error) {
    if (isNotFound(error)) return { deleted: false, alreadyAbsent: true };
    throw error;
  }
}
