/**
 * The validation rules that more than one layer checks — the infrastructure at synth, the workers at cold
 * start, the Atlas client before a request — defined once, so a value that passes one cannot fail another.
 */
import { commaList } from './env.ts';
import * as z from './zod.ts';

/** A whole-number setting's bounds and default. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

/** A whole-number environment variable (a string) within `range`, `range.default` when absent. */
export function integerSetting(range: IntegerRange) {
  return z._default(z.coerce.number().check(z.int(), z.gte(range.min), z.lte(range.max)), range.default);
}

/**
 * `groupId`, `orgId`, `userId`, …: 24 lowercase hex digits, the Atlas Administration API spec's pattern
 * (`^([a-f0-9]{24})$`). Atlas never writes them in upper case, and its path parameters are matched as given.
 */
export const OBJECT_ID_PATTERN = /^[a-f0-9]{24}$/;

/** An Atlas object id (see `OBJECT_ID_PATTERN`). */
export const objectId = z
  .string()
  .check(z.regex(OBJECT_ID_PATTERN, 'must be a 24-character lowercase hexadecimal id'));

/** A comma-separated list of Atlas object ids in an environment variable (`a,b`), blanks dropped; absent is empty. */
export const objectIdList = z.pipe(z.pipe(z.optional(z.string()), z.transform(commaList)), z.array(objectId));

/** Projects the inventory lists in parallel. */
export const INVENTORY_CONCURRENCY: IntegerRange = { min: 1, max: 64, default: 12 };

/**
 * Concurrent invocations the provisioning queue may drive: the SQS event source's own limits on maximum
 * concurrency (2–1000), and so the bound on parallel Atlas operations.
 */
export const PROVISIONING_MAX_CONCURRENCY: IntegerRange = { min: 2, max: 1000, default: 5 };

/** Days an operation's status and idempotency records are kept after their last update. */
export const STATUS_TTL_DAYS: IntegerRange = { min: 1, max: 3650, default: 30 };

/**
 * The largest operation message, body plus attributes, in bytes (256 KiB). SQS accepts up to 1 MiB on queues
 * configured for it, but 256 KiB was the limit for years and is what the rest of the pipeline (Lambda event
 * payloads, DLQ redrive tools) is sized for; an operation message is a few KB.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * The deepest nesting of objects and arrays accepted in JSON from outside (a webhook delivery, an operation
 * message, the block in a ticket): far more than any sender's payload needs (Jira's and GitHub's nest under 10),
 * and far less than the thousands of levels that overflow the stack of whatever recurses over it.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Hours a webhook delivery is remembered (its id, and a digest of what its signature covers), so neither a
 * sender's retry nor a captured delivery sent again enqueues anything: a day longer than the status and
 * idempotency records it could otherwise run again beside, and never less than the longest sender retry
 * horizon (Standard Webhooks / Svix, about 3 days: reference/webhooks.md §8–9).
 */
export function webhookDeliveryTtlHours(statusTtlDays: number): number {
  return Math.max(statusTtlDays * 24 + 24, 73);
}

/** Seconds a signed webhook timestamp may be from now, either way (Standard Webhooks' reference: 5 minutes). */
export const WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS: IntegerRange = { min: 30, max: 900, default: 300 };
