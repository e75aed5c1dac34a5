/**
 * One SQS record of the provisioning queue, start to finish: parse → validate → idempotency → execute →
 * record the status. What happens to the message follows from the outcome:
 * - SUCCEEDED or FAILED (permanent: retrying cannot fix it): recorded; the message is deleted.
 * - not an operation (not JSON, unknown type, bad params, too large): recorded when an id can be read, and
 *   moved to the dead-letter queue at once with the reason as a message attribute; it never loops.
 * - transient (429, 5xx, network, deadline, a duplicate still in progress): recorded as RETRYING, the
 *   message is hidden for a backoff that grows with each receive (never shorter than Atlas's Retry-After) and
 *   reported as a batch item failure; on the last receive it goes to the dead-letter queue with its reason.
 */
import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import type { SQSRecord } from 'aws-lambda';
import type { AtlasClient } from '../atlas/index.ts';
import type { KeyedSerialQueue } from '../atlas/serial-queue.ts';
import { type OperationQueue, retryVisibilitySeconds } from '../aws/operation-queue.ts';
import type { StatusStore } from '../aws/status-store.ts';
import { InvalidOperationError, PermanentOperationError, TransientOperationError } from './errors.ts';
import { type ParsedOperation, parseOperationMessage } from './message.ts';
import { runOperation } from './run.ts';

/** What an operation came to; stored by the idempotency layer, so a duplicate delivery gets the same answer. */
export type OperationOutcome =
  | { status: 'SUCCEEDED'; result: unknown }
  | { status: 'FAILED'; error: { errorCode: string; detail: string; status?: number } };

/** Runs a parsed operation at most once per id (Powertools Idempotency in production). */
export type IdempotentExecutor = (
  operation: ParsedOperation,
  atlas: AtlasClient,
) => Promise<OperationOutcome>;

export interface RecordProcessorDependencies {
  status: StatusStore;
  queue: OperationQueue;
  execute: IdempotentExecutor;
  /** The Atlas client for this invocation. */
  atlas(): Promise<AtlasClient>;
  /** Called when Atlas refuses the credentials: fetch the secret again before the retry. */
  credentialsRejected(): Promise<void>;
  maxReceiveCount: number;
  /** First backoff step of a retry, in seconds (30 in production; tests make it short). */
  retryBaseSeconds: number;
  /**
   * Deliveries of the same operation in one batch run one after another, so the second finds the first's
   * stored outcome instead of an idempotency record still in progress (which would cost it a retry).
   */
  sameOperation: KeyedSerialQueue;
  counters: RecordCounters;
}

export interface RecordCounters {
  succeeded: number;
  failed: number;
  retried: number;
  deadLettered: number;
  poison: number;
}

export function newCounters(): RecordCounters {
  return { succeeded: 0, failed: 0, retried: 0, deadLettered: 0, poison: 0 };
}

/** Executes a parsed operation and turns permanent errors into a FAILED outcome (transient ones throw). */
export async function executeOperation(
  operation: ParsedOperation,
  atlas: AtlasClient,
): Promise<OperationOutcome> {
  try {
    const { result } = await runOperation(operation, { atlas });
    return { status: 'SUCCEEDED', result };
  } catch (error) {
    if (!(error instanceof PermanentOperationError) || error.status === 401) throw error;
    return {
      status: 'FAILED',
      error: {
        errorCode: error.errorCode,
        detail: error.detail,
        ...(error.status ? { status: error.status } : {}),
      },
    };
  }
}

/** Processes one record; throws to report it as a batch item failure (it comes back after its backoff). */
export async function processRecord(record: SQSRecord, deps: RecordProcessorDependencies): Promise<void> {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1') || 1;
  let operation: ParsedOperation;
  try {
    operation = parseOperationMessage(record.body);
  } catch (error) {
    if (!(error instanceof InvalidOperationError)) throw error;
    deps.counters.poison += 1;
    if (error.operationId) {
      const problems = error.problems.map((p) => `${p.field}: ${p.description}`);
      await deps.status.recordInvalid(error.operationId, undefined, error.reason, problems);
    }
    await deps.queue.moveToDeadLetter(record.body, {
      reason: error.reason,
      detail: error.message,
      receiveCount: String(receiveCount),
      ...(error.operationId ? { operationId: error.operationId } : {}),
    });
    return;
  }

  await deps.sameOperation.run(operation.id, () => processOperation(record, operation, receiveCount, deps));
}

async function processOperation(
  record: SQSRecord,
  operation: ParsedOperation,
  receiveCount: number,
  deps: RecordProcessorDependencies,
): Promise<void> {
  await deps.status.recordAttempt(operation.id, {
    type: operation.type,
    dryRun: operation.dryRun,
    ...(operation.requestedBy ? { requestedBy: operation.requestedBy } : {}),
  });
  try {
    const outcome = await deps.execute(operation, await deps.atlas());
    if (outcome.status === 'SUCCEEDED') {
      deps.counters.succeeded += 1;
      await deps.status.recordSucceeded(operation.id, outcome.result);
    } else {
      deps.counters.failed += 1;
      await deps.status.recordFailed(operation.id, outcome.error);
    }
  } catch (error) {
    const transient = asTransient(error);
    if (!transient) {
      // A bug, not Atlas: keep the trace in the status record; the throw makes it a batch item failure, so
      // SQS retries it and, if it keeps failing, its redrive policy moves it to the dead-letter queue.
      const detail = error instanceof Error ? error.message : String(error);
      await deps.status.recordRetrying(operation.id, { errorCode: 'UNEXPECTED_ERROR', detail });
      throw error;
    }
    if (error instanceof PermanentOperationError && error.status === 401) await deps.credentialsRejected();
    const detail = { errorCode: transient.errorCode, detail: transient.detail };
    if (receiveCount >= deps.maxReceiveCount) {
      deps.counters.deadLettered += 1;
      await deps.status.recordFailed(operation.id, { ...detail, reason: 'RETRIES_EXHAUSTED' });
      await deps.queue.moveToDeadLetter(record.body, {
        reason: 'RETRIES_EXHAUSTED',
        detail: `${transient.errorCode}: ${transient.detail}`,
        operationId: operation.id,
        receiveCount: String(receiveCount),
      });
      return;
    }
    deps.counters.retried += 1;
    await deps.status.recordRetrying(operation.id, detail);
    const visibility = retryVisibilitySeconds(receiveCount, transient.retryAfterMs, {
      baseSeconds: deps.retryBaseSeconds,
    });
    await deps.queue.deferRetry(record.receiptHandle, visibility);
    throw error;
  }
}

/** The retryable failures, with what to record; undefined for errors that are bugs (they are retried too, by throwing). */
function asTransient(
  error: unknown,
): { errorCode: string; detail: string; retryAfterMs?: number } | undefined {
  if (error instanceof TransientOperationError) {
    const cause = error.cause as { errorCode?: string; code?: string } | undefined;
    return {
      errorCode: cause?.errorCode ?? cause?.code ?? 'TRANSIENT',
      detail: error.message,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    // Another delivery of the same operation runs right now (in another batch): look again after a backoff.
    return { errorCode: 'IN_PROGRESS', detail: 'another delivery of this operation is in progress' };
  }
  if (error instanceof PermanentOperationError && error.status === 401) {
    return {
      errorCode: error.errorCode,
      detail: 'Atlas refused the credentials; the secret is fetched again',
    };
  }
  return undefined;
}
