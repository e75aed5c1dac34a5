/**
 * One SQS record of the provisioning queue, start to finish: parse → check the id → run (at most once per id)
 * → record the status. What happens to the message follows from the outcome:
 * - SUCCEEDED, or FAILED (permanent: retrying cannot fix it): recorded; the message is deleted. Only a
 *   SUCCEEDED real run is remembered by the idempotency store; a FAILED one runs again if it is sent again
 *   (say, after the missing Atlas role was granted).
 * - an access-list change that would add a wide network without `allowWideNetworks`, or remove a protected
 *   address (./network-safety.ts): FAILED (`WIDE_NETWORK_REFUSED`, `PROTECTED_ADDRESS`), nothing sent.
 * - a dry run: the plan is recorded under the dry-run key (`statusRecordId`), never under the real run's.
 * - not an operation (not JSON, unknown type, bad params, too large): recorded when an id can be read and no
 *   record has it yet, and moved to the dead-letter queue at once with the reason; it never loops.
 * - an id already used by an operation with other params: nothing runs, the first operation's record stays,
 *   and the message goes to the dead-letter queue as `ID_REUSED_WITH_DIFFERENT_PARAMS`.
 * - transient (429, 5xx, network, the deadline, a secret that cannot be read, refused credentials after a
 *   refetch, a duplicate still in progress): recorded as RETRYING; the message is hidden for a jittered
 *   backoff that grows with each receive (never shorter than Atlas's Retry-After) and reported as a batch
 *   item failure; on the last receive it goes to the dead-letter queue with its reason (the policy both
 *   queue workers share: shared/queue-worker/retry-policy.ts).
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import type { SQSRecord } from 'aws-lambda';
import {
  AtlasApiError,
  type AtlasAuthError,
  type AtlasClient,
  AtlasConnectionError,
  AtlasDeadlineError,
  type CallOptions,
  isCredentialRejection,
} from '../atlas/index.ts';
import type { KeyedSerialQueue } from '../atlas/serial-queue.ts';
import {
  RETRIES_EXHAUSTED,
  type RetryPolicy,
  receiveCountOf,
  retryOrDeadLetter,
} from '../queue-worker/retry-policy.ts';
import {
  InvalidOperationError,
  OperationIdReusedError,
  PermanentOperationError,
  TransientOperationError,
} from './errors.ts';
import { type ParsedOperation, parseOperationMessage, payloadFingerprint } from './message.ts';
import { checkNetworkSafety, type NetworkSafetySettings } from './network-safety.ts';
import { type OutcomeEvent, type OutcomePublisher, outcomeEventOf, summariseResult } from './outcome.ts';
import { dryRunResult } from './run.ts';
import {
  type OperationStatusRecord,
  type RecordedError,
  type StatusStore,
  statusRecordId,
} from './status.ts';

/** Runs a real operation at most once per id (Powertools Idempotency in production); resolves to its result. */
export type IdempotentExecutor = (
  operation: ParsedOperation,
  atlas: AtlasClient,
  callOptions: CallOptions,
) => Promise<unknown>;

/** The invocation's Atlas session, as the worker kit's `atlasSession` middleware provides it. */
export interface AtlasRunner {
  readonly callOptions: CallOptions;
  run<T>(work: (atlas: AtlasClient) => Promise<T>): Promise<T>;
}

/** The dead-letter reason of a message that reuses an operation id with different params. */
export const ID_REUSED_REASON = 'ID_REUSED_WITH_DIFFERENT_PARAMS';

/** The provisioning queue (`queue`: defer, dead-letter) and the retry settings come with `RetryPolicy`. */
export interface RecordProcessorDependencies extends RetryPolicy {
  status: StatusStore;
  execute: IdempotentExecutor;
  atlas: AtlasRunner;
  /**
   * Deliveries of the same operation in one batch run one after another, so the second finds the first's
   * stored outcome instead of an idempotency record still in progress (which would cost it a retry).
   */
  sameOperation: KeyedSerialQueue;
  counters: RecordCounters;
  /**
   * Where the outcome of each operation that reaches an end state goes (the outcomes queue), once: only the
   * write that ended the operation emits. Optional: without it nothing is told.
   */
  outcomes?: OutcomePublisher | undefined;
  /** A failed emit: logged and counted by the caller; the operation's outcome stands. */
  onOutcomeError?: ((error: unknown, event: OutcomeEvent) => void) | undefined;
  /** The clock of the outcome's `finishedAt`. Default `new Date()`. */
  now?: () => Date;
  /** One line per operation as it starts and ends (Powertools' Logger in Lambda). Default: none. */
  log?: OperationLog | undefined;
  /**
   * The addresses no delete removes (`PROTECTED_ADDRESSES`). Wide networks are refused whatever this says,
   * unless the message allows them (./network-safety.ts). Default: none protected.
   */
  networkSafety?: NetworkSafetySettings | undefined;
}

/** Where the record processor says what became of each operation. */
export interface OperationLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

export interface RecordCounters {
  succeeded: number;
  failed: number;
  retried: number;
  deadLettered: number;
  poison: number;
  outcomesEmitted: number;
  outcomesFailed: number;
}

export function newCounters(): RecordCounters {
  return {
    succeeded: 0,
    failed: 0,
    retried: 0,
    deadLettered: 0,
    poison: 0,
    outcomesEmitted: 0,
    outcomesFailed: 0,
  };
}

/** Processes one record; throws to report it as a batch item failure (it comes back after its backoff). */
export async function processRecord(record: SQSRecord, deps: RecordProcessorDependencies): Promise<void> {
  const receiveCount = receiveCountOf(record);
  let operation: ParsedOperation;
  try {
    operation = parseOperationMessage(record.body);
  } catch (error) {
    if (!(error instanceof InvalidOperationError)) throw error;
    deps.counters.poison += 1;
    deps.log?.warn('Operation dead-lettered', {
      operationId: error.operationId,
      reason: error.reason,
      problems: error.problems.map((problem) => problem.field),
    });
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
  const delivery = { record, operation, key: statusRecordId(operation.id, operation.dryRun), receiveCount };
  await deps.sameOperation.run(delivery.key, () => processOperation(delivery, deps));
}

/** One delivery of a valid operation: the record, what it asks, its status record's key, its receive count. */
interface Delivery {
  record: SQSRecord;
  operation: ParsedOperation;
  key: string;
  receiveCount: number;
  /** The status record as the attempt left it (its attempt number and start), once it was recorded. */
  attempt?: OperationStatusRecord;
}

async function processOperation(delivery: Delivery, deps: RecordProcessorDependencies): Promise<void> {
  const { operation, key } = delivery;
  const fields = {
    operationId: operation.id,
    type: operation.type,
    dryRun: operation.dryRun,
    receiveCount: delivery.receiveCount,
  };
  try {
    delivery.attempt = await deps.status.recordAttempt(key, {
      type: operation.type,
      dryRun: operation.dryRun,
      payloadHash: payloadFingerprint(operation),
      ...(operation.requestedBy ? { requestedBy: operation.requestedBy } : {}),
      ...(operation.approvedBy ? { approvedBy: operation.approvedBy } : {}),
      ...(operation.decision ? { decision: operation.decision } : {}),
    });
    // Before Atlas, and for a dry run too: a wide network or a protected address is FAILED, never retried.
    checkNetworkSafety(operation, deps.networkSafety);
    // A dry run has no side effect to remember and needs no Atlas: it is planned afresh every time.
    const result = operation.dryRun
      ? dryRunResult(operation)
      : await deps.atlas.run((atlas) => deps.execute(operation, atlas, deps.atlas.callOptions));
    deps.counters.succeeded += 1;
    const ended = await deps.status.recordSucceeded(key, result);
    deps.log?.info('Operation succeeded', fields);
    if (ended) {
      const described = operation.dryRun ? undefined : operation.definition.describeResult?.(result);
      const summary = described ?? summariseResult(result);
      await emitOutcome(delivery, deps, 'SUCCEEDED', summary === undefined ? {} : { summary });
    }
  } catch (error) {
    await handleFailure(error, delivery, deps, fields);
  }
}

async function handleFailure(
  error: unknown,
  delivery: Delivery,
  deps: RecordProcessorDependencies,
  fields: Record<string, unknown>,
): Promise<void> {
  const { record, operation, key, receiveCount } = delivery;
  if (error instanceof OperationIdReusedError || error instanceof IdempotencyValidationError) {
    deps.counters.poison += 1;
    deps.log?.warn('Operation dead-lettered', { ...fields, reason: ID_REUSED_REASON });
    const detail = new OperationIdReusedError(operation.id).message;
    await deps.queue.moveToDeadLetter(record.body, {
      reason: ID_REUSED_REASON,
      detail,
      operationId: operation.id,
      receiveCount: String(receiveCount),
    });
    // No status write ends anything here (the first operation's record stays), so the event is named by
    // this message's payload: a redelivery of it carries the same id and the notifier tells it once.
    await emitOutcome(
      delivery,
      deps,
      'FAILED',
      { error: { errorCode: ID_REUSED_REASON, detail, reason: ID_REUSED_REASON } },
      `${key}:${ID_REUSED_REASON}:${payloadFingerprint(operation)}`,
    );
    return;
  }
  if (error instanceof PermanentOperationError) {
    deps.counters.failed += 1;
    const recorded: RecordedError = {
      errorCode: error.errorCode,
      detail: error.detail,
      ...(error.status ? { status: error.status } : {}),
    };
    deps.log?.info('Operation failed', { ...fields, errorCode: recorded.errorCode, detail: recorded.detail });
    if (await deps.status.recordFailed(key, recorded)) {
      await emitOutcome(delivery, deps, 'FAILED', { error: recorded });
    }
    return;
  }
  const transient = asTransient(error);
  if (!transient) {
    // A bug, not Atlas: keep the trace in the status record; the throw makes it a batch item failure, so
    // SQS retries it and, if it keeps failing, its redrive policy moves it to the dead-letter queue.
    const detail = error instanceof Error ? error.message : String(error);
    await deps.status.recordRetrying(key, { errorCode: 'UNEXPECTED_ERROR', detail });
    throw error;
  }
  const recorded = { errorCode: transient.errorCode, detail: transient.detail };
  const exhausted = { ...recorded, reason: RETRIES_EXHAUSTED };
  let ended = false;
  const failure = {
    error,
    detail: `${transient.errorCode}: ${transient.detail}`,
    operationId: operation.id,
    retryAfterMs: transient.retryAfterMs,
  };
  await retryOrDeadLetter(delivery, failure, deps, {
    deadLettering: async () => {
      deps.counters.deadLettered += 1;
      ended = await deps.status.recordFailed(key, exhausted);
    },
    deadLettered: async () => {
      deps.log?.warn('Operation dead-lettered', {
        ...fields,
        reason: RETRIES_EXHAUSTED,
        errorCode: recorded.errorCode,
      });
      if (ended) await emitOutcome(delivery, deps, 'FAILED', { error: exhausted });
    },
    deferring: async () => {
      deps.counters.retried += 1;
      await deps.status.recordRetrying(key, recorded);
    },
    deferred: (inSeconds) => {
      deps.log?.info('Operation will be retried', { ...fields, errorCode: recorded.errorCode, inSeconds });
    },
  });
}

/**
 * Publishes the outcome of the delivery that ended its operation. Never throws: the operation's outcome is
 * recorded already and must stand whatever happens to the event (the caller logs and counts the failure).
 */
async function emitOutcome(
  delivery: Delivery,
  deps: RecordProcessorDependencies,
  status: OutcomeEvent['status'],
  details: Pick<OutcomeEvent, 'summary' | 'error'>,
  eventId?: string,
): Promise<void> {
  if (!deps.outcomes) return;
  const { operation, key, attempt } = delivery;
  const event = outcomeEventOf(operation, {
    eventId: eventId ?? `${key}:${status}:${attempt?.attempts ?? delivery.receiveCount}`,
    status,
    ...details,
    ...(attempt?.createdAt ? { startedAt: attempt.createdAt } : {}),
    finishedAt: (deps.now?.() ?? new Date()).toISOString(),
  });
  try {
    await deps.outcomes.publish(event);
    deps.counters.outcomesEmitted += 1;
  } catch (error) {
    deps.counters.outcomesFailed += 1;
    deps.onOutcomeError?.(error, event);
  }
}

/** The failures worth a retry, with what to record; undefined for errors that are bugs. */
export function asTransient(
  error: unknown,
): { errorCode: string; detail: string; retryAfterMs?: number } | undefined {
  if (error instanceof TransientOperationError) {
    // Out of time while retrying: what Atlas last said (a 429's code) says more than "deadline".
    const cause =
      error.cause instanceof AtlasDeadlineError ? (error.cause.cause ?? error.cause) : error.cause;
    const { errorCode, code } = (cause ?? {}) as { errorCode?: string; code?: string };
    const fallback = cause instanceof AtlasDeadlineError ? 'DEADLINE_EXCEEDED' : 'TRANSIENT';
    return {
      errorCode: errorCode ?? code ?? fallback,
      detail: error.message,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    // Another delivery of the same operation runs right now (in another batch): look again after a backoff.
    return { errorCode: 'IN_PROGRESS', detail: 'another delivery of this operation is in progress' };
  }
  if (error instanceof AtlasConnectionError) {
    // Throttled, mid-rotation or briefly malformed: the next delivery reads the secret again.
    return { errorCode: 'ATLAS_CREDENTIALS_UNAVAILABLE', detail: error.message };
  }
  if (isCredentialRejection(error)) {
    // Refused even after the secret was read again: a rotation may not have reached it yet.
    const code = error instanceof AtlasApiError ? error.errorCode : (error as AtlasAuthError).oauthError;
    return { errorCode: code, detail: 'Atlas refused the credentials, also after reading the secret again' };
  }
  return undefined;
}
