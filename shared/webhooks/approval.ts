/**
 * Whether a delivery is an approval: the event in which someone approved, never a later event about a ticket
 * that happens to be approved (reference/webhooks.md, "Addendum: telling an approval from a later edit").
 *
 * - Jira: `jira:issue_updated` whose changelog holds the item of field `status` changed to the approval
 *   status. An edit of an issue already in that status has items for other fields only; an issue created
 *   in it has no change at all. Neither is an approval.
 * - GitHub: the `issues` event `labeled` with the approval label (`unlabeled` and every other event are not).
 * - Zendesk, ServiceNow, Standard Webhooks: the sender composes the body, so it must say so itself,
 *   `"approval": "approved"` at the top level; a body without it is not approved.
 *
 * These are the vendors' payload shapes, not site configuration, so they are code; who may approve is
 * configuration (./senders.ts).
 */
import type { RuleInput } from './rules.ts';
import { isListedApprover, type SenderPolicy, samePerson } from './senders.ts';
import type { WebhookSource } from './sources.ts';

export type ApprovalEvent = { approved: true } | { approved: false; reason: string };

/** The top-level field a composed body says it was approved in, and the value that means approved. */
export const APPROVAL_FIELD = 'approval';
export const APPROVED = 'approved';

/** Whether the delivery is the approval of its ticket; when not, why not, in words for the `ignored` answer. */
export function approvalEventOf(
  source: WebhookSource,
  input: RuleInput,
  policy: SenderPolicy,
): ApprovalEvent {
  switch (source) {
    case 'jira':
      return jiraApproval(record(input.body), policy.approvalStatus);
    case 'github':
      return githubApproval(input, policy.approvalLabel);
    default:
      return composedApproval(record(input.body));
  }
}

function jiraApproval(body: Record<string, unknown>, status: string): ApprovalEvent {
  const only = `only the change of its status to "${status}" is`;
  if (body.webhookEvent === 'jira:issue_created') {
    return {
      approved: false,
      reason: `a Jira issue created is not an approval, even in "${status}": ${only}`,
    };
  }
  if (body.webhookEvent !== 'jira:issue_updated') {
    return { approved: false, reason: 'not a Jira issue update' };
  }
  const items = record(body.changelog).items;
  const changedTo: unknown[] = Array.isArray(items)
    ? items
        .map(record)
        // `fieldId` is the stable id; `field` is the display name, which older payloads carry alone.
        .filter(
          (item) => item.fieldId === 'status' || (item.fieldId === undefined && item.field === 'status'),
        )
        // The field is named `toString`: read it as an own property, never Object.prototype's method.
        .map((item): unknown => Object.getOwnPropertyDescriptor(item, 'toString')?.value)
    : [];
  if (changedTo.includes(status)) return { approved: true };
  const now = record(record(record(body.issue).fields).status).name;
  if (now === status && changedTo.length === 0) {
    return {
      approved: false,
      reason: `an edit of a Jira issue already in "${status}" is not an approval: ${only}`,
    };
  }
  return { approved: false, reason: `not a Jira issue moved to "${status}"` };
}

function githubApproval(input: RuleInput, label: string): ApprovalEvent {
  const body = record(input.body);
  if (input.headers['x-github-event'] !== 'issues') {
    return { approved: false, reason: 'not a GitHub issues event' };
  }
  if (body.action !== 'labeled' || record(body.label).name !== label) {
    return { approved: false, reason: `not the label "${label}" added to a GitHub issue` };
  }
  return { approved: true };
}

function composedApproval(body: Record<string, unknown>): ApprovalEvent {
  const approval = body[APPROVAL_FIELD];
  if (approval === undefined || approval === null) {
    return {
      approved: false,
      reason: `no approval in the delivery: a request says "${APPROVAL_FIELD}": "${APPROVED}" at the top of its body`,
    };
  }
  // The value is not echoed: it is whatever the body holds.
  if (approval !== APPROVED)
    return { approved: false, reason: `not approved (its ${APPROVAL_FIELD} is not "${APPROVED}")` };
  return { approved: true };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Why an approval does not count: a code for logs and metrics, and the words the ticket is told. */
export interface ApproverRefusal {
  code: 'APPROVER_UNKNOWN' | 'APPROVER_NOT_ALLOWED' | 'REQUESTER_UNKNOWN' | 'SELF_APPROVAL';
  detail: string;
}

/**
 * Whether the approval of a request counts: someone named approved it, they are one of the source's
 * approvers, and (unless the policy allows self-approval) they are not the one who asked. Each of `requester`
 * and `approver` is one person's identities (a Jira account id and email, say), first the one to show.
 */
export function approverRefusal(
  source: WebhookSource,
  policy: SenderPolicy,
  requester: readonly string[],
  approver: readonly string[],
): ApproverRefusal | undefined {
  const who = approver[0];
  if (who === undefined) {
    return { code: 'APPROVER_UNKNOWN', detail: `the ${source} delivery does not say who approved it` };
  }
  if (!isListedApprover(policy, approver)) {
    return { code: 'APPROVER_NOT_ALLOWED', detail: `${who} is not a ${source} approver` };
  }
  if (policy.selfApproval) return undefined;
  if (requester.length === 0) {
    return {
      code: 'REQUESTER_UNKNOWN',
      detail: `the ${source} delivery does not say who asked, so ${who} approving their own request cannot be ruled out`,
    };
  }
  if (samePerson(requester, approver)) {
    return {
      code: 'SELF_APPROVAL',
      detail: `${who} asked for it and approved it; someone else must approve`,
    };
  }
  return undefined;
}

/**
 * The approvers one delivery speaks for, each as their identities: a Jira or GitHub delivery is one person's
 * event (their account id and email, say); a composed body's `approvedBy` lists each approver once (one
 * identity each), so a request its policy gives to two approvers can arrive approved by both.
 */
export function approversOf(source: WebhookSource, approver: readonly string[]): string[][] {
  if (approver.length === 0) return [];
  return source === 'jira' || source === 'github' ? [[...approver]] : approver.map((identity) => [identity]);
}

/**
 * The first approver of `approvers` whose approval does not count (see `approverRefusal`), or whether two of
 * them are one person; undefined when every one counts.
 */
export function approversRefusal(
  source: WebhookSource,
  policy: SenderPolicy,
  requester: readonly string[],
  approvers: readonly (readonly string[])[],
): ApproverRefusal | undefined {
  if (approvers.length === 0) return approverRefusal(source, policy, requester, []);
  for (const approver of approvers) {
    const refusal = approverRefusal(source, policy, requester, approver);
    if (refusal) return refusal;
  }
  return undefined;
}
