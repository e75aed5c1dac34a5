/**
 * One SQS record of the outcomes queue, start to finish: parse → notify (once per outcome) → what happens to
 * the message follows from the answer:
 * - told, or told already: done, the message is deleted;
 * - refused in a way retrying cannot fix (401/403, the issue is gone, a bad reference, a source with no
 *   configuration): recorded (log + `NotificationsFailed`) and dropped;
 * - 429 (never sooner than its `Retry-After`), 5xx, network, a claim held by another delivery, a credentials
 *   secret that cannot be read: hidden for a
 *   jittered backoff that grows per receive and reported as a batch item failure; on the last receive it goes
 *   to the notifier's dead-letter queue with the reason `RETRIES_EXHAUSTED` (the policy both queue workers
 *   share: shared/queue-worker/retry-policy.ts);
 * - not an outcome event: to the dead-letter queue at once (`NOT_AN_OUTCOME`).
 */
import type { SQSRecord } from 'aws-lambda';
import { type RetryPolicy, receiveCountOf, retryOrDeadLetter } from '../queue-worker/retry-policy.ts';
import { NotificationRejectedError, NotificationRetryableError, NotifierSecretError } from './errors.ts';
import { NotificationBusyError, type Notifier, parseOutcomeEvent } from './notifier.ts';

export interface NotificationCounters {
  /** Per source: notifications sent. */
  sent: Record<string, number>;
  /** Per source: notifications dropped or dead-lettered. */
  failed: Record<string, number>;
  duplicates: number;
  retried: number;
}

export function newNotificationCounters(): NotificationCounters {
  return { sent: {}, failed: {}, duplicates: 0, retried: 0 };
}

export interface NotificationLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/** `queue` (`RetryPolicy`) is the outcomes queue: defer a retry, park on the notifier's dead-letter queue. */
export interface OutcomeRecordDependencies extends RetryPolicy {
  notifier: Notifier;
  counters: NotificationCounters;
  log: NotificationLog;
}

/** Refusals that mean the outcome has no ticket to go to (not a failure of telling it). */
const NOWHERE_TO_TELL: ReadonlySet<string> = new Set(['NO_REQUESTER', 'NO_TARGET']);

/** Processes one record; throws to report it as a batch item failure (it comes back after its backoff). */
export async function processOutcomeRecord(
  record: SQSRecord,
  deps: OutcomeRecordDependencies,
): Promise<void> {
  const receiveCount = receiveCountOf(record);
  const event = parseOutcomeEvent(record.body);
  if (!event) {
    await deps.queue.moveToDeadLetter(record.body, {
      reason: 'NOT_AN_OUTCOME',
      detail: 'the message is not an outcome event',
      receiveCount: String(receiveCount),
    });
    return;
  }
  const source = event.requestedBy?.source ?? 'none';
  const fields = {
    operationId: event.operationId,
    eventId: event.eventId,
    source,
    ref: event.requestedBy?.ref,
    status: event.status,
  };
  try {
    const result = await deps.notifier.notify(event);
    if (result === 'ALREADY_SENT') deps.counters.duplicates += 1;
    else {
      count(deps.counters.sent, source);
      deps.log.info('Notification sent', fields);
    }
  } catch (error) {
    if (error instanceof NotificationRejectedError) {
      if (NOWHERE_TO_TELL.has(error.reason)) {
        // An operation from the CLI or the queue names no ticket, or its source has no ticketing system set
        // up: nothing went wrong, there is just no one to tell.
        deps.log.info('Notification not sent: nowhere to tell', { ...fields, reason: error.reason });
        return;
      }
      count(deps.counters.failed, source);
      deps.log.warn('Notification dropped: retrying cannot fix it', {
        ...fields,
        reason: error.reason,
        error: error.message,
      });
      return;
    }
    // A secret that cannot be read (throttled, mid-rotation) is read again on the next receive.
    const retryable =
      error instanceof NotificationRetryableError ||
      error instanceof NotificationBusyError ||
      error instanceof NotifierSecretError;
    if (!retryable) {
      // A bug or the secret cannot be read: SQS retries it, and its redrive policy parks it in the end.
      deps.log.error('Notification failed', { ...fields, error: describe(error) });
      throw error;
    }
    const retryAfterMs = error instanceof NotificationRetryableError ? error.retryAfterMs : undefined;
    const failure = { error, detail: error.message, operationId: event.operationId, retryAfterMs };
    await retryOrDeadLetter({ record, receiveCount }, failure, deps, {
      deadLettering: () => count(deps.counters.failed, source),
      deadLettered: () => {
        deps.log.error('Notification dead-lettered after its last receive', {
          ...fields,
          error: failure.detail,
        });
      },
      deferring: () => {
        deps.counters.retried += 1;
      },
      deferred: (inSeconds) => {
        deps.log.warn('Notification will be retried', { ...fields, error: failure.detail, inSeconds });
      },
    });
  }
}

function count(counts: Record<string, number>, source: string): void {
  counts[source] = (counts[source] ?? 0) + 1;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
