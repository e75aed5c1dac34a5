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

/**
 * `body` (JSON text) with the signed time a `source` sender puts in its body set to `now`, as that sender would
 * write it when sending now: Jira's `timestamp` (epoch ms), GitHub's `issue.updated_at`. Unchanged when the
 * source signs no time in its body or the body has no such field. The JSON is written again with the
 * indentation it had, so a file stays readable; what is signed is the text this returns.
 */
export function withSignedTimeNow(source: WebhookSource, body: string, now: Date): string {
  if (source !== 'jira' && source !== 'github') return body;
  const parsed = JSON.parse(body) as Record<string, unknown>;
  if (source === 'jira' && typeof parsed.timestamp === 'number') parsed.timestamp = now.getTime();
  else if (source === 'github' && isRecord(parsed.issue) && typeof parsed.issue.updated_at === 'string') {
    parsed.issue.updated_at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  } else {
    return body;
  }
  const indent = /^\{\r?\n([ \t]+)"/.exec(body)?.[1] ?? '';
  return `${JSON.stringify(parsed, null, indent)}${/\r?\n$/.exec(body)?.[0] ?? ''}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
