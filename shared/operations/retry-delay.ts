/** How long a transiently failed operation waits on the queue before its next delivery. */

/** SQS visibility timeouts are 0 s to 12 h: no retry can wait longer on the queue. */
export const MAX_VISIBILITY_SECONDS = 43_200;
/** The first retry waits this long; each further delivery doubles it (see `retryVisibilitySeconds`). */
export const RETRY_BASE_SECONDS = 30;

export interface RetryVisibilityOptions {
  /** The first delay in seconds, doubled per delivery. Default `RETRY_BASE_SECONDS` (30); tests use 1. */
  baseSeconds?: number;
  /** A `Math.random`-like source: with it, jitter (see `retryVisibilitySeconds`). The worker passes one. */
  random?: () => number;
}

/**
 * How long to hide a message before its next delivery, in whole seconds, after delivery `receiveCount`
 * (SQS's ApproximateReceiveCount, 1 on the first delivery) failed transiently.
 *
 * base × 2^(receiveCount − 1), base 30 s by default: 30 s, 60 s, 2 min, 4 min, 8 min, 16 min, 32 min,
 * 64 min, … reaching the SQS maximum of 12 h (43 200 s) from the 12th delivery on. Never less than
 * `retryAfterMs` (Atlas's Retry-After) rounded up to seconds, and never more than 12 h even then.
 *
 * With `random`, jitter spreads a burst of retries: without a Retry-After, full jitter (a uniform pick in
 * [1 s, the delay]); with one, the Retry-After plus up to a quarter of it more (at least `base`), so a whole
 * batch throttled together does not come back in the same second and get throttled together again.
 *
 * @example retryVisibilitySeconds(3) // 120
 * @example retryVisibilitySeconds(1, 90_500) // 91
 * @example retryVisibilitySeconds(1, 120_000, { random: Math.random }) // 120 to 150
 */
export function retryVisibilitySeconds(
  receiveCount: number,
  retryAfterMs?: number,
  options: RetryVisibilityOptions = {},
): number {
  const attempt = Number.isFinite(receiveCount) ? Math.max(1, Math.floor(receiveCount)) : 1;
  const base =
    options.baseSeconds !== undefined && Number.isFinite(options.baseSeconds) && options.baseSeconds > 0
      ? options.baseSeconds
      : RETRY_BASE_SECONDS;
  // Capping the exponent keeps the arithmetic finite for absurd receive counts; the result is capped anyway.
  const exponential = Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(base * 2 ** Math.min(attempt - 1, 30)));
  const floor =
    retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0
      ? Math.ceil(retryAfterMs / 1000)
      : 0;
  if (!options.random) return Math.min(MAX_VISIBILITY_SECONDS, Math.max(exponential, floor));
  const r = Math.min(1, Math.max(0, options.random()));
  const fullJitter = Math.max(1, Math.ceil(exponential * r));
  const aboveRetryAfter = floor > 0 ? floor + Math.ceil(Math.max(base, floor / 4) * r) : 0;
  const delay = Math.max(fullJitter, aboveRetryAfter);
  return Math.min(MAX_VISIBILITY_SECONDS, delay);
}
