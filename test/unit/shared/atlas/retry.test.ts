import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfter } from '../../../../shared/atlas/retry.ts';

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxWaitMs: 30_000 };

describe('backoff', () => {
  it('draws from a window that doubles each retry, capped at maxDelayMs', () => {
    const nearlyOne = () => 0.9999;
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(retry, policy, undefined, nearlyOne))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
  });

  it('uses the full window (full jitter), down to zero', () => {
    expect(backoffDelayMs(3, policy, undefined, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, undefined, () => 0.5)).toBe(200);
  });

  it('never waits less than Retry-After', () => {
    expect(backoffDelayMs(1, policy, 5_000, () => 0.5)).toBe(5_000);
  });
});

describe('Retry-After', () => {
  it('reads delta seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-29T10:00:00Z');
    expect(parseRetryAfter('55', now)).toBe(55_000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable value', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
