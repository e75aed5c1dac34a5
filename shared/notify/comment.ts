/**
 * What a ticket is told about its operation, in words a requester understands: "done — …", "failed — Atlas
 * said `CODE`: detail" or "refused — … was not run", what it changed (the target), who asked and who
 * approved, the operation id and the status link. One model, rendered as Markdown (GitHub), plain text
 * (Zendesk) and Atlassian Document Format (Jira).
 */
import { APPROVAL_REFUSED, type OutcomeEvent, POLICY_REFUSED } from '../operations/outcome.ts';

/** One line of a comment: text runs, some of them code (ids, error codes) or a link. */
type Run = { text: string; code?: boolean; link?: string };
export type CommentLine = Run[];

/** The comment's lines: the headline, then the details. */
export function commentLines(event: OutcomeEvent, statusUrl?: string): CommentLine[] {
  const lines: CommentLine[] = [headline(event)];
  if (event.target)
    lines.push([
      { text: `${refused(event) ? 'Asked for' : 'Target'}: ` },
      { text: event.target, code: true },
    ]);
  const who = whoLine(event.requestedBy?.actor, event.approval ? undefined : event.approvedBy);
  if (who) lines.push([{ text: who }]);
  if (event.approval) lines.push(...approvalLines(event.approval));
  lines.push([{ text: 'Operation: ' }, { text: event.operationId, code: true }]);
  if (statusUrl) lines.push([{ text: 'Status: ' }, { text: statusUrl, link: statusUrl }]);
  return lines;
}

/** Who asked and who approved, apart. */
function whoLine(requester: string | undefined, approver: string | undefined): string | undefined {
  if (requester && approver) return `Requested by ${requester}, approved by ${approver}.`;
  if (requester) return `Requested by ${requester}.`;
  return approver ? `Approved by ${approver}.` : undefined;
}

/** Who has approved, and who may still, of a request waiting for approvals. */
function approvalLines(approval: NonNullable<OutcomeEvent['approval']>): CommentLine[] {
  const lines: CommentLine[] = [
    [
      {
        text: `Approved so far by ${approval.approvedBy.join(', ') || 'no one'} (${approval.approvedBy.length} of ${approval.needed}, rule "${approval.rule}").`,
      },
    ],
  ];
  if (approval.mayApprove.length > 0) {
    lines.push([{ text: `May still approve: ${approval.mayApprove.join(', ')}.` }]);
  }
  return lines;
}

/** The intake refused the request before it was queued: its approval did not count, or no rule allows it. */
function refused(event: OutcomeEvent): boolean {
  return (
    event.status === 'FAILED' &&
    (event.error?.errorCode === APPROVAL_REFUSED || event.error?.errorCode === POLICY_REFUSED)
  );
}

function headline(event: OutcomeEvent): CommentLine {
  const prefix = event.dryRun ? 'atlas-ops (dry run, nothing was changed): ' : 'atlas-ops: ';
  if (event.status === 'SUCCEEDED') {
    const summary = event.summary ? ` (${event.summary})` : '';
    return [
      { text: `${prefix}done — ` },
      { text: event.type, code: true },
      { text: ` succeeded${summary}.` },
    ];
  }
  if (event.status === 'AWAITING_APPROVAL') {
    const more = (event.approval?.needed ?? 0) - (event.approval?.approvedBy.length ?? 0);
    return [
      { text: `${prefix}waiting for approval — ` },
      { text: event.type, code: true },
      {
        text: ` runs once ${more} more distinct approver${more === 1 ? '' : 's'} approve${more === 1 ? 's' : ''}.`,
      },
    ];
  }
  const error = event.error ?? { errorCode: 'UNKNOWN', detail: 'no detail was recorded' };
  if (refused(event)) {
    return [
      { text: `${prefix}refused — ` },
      { text: event.type, code: true },
      { text: ` was not run: ${error.detail}.` },
    ];
  }
  const gaveUp = error.reason === 'RETRIES_EXHAUSTED' ? ' after retrying' : '';
  // Atlas's HTTP status is there only when Atlas answered; other codes are ours (validation, id reuse).
  const who = error.status !== undefined || gaveUp ? 'Atlas said ' : '';
  return [
    { text: `${prefix}failed${gaveUp} — ` },
    { text: event.type, code: true },
    { text: ` did not complete. ${who}` },
    { text: error.errorCode, code: true },
    { text: `: ${error.detail}` },
  ];
}

/** Markdown (GitHub): code in backticks, links as they are. */
export function markdownComment(event: OutcomeEvent, statusUrl?: string): string {
  return commentLines(event, statusUrl)
    .map((line) => line.map((run) => (run.code ? `\`${run.text}\`` : run.text)).join(''))
    .join('\n\n');
}

/** Plain text (Zendesk): the same words, code in backticks too (Zendesk shows them as typed). */
export function plainComment(event: OutcomeEvent, statusUrl?: string): string {
  return commentLines(event, statusUrl)
    .map((line) => line.map((run) => (run.code ? `\`${run.text}\`` : run.text)).join(''))
    .join('\n');
}

/** Atlassian Document Format (Jira Cloud REST v3): one paragraph per line, code and link marks. */
export function jiraDocument(event: OutcomeEvent, statusUrl?: string): Record<string, unknown> {
  return {
    type: 'doc',
    version: 1,
    content: commentLines(event, statusUrl).map((line) => ({
      type: 'paragraph',
      content: line
        .filter((run) => run.text !== '')
        .map((run) => {
          const marks = run.code
            ? [{ type: 'code' }]
            : run.link
              ? [{ type: 'link', attrs: { href: run.link } }]
              : undefined;
          return { type: 'text', text: run.text, ...(marks ? { marks } : {}) };
        }),
    })),
  };
}
