/**
 * `processRecord`, every branch, with an in-memory status store, queue and Atlas session: what is recorded,
 * what goes to the dead-letter queue, what is deferred for how long, and what is thrown back to SQS.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  AtlasApiError,
  type AtlasClient,
  AtlasConnectionError,
  AtlasDeadlineError,
  type CallOptions,
} from '../../../../shared/atlas/index.ts';
import { KeyedSerialQueue } from '../../../../shared/atlas/serial-queue.ts';
import {
  OperationIdReusedError,
  PermanentOperationError,
  TransientOperationError,
} from '../../../../shared/operations/errors.ts';
import type { ParsedOperation } from '../../../../shared/operations/message.ts';
import type { OutcomeEvent } from '../../../../shared/operations/outcome.ts';
import {
  ID_REUSED_REASON,
  newCounters,
  processRecord,
  type RecordProcessorDependencies,
} from '../../../../shared/operations/record-processor.ts';
import type {
  AttemptInfo,
  OperationStatusRecord,
  RecordedError,
  StatusStore,
} from '../../../../shared/operations/status.ts';
import type { DeadLetterAttributes, WorkQueue } from '../../../../shared/queue-worker/work-queue.ts';
import { GROUP_ID } from './fixtures.ts';

const OPERATION = {
  id: 'op-1',
  type: 'projectAccessList.add',
  params: { groupId: GROUP_ID, entries: [{ cidrBlock: '10.0.0.0/16' }] },
};

function sqsRecord(body: unknown, receiveCount = 1): SQSRecord {
  return {
    messageId: 'm-1',
    receiptHandle: 'receipt-1',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
  } as unknown as SQSRecord;
}

/** A status store that keeps the calls it got, and throws `onAttempt` when given one. */
class FakeStatusStore implements StatusStore {
  readonly calls: [string, string, unknown?][] = [];
  onAttempt: Error | undefined;
  existing = new Set<string>();
  /** The status each record ended in: a second end write of the same status does not end it again. */
  readonly ended = new Map<string, string>();

  async get(): Promise<OperationStatusRecord | undefined> {
    return undefined;
  }
  async recordPending(): Promise<void> {}
  async recordRefused(): Promise<boolean> {
    return true;
  }
  async recordAttempt(id: string, info: AttemptInfo): Promise<OperationStatusRecord> {
    this.calls.push(['attempt', id, info]);
    if (this.onAttempt) throw this.onAttempt;
    return {
      attempts: this.calls.filter(([kind]) => kind === 'attempt').length,
      createdAt: 'T0',
    } as OperationStatusRecord;
  }
  async recordRetrying(id: string, error: RecordedError): Promise<void> {
    this.calls.push(['retrying', id, error]);
  }
  async recordSucceeded(id: string, result: unknown): Promise<boolean> {
    this.calls.push(['succeeded', id, result]);
    const ended = this.ended.get(id) !== 'SUCCEEDED';
    this.ended.set(id, 'SUCCEEDED');
    return ended;
  }
  async recordFailed(id: string, error: RecordedError): Promise<boolean> {
    this.calls.push(['failed', id, error]);
    const before = this.ended.get(id);
    if (before === 'SUCCEEDED') return false;
    this.ended.set(id, 'FAILED');
    return before !== 'FAILED';
  }
  async recordInvalid(id: string, _type: string | undefined, reason: string): Promise<boolean> {
    this.calls.push(['invalid', id, reason]);
    return !this.existing.has(id);
  }
}

class FakeQueue implements WorkQueue {
  readonly deadLetters: { body: string; attributes: DeadLetterAttributes }[] = [];
  readonly deferred: { receiptHandle: string; seconds: number }[] = [];
  async send(): Promise<string[]> {
    return [];
  }
  async deferRetry(receiptHandle: string, seconds: number): Promise<void> {
    this.deferred.push({ receiptHandle, seconds });
  }
  async moveToDeadLetter(body: string, attributes: DeadLetterAttributes): Promise<string> {
    this.deadLetters.push({ body, attributes });
    return 'dlq-1';
  }
}

const DEADLINE = { deadline: 1_900_000_000_000 };

/** Dependencies whose executor does `run` (default: succeed with `{ ok: true }`). */
function dependencies(
  run: (operation: ParsedOperation, callOptions: CallOptions) => Promise<unknown> = async () => ({
    ok: true,
  }),
) {
  const status = new FakeStatusStore();
  const queue = new FakeQueue();
  const executed: { operation: ParsedOperation; callOptions: CallOptions }[] = [];
  let sessions = 0;
  const deps: RecordProcessorDependencies = {
    status,
    queue,
    execute: (operation, _atlas, callOptions) => {
      executed.push({ operation, callOptions });
      return run(operation, callOptions);
    },
    atlas: {
      callOptions: DEADLINE,
      run: (work) => {
        sessions += 1;
        return work({} as AtlasClient);
      },
    },
    maxReceiveCount: 6,
    retryBaseMs: 30_000,
    random: () => 0.5,
    sameOperation: new KeyedSerialQueue(),
    counters: newCounters(),
  };
  return { deps, status, queue, executed, sessions: () => sessions };
}

const kinds = (status: FakeStatusStore) => status.calls.map(([kind, id]) => `${kind} ${id}`);

describe('processRecord: messages that are not operations', () => {
  it('records a broken message under its id when that id is free, and dead-letters it with the reason', async () => {
    // Prepare
    const { deps, status, queue, executed } = dependencies();

    // Act
    await processRecord(sqsRecord({ ...OPERATION, params: { groupId: 'nope' } }, 2), deps);

    // Assess
    expect(kinds(status)).toEqual(['invalid op-1']);
    expect(queue.deadLetters).toEqual([
      expect.objectContaining({
        attributes: expect.objectContaining({
          reason: 'INVALID_PARAMS',
          operationId: 'op-1',
          receiveCount: '2',
        }),
      }),
    ]);
    expect(executed).toEqual([]);
    expect(deps.counters.poison).toBe(1);
  });

  it('dead-letters a body that is not JSON without writing any record', async () => {
    // Prepare
    const { deps, status, queue } = dependencies();

    // Act
    await processRecord(sqsRecord('{ not json'), deps);

    // Assess
    expect(status.calls).toEqual([]);
    expect(queue.deadLetters.map((l) => l.attributes.reason)).toEqual(['NOT_JSON']);
  });
});

describe('processRecord: outcomes', () => {
  it('records a success with the result, the payload fingerprint and the deadline passed to the executor', async () => {
    // Prepare
    const { deps, status, executed } = dependencies();

    // Act
    await processRecord(sqsRecord(OPERATION), deps);

    // Assess
    expect(kinds(status)).toEqual(['attempt op-1', 'succeeded op-1']);
    expect(status.calls[0]?.[2]).toMatchObject({
      type: OPERATION.type,
      dryRun: false,
      payloadHash: expect.any(String),
    });
    expect(status.calls[1]?.[2]).toEqual({ ok: true });
    expect(executed[0]?.callOptions).toEqual(DEADLINE);
    expect(deps.counters.succeeded).toBe(1);
  });

  it('plans a dry run under its own record, without the executor or an Atlas session', async () => {
    // Prepare
    const { deps, status, executed, sessions } = dependencies();

    // Act
    await processRecord(sqsRecord({ ...OPERATION, dryRun: true }), deps);

    // Assess
    expect(kinds(status)).toEqual(['attempt dry-run#op-1', 'succeeded dry-run#op-1']);
    expect(status.calls[1]?.[2]).toMatchObject({
      dryRun: true,
      requests: [expect.objectContaining({ method: 'POST' })],
    });
    expect(executed).toEqual([]);
    expect(sessions()).toBe(0);
  });

  it('gives two deliveries under one id the same fingerprint, and another params another', async () => {
    // Prepare
    const { deps, status } = dependencies();

    // Act
    await processRecord(sqsRecord(OPERATION), deps);
    await processRecord(sqsRecord({ ...OPERATION, params: { ...OPERATION.params } }), deps);
    await processRecord(
      sqsRecord({ ...OPERATION, params: { groupId: GROUP_ID, entries: [{ cidrBlock: '10.1.0.0/16' }] } }),
      deps,
    );

    // Assess
    const hashes = status.calls
      .filter(([kind]) => kind === 'attempt')
      .map(([, , info]) => (info as AttemptInfo).payloadHash);
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[2]).not.toBe(hashes[0]);
  });

  it('records a permanent failure as FAILED and lets the message go', async () => {
    // Prepare
    const { deps, status, queue } = dependencies(async () => {
      throw new PermanentOperationError({ errorCode: 'USER_UNAUTHORIZED', detail: 'no role', status: 403 });
    });

    // Act
    await processRecord(sqsRecord(OPERATION), deps);

    // Assess
    expect(status.calls.at(-1)).toEqual([
      'failed',
      'op-1',
      { errorCode: 'USER_UNAUTHORIZED', detail: 'no role', status: 403 },
    ]);
    expect(queue.deadLetters).toEqual([]);
    expect(deps.counters.failed).toBe(1);
  });
});

describe('processRecord: an id reused with other params', () => {
  it.each([
    ['the status record', 'attempt', new OperationIdReusedError('op-1')],
    [
      'the idempotency store',
      'execute',
      new IdempotencyValidationError('Payload does not match stored record'),
    ],
  ])(
    'dead-letters it when %s notices, running nothing and recording nothing',
    async (_where, stage, error) => {
      // Prepare
      const { deps, status, queue, executed } = dependencies(async () => {
        throw error;
      });
      if (stage === 'attempt') status.onAttempt = error;

      // Act
      await processRecord(sqsRecord(OPERATION), deps);

      // Assess
      expect(kinds(status)).toEqual(['attempt op-1']);
      expect(queue.deadLetters).toEqual([
        expect.objectContaining({
          attributes: expect.objectContaining({ reason: ID_REUSED_REASON, operationId: 'op-1' }),
        }),
      ]);
      expect(executed).toHaveLength(stage === 'attempt' ? 0 : 1);
    },
  );
});

describe('processRecord: transient failures', () => {
  const throttled = new AtlasApiError({
    status: 429,
    errorCode: 'RATE_LIMITED_TOKEN_BUCKET',
    method: 'POST',
    path: '/groups/x/accessList',
    retryAfterMs: 120_000,
  });

  it.each([
    [
      'a 429 with Retry-After',
      new TransientOperationError('throttled', { cause: throttled, retryAfterMs: 120_000 }),
      'RATE_LIMITED_TOKEN_BUCKET',
    ],
    [
      'the deadline, with what Atlas said last',
      new TransientOperationError('late', {
        cause: new AtlasDeadlineError('POST', '/x', { cause: throttled }),
        retryAfterMs: 120_000,
      }),
      'RATE_LIMITED_TOKEN_BUCKET',
    ],
    [
      'a secret that cannot be read',
      new AtlasConnectionError('ThrottlingException'),
      'ATLAS_CREDENTIALS_UNAVAILABLE',
    ],
    ['another delivery in progress', new IdempotencyAlreadyInProgressError('busy'), 'IN_PROGRESS'],
    [
      'credentials refused after a refetch',
      new AtlasApiError({ status: 401, errorCode: 'UNAUTHORIZED', method: 'GET', path: '/x' }),
      'UNAUTHORIZED',
    ],
  ])(
    'retries %s: RETRYING, deferred on the queue, thrown back as a batch item failure',
    async (_what, error, code) => {
      // Prepare
      const { deps, status, queue } = dependencies(async () => {
        throw error;
      });

      // Act
      const thrown = await processRecord(sqsRecord(OPERATION), deps).catch((e: unknown) => e);

      // Assess
      expect(thrown).toBe(error);
      expect(status.calls.at(-1)).toEqual(['retrying', 'op-1', expect.objectContaining({ errorCode: code })]);
      expect(queue.deferred).toHaveLength(1);
      expect(deps.counters.retried).toBe(1);
    },
  );

  it('hides a throttled message for at least Retry-After, spread by the jitter', async () => {
    // Prepare
    const error = new TransientOperationError('throttled', { cause: throttled, retryAfterMs: 120_000 });
    const { deps, queue } = dependencies(async () => {
      throw error;
    });

    // Act
    await processRecord(sqsRecord(OPERATION), deps).catch(() => undefined);

    // Assess: Retry-After 120 s plus half (random 0.5) of a quarter of it
    expect(queue.deferred).toEqual([{ receiptHandle: 'receipt-1', seconds: 135 }]);
  });

  it('on the last receive records FAILED with RETRIES_EXHAUSTED and dead-letters the message instead', async () => {
    // Prepare
    const { deps, status, queue } = dependencies(async () => {
      throw new TransientOperationError('503', { cause: { errorCode: 'SERVICE_UNAVAILABLE' } });
    });

    // Act
    await processRecord(sqsRecord(OPERATION, 6), deps);

    // Assess
    expect(status.calls.at(-1)).toEqual([
      'failed',
      'op-1',
      expect.objectContaining({ errorCode: 'SERVICE_UNAVAILABLE', reason: 'RETRIES_EXHAUSTED' }),
    ]);
    expect(queue.deadLetters.map((l) => l.attributes.reason)).toEqual(['RETRIES_EXHAUSTED']);
    expect(queue.deferred).toEqual([]);
    expect(deps.counters.deadLettered).toBe(1);
  });

  it('records an unexpected error as UNEXPECTED_ERROR and throws it without a deferral (SQS redrive applies)', async () => {
    // Prepare
    const bug = new TypeError('cannot read properties of undefined');
    const { deps, status, queue } = dependencies(async () => {
      throw bug;
    });

    // Act
    const thrown = await processRecord(sqsRecord(OPERATION), deps).catch((e: unknown) => e);

    // Assess
    expect(thrown).toBe(bug);
    expect(status.calls.at(-1)).toEqual([
      'retrying',
      'op-1',
      { errorCode: 'UNEXPECTED_ERROR', detail: 'cannot read properties of undefined' },
    ]);
    expect(queue.deferred).toEqual([]);
  });
});

describe('processRecord: outcome events', () => {
  function withOutcomes(run?: (operation: ParsedOperation) => Promise<unknown>) {
    const setup = dependencies(run);
    const events: OutcomeEvent[] = [];
    const errors: unknown[] = [];
    setup.deps.outcomes = { publish: async (event) => void events.push(event) };
    setup.deps.onOutcomeError = (error) => errors.push(error);
    setup.deps.now = () => new Date('2026-11-29T10:00:00Z');
    return { ...setup, events, errors };
  }
  const jira = { source: 'jira', ref: 'OPS-7', actor: 'jane@example.com' };

  it('emits one SUCCEEDED event with the summary, who asked and approved, what it changed and when, also when the message comes twice', async () => {
    // Prepare
    const { deps, events } = withOutcomes(async () => ({ id: 'peer-1', statusName: 'INITIATING' }));
    const message = { ...OPERATION, requestedBy: jira, approvedBy: 'sam.lead@example.com' };

    // Act
    await processRecord(sqsRecord(message), deps);
    await processRecord(sqsRecord(message, 2), deps);

    // Assess
    expect(events).toEqual([
      {
        eventId: 'op-1:SUCCEEDED:1',
        operationId: 'op-1',
        type: 'projectAccessList.add',
        status: 'SUCCEEDED',
        dryRun: false,
        summary: 'id peer-1, statusName INITIATING',
        requestedBy: jira,
        approvedBy: 'sam.lead@example.com',
        target: `project ${GROUP_ID}: 10.0.0.0/16`,
        startedAt: 'T0',
        finishedAt: '2026-11-29T10:00:00.000Z',
      },
    ]);
  });

  it("emits FAILED with Atlas's errorCode and detail for a permanent failure", async () => {
    // Prepare
    const { deps, events } = withOutcomes(async () => {
      throw new PermanentOperationError({
        errorCode: 'CLOUD_PROVIDER_CONTAINER_NOT_FOUND',
        detail: 'No container 6a1b.',
        status: 404,
      });
    });

    // Act
    await processRecord(sqsRecord({ ...OPERATION, requestedBy: jira }), deps);

    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      status: 'FAILED',
      error: { errorCode: 'CLOUD_PROVIDER_CONTAINER_NOT_FOUND', detail: 'No container 6a1b.', status: 404 },
    });
  });

  it('emits FAILED with RETRIES_EXHAUSTED on the last receive, and nothing while it is retried', async () => {
    // Prepare
    const { deps, events } = withOutcomes(async () => {
      throw new TransientOperationError('Atlas answered 503', { cause: new Error('x') });
    });

    // Act
    await expect(processRecord(sqsRecord(OPERATION, 1), deps)).rejects.toThrow();
    const afterRetry = events.length;
    await processRecord(sqsRecord(OPERATION, 6), deps);

    // Assess
    expect(afterRetry).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]?.error).toMatchObject({ reason: 'RETRIES_EXHAUSTED' });
  });

  it('keeps the outcome when the emit fails, and reports the failure', async () => {
    // Prepare
    const { deps, status, errors } = withOutcomes();
    deps.outcomes = {
      publish: async () => {
        throw new Error('queue down');
      },
    };

    // Act
    await processRecord(sqsRecord(OPERATION), deps);

    // Assess
    expect(kinds(status)).toEqual(['attempt op-1', 'succeeded op-1']);
    expect(errors).toHaveLength(1);
    expect(deps.counters.outcomesFailed).toBe(1);
  });
});

describe('processRecord: network safety', () => {
  const wideAdd = { ...OPERATION, params: { groupId: GROUP_ID, entries: [{ cidrBlock: '0.0.0.0/0' }] } };

  it('records an add of 0.0.0.0/0 as FAILED WIDE_NETWORK_REFUSED, naming the entry; nothing runs or retries', async () => {
    // Prepare
    const { deps, status, queue, executed, sessions } = dependencies();

    // Act
    await processRecord(sqsRecord(wideAdd), deps);

    // Assess
    expect(kinds(status)).toEqual(['attempt op-1', 'failed op-1']);
    expect(status.calls[1]?.[2]).toEqual({
      errorCode: 'WIDE_NETWORK_REFUSED',
      detail: expect.stringMatching(
        /^params\.entries\.0\.cidrBlock: 0\.0\.0\.0\/0 admits every IPv4 address; /,
      ),
    });
    expect(executed).toEqual([]);
    expect(sessions()).toBe(0);
    expect(queue.deferred).toEqual([]);
    expect(queue.deadLetters).toEqual([]);
    expect(deps.counters.failed).toBe(1);
  });

  it('refuses it in a dry run too', async () => {
    // Prepare
    const { deps, status } = dependencies();

    // Act
    await processRecord(sqsRecord({ ...wideAdd, dryRun: true }), deps);

    // Assess
    expect(status.calls.map(([kind, , detail]) => [kind, (detail as RecordedError)?.errorCode])).toEqual([
      ['attempt', undefined],
      ['failed', 'WIDE_NETWORK_REFUSED'],
    ]);
  });

  it('runs it when the message says allowWideNetworks: true', async () => {
    // Prepare
    const { deps, status, executed } = dependencies();

    // Act
    await processRecord(sqsRecord({ ...wideAdd, allowWideNetworks: true }), deps);

    // Assess
    expect(kinds(status)).toEqual(['attempt op-1', 'succeeded op-1']);
    expect(executed).toHaveLength(1);
  });

  it('records a delete of a protected address as FAILED PROTECTED_ADDRESS without calling Atlas', async () => {
    // Prepare
    const { deps, status, executed } = dependencies();
    deps.networkSafety = { protectedAddresses: ['203.0.113.10'] };
    const remove = {
      id: 'op-2',
      type: 'projectAccessList.delete',
      params: { groupId: GROUP_ID, entryValue: '203.0.113.10' },
      allowWideNetworks: true,
    };

    // Act
    await processRecord(sqsRecord(remove), deps);

    // Assess
    expect(kinds(status)).toEqual(['attempt op-2', 'failed op-2']);
    expect(status.calls[1]?.[2]).toMatchObject({ errorCode: 'PROTECTED_ADDRESS' });
    expect(executed).toEqual([]);
  });
});
