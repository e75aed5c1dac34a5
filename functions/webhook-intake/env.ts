/** The webhook intake's environment (set by infra/constructs/webhook-intake.ts), checked at cold start. */
import { ConfigError, parseEnv } from '../../shared/config/env.ts';
import {
  integerSetting,
  STATUS_TTL_DAYS,
  WEBHOOK_DELIVERY_TTL_HOURS,
  WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS,
} from '../../shared/config/rules.ts';
import * as z from '../../shared/config/zod.ts';
import { buildRules, type RuleSet } from '../../shared/webhooks/rules.ts';

export const webhookIntakeEnvSchema = z.object({
  /** The one secret holding each source's webhook secret (shared/webhooks/secrets.ts). */
  WEBHOOK_SECRET_ID: z.string('is required').check(z.minLength(1, 'is required')),
  /** The provisioning queue: the only place the intake sends to. */
  QUEUE_URL: z.url('must be the provisioning queue URL'),
  /** The operations table: PENDING status records, the delivery ids (own key prefix), `GET /operations/{id}`. */
  OPERATIONS_TABLE: z.string('is required').check(z.minLength(1, 'is required')),
  /** The provisioner's record lifetime, so a PENDING record the intake writes lives as long as the rest. */
  STATUS_TTL_DAYS: integerSetting(STATUS_TTL_DAYS),
  WEBHOOK_DELIVERY_TTL_HOURS: integerSetting(WEBHOOK_DELIVERY_TTL_HOURS),
  WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS: integerSetting(WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS),
  /** Rule overrides, JSON: `{"jira": {"when": "…"}}` (shared/webhooks/rules.ts). */
  WEBHOOK_RULES: z.optional(z.string()),
});

export interface WebhookIntakeConfig {
  secretId: string;
  queueUrl: string;
  table: string;
  statusTtlDays: number;
  deliveryTtlHours: number;
  toleranceSeconds: number;
  rules: RuleSet;
}

/**
 * Reads the intake's configuration; throws a `ConfigError` naming each bad variable, or a
 * `WebhookConfigError` naming the rule at fault.
 */
export function loadWebhookIntakeConfig(env: Record<string, string | undefined>): WebhookIntakeConfig {
  const parsed = parseEnv(webhookIntakeEnvSchema, env);
  let overrides: unknown;
  if (parsed.WEBHOOK_RULES) {
    try {
      overrides = JSON.parse(parsed.WEBHOOK_RULES);
    } catch {
      throw new ConfigError('Invalid configuration: WEBHOOK_RULES: must be JSON');
    }
  }
  return {
    secretId: parsed.WEBHOOK_SECRET_ID,
    queueUrl: parsed.QUEUE_URL,
    table: parsed.OPERATIONS_TABLE,
    statusTtlDays: parsed.STATUS_TTL_DAYS,
    deliveryTtlHours: parsed.WEBHOOK_DELIVERY_TTL_HOURS,
    toleranceSeconds: parsed.WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS,
    rules: buildRules(overrides),
  };
}
