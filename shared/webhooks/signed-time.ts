/**
 * When a delivery was signed, for the senders whose scheme signs no timestamp header: Jira and GitHub sign
 * the body only, so the time the body itself carries is the signed time (reference/webhooks.md, Addendum).
 * The intake refuses an approval signed longer ago than it remembers deliveries, so a captured delivery sent
 * again after every record of it has expired is refused too. Zendesk and Standard Webhooks sign a timestamp
 * header, which their verifiers hold to minutes; a ServiceNow bearer token signs nothing.
 */
import type { WebhookSource } from './sources.ts';

/**
 * The signed time of an approval delivered by `source`: a Date; `undefined` when the source's scheme has its
 * own (or none); `null` when the source signs its time in the body but this body has none that reads.
 * - Jira: the top-level `timestamp`, epoch milliseconds, when the event was raised.
 * - GitHub: `issue.updated_at` (ISO 8601), which a label sets.
 */
export function bodySignedTime(source: WebhookSource, body: unknown): Date | null | undefined {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (source === 'jira') {
    const { timestamp } = fields;
    return typeof timestamp === 'number' && Number.isFinite(timestamp) ? new Date(timestamp) : null;
  }
  if (source === 'github') {
    const issue = fields.issue;
    const updated =
      typeof issue === 'object' && issue !== null ? (issue as Record<string, unknown>).updated_at : undefined;
    if (typeof updated !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(updated)) return null;
    const time = new Date(updated);
    return Number.isNaN(time.getTime()) ? null : time;
  }
  return undefined;
}
