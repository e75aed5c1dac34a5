/**
 * Errors of the Atlas client. Every error the client throws is an `AtlasError`, so callers can map the
 * whole family in one place (batch failure, HTTP status, CLI exit code) and ask `isRetryable`.
 * No error carries a credential, a token or a request header: only method, path and what Atlas said.
 */

/** Base of every error the Atlas client throws. */
export class AtlasError extends Error {
  override name = 'AtlasError';
  /** True when the same call may succeed if it is made again later. */
  get isRetryable(): boolean {
    return false;
  }
}

/** One field-level problem Atlas (or our own input check) reported. */
export interface FieldProblem {
  field: string;
  description: string;
}

/** The fields of Atlas's `ApiError` body that we keep. */
export interface AtlasApiErrorFields {
  status: number;
  errorCode: string;
  reason?: string | undefined;
  detail?: string | undefined;
  parameters?: unknown[] | undefined;
  badRequestDetail?: { fields?: FieldProblem[] } | undefined;
  method: string;
  path: string;
  /** Delay Atlas asked for (`Retry-After`), in milliseconds. */
  retryAfterMs?: number | undefined;
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Atlas answered with an HTTP error status. */
export class AtlasApiError extends AtlasError {
  override name = 'AtlasApiError';
  readonly status: number;
  readonly errorCode: string;
  readonly reason: string | undefined;
  readonly detail: string | undefined;
  readonly parameters: unknown[];
  readonly badRequestDetail: { fields?: FieldProblem[] } | undefined;
  readonly method: string;
  readonly path: string;
  readonly retryAfterMs: number | undefined;

  constructor(fields: AtlasApiErrorFields) {
    const summary = fields.detail ?? fields.reason ?? 'no detail';
    super(`Atlas ${fields.method} ${fields.path} failed: ${fields.status} ${fields.errorCode}: ${summary}`);
    this.status = fields.status;
    this.errorCode = fields.errorCode;
    this.reason = fields.reason;
    this.detail = fields.detail;
    this.parameters = fields.parameters ?? [];
    this.badRequestDetail = fields.badRequestDetail;
    this.method = fields.method;
    this.path = fields.path;
    this.retryAfterMs = fields.retryAfterMs;
  }

  override get isRetryable(): boolean {
    return RETRYABLE_STATUSES.has(this.status);
  }

  /** True when Atlas throttled the call (the request had no effect, so any method may be retried). */
  get isRateLimited(): boolean {
    return this.status === 429;
  }
}

/** The token endpoint refused or failed to issue an access token for a service account. */
export class AtlasAuthError extends AtlasError {
  override name = 'AtlasAuthError';
  readonly status: number;
  /** OAuth error code (`invalid_client`, `invalid_request`, …) or `HTTP_<status>`. */
  readonly oauthError: string;
  readonly retryAfterMs: number | undefined;

  constructor(status: number, oauthError: string, description: string | undefined, retryAfterMs?: number) {
    super(`Atlas token request failed: ${status} ${oauthError}${description ? `: ${description}` : ''}`);
    this.status = status;
    this.oauthError = oauthError;
    this.retryAfterMs = retryAfterMs;
  }

  override get isRetryable(): boolean {
    return RETRYABLE_STATUSES.has(this.status);
  }
}

/** Error codes of failures that happen before the request reaches Atlas, so retrying is always safe. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** The connection failed (refused, reset, timed out) before Atlas gave a complete answer. */
export class AtlasNetworkError extends AtlasError {
  override name = 'AtlasNetworkError';
  /** The low-level error code, e.g. `ECONNRESET` or `UND_ERR_HEADERS_TIMEOUT`. */
  readonly code: string;
  readonly method: string;
  readonly path: string;

  constructor(code: string, method: string, path: string, message: string) {
    super(`Atlas ${method} ${path} failed: network error ${code}: ${message}`);
    this.code = code;
    this.method = method;
    this.path = path;
  }

  override get isRetryable(): boolean {
    return true;
  }

  /** False only when the request certainly never reached Atlas (refused, DNS, connect timeout). */
  get requestMayHaveBeenProcessed(): boolean {
    return !NOT_SENT_CODES.has(this.code);
  }
}

/** The call ran out of time: its deadline passed, or waiting for the next retry would pass it. */
export class AtlasDeadlineError extends AtlasError {
  override name = 'AtlasDeadlineError';
  readonly method: string;
  readonly path: string;

  constructor(method: string, path: string, options?: { cause?: unknown }) {
    const last = options?.cause instanceof Error ? ` (last error: ${options.cause.message})` : '';
    super(`Atlas ${method} ${path} did not finish before its deadline${last}`, options);
    this.method = method;
    this.path = path;
  }

  override get isRetryable(): boolean {
    return true;
  }

  /** The wait Atlas asked for before the deadline stopped the retries (`Retry-After` of the last failure). */
  get retryAfterMs(): number | undefined {
    const cause = this.cause;
    return cause instanceof AtlasApiError || cause instanceof AtlasAuthError ? cause.retryAfterMs : undefined;
  }
}

/** Input failed our checks before anything was sent; `problems` names each bad field. */
export class AtlasValidationError extends AtlasError {
  override name = 'AtlasValidationError';
  readonly operation: string;
  readonly problems: FieldProblem[];

  constructor(operation: string, problems: FieldProblem[]) {
    const list = problems.map((p) => `${p.field || '(input)'}: ${p.description}`).join('; ');
    super(`Invalid input for ${operation}: ${list}`);
    this.operation = operation;
    this.problems = problems;
  }
}

/** Atlas answered with a success status but a body we could not read. */
export class AtlasResponseError extends AtlasError {
  override name = 'AtlasResponseError';
}

/**
 * 401 error codes that say the caller is known but may not touch that project or organization: a permission
 * failure, which neither a new token nor a refetched secret can fix. Source: Atlas's "Administration API
 * Error Codes" page (`NOT_IN_GROUP`, `USER_CANNOT_ACCESS_ORG`), as listed in reference/atlas-api.md,
 * Addendum 2.
 */
export const PERMISSION_DENIED_401_CODES: ReadonlySet<string> = new Set([
  'NOT_IN_GROUP',
  'USER_CANNOT_ACCESS_ORG',
]);

/**
 * True when Atlas refused our credentials themselves: a 401 from the API that is not a permission failure
 * (see `PERMISSION_DENIED_401_CODES`), or a token endpoint that refused the client. The one definition every
 * worker and the CLI use to decide whether to fetch the secret again.
 */
export function isCredentialRejection(error: unknown): boolean {
  if (error instanceof AtlasApiError) {
    return error.status === 401 && !PERMISSION_DENIED_401_CODES.has(error.errorCode);
  }
  if (error instanceof AtlasAuthError) return error.status === 401 || error.oauthError === 'invalid_client';
  return false;
}

/** True when `error` is an `AtlasApiError` with one of the given Atlas error codes. */
export function hasAtlasErrorCode(error: unknown, ...codes: string[]): error is AtlasApiError {
  return error instanceof AtlasApiError && codes.includes(error.errorCode);
}

/** True when `error` is any Atlas client error that may succeed if retried later. */
export function isRetryableAtlasError(error: unknown): boolean {
  return error instanceof AtlasError && error.isRetryable;
}
