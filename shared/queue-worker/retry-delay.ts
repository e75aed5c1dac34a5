/** How long a transiently failed message waits on its queue before its next delivery. */

/** SQS visibility timeouts are 0 s to 12 h: no retry can wait longer on the queue. */
export const MAX_VISIBILITY_SECONDS = 43_200;
/** The first retry waits this long, in ms; each further delivery doubles it (see `retryVisibilitySeconds`). */
export const RETRY_BASE_MS = 30_000;

export interface RetryVisibilityOptions {
  /**
   * The first delay in ms, doubled per delivery. Default `RETRY_BASE_MS` (30 s). Below a second (the local
   * stack's tests use a few ms) the waits round to 0: the retry comes at once, the counts and moves stay real.
   */
  baseMs?: number;
  /** A `Math.random`-like source: with it, jitter (see `retryVisibilitySeconds`). The worker passes one. */
  random?: () => number;
}

/**
 * How long to hide a message before its next delivery, in whole seconds (what SQS takes), after delivery
 * `receiveCount` (SQS's ApproximateReceiveCount, 1 on the first delivery) failed transiently.
 *
 * base × 2^(receiveCount − 1), base 30 s by default: 30 s, 60 s, 2 min, 4 min, 8 min, 16 min, 32 min,
 * 64 min, … reaching the SQS maximum of 12 h (43 200 s) from the 12th delivery on. Never less than
 * `retryAfterMs` (Atlas's Retry-After) rounded up to seconds, and never more than 12 h even then.
 *
 * With `random`, jitter spreads a burst of retries: without a Retry-After, full jitter (a uniform pick in
 * [1 s, the delay], or [0, the delay] for a delay under a second); with one, the Retry-After plus up to a
 * quarter of it more (at least `base`), so a whole batch throttled together does not come back in the same
 * second and get throttled together again.
 *
 * @example retryVisibilitySeconds(3) // 120
 * @example retryVisibilitySeconds(1, 90_500) // 91
 * @example retryVisibilitySeconds(1, 120_000, { random: Math.random }) // 120 to 150
 * @example retryVisibilitySeconds(3, undefined, { baseMs: 5 }) // 0
 */
export function retryVisibilitySeconds(
  receiveCount: number,
  retryAfterMs?: number,
  options: RetryVisibilityOptions = {},
): number {
  const attempt = Number.isFinite(receiveCount) ? Math.max(1, Math.floor(receiveCount)) : 1;
  const baseMs =
    options.baseMs !== undefined && Number.isFinite(options.baseMs) && options.baseMs >= 0
      ? options.baseMs
      : RETRY_BASE_MS;
  const maxMs = MAX_VISIBILITY_SECONDS * 1000;
  // Capping the exponent keeps the arithmetic finite for absurd receive counts; the result is capped anyway.
  const exponentialMs = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  const floorSeconds =
    retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0
      ? Math.ceil(retryAfterMs / 1000)
      : 0;
  // Whole seconds, rounded up; a delay under a second (a test's base) is none: the retry comes at once.
  const seconds = (ms: number) =>
    ms < 1000 ? 0 : Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(ms / 1000 - 1e-9));
  if (!options.random)
    return Math.max(seconds(exponentialMs), Math.min(MAX_VISIBILITY_SECONDS, floorSeconds));
  const r = Math.min(1, Math.max(0, options.random()));
  // Full jitter, at least a second (unless the whole delay is under one).
  const jitteredSeconds = exponentialMs < 1000 ? 0 : seconds(Math.max(1000, exponentialMs * r));
  const aboveRetryAfter =
    floorSeconds > 0 ? floorSeconds + Math.ceil((Math.max(baseMs, floorSeconds * 250) * r) / 1000) : 0;
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(jitteredSeconds, aboveRetryAfter));
}
