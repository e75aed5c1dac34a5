/** When and how long to wait before repeating a failed Atlas call. */

export interface RetryPolicy {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts: number;
  /** Cap of the first backoff window; each retry doubles it. Default 500 ms. */
  baseDelayMs: number;
  /** Largest backoff window. Default 30 s. */
  maxDelayMs: number;
  /**
   * Longest wait slept in process before a retry. A longer one (a 429 whose Retry-After is minutes) is not
   * slept: the call fails with Atlas's error, whose `retryAfterMs` tells the caller when to try again.
   * Default 30 s; the provisioner and the CLI use a few seconds.
   */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxWaitMs: 30_000,
};

/**
 * Exponential backoff with full jitter (a random wait in [0, min(max, base·2^(retry-1))]), but never sooner
 * than the `Retry-After` Atlas gave: a token bucket refills on its own clock, and asking early just burns
 * another attempt.
 */
export function backoffDelayMs(
  retry: number,
  policy: RetryPolicy,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.floor(random() * window);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
