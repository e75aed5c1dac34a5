/**
 * Errors of the operation layer. Every one is an `OperationError`, and each subclass tells the worker what
 * to do with the message: `InvalidOperationError` and `PermanentOperationError` are recorded as FAILED and
 * never retried; `TransientOperationError` is retried later.
 */
import type { FieldProblem } from '../atlas/index.ts';

/** Base of every error the operation layer throws. */
export class OperationError extends Error {
  override name = 'OperationError';
}

/** Why a message is not an operation. */
export type InvalidOperationReason =
  | 'NOT_JSON'
  | 'NOT_AN_OPERATION'
  | 'UNKNOWN_TYPE'
  | 'INVALID_PARAMS'
  | 'TOO_LARGE'
  | 'TOO_DEEP';

/**
 * The message is not an operation (not JSON, not an object, unknown `type`, too large, bad params). Nothing
 * was sent to Atlas, and a retry of the same message can only fail the same way.
 */
export class InvalidOperationError extends OperationError {
  override name = 'InvalidOperationError';
  readonly reason: InvalidOperationReason;
  /** Each bad field, named by its path in the message (`type`, `params.peering.vpcId`, …). */
  readonly problems: FieldProblem[];
  /** The message's `id`, or the one derived from it, whenever either could be read: the status record's key. */
  readonly operationId: string | undefined;

  constructor(reason: InvalidOperationReason, problems: FieldProblem[], operationId?: string) {
    const list = problems.map((p) => `${p.field}: ${p.description}`).join('; ');
    super(`Invalid operation message (${reason})${list ? `: ${list}` : ''}`);
    this.reason = reason;
    this.problems = problems;
    this.operationId = operationId;
  }
}

/** Fields of a `PermanentOperationError`. */
export interface PermanentOperationErrorFields {
  /** Atlas's `errorCode` (or ours, such as `MANAGED_NAMESPACE_CONFLICT` or `VALIDATION_ERROR`). */
  errorCode: string;
  detail: string;
  /** Atlas's HTTP status, when Atlas answered. */
  status?: number | undefined;
  cause?: unknown;
}

/** Atlas refused the operation in a way that retrying cannot fix (400, 401, 403, 404 on a create, 409, …). */
export class PermanentOperationError extends OperationError {
  override name = 'PermanentOperationError';
  readonly errorCode: string;
  readonly detail: string;
  readonly status: number | undefined;

  constructor(fields: PermanentOperationErrorFields) {
    super(`${fields.errorCode}: ${fields.detail}`, { cause: fields.cause });
    this.errorCode = fields.errorCode;
    this.detail = fields.detail;
    this.status = fields.status;
  }
}

/** The operation may succeed later (429, 5xx, network, deadline): retry the message after a while. */
export class TransientOperationError extends OperationError {
  override name = 'TransientOperationError';
  /** The wait Atlas asked for (`Retry-After`), in milliseconds: retrying sooner only burns an attempt. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { cause: unknown; retryAfterMs?: number | undefined }) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * A delivery reuses an operation id with a different type or params: it is not a repeat of that operation
 * but a different request under a taken id. Nothing is sent to Atlas; the first operation's record stays.
 */
export class OperationIdReusedError extends OperationError {
  override name = 'OperationIdReusedError';
  readonly operationId: string;

  constructor(operationId: string) {
    super(
      `Operation id ${operationId} is already used by an operation with a different type or params; ` +
        'give a new request its own id',
    );
    this.operationId = operationId;
  }
}

/**
 * The operation would open an access list to the whole internet (or most of it) without leave, or remove an
 * address the stack protects (shared/operations/network-safety.ts). Refused before anything is sent: FAILED
 * with `errorCode` `WIDE_NETWORK_REFUSED` or `PROTECTED_ADDRESS`, never retried.
 */
export class NetworkSafetyError extends PermanentOperationError {
  override name = 'NetworkSafetyError';
  /** Each refused entry, named by its path in the message (`params.entries.0.cidrBlock`, …). */
  readonly problems: FieldProblem[];

  constructor(errorCode: string, problems: FieldProblem[], hint: string) {
    const list = problems.map((p) => `${p.field}: ${p.description}`).join('; ');
    super({ errorCode, detail: `${list}; ${hint}` });
    this.problems = problems;
  }
}
