/**
 * The notifier's service: one outcome event → at most one notification where the request came from
 * (`requestedBy.source`), guarded by a ledger so a redelivered event is told once.
 */
import * as z from '../config/zod.ts';
import type { OutcomeEvent } from '../operations/outcome.ts';
import { NotificationRejectedError, NotifyError } from './errors.ts';
import type { NotifierSecretSource } from './secrets.ts';
import type { NotificationTarget } from './targets.ts';

/**
 * Remembers which outcomes were told (a DynamoDB item per event in AWS). `claim` takes an event for sending:
 * `claimed` (go on), `sent` (told already: skip) or `busy` (another delivery is sending it right now).
 */
export interface NotificationLedger {
  claim(eventId: string): Promise<'claimed' | 'sent' | 'busy'>;
  markSent(eventId: string): Promise<void>;
  /** Gives a claim back after a failed send, so a retry can take it. */
  release(eventId: string): Promise<void>;
}

/** Another delivery of the same event holds the claim: look again after a backoff. */
export class NotificationBusyError extends NotifyError {
  override name = 'NotificationBusyError';
}

export type NotifyResult = 'SENT' | 'ALREADY_SENT';

export interface NotifierOptions {
  /** The client for a source: Jira, GitHub, Zendesk, or the source's callback. */
  targetFor(source: string): NotificationTarget;
  ledger: NotificationLedger;
  secrets: NotifierSecretSource;
  /** The status link of an operation (`{api}/operations/{id}`), when the API's URL is known. */
  statusBaseUrl?: string | undefined;
}

const outcomeSchema = z.object({
  eventId: z.string().check(z.minLength(1), z.maxLength(2_048)),
  operationId: z.string().check(z.minLength(1)),
  type: z.string().check(z.minLength(1)),
  status: z.enum(['SUCCEEDED', 'FAILED', 'AWAITING_APPROVAL']),
  dryRun: z._default(z.boolean(), false),
  summary: z.optional(z.string()),
  error: z.optional(
    z.object({
      errorCode: z.string(),
      detail: z.string(),
      status: z.optional(z.number()),
      reason: z.optional(z.string()),
    }),
  ),
  requestedBy: z.optional(
    z.object({
      source: z.string().check(z.minLength(1)),
      ref: z.optional(z.string()),
      actor: z.optional(z.string()),
    }),
  ),
  approvedBy: z.optional(z.string()),
  target: z.optional(z.string()),
  approval: z.optional(
    z.object({
      rule: z.string(),
      approvedBy: z.array(z.string()),
      needed: z.int(),
      mayApprove: z.array(z.string()),
    }),
  ),
  startedAt: z.optional(z.string()),
  finishedAt: z.string(),
});

/** Parses an outcomes-queue body; undefined when it is not an outcome event. */
export function parseOutcomeEvent(body: string): OutcomeEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = outcomeSchema.safeParse(value);
  return parsed.success ? (parsed.data as OutcomeEvent) : undefined;
}

/** The status link of an operation, as the intake builds it (`?dryRun=true` for a dry run's record). */
export function statusUrlOf(base: string | undefined, event: OutcomeEvent): string | undefined {
  if (!base) return undefined;
  const url = `${base.replace(/\/+$/, '')}/operations/${encodeURIComponent(event.operationId)}`;
  return event.dryRun ? `${url}?dryRun=true` : url;
}

export class Notifier {
  readonly #options: NotifierOptions;

  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  /**
   * Tells the event's requester how it ended. Throws `NotificationRejectedError` (drop it),
   * `NotificationRetryableError` or `NotificationBusyError` (try again later).
   */
  async notify(event: OutcomeEvent): Promise<NotifyResult> {
    const requestedBy = event.requestedBy;
    if (!requestedBy?.ref) {
      throw new NotificationRejectedError('the operation names no ticket (requestedBy.ref)', 'NO_REQUESTER');
    }
    const target = this.#options.targetFor(requestedBy.source);
    const secrets = await this.#options.secrets.get();
    const { ledger } = this.#options;
    const claim = await ledger.claim(event.eventId);
    if (claim === 'sent') return 'ALREADY_SENT';
    if (claim === 'busy') throw new NotificationBusyError(`outcome ${event.eventId} is being sent already`);
    try {
      await target.send({
        event,
        ref: requestedBy.ref,
        statusUrl: statusUrlOf(this.#options.statusBaseUrl, event),
        secrets,
      });
    } catch (error) {
      await ledger.release(event.eventId).catch(() => undefined);
      // A refused credential may have been rotated: the next attempt reads the secret again.
      if (error instanceof NotificationRejectedError && (error.status === 401 || error.status === 403)) {
        await this.#options.secrets.refresh().catch(() => undefined);
      }
      throw error;
    }
    await ledger.markSent(event.eventId);
    return 'SENT';
  }
}
