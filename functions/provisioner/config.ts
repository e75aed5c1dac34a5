/** The provisioning worker's environment (set by infra/constructs/provisioning-worker.ts), checked at cold start. */
import { z } from 'zod';
import { parseEnv } from '../../shared/config/env.ts';

const envSchema = z.object({
  ATLAS_SECRET_ID: z.string('is required').min(1, 'is required'),
  OPERATIONS_TABLE: z.string('is required').min(1, 'is required'),
  QUEUE_URL: z.url('must be the queue URL'),
  DEAD_LETTER_QUEUE_URL: z.url('must be the dead-letter queue URL'),
  /** The queue's redrive maxReceiveCount: on the last receive a transient failure goes to the DLQ with its reason. */
  MAX_RECEIVE_COUNT: z.coerce.number().int().min(1).max(1000).default(6),
  STATUS_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** How long a finished operation's outcome is remembered for duplicate deliveries. */
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  /** First step of the retry backoff (30 s, 1 min, 2 min, …); the local stack's tests make it short. */
  RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /**
   * Attempts of one Atlas call inside an invocation. Fewer than the client's default: the queue retries
   * too, with longer waits, and an invocation should not spend its time sleeping.
   */
  ATLAS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  ATLAS_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(500),
});

export interface ProvisionerConfig {
  secretId: string;
  table: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  maxReceiveCount: number;
  statusTtlDays: number;
  idempotencyTtlSeconds: number;
  retryBaseSeconds: number;
  atlasRetry: { maxAttempts: number; baseDelayMs: number };
}

/** Reads the worker's configuration; throws a `ConfigError` naming each bad variable. */
export function loadProvisionerConfig(env: Record<string, string | undefined>): ProvisionerConfig {
  const parsed = parseEnv(envSchema, env);
  return {
    secretId: parsed.ATLAS_SECRET_ID,
    table: parsed.OPERATIONS_TABLE,
    queueUrl: parsed.QUEUE_URL,
    deadLetterQueueUrl: parsed.DEAD_LETTER_QUEUE_URL,
    maxReceiveCount: parsed.MAX_RECEIVE_COUNT,
    statusTtlDays: parsed.STATUS_TTL_DAYS,
    idempotencyTtlSeconds: parsed.IDEMPOTENCY_TTL_SECONDS,
    retryBaseSeconds: parsed.RETRY_BASE_SECONDS,
    atlasRetry: { maxAttempts: parsed.ATLAS_MAX_ATTEMPTS, baseDelayMs: parsed.ATLAS_RETRY_BASE_MS },
  };
}
