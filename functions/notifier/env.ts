/** The notifier's environment (set by infra/constructs/notifier.ts), checked at cold start. */
import { ConfigError, parseEnv } from '../../shared/config/env.ts';
import { integerSetting, STATUS_TTL_DAYS } from '../../shared/config/rules.ts';
import * as z from '../../shared/config/zod.ts';
import {
  QUEUE_WORKER_VARIABLES,
  type QueueWorkerSettings,
  queueWorkerSettings,
} from '../../shared/queue-worker/environment.ts';

const optionalUrl = (what: string) => z.optional(z.url(`must be ${what}`));

export const notifierEnvSchema = z.object({
  /** The one secret with each source's credentials (shared/notify/secrets.ts). */
  NOTIFIER_SECRET_ID: z.string('is required').check(z.minLength(1, 'is required')),
  /** The operations table: `notified#<event>` items, so each outcome is told once. */
  OPERATIONS_TABLE: z.string('is required').check(z.minLength(1, 'is required')),
  STATUS_TTL_DAYS: integerSetting(STATUS_TTL_DAYS),
  /** The outcomes queue (QUEUE_URL), its dead-letter queue, the redrive count, the retry backoff. */
  ...QUEUE_WORKER_VARIABLES,
  /** The Jira Cloud site, e.g. `https://acme.atlassian.net`. */
  JIRA_BASE_URL: optionalUrl('the Jira site URL'),
  /** Transitions (by name) applied after the comment, e.g. `Done` / `Failed`. */
  JIRA_TRANSITION_ON_SUCCESS: z.optional(z.string().check(z.minLength(1))),
  JIRA_TRANSITION_ON_FAILURE: z.optional(z.string().check(z.minLength(1))),
  /** The GitHub REST API: `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  GITHUB_API_URL: z._default(z.url('must be the GitHub API URL'), 'https://api.github.com'),
  /** The Zendesk account, e.g. `https://acme.zendesk.com`. */
  ZENDESK_BASE_URL: optionalUrl('the Zendesk account URL'),
  /** Callback URL per other source, JSON: `{"servicenow": "https://…", "standard": "https://…"}`. */
  CALLBACK_URLS: z.optional(z.string()),
  /** The webhook intake's URL: status links `{url}/operations/{id}` in the comments. */
  STATUS_BASE_URL: optionalUrl('the webhook intake URL'),
});

export interface NotifierConfig extends QueueWorkerSettings {
  secretId: string;
  table: string;
  statusTtlDays: number;
  jira: { baseUrl: string | undefined; transitionOnSuccess?: string; transitionOnFailure?: string };
  githubApiUrl: string;
  zendeskBaseUrl: string | undefined;
  callbackUrls: Record<string, string>;
  statusBaseUrl: string | undefined;
}

const callbackUrls = z.record(
  z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'must be a source name')),
  z.url(),
);

/** Reads the notifier's configuration; throws a `ConfigError` naming each bad variable. */
export function loadNotifierConfig(env: Record<string, string | undefined>): NotifierConfig {
  const parsed = parseEnv(notifierEnvSchema, env);
  let callbacks: Record<string, string> = {};
  if (parsed.CALLBACK_URLS) {
    let value: unknown;
    try {
      value = JSON.parse(parsed.CALLBACK_URLS);
    } catch {
      throw new ConfigError('Invalid configuration: CALLBACK_URLS: must be JSON');
    }
    const result = callbackUrls.safeParse(value);
    if (!result.success) {
      const problems = result.error.issues.map((i) => `${i.path.map(String).join('.')} ${i.message}`);
      throw new ConfigError(`Invalid configuration: CALLBACK_URLS: ${problems.join('; ')}`);
    }
    callbacks = result.data;
  }
  return {
    secretId: parsed.NOTIFIER_SECRET_ID,
    table: parsed.OPERATIONS_TABLE,
    statusTtlDays: parsed.STATUS_TTL_DAYS,
    ...queueWorkerSettings(parsed),
    jira: {
      baseUrl: parsed.JIRA_BASE_URL,
      ...(parsed.JIRA_TRANSITION_ON_SUCCESS
        ? { transitionOnSuccess: parsed.JIRA_TRANSITION_ON_SUCCESS }
        : {}),
      ...(parsed.JIRA_TRANSITION_ON_FAILURE
        ? { transitionOnFailure: parsed.JIRA_TRANSITION_ON_FAILURE }
        : {}),
    },
    githubApiUrl: parsed.GITHUB_API_URL,
    zendeskBaseUrl: parsed.ZENDESK_BASE_URL,
    callbackUrls: callbacks,
    statusBaseUrl: parsed.STATUS_BASE_URL,
  };
}
