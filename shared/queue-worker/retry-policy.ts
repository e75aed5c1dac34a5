/**
 * The retry / dead-letter policy of a worker that takes its work from an SQS queue (the provisioner from the
 * provisioning queue, the notifier from the outcomes queue). A message that failed transiently is hidden for
 * a jittered backoff that grows with each receive and is never shorter than the sender's Retry-After
 * (./retry-delay.ts), and reported as a batch item failure; on its last receive (`maxReceiveCount`) it goes to
 * the dead-letter queue as `RETRIES_EXHAUSTED` instead. The worker counts, records and logs around each move.
 *
 * Why this folder and not the worker kit (shared/lambda): the record processors that apply the policy live in
 * the domain folders shared/operations and shared/notify, which must not import the worker kit or the
 * adapters (test/architecture/imports.test.ts). So the policy, its backoff and the port it drives
 * (./work-queue.ts, implemented on SQS by shared/queue-worker/adapters/work-queue.ts) sit here, in a small folder that both
 * domains may import and that itself imports nothing of Lambda, AWS or either domain.
 */
import { retryVisibilitySeconds } from './retry-delay.ts';
import type { WorkQueue } from './work-queue.ts';

/** The dead-letter reason of a message that still failed on its last receive. */
export const RETRIES_EXHAUSTED = 'RETRIES_EXHAUSTED';

/** The queue and the settings of the policy; a record processor's dependencies carry them. */
export interface RetryPolicy {
  /** The queue the worker takes its work from: defer a retry, move to its dead-letter queue. */
  queue: WorkQueue;
  /** The receive on which a transient failure goes to the dead-letter queue instead of being retried. */
  maxReceiveCount: number;
  /** First backoff step of a retry, in ms (30 000 in production; the local stack's tests make it a few). */
  retryBaseMs: number;
  /** Jitter source of the retry backoff. Default `Math.random`. */
  random?: (() => number) | undefined;
}

/** A received message: what the queue needs to move or hide it, and how often it was received. */
export interface ReceivedMessage {
  record: { body: string; receiptHandle: string };
  /** SQS's ApproximateReceiveCount (`receiveCountOf`): 1 on the first delivery. */
  receiveCount: number;
}

/** What failed, transiently. */
export interface TransientFailure {
  /** Thrown again once the message is deferred, so the batch reports it as failed. */
  error: unknown;
  /** The dead-letter `detail`. */
  detail: string;
  /** The dead-letter `operationId`. */
  operationId?: string | undefined;
  /** The sender's Retry-After (Atlas's, a ticketing system's): the retry comes no sooner. */
  retryAfterMs?: number | undefined;
}

/** What the worker does around the move the policy chose: count it, record it, say it. */
export interface RetrySteps {
  /** On the last receive, before the message moves to the dead-letter queue. */
  deadLettering?(): Promise<void> | void;
  /** Once it is on the dead-letter queue. */
  deadLettered(): Promise<void> | void;
  /** Before the message is hidden for its backoff. */
  deferring?(): Promise<void> | void;
  /** Once it is hidden, for `inSeconds`. */
  deferred(inSeconds: number): Promise<void> | void;
}

/** SQS's ApproximateReceiveCount of a record: 1 on the first delivery, and when it is missing or no number. */
export function receiveCountOf(record: { attributes: { ApproximateReceiveCount?: string } }): number {
  return Number(record.attributes.ApproximateReceiveCount ?? '1') || 1;
}

/**
 * Applies the policy to a message that failed transiently. Resolves once the message is on the dead-letter
 * queue (the batch then deletes it); rejects with `failure.error` once it is hidden for its backoff (a batch
 * item failure: it comes back after it). A failing step or queue call rejects with its own error.
 *
 * @example
 * await retryOrDeadLetter({ record, receiveCount }, { error, detail: error.message }, deps, {
 *   deadLettered: () => log.error('Dead-lettered', {}),
 *   deferred: (inSeconds) => log.warn('Will be retried', { inSeconds }),
 * });
 */
export async function retryOrDeadLetter(
  message: ReceivedMessage,
  failure: TransientFailure,
  policy: RetryPolicy,
  steps: RetrySteps,
): Promise<void> {
  const { record, receiveCount } = message;
  if (receiveCount >= policy.maxReceiveCount) {
    await steps.deadLettering?.();
    await policy.queue.moveToDeadLetter(record.body, {
      reason: RETRIES_EXHAUSTED,
      detail: failure.detail,
      ...(failure.operationId === undefined ? {} : { operationId: failure.operationId }),
      receiveCount: String(receiveCount),
    });
    await steps.deadLettered();
    return;
  }
  await steps.deferring?.();
  const inSeconds = retryVisibilitySeconds(receiveCount, failure.retryAfterMs, {
    baseMs: policy.retryBaseMs,
    random: policy.random ?? Math.random,
  });
  await policy.queue.deferRetry(record.receiptHandle, inSeconds);
  await steps.deferred(inSeconds);
  throw failure.error;
}
