/**
 * The notifier's errors. Messages name the source, the method and the URL path and the HTTP status — never a
 * credential, an Authorization header or a response body that might echo one.
 */

/** Base of every notifier error. */
export class NotifyError extends Error {
  override name = 'NotifyError';
}

/** Worth another try later: 429 (with the wait asked for), 5xx, 408, a network failure or a timeout. */
export class NotificationRetryableError extends NotifyError {
  override name = 'NotificationRetryableError';
  readonly status: number | undefined;
  /** The ticketing system's `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: { status?: number | undefined; retryAfterMs?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Refused in a way retrying cannot fix (401, 403, 404 issue deleted, 400, …): recorded and dropped. */
export class NotificationRejectedError extends NotifyError {
  override name = 'NotificationRejectedError';
  readonly status: number | undefined;
  /** A short reason for logs and metrics: `HTTP_404`, `BAD_REF`, `NOT_CONFIGURED`. */
  readonly reason: string;

  constructor(message: string, reason: string, status?: number) {
    super(message);
    this.reason = reason;
    this.status = status;
  }
}

/** The notifier's credentials secret is malformed (names the field, never a value). */
export class NotifierSecretError extends NotifyError {
  override name = 'NotifierSecretError';
}
