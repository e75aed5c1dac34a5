/**
 * Runs one parsed operation and says what the outcome means for the message: resolved is SUCCEEDED;
 * `PermanentOperationError` is FAILED (record it, do not retry); `TransientOperationError` is retry later.
 */
import {
  AtlasApiError,
  AtlasAuthError,
  type AtlasClient,
  AtlasDeadlineError,
  AtlasNetworkError,
  AtlasResponseError,
  AtlasValidationError,
  type CallOptions,
  isCredentialRejection,
} from '../atlas/index.ts';
import { OperationError, PermanentOperationError, TransientOperationError } from './errors.ts';
import type { ParsedOperation } from './message.ts';
import type { OperationContext, PlannedRequest } from './types.ts';

/** A finished run; `result` is the JSON to store (for a dry run, the requests it would send). */
export interface OperationRunResult {
  status: 'SUCCEEDED';
  result: unknown;
  dryRun: boolean;
}

/**
 * Runs `parsed`: a dry run returns the plan and sends nothing; otherwise the executor runs, and Atlas errors
 * become `TransientOperationError` or `PermanentOperationError`. Anything else (a bug, the caller's abort)
 * propagates unchanged.
 */
export async function runOperation(
  parsed: ParsedOperation,
  context: OperationContext,
): Promise<OperationRunResult> {
  if (parsed.dryRun) return { status: 'SUCCEEDED', dryRun: true, result: dryRunResult(parsed) };
  try {
    return {
      status: 'SUCCEEDED',
      dryRun: false,
      result: await parsed.definition.execute(parsed.params, context),
    };
  } catch (error) {
    throw toOperationError(error);
  }
}

/** What a dry run answers: the requests the operation would send, in order. Sends nothing. */
export function dryRunResult(parsed: Pick<ParsedOperation, 'definition' | 'params'>): {
  dryRun: true;
  requests: PlannedRequest[];
} {
  return { dryRun: true, requests: parsed.definition.plan(parsed.params) };
}

/** What the provisioner gives every operation besides Atlas (./ports.ts). */
export type OperationServices = Pick<OperationContext, 'vault' | 'scheduler' | 'now'>;

/**
 * Runs a real operation for the provisioning worker: resolves to its result; a permanent failure throws, so
 * the idempotency layer around it remembers only successes.
 */
export async function executeOperation(
  operation: ParsedOperation,
  atlas: AtlasClient,
  callOptions: CallOptions,
  services: OperationServices = {},
): Promise<unknown> {
  const running = {
    id: operation.id,
    ...(operation.requestedBy ? { requestedBy: operation.requestedBy } : {}),
    ...(operation.approvedBy ? { approvedBy: operation.approvedBy } : {}),
  };
  const { result } = await runOperation(
    { ...operation, dryRun: false },
    { atlas, callOptions, operation: running, ...services },
  );
  return result;
}

/**
 * What an error thrown by an executor means for the message. Retryable: 429 and 5xx, the network, the
 * deadline, a token endpoint that is down, and an unreadable success answer (every executor looks before it
 * writes, or writes set-like, so a rerun is safe). Permanent: every other Atlas refusal (a permission 401
 * such as `NOT_IN_GROUP` included), and input the client rejected before sending. Refused credentials
 * (`isCredentialRejection`) are returned unchanged for the caller's Atlas session to handle.
 */
export function toOperationError(error: unknown): unknown {
  if (error instanceof OperationError) return error;
  if (error instanceof AtlasValidationError) {
    const problems = error.problems.map((p) => `${p.field || '(input)'}: ${p.description}`).join('; ');
    return new PermanentOperationError({ errorCode: 'VALIDATION_ERROR', detail: problems, cause: error });
  }
  // Refused credentials are not the operation's fault: they pass unchanged to the Atlas session, which
  // fetches the secret again and runs the operation once more.
  if (isCredentialRejection(error)) return error;
  if (error instanceof AtlasApiError || error instanceof AtlasAuthError) {
    if (error.isRetryable) {
      return new TransientOperationError(error.message, { cause: error, retryAfterMs: error.retryAfterMs });
    }
    return error instanceof AtlasApiError
      ? new PermanentOperationError({
          errorCode: error.errorCode,
          detail: error.detail ?? error.reason ?? error.message,
          status: error.status,
          cause: error,
        })
      : new PermanentOperationError({
          errorCode: error.oauthError,
          detail: error.message,
          status: error.status,
          cause: error,
        });
  }
  if (error instanceof AtlasDeadlineError) {
    // Out of time while Atlas asked for a wait: the queue waits instead, at least as long as Atlas asked.
    return new TransientOperationError(error.message, { cause: error, retryAfterMs: error.retryAfterMs });
  }
  if (error instanceof AtlasNetworkError || error instanceof AtlasResponseError) {
    return new TransientOperationError(error.message, { cause: error });
  }
  return error;
}
