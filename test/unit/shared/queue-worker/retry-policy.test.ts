/**
 * The queue workers' retry / dead-letter policy: a transient failure is deferred for a backoff that grows per
 * receive (never sooner than Retry-After) and rethrown; on the last receive it is dead-lettered as
 * RETRIES_EXHAUSTED instead. The worker's steps run around each move, in order.
 */
import { describe, expect, it } from 'vitest';
import {
  RETRIES_EXHAUSTED,
  type RetrySteps,
  receiveCountOf,
  retryOrDeadLetter,
} from '../../../../shared/queue-worker/retry-policy.ts';
import type { DeadLetterAttributes, WorkQueue } from '../../../../shared/queue-worker/work-queue.ts';

class RecordingQueue implements WorkQueue {
  readonly #events: string[];
  constructor(events: string[]) {
    this.#events = events;
  }
  readonly deadLetters: { body: string; attributes: DeadLetterAttributes }[] = [];
  readonly deferred: { receiptHandle: string; seconds: number }[] = [];
  async deferRetry(receiptHandle: string, seconds: number): Promise<void> {
    this.#events.push('deferRetry');
    this.deferred.push({ receiptHandle, seconds });
  }
  async moveToDeadLetter(body: string, attributes: DeadLetterAttributes): Promise<string> {
    this.#events.push('moveToDeadLetter');
    this.deadLetters.push({ body, attributes });
    return 'dlq-1';
  }
}

function setup(random: () => number = () => 1) {
  const events: string[] = [];
  const queue = new RecordingQueue(events);
  const policy = { queue, maxReceiveCount: 5, retryBaseMs: 30_000, random };
  const steps: RetrySteps = {
    deadLettering: async () => {
      events.push('deadLettering');
    },
    deadLettered: () => {
      events.push('deadLettered');
    },
    deferring: async () => {
      events.push('deferring');
    },
    deferred: (inSeconds) => {
      events.push(`deferred ${inSeconds}`);
    },
  };
  return { events, queue, policy, steps };
}

const record = { body: '{"id":"op-1"}', receiptHandle: 'handle-1' };
const error = new Error('503 from Atlas');

describe('retryOrDeadLetter', () => {
  it('defers an early receive for its backoff and rethrows, so the batch reports it', async () => {
    // Prepare
    const { events, queue, policy, steps } = setup();

    // Act
    const handling = retryOrDeadLetter({ record, receiveCount: 3 }, { error, detail: 'x' }, policy, steps);

    // Assess
    await expect(handling).rejects.toBe(error);
    expect(queue.deferred).toEqual([{ receiptHandle: 'handle-1', seconds: 120 }]);
    expect(queue.deadLetters).toEqual([]);
    expect(events).toEqual(['deferring', 'deferRetry', 'deferred 120']);
  });

  it('never defers for less than the Retry-After, and jitters with the given source', async () => {
    // Prepare
    const { queue, policy, steps } = setup(() => 0);

    // Act
    const handling = retryOrDeadLetter(
      { record, receiveCount: 1 },
      { error, detail: 'x', retryAfterMs: 90_500 },
      policy,
      steps,
    );

    // Assess
    await expect(handling).rejects.toBe(error);
    expect(queue.deferred.map((d) => d.seconds)).toEqual([91]);
  });

  it('dead-letters the last receive as RETRIES_EXHAUSTED with the detail, and resolves', async () => {
    // Prepare
    const { events, queue, policy, steps } = setup();

    // Act
    await retryOrDeadLetter(
      { record, receiveCount: 5 },
      { error, detail: 'SERVICE_UNAVAILABLE: 503 from Atlas', operationId: 'op-1' },
      policy,
      steps,
    );

    // Assess
    expect(queue.deadLetters).toEqual([
      {
        body: record.body,
        attributes: {
          reason: RETRIES_EXHAUSTED,
          detail: 'SERVICE_UNAVAILABLE: 503 from Atlas',
          operationId: 'op-1',
          receiveCount: '5',
        },
      },
    ]);
    expect(queue.deferred).toEqual([]);
    expect(events).toEqual(['deadLettering', 'moveToDeadLetter', 'deadLettered']);
  });

  it('leaves the operation id out when there is none, and needs only the after-steps', async () => {
    // Prepare
    const { queue, policy } = setup();
    const said: string[] = [];

    // Act
    await retryOrDeadLetter({ record, receiveCount: 6 }, { error, detail: 'boom' }, policy, {
      deadLettered: () => {
        said.push('dead-lettered');
      },
      deferred: () => {
        said.push('deferred');
      },
    });

    // Assess
    expect(Object.keys(queue.deadLetters[0]?.attributes ?? {}).sort()).toEqual([
      'detail',
      'reason',
      'receiveCount',
    ]);
    expect(said).toEqual(['dead-lettered']);
  });

  it('moves nothing when the step before the move fails', async () => {
    // Prepare
    const { queue, policy, steps } = setup();
    const failing = { ...steps, deadLettering: () => Promise.reject(new Error('DynamoDB is down')) };

    // Act
    const handling = retryOrDeadLetter({ record, receiveCount: 5 }, { error, detail: 'x' }, policy, failing);

    // Assess
    await expect(handling).rejects.toThrow('DynamoDB is down');
    expect(queue.deadLetters).toEqual([]);
  });
});

describe('receiveCountOf', () => {
  it("reads SQS's ApproximateReceiveCount, 1 when it is missing or no number", () => {
    expect(receiveCountOf({ attributes: { ApproximateReceiveCount: '4' } })).toBe(4);
    expect(receiveCountOf({ attributes: {} })).toBe(1);
    expect(receiveCountOf({ attributes: { ApproximateReceiveCount: 'many' } })).toBe(1);
  });
});
