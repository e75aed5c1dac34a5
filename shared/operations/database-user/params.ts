/** The params the database-user types share: which user, and the end of a temporary one. */
import { createHash } from 'node:crypto';
import { objectId } from '../../atlas/validation.ts';
import * as z from '../../config/zod.ts';
import { type DatabaseUserKey, endDate, expiresIn } from '../temporary-access.ts';

/** An AWS IAM user or role ARN, the username of an `awsIAMType` user. */
export const IAM_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/[\w+=,.@/-]+$/;

/** `databaseName`: `admin` for a password (SCRAM) user, `$external` for an AWS IAM one. */
export const authDatabase = z.enum(
  ['admin', '$external'],
  'must be admin (a password user) or $external (AWS IAM)',
);

/** Which user: the project, the name, and (default `admin`, or `$external` for an ARN) its database. */
export const userKeyFields = {
  groupId: objectId,
  username: z
    .string()
    .check(z.minLength(1, 'must not be empty'), z.maxLength(1024, 'must be at most 1024 characters')),
  databaseName: z.optional(authDatabase),
};

/** The user `params` names, its database filled in as Atlas has it. */
export function userKey(params: {
  groupId: string;
  username: string;
  databaseName?: string | undefined;
}): DatabaseUserKey {
  return {
    groupId: params.groupId,
    username: params.username,
    databaseName: params.databaseName ?? (IAM_ARN.test(params.username) ? '$external' : 'admin'),
  };
}

/** A temporary user's end: `expiresIn` (ISO 8601 duration) or `deleteAfterDate` (Atlas's field), not both. */
export const userEndFields = {
  expiresIn: z.optional(expiresIn),
  deleteAfterDate: z.optional(endDate),
};

export const ONE_WEEK_WHY =
  'Atlas deletes a temporary database user at most one week after the request (CloudDatabaseUser.deleteAfterDate); ' +
  'ask again, or extend it, nearer the time';

/** Atlas's limit on a database user's description. */
const MAX_DESCRIPTION = 100;

/** The mark of a user atlas-ops made: which operation (a digest: ids may be long) and the end it set. */
const MARK = /\s*\[atlas-ops ([0-9a-f]{12}) until [^\]]+\]$/;

/** The 12-hex digest of an operation id the mark carries. */
export function operationDigest(operationId: string): string {
  return createHash('sha256').update(operationId).digest('hex').slice(0, 12);
}

/**
 * The description of a user atlas-ops creates: the request's, then `[atlas-ops <operation> until <end>]`,
 * which says whose user it is (a retry's 409 is its own) and the end its grant set (the inventory flags a
 * user whose end was moved past it: shared/inventory/findings.ts).
 */
export function markedDescription(description: string | undefined, operationId: string, end: Date): string {
  const mark = `[atlas-ops ${operationDigest(operationId)} until ${end.toISOString().replace('.000Z', 'Z')}]`;
  const text = (description ?? '').slice(0, MAX_DESCRIPTION - mark.length - 1);
  return text ? `${text} ${mark}` : mark;
}

/** True when `description` carries the mark of `operationId`. */
export function isMarkedBy(description: string | undefined, operationId: string): boolean {
  return MARK.exec(description ?? '')?.[1] === operationDigest(operationId);
}

/** The description with its mark's end moved to `end` (an extend through atlas-ops); unmarked stays unmarked. */
export function remarkedDescription(description: string | undefined, end: Date): string | undefined {
  const digest = MARK.exec(description ?? '')?.[1];
  if (!description || !digest) return description;
  return description
    .replace(MARK, ` [atlas-ops ${digest} until ${end.toISOString().replace('.000Z', 'Z')}]`)
    .trimStart();
}
