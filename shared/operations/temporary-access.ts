/**
 * What the temporary-access types share: how long a grant lasts (`expiresIn`, an ISO 8601 duration, or a
 * date), the caps on it, and the names of what a grant leaves behind — the secret holding a generated
 * password and the schedule that ends it — derived from what is granted, so a later extend or delete (sent by
 * the schedule or by another ticket) finds them.
 */
import { createHash } from 'node:crypto';
import { isoDateTime } from '../atlas/validation.ts';
import * as z from '../config/zod.ts';
import { PermanentOperationError } from './errors.ts';
import type { ScheduledMessage } from './ports.ts';
import type { OperationContext } from './types.ts';

/** Atlas deletes a temporary database user at most one week after the request (CloudDatabaseUser.deleteAfterDate). */
export const MAX_DATABASE_USER_MS = 7 * 86_400_000;
/**
 * The longest temporary project role. Atlas has no expiry for roles at all (atlas-api.md, Addendum 3): this is
 * ours, so a "temporary" grant cannot quietly become a standing one.
 */
export const MAX_PROJECT_ROLE_MS = 30 * 86_400_000;

/** Where generated database-user passwords are kept: the provisioner may touch only secrets under it. */
export const CREDENTIAL_SECRET_PREFIX = 'atlas-ops/database-users/';

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;

/** `PT24H` → 86 400 000; `P1DT12H`, `P1W`, `PT90M` too. Undefined for anything else (no years, months, seconds). */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [weeks, days, hours, minutes] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  return (((weeks ?? 0) * 7 + (days ?? 0)) * 24 * 60 + (hours ?? 0) * 60 + (minutes ?? 0)) * 60_000;
}

/** `expiresIn`: a positive ISO 8601 duration of weeks, days, hours and minutes. */
export const expiresIn = z
  .string()
  .check(
    z.refine(
      (text) => (durationMs(text) ?? 0) > 0,
      'must be an ISO 8601 duration such as PT24H, P1D or P1DT12H (weeks, days, hours, minutes)',
    ),
  );

/** An end: `expiresIn` from now, or `at` (an ISO 8601 date-time); exactly one. */
export interface EndParams {
  expiresIn?: string | undefined;
  at?: string | undefined;
}

/** The end `params` ask for, checked against `maxMs` from now: in the future and not later than the cap. */
export function endOf(
  params: EndParams,
  context: Pick<OperationContext, 'now'>,
  cap: { maxMs: number; why: string; field: string },
): Date {
  const now = (context.now ?? (() => new Date()))();
  // Whole seconds: Atlas keeps its dates to the second, so the end told is the end Atlas has.
  const end = new Date(
    Math.floor(
      (params.expiresIn !== undefined
        ? now.getTime() + (durationMs(params.expiresIn) ?? 0)
        : Date.parse(params.at ?? '')) / 1000,
    ) * 1000,
  );
  if (Number.isNaN(end.getTime()) || end.getTime() <= now.getTime()) {
    throw new PermanentOperationError({
      errorCode: 'EXPIRY_NOT_IN_FUTURE',
      detail: `${cap.field} must be in the future (it is ${params.at ?? params.expiresIn})`,
    });
  }
  if (end.getTime() - now.getTime() > cap.maxMs) {
    throw new PermanentOperationError({
      errorCode: 'EXPIRY_TOO_FAR',
      detail: `${cap.field} ${end.toISOString()} is more than ${cap.maxMs / 86_400_000} days away: ${cap.why}`,
    });
  }
  return end;
}

/** The zod checks of an end: exactly one of `expiresIn` and the date field `dateField`. */
export function oneEnd<T extends Record<string, unknown>>(params: T, dateField: string): boolean {
  return (params.expiresIn === undefined) !== (params[dateField] === undefined);
}

/** The date field's schema: ISO 8601 with a zone. */
export const endDate = isoDateTime;

/** `name` within `[0-9A-Za-z._-]`, at most `max`; a rewritten or long one ends with a digest of the original. */
export function safeName(name: string, max: number, allowed = /[^0-9A-Za-z._-]/g): string {
  const cleaned = name.replace(allowed, '-');
  if (cleaned === name && cleaned.length <= max) return cleaned;
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `${cleaned.slice(0, max - digest.length - 1)}-${digest}`;
}

/** A database user, as the types name it: its project, its authentication database, its name. */
export interface DatabaseUserKey {
  groupId: string;
  databaseName: string;
  username: string;
}

/** The secret of a database user's generated password: `atlas-ops/database-users/<project>/<user>`. */
export function credentialSecretName(user: DatabaseUserKey): string {
  // Secrets Manager names take letters, digits and /_+=.@- (512 at most).
  return `${CREDENTIAL_SECRET_PREFIX}${user.groupId}/${safeName(user.username, 200, /[^0-9A-Za-z_+=.@-]/g)}`;
}

/** The schedule that deletes a temporary database user (and its secret) when it ends. */
export function userEndScheduleName(user: DatabaseUserKey): string {
  const digest = createHash('sha256')
    .update(`${user.groupId}/${user.databaseName}/${user.username}`)
    .digest('hex')
    .slice(0, 24);
  return `atlas-ops-user-end-${digest}`;
}

/** The schedule that revokes a temporary project role grant. */
export function grantEndScheduleName(operationId: string): string {
  return safeName(`atlas-ops-grant-end-${operationId}`, 64);
}

/** `2026-12-09T10:00:00.000Z (in 1 day)`: when, in UTC and from now. */
export function whenText(at: Date, now: Date = new Date()): string {
  const minutes = Math.round((at.getTime() - now.getTime()) / 60_000);
  const relative =
    Math.abs(minutes) < 90
      ? `${minutes} minutes`
      : Math.abs(minutes) < 48 * 60
        ? `${Math.round(minutes / 60)} hours`
        : `${Math.round(minutes / 1440)} days`;
  return `${at.toISOString()} (${minutes >= 0 ? `in ${relative}` : `${relative.replace('-', '')} ago`})`;
}

/** Refuses a run without a service the type needs, saying where it does run. */
export function requireService<T>(service: T | undefined, what: string, type: string): T {
  if (service !== undefined) return service;
  throw new PermanentOperationError({
    errorCode: 'NEEDS_THE_PROVISIONER',
    detail:
      `${type} needs ${what}: the provisioning worker has it as the stack (or npm start) deploys it, ` +
      'atlas-ops run does not; send it with atlas-ops enqueue or a ticket',
  });
}

/**
 * The operation that ends a grant, as its schedule will send it: asked for and approved by whoever asked for
 * and approved the grant (so the ticket hears of the end, and `atlas-ops access list` says who let it happen).
 */
export function endMessage(
  context: Pick<OperationContext, 'operation'>,
  message: Pick<ScheduledMessage, 'id' | 'type' | 'params'>,
): ScheduledMessage {
  const grant = context.operation;
  return {
    ...message,
    ...(grant?.requestedBy ? { requestedBy: grant.requestedBy } : {}),
    ...(grant?.approvedBy ? { approvedBy: grant.approvedBy } : {}),
  };
}
