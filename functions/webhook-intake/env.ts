/** The webhook intake's environment (set by infra/constructs/webhook-intake.ts), checked at cold start. */
import { ConfigError, parseEnv } from '../../shared/config/env.ts';
import {
  integerSetting,
  STATUS_TTL_DAYS,
  WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS,
  webhookDeliveryTtlHours,
} from '../../shared/config/rules.ts';
import * as z from '../../shared/config/zod.ts';
import { OPERATION_TYPES } from '../../shared/operations/registry.ts';
import { type OperationPolicy, PolicyError, parsePolicy } from '../../shared/policy/policy.ts';
import { buildRules, type RuleSet } from '../../shared/webhooks/rules.ts';
import { parseSenderPolicies, type SenderPolicies } from '../../shared/webhooks/senders.ts';

export const webhookIntakeEnvSchema = z.object({
  /** The one secret holding each source's webhook secret (shared/webhooks/secrets.ts). */
  WEBHOOK_SECRET_ID: z.string('is required').check(z.minLength(1, 'is required')),
  /** The provisioning queue: the only place the intake sends operations to. */
  QUEUE_URL: z.url('must be the provisioning queue URL'),
  /** The notifier's outcomes queue: where a refused request is told to its ticket (absent: not told). */
  OUTCOMES_QUEUE_URL: z.optional(z.url('must be the outcomes queue URL')),
  /** The operations table: PENDING status records, the deliveries (own key prefixes), `GET /operations/{id}`. */
  OPERATIONS_TABLE: z.string('is required').check(z.minLength(1, 'is required')),
  /**
   * The provisioner's record lifetime: a PENDING record the intake writes lives as long as the rest, the
   * deliveries are remembered a day longer, and an approval signed longer ago is refused.
   */
  STATUS_TTL_DAYS: integerSetting(STATUS_TTL_DAYS),
  WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS: integerSetting(WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS),
  /** Rule overrides, JSON: `{"jira": {"approver": "…"}}` (shared/webhooks/rules.ts). */
  WEBHOOK_RULES: z.optional(z.string()),
  /** Who may send and approve, per source, JSON (shared/webhooks/senders.ts); absent: nothing is accepted. */
  WEBHOOK_SENDERS: z.optional(z.string()),
  /** Who may ask for what, where, with how many approvers, JSON (shared/policy); absent: nothing is allowed. */
  OPERATION_POLICY: z.optional(z.string()),
});

export interface WebhookIntakeConfig {
  secretId: string;
  queueUrl: string;
  outcomesQueueUrl: string | undefined;
  table: string;
  statusTtlDays: number;
  deliveryTtlHours: number;
  toleranceSeconds: number;
  rules: RuleSet;
  senders: SenderPolicies;
  /** Undefined when none is configured: every request is refused. */
  policy: OperationPolicy | undefined;
}

/**
 * Reads the intake's configuration; throws a `ConfigError` naming each bad variable, or a
 * `WebhookConfigError` naming the rule or sender field at fault.
 */
export function loadWebhookIntakeConfig(env: Record<string, string | undefined>): WebhookIntakeConfig {
  const parsed = parseEnv(webhookIntakeEnvSchema, env);
  return {
    secretId: parsed.WEBHOOK_SECRET_ID,
    queueUrl: parsed.QUEUE_URL,
    outcomesQueueUrl: parsed.OUTCOMES_QUEUE_URL,
    table: parsed.OPERATIONS_TABLE,
    statusTtlDays: parsed.STATUS_TTL_DAYS,
    deliveryTtlHours: webhookDeliveryTtlHours(parsed.STATUS_TTL_DAYS),
    toleranceSeconds: parsed.WEBHOOK_TIMESTAMP_TOLERANCE_SECONDS,
    rules: buildRules(jsonSetting('WEBHOOK_RULES', parsed.WEBHOOK_RULES)),
    senders: parseSenderPolicies(jsonSetting('WEBHOOK_SENDERS', parsed.WEBHOOK_SENDERS)),
    policy: parsed.OPERATION_POLICY ? operationPolicyOf(parsed.OPERATION_POLICY) : undefined,
  };
}

/** The policy, checked against the operation types there are; a bad one names its field and the variable. */
function operationPolicyOf(json: string): OperationPolicy {
  try {
    return parsePolicy(json, new Set(OPERATION_TYPES.keys()), 'OPERATION_POLICY');
  } catch (error) {
    if (error instanceof PolicyError) throw new ConfigError(`Invalid configuration: ${error.message}`);
    throw error;
  }
}

function jsonSetting(name: string, value: string | undefined): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new ConfigError(`Invalid configuration: ${name}: must be JSON`);
  }
}
