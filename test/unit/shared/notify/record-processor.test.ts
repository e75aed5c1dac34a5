/**
 * `processOutcomeRecord` with an in-memory ledger, queue and target: one notification per outcome even when
 * the event comes twice; retryable answers are deferred (never sooner than Retry-After) and dead-lettered on
 * the last receive; refusals are counted and dropped; a broken message goes to the dead-letter queue.
 */
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  NotificationRejectedError,
  NotificationRetryableError,
  NotifierSecretError,
} from '../../../../shared/notify/errors.ts';
import { type NotificationLedger, Notifier } from '../../../../shared/notify/notifier.ts';
import { newNotificationCounters, processOutcomeRecord } from '../../../../shared/notify/record-processor.ts';
import type { Notification } from '../../../../shared/notify/targets.ts';
import type { OutcomeEvent } from '../../../../shared/operations/outcome.ts';
import type { DeadLetterAttributes, WorkQueue } from '../../../../shared/queue-worker/work-queue.ts';

const EVENT: OutcomeEvent = {
  eventId: 'op-1:SUCCEEDED:1',
  operationId: 'op-1',
  type: 'projectAccessList.add',
  status: 'SUCCEEDED',
  dryRun: false,
  requestedBy: { source: 'jira', ref: 'OPS-1' },
  finishedAt: '2026-11-29T10:00:00.000Z',
};

class MemoryLedger implements NotificationLedger {
  readonly states = new Map<string, 'SENDING' | 'SENT'>();
  async claim(id: string) {
    const state = this.states.get(id);
    if (state === 'SENT') return 'sent' as const;
    if (state === 'SENDING') return 'busy' as const;
    this.states.set(id, 'SENDING');
    return 'claimed' as const;
  }
  async markSent(id: string) {
    this.states.set(id, 'SENT');
  }
  async release(id: string) {
    this.states.delete(id);
  }
}

class FakeQueue implements WorkQueue {
  readonly deadLetters: DeadLetterAttributes[] = [];
  readonly deferred: number[] = [];
  async send() {
    return [];
  }
  async deferRetry(_handle: string, seconds: number) {
    this.deferred.push(seconds);
  }
  async moveToDeadLetter(_body: string, attributes: DeadLetterAttributes) {
    this.deadLetters.push(attributes);
    return 'dlq';
  }
}

function record(body: unknown, receiveCount = 1): SQSRecord {
  return {
    messageId: 'm',
    receiptHandle: 'r',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
  } as unknown as SQSRecord;
}

function setup(answer: () => Promise<void> = async () => {}) {
  const sent: Notification[] = [];
  const queue = new FakeQueue();
  const logs: string[] = [];
  const infos: string[] = [];
  const notifier = new Notifier({
    targetFor: () => ({
      send: async (n) => {
        await answer();
        sent.push(n);
      },
    }),
    ledger: new MemoryLedger(),
    secrets: { get: async () => ({ callbacks: {} }), refresh: async () => ({ callbacks: {} }) },
    statusBaseUrl: 'https://api.example.com/',
  });
  const deps = {
    notifier,
    queue,
    maxReceiveCount: 6,
    retryBaseMs: 30_000,
    random: () => 0.5,
    counters: newNotificationCounters(),
    log: {
      info: (m: string) => infos.push(m),
      warn: (m: string) => logs.push(m),
      error: (m: string) => logs.push(m),
    },
  };
  return { deps, sent, queue, logs, infos };
}

describe('processOutcomeRecord', () => {
  it('notifies once even when the same outcome is delivered twice, with the status link', async () => {
    // Prepare
    const { deps, sent } = setup();

    // Act
    await processOutcomeRecord(record(EVENT), deps);
    await processOutcomeRecord(record(EVENT, 2), deps);

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]?.statusUrl).toBe('https://api.example.com/operations/op-1');
    expect(deps.counters).toMatchObject({ sent: { jira: 1 }, duplicates: 1 });
  });

  it('defers a 429 for at least its Retry-After and reports a batch item failure; then sends once', async () => {
    // Prepare
    let calls = 0;
    const { deps, sent, queue } = setup(async () => {
      calls += 1;
      if (calls === 1)
        throw new NotificationRetryableError('HTTP 429', { status: 429, retryAfterMs: 90_000 });
    });

    // Act
    await expect(processOutcomeRecord(record(EVENT), deps)).rejects.toBeInstanceOf(
      NotificationRetryableError,
    );
    await processOutcomeRecord(record(EVENT, 2), deps);

    // Assess
    expect(queue.deferred[0]).toBeGreaterThanOrEqual(90);
    expect(sent).toHaveLength(1);
  });

  it('dead-letters a retryable failure on the last receive, with the reason', async () => {
    const { deps, queue } = setup(async () => {
      throw new NotificationRetryableError('HTTP 503', { status: 503 });
    });
    await processOutcomeRecord(record(EVENT, 6), deps);
    expect(queue.deadLetters).toEqual([
      expect.objectContaining({ reason: 'RETRIES_EXHAUSTED', operationId: 'op-1', receiveCount: '6' }),
    ]);
    expect(deps.counters.failed).toEqual({ jira: 1 });
  });

  it('records and drops a refusal that retrying cannot fix (the issue was deleted)', async () => {
    const { deps, queue, logs } = setup(async () => {
      throw new NotificationRejectedError('jira comment on OPS-1: HTTP 404', 'HTTP_404', 404);
    });
    await processOutcomeRecord(record(EVENT), deps);
    expect(queue.deferred).toEqual([]);
    expect(queue.deadLetters).toEqual([]);
    expect(deps.counters.failed).toEqual({ jira: 1 });
    expect(logs).toEqual(['Notification dropped: retrying cannot fix it']);
  });

  it.each([
    ['NO_REQUESTER', 'the operation names no ticket (an operation from the CLI)'],
    ['NO_TARGET', 'cli: no callback URL is configured'],
  ])(
    'says in one INFO line, not a warning, that an outcome with %s has nowhere to go',
    async (reason, message) => {
      // Prepare
      const { deps, logs, infos } = setup(async () => {
        throw new NotificationRejectedError(message, reason);
      });

      // Act
      await processOutcomeRecord(record(EVENT), deps);

      // Assess
      expect(logs).toEqual([]);
      expect(infos).toEqual(['Notification not sent: nowhere to tell']);
      expect(deps.counters.failed).toEqual({});
    },
  );

  it('says in one INFO line that a notification was sent', async () => {
    // Prepare
    const { deps, infos } = setup();

    // Act
    await processOutcomeRecord(record(EVENT), deps);

    // Assess
    expect(infos).toEqual(['Notification sent']);
  });

  it('retries when the credentials secret cannot be read, and never logs a credential', async () => {
    // Prepare
    const { deps, queue, logs } = setup();
    const broken = new Notifier({
      targetFor: () => ({ send: async () => {} }),
      ledger: new MemoryLedger(),
      secrets: {
        get: async () => {
          throw new NotifierSecretError(
            'Could not read notifier credentials from secret "x": ThrottlingException',
          );
        },
        refresh: async () => ({ callbacks: {} }),
      },
    });

    // Act
    const outcome = processOutcomeRecord(record(EVENT), { ...deps, notifier: broken });

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(NotifierSecretError);
    expect(queue.deferred).toHaveLength(1);
    expect(logs).toEqual(['Notification will be retried']);
  });

  it('sends a message that is not an outcome to the dead-letter queue at once', async () => {
    const { deps, queue } = setup();
    await processOutcomeRecord(record('not json'), deps);
    expect(queue.deadLetters[0]?.reason).toBe('NOT_AN_OUTCOME');
  });
});
