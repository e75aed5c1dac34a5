/** The provisioning worker's environment (set by infra/constructs/provisioning-worker.ts), checked at cold start. */
import { ipOrCidr } from '../../shared/atlas/validation.ts';
import { ConfigError, commaList, parseEnv } from '../../shared/config/env.ts';
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
  /**
   * Where the temporary-access types schedule their end (EventBridge Scheduler one-time schedules): the
   * schedule group, the provisioning queue's ARN (the schedules' target) and the role the scheduler assumes to
   * send to it. All three, or none: without them those types are FAILED, saying what is missing.
   */
  GRANTS_SCHEDULE_GROUP: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
  QUEUE_ARN: z.optional(z.string().check(z.regex(/^arn:aws[a-z-]*:sqs:/, 'must be an SQS queue ARN'))),
  GRANTS_SCHEDULER_ROLE_ARN: z.optional(
    z.string().check(z.regex(/^arn:aws[a-z-]*:iam::/, 'must be an IAM role ARN')),
  ),
});

export interface ProvisionerConfig extends QueueWorkerSettings {
  secretId: string;
  table: string;
  outcomesQueueUrl: string | undefined;
  statusTtlDays: number;
  atlasRetry: { maxAttempts: number; baseDelayMs: number; maxWaitMs: number };
  protectedAddresses: string[];
  /** Where temporary grants schedule their end; undefined when not configured. */
  grantsSchedule: { group: string; queueArn: string; roleArn: string } | undefined;
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
    grantsSchedule: grantsScheduleOf(parsed),
  };
}

function grantsScheduleOf(parsed: {
  GRANTS_SCHEDULE_GROUP?: string | undefined;
  QUEUE_ARN?: string | undefined;
  GRANTS_SCHEDULER_ROLE_ARN?: string | undefined;
}): ProvisionerConfig['grantsSchedule'] {
  const { GRANTS_SCHEDULE_GROUP: group, QUEUE_ARN: queueArn, GRANTS_SCHEDULER_ROLE_ARN: roleArn } = parsed;
  if (group === undefined && queueArn === undefined && roleArn === undefined) return undefined;
  if (group === undefined || queueArn === undefined || roleArn === undefined) {
    throw new ConfigError(
      'Invalid configuration: GRANTS_SCHEDULE_GROUP, QUEUE_ARN and GRANTS_SCHEDULER_ROLE_ARN go together (give all three or none)',
    );
  }
  return { group, queueArn, roleArn };
}
