/**
 * The variables every queue worker reads, set alike for each by infra/constructs/queue-worker.ts and by the
 * local stack: its queue, its dead-letter queue, the queue's redrive count and the first step of its retry
 * backoff. A queue worker's schema spreads them (`z.object({ ...QUEUE_WORKER_VARIABLES, … })`).
 */
import { integerSetting } from '../config/rules.ts';
import * as z from '../config/zod.ts';
import { RETRY_BASE_MS } from './retry-delay.ts';

export const QUEUE_WORKER_VARIABLES = {
  /** The queue the worker takes its work from: its retries are hidden on it for their backoff. */
  QUEUE_URL: z.url('must be the URL of the queue the worker reads'),
  /** Where the worker moves a message it gives up on, with the reason attached. */
  DEAD_LETTER_QUEUE_URL: z.url('must be the URL of the dead-letter queue'),
  /** The queue's redrive maxReceiveCount: on the last receive a transient failure goes to the DLQ with its reason. */
  MAX_RECEIVE_COUNT: integerSetting({ min: 1, max: 1000, default: 6 }),
  /**
   * First step of the retry backoff in ms (30 s, 1 min, 2 min, …). The local stack's tests make it a few ms,
   * so their retries come at once; below a second a deployed worker would retry without waiting.
   */
  RETRY_BASE_MS: integerSetting({ min: 0, max: 3_600_000, default: RETRY_BASE_MS }),
};

/** The retry settings of a parsed queue-worker environment, as the record processors take them. */
export interface QueueWorkerSettings {
  queueUrl: string;
  deadLetterQueueUrl: string;
  maxReceiveCount: number;
  retryBaseMs: number;
}

export function queueWorkerSettings(parsed: {
  QUEUE_URL: string;
  DEAD_LETTER_QUEUE_URL: string;
  MAX_RECEIVE_COUNT: number;
  RETRY_BASE_MS: number;
}): QueueWorkerSettings {
  return {
    queueUrl: parsed.QUEUE_URL,
    deadLetterQueueUrl: parsed.DEAD_LETTER_QUEUE_URL,
    maxReceiveCount: parsed.MAX_RECEIVE_COUNT,
    retryBaseMs: parsed.RETRY_BASE_MS,
  };
}
