/**
 * Runs one parsed operation and says what the outcome means for the message: resolved is SUCCEEDED;
 * `PermanentOperationError` is FAILED (record it, do not retry); `TransientOperationError` is retry later.
 */
import {
  AtlasApiError,
  AtlasAuthError,
  AtlasDeadlineError,
  AtlasNetworkError,
  AtlasResponseError,
  AtlasValidationError,
} from '../atlas/index.ts';
import { OperationError, PermanentOperationError, TransientOperationError } from './errors.ts';
import type { ParsedOperation } from './message.ts';
import type { OperationContext } from './types.ts';

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
  const { definition, params } = parsed;
  if (parsed.dryRun) {
    return { status: 'SUCCEEDED', dryRun: true, result: { dryRun: true, requests: definition.plan(params) } };
  }
  try {
    return { status: 'SUCCEEDED', dryRun: false, result: await definition.execute(params, context) };
  } catch (error) {
    throw toOperationError(error);
  }
}

/**
 * What an error thrown by an executor means for the message. Retryable: 429 and 5xx, the network, the
 * deadline, a token endpoint that is down, and an unreadable success answer (every executor looks before it
 * writes, or writes set-like, so a rerun is safe). Permanent: every other Atlas refusal, and input the client
 * rejected before sending.
 */
export function toOperationError(error: unknown): unknown {
  if (error instanceof OperationError) return error;
  if (error instanceof AtlasValidationError) {
    const problems = error.problems.map((p) => `${p.field || '(input)'}: ${p.description}`).join('; ');
    return new PermanentOperationError({ errorCode: 'VALIDATION_ERROR', detail: problems, cause: error });
  }
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
  if (
    error instanceof AtlasNetworkError ||
    error instanceof AtlasDeadlineError ||
    error instanceof AtlasResponseError
  ) {
    return new TransientOperationError(error.message, { cause: error });
  }
  return error;
}
