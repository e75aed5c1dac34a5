/** The provisioning worker's environment (set by infra/constructs/provisioning-worker.ts), checked at cold start. */
import { ipOrCidr } from '../../shared/atlas/validation.ts';
import { commaList, parseEnv } from '../../shared/config/env.ts';
import { integerSetting, STATUS_TTL_DAYS } from '../../shared/config/rules.ts';
import * as z from '../../shared/config/zod.ts';
import {
  QUEUE_WORKER_VARIABLES,
  type QueueWorkerSettings,
  queueWorkerSettings,
} from '../../shared/queue-worker/environment.ts';

export const provisionerEnvSchema = z.object({
  ATLAS_SECRET_ID: z.string('is required').check(z.minLength(1, 'is required')),
  OPERATIONS_TABLE: z.string('is required').check(z.minLength(1, 'is required')),
  /** The provisioning queue (QUEUE_URL), its dead-letter queue, the redrive count, the retry backoff. */
  ...QUEUE_WORKER_VARIABLES,
  /** The outcomes queue the notifier reads; without it no outcome is told (docs/notifications.md). */
  OUTCOMES_QUEUE_URL: z.optional(z.url('must be the outcomes queue URL')),
  /**
   * How long an operation is remembered after its last update: its status record, and the idempotency
   * record that answers a resend of a SUCCEEDED operation with the recorded result. One number for both, so a
   * resend within the window is recognised and one after it runs again (docs/provisioning.md).
   */
  STATUS_TTL_DAYS: integerSetting(STATUS_TTL_DAYS),
  /**
   * The longest wait for an Atlas retry slept inside an invocation. A longer one (a 429 with a long
   * Retry-After) is not slept: the message is hidden on the queue for that long instead.
   */
  ATLAS_MAX_WAIT_MS: integerSetting({ min: 0, max: 60_000, default: 5_000 }),
  /**
   * Attempts of one Atlas call inside an invocation. Fewer than the client's default: the queue retries
   * too, with longer waits, and an invocation should not spend its time sleeping.
   */
  ATLAS_MAX_ATTEMPTS: integerSetting({ min: 1, max: 10, default: 3 }),
  ATLAS_RETRY_BASE_MS: integerSetting({ min: 1, max: 60_000, default: 500 }),
  /**
   * Addresses and CIDR blocks, comma-separated, that no delete operation removes: the stack's static egress
   * addresses and its `protectedAddresses`. Absent: none.
   */
  PROTECTED_ADDRESSES: z.pipe(z.pipe(z.optional(z.string()), z.transform(commaList)), z.array(ipOrCidr)),
});

export interface ProvisionerConfig extends QueueWorkerSettings {
  secretId: string;
  table: string;
  outcomesQueueUrl: string | undefined;
  statusTtlDays: number;
  atlasRetry: { maxAttempts: number; baseDelayMs: number; maxWaitMs: number };
  protectedAddresses: string[];
}

/** Reads the worker's configuration; throws a `ConfigError` naming each bad variable. */
export function loadProvisionerConfig(env: Record<string, string | undefined>): ProvisionerConfig {
  const parsed = parseEnv(provisionerEnvSchema, env);
  return {
    secretId: parsed.ATLAS_SECRET_ID,
    table: parsed.OPERATIONS_TABLE,
    ...queueWorkerSettings(parsed),
    outcomesQueueUrl: parsed.OUTCOMES_QUEUE_URL,
    statusTtlDays: parsed.STATUS_TTL_DAYS,
    atlasRetry: {
      maxAttempts: parsed.ATLAS_MAX_ATTEMPTS,
      baseDelayMs: parsed.ATLAS_RETRY_BASE_MS,
      maxWaitMs: parsed.ATLAS_MAX_WAIT_MS,
    },
    protectedAddresses: parsed.PROTECTED_ADDRESSES,
  };
}
