import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { recordIntakeMetrics } from '../../../../shared/webhooks/metrics.ts';

/** The metrics `record` adds (the handler's batch) and those it flushes at once (one per reason). */
function recorded(record: (metrics: Metrics) => void) {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  const flushed: Record<string, unknown>[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    flushed.push(JSON.parse(String(chunk)));
    return true;
  });
  try {
    const metrics = new Metrics({ namespace: 'AtlasOps', serviceName: 'atlas-ops-webhook-intake' });
    record(metrics);
    return { batch: metrics.serializeMetrics() as unknown as Record<string, unknown>, flushed };
  } finally {
    spy.mockRestore();
  }
}

describe('recordIntakeMetrics', () => {
  it('counts a refused delivery, zeros for the other outcomes, and its reason by source', () => {
    // Act
    const { batch, flushed } = recorded((metrics) =>
      recordIntakeMetrics(metrics, { kind: 'refused', source: 'github', reason: 'SIGNATURE_MISMATCH' }),
    );

    // Assess
    expect(batch).toMatchObject({
      DeliveriesRefused: 1,
      DeliveriesAccepted: 0,
      DeliveriesDuplicate: 0,
      DeliveriesIgnored: 0,
      DeliveriesFailed: 0,
      service: 'atlas-ops-webhook-intake',
    });
    expect(flushed).toEqual([
      expect.objectContaining({
        DeliveriesRefusedByReason: 1,
        Source: 'github',
        Reason: 'SIGNATURE_MISMATCH',
      }),
    ]);
  });

  it('counts an accepted delivery without a per-reason metric', () => {
    // Act
    const { batch, flushed } = recorded((metrics) =>
      recordIntakeMetrics(metrics, { kind: 'accepted', source: 'jira' }),
    );

    // Assess
    expect(batch).toMatchObject({ DeliveriesAccepted: 1, DeliveriesRefused: 0 });
    expect(flushed).toEqual([]);
  });

  it('counts a status read as such, not as a delivery', () => {
    // Act
    const { batch } = recorded((metrics) => recordIntakeMetrics(metrics, { kind: 'status' }));

    // Assess
    expect(batch).toMatchObject({ StatusReads: 1 });
    expect(batch).not.toHaveProperty('DeliveriesRefused');
  });
});
