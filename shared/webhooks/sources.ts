/** The senders the intake accepts, one per `POST /webhooks/{source}` path (design.md, "Webhook intake"). */

/** Every source, in the order docs/webhooks.md documents them. */
export const WEBHOOK_SOURCES = ['jira', 'github', 'zendesk', 'servicenow', 'standard'] as const;

export type WebhookSource = (typeof WEBHOOK_SOURCES)[number];

const KNOWN: ReadonlySet<string> = new Set(WEBHOOK_SOURCES);

/** Whether `name` is one of `WEBHOOK_SOURCES` (a path segment as the sender wrote it, case-sensitive). */
export function isWebhookSource(name: unknown): name is WebhookSource {
  return typeof name === 'string' && KNOWN.has(name);
}
