/** Per-call time limits: a call never runs past its deadline, so a Lambda never runs past its timeout. */

/** How long one client call may take, over all its attempts and waits. */
export interface CallOptions {
  /** Aborts the call (for example when the caller gives up). */
  signal?: AbortSignal;
  /** Absolute deadline, epoch milliseconds (e.g. from `deadlineFromLambdaContext`). */
  deadline?: number;
  /** Relative deadline in milliseconds from now; the earlier of this and `deadline` wins. */
  timeoutMs?: number;
}

/** The absolute deadline of a call, or `undefined` when it has none. */
export function resolveDeadline(options: CallOptions, now: number = Date.now()): number | undefined {
  const relative = options.timeoutMs === undefined ? undefined : now + options.timeoutMs;
  if (options.deadline === undefined) return relative;
  return relative === undefined ? options.deadline : Math.min(relative, options.deadline);
}

/**
 * A deadline that leaves `reserveMs` of the Lambda's remaining time to write results and return.
 * Pass the result as `deadline` to every call of the invocation.
 */
export function deadlineFromLambdaContext(
  context: { getRemainingTimeInMillis(): number },
  reserveMs = 2_000,
  now: number = Date.now(),
): number {
  return now + Math.max(0, context.getRemainingTimeInMillis() - reserveMs);
}

/** Waits `ms` (on the global timer, so tests can fake it); rejects with the signal's reason on abort. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
