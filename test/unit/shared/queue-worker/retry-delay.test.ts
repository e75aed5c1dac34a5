/** The queue backoff of a transiently failed operation: exponential, capped, never before Retry-After, jittered. */
import { describe, expect, it } from 'vitest';
import { retryVisibilitySeconds } from '../../../../shared/queue-worker/retry-delay.ts';

function sequence(values: number[]): () => number {
  let next = 0;
  return () => values[next++ % values.length] ?? 0;
}

describe('retryVisibilitySeconds', () => {
  it('doubles from 30 s with each receive', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryVisibilitySeconds(n))).toEqual([30, 60, 120, 240, 480, 960]);
  });

  it('caps at 12 hours', () => {
    expect(retryVisibilitySeconds(11)).toBe(30_720);
    expect(retryVisibilitySeconds(12)).toBe(43_200);
    expect(retryVisibilitySeconds(1_000)).toBe(43_200);
  });

  it('never waits less than Retry-After, rounded up to whole seconds', () => {
    expect(retryVisibilitySeconds(1, 90_500)).toBe(91);
    expect(retryVisibilitySeconds(3, 10_000)).toBe(120);
  });

  it('caps Retry-After at 12 hours too', () => {
    expect(retryVisibilitySeconds(1, 2 * 86_400_000)).toBe(43_200);
  });

  it('doubles from a configured base instead, with the same cap', () => {
    expect([1, 2, 3, 4].map((n) => retryVisibilitySeconds(n, undefined, { baseMs: 1000 }))).toEqual([
      1, 2, 4, 8,
    ]);
    expect(retryVisibilitySeconds(40, undefined, { baseMs: 1000 })).toBe(43_200);
  });

  it('waits not at all while the doubled base is under a second (the local tests), jittered or not', () => {
    // Act
    const plain = [1, 2, 3, 4, 5].map((n) => retryVisibilitySeconds(n, undefined, { baseMs: 5 }));
    const jittered = [1, 2, 3, 4, 5].map((n) =>
      retryVisibilitySeconds(n, undefined, { baseMs: 5, random: () => 1 }),
    );

    // Assess
    expect(plain).toEqual([0, 0, 0, 0, 0]);
    expect(jittered).toEqual([0, 0, 0, 0, 0]);
    expect(retryVisibilitySeconds(9, undefined, { baseMs: 5 })).toBe(2);
    expect(retryVisibilitySeconds(1, 1_500, { baseMs: 5 })).toBe(2);
  });

  it('treats a missing or nonsensical receive count as the first', () => {
    expect(retryVisibilitySeconds(0)).toBe(30);
    expect(retryVisibilitySeconds(Number.NaN)).toBe(30);
  });

  it('with a random source, picks a full-jitter delay between 1 s and the backoff, still above Retry-After', () => {
    expect(retryVisibilitySeconds(3, undefined, { random: () => 0.5 })).toBe(60);
    expect(retryVisibilitySeconds(3, undefined, { random: () => 0 })).toBe(1);
    expect(retryVisibilitySeconds(3, undefined, { random: () => 0.999_999 })).toBe(120);
    expect(retryVisibilitySeconds(3, 100_000, { random: () => 0 })).toBe(100);
  });

  it('spreads a burst throttled with one Retry-After over up to a quarter more, never sooner', () => {
    // Prepare: a batch of ten messages all answered 429 with Retry-After: 120 on their first delivery
    const random = sequence([0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95]);

    // Act
    const delays = Array.from({ length: 10 }, () => retryVisibilitySeconds(1, 120_000, { random }));

    // Assess
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(120);
    expect(Math.max(...delays)).toBeLessThanOrEqual(150);
    expect(new Set(delays).size).toBe(10);
  });
});
