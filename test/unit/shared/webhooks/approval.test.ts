import { describe, expect, it } from 'vitest';
import { exampleDelivery, jiraIssueApproved } from '../../../../local/webhook-examples.ts';
import { approvalEventOf, approverRefusal } from '../../../../shared/webhooks/approval.ts';
import { parseSenderPolicies, type SenderPolicy } from '../../../../shared/webhooks/senders.ts';
import { WEBHOOK_SOURCES } from '../../../../shared/webhooks/sources.ts';

const OPERATION = { type: 'projectUser.get', params: { groupId: '5f1b2c3d4e5f6a7b8c9d0e1f', userId: 'x' } };
const GITHUB_HEADERS = { 'x-github-event': 'issues' };
const policy = (
  source: 'jira' | 'github' | 'standard',
  fields: Record<string, unknown> = {},
): SenderPolicy => {
  const scope = source === 'standard' ? '*' : source === 'jira' ? ['OPS'] : ['acme/platform-requests'];
  const policies = parseSenderPolicies({ [source]: { scope, approvers: '*', ...fields } });
  const found = policies[source];
  if (!found) throw new Error('no policy');
  return found;
};
const event = (source: (typeof WEBHOOK_SOURCES)[number], body: unknown, headers = GITHUB_HEADERS) =>
  approvalEventOf(
    source,
    { headers, body },
    policy(source === 'jira' || source === 'github' ? source : 'standard'),
  );

describe('approvalEventOf', () => {
  it.each(WEBHOOK_SOURCES)('takes the %s example approval as an approval', (source) => {
    // Act + Assess
    expect(event(source, exampleDelivery(source, OPERATION))).toEqual({ approved: true });
  });

  it.each(WEBHOOK_SOURCES)('does not take a %s delivery that is not an approval', (source) => {
    // Act
    const answer = event(source, exampleDelivery(source, OPERATION, { approved: false }));

    // Assess
    expect(answer).toMatchObject({ approved: false, reason: expect.stringMatching(/^not /) });
  });

  it('does not take an edit of a Jira issue already in Approved', () => {
    // Prepare
    const body = {
      ...jiraIssueApproved(OPERATION),
      changelog: { items: [{ field: 'description', fieldId: 'description', toString: '…' }] },
    };

    // Act + Assess
    expect(event('jira', body)).toEqual({
      approved: false,
      reason: expect.stringContaining('an edit of a Jira issue already in "Approved" is not an approval'),
    });
  });

  it('does not take a Jira issue created in Approved, changelog or not', () => {
    // Prepare
    const body = { ...jiraIssueApproved(OPERATION), webhookEvent: 'jira:issue_created' };

    // Act + Assess
    expect(event('jira', body)).toMatchObject({ approved: false, reason: expect.stringMatching(/created/) });
  });

  it('takes the configured approval status, and only that one', () => {
    // Prepare
    const body = jiraIssueApproved(OPERATION);
    const items = body.changelog.items.map((item) => ({ ...item, toString: 'Ready to run' }));
    const moved = { ...body, changelog: { ...body.changelog, items } };
    const custom = policy('jira', { approvalStatus: 'Ready to run' });

    // Act + Assess
    expect(approvalEventOf('jira', { headers: {}, body: moved }, custom)).toEqual({ approved: true });
    expect(approvalEventOf('jira', { headers: {}, body }, custom)).toMatchObject({ approved: false });
  });

  it('reads a changelog item without toString as no change (never Object.prototype.toString)', () => {
    // Prepare
    const body = { ...jiraIssueApproved(OPERATION), changelog: { items: [{ fieldId: 'status' }] } };

    // Act + Assess
    expect(event('jira', body)).toMatchObject({ approved: false });
  });

  it.each([
    ['another event', { 'x-github-event': 'issue_comment' }, {}],
    ['another action', GITHUB_HEADERS, { action: 'unlabeled' }],
    ['another label', GITHUB_HEADERS, { label: { name: 'approved' } }],
  ])('does not take a GitHub delivery with %s', (_case, headers, change) => {
    // Prepare
    const body = { ...exampleDelivery('github', OPERATION), ...change };

    // Act + Assess
    expect(event('github', body, headers)).toMatchObject({ approved: false });
  });

  it('does not take a composed body without approval: absent is not approved', () => {
    // Prepare
    const { approval: _left, ...body } = exampleDelivery('standard', OPERATION) as Record<string, unknown>;

    // Act + Assess
    expect(event('standard', body)).toEqual({
      approved: false,
      reason: expect.stringContaining('no approval in the delivery'),
    });
  });
});

describe('approverRefusal', () => {
  const listed = (fields: Record<string, unknown> = {}) =>
    policy('jira', { approvers: ['5b10a2844c20165700ede31a', 'lead@example.com'], ...fields });

  it('lets a listed approver who is not the requester approve, by account id or email', () => {
    // Act + Assess
    expect(
      approverRefusal('jira', listed(), ['jane@example.com'], ['sam@x', '5b10a2844c20165700ede31a']),
    ).toBe(undefined);
    expect(approverRefusal('jira', listed(), ['jane@example.com'], ['LEAD@example.com'])).toBe(undefined);
  });

  it.each([
    ['no approver', ['jane@example.com'], [], 'APPROVER_UNKNOWN'],
    ['an approver who is not listed', ['jane@example.com'], ['mallory@example.com'], 'APPROVER_NOT_ALLOWED'],
    ['the requester approving', ['lead@example.com', 'x'], ['lead@example.com'], 'SELF_APPROVAL'],
    ['no requester to tell apart', [], ['lead@example.com'], 'REQUESTER_UNKNOWN'],
  ])('refuses %s', (_case, requester, approver, code) => {
    // Act + Assess
    expect(approverRefusal('jira', listed(), requester, approver)).toMatchObject({ code });
  });

  it('lets the requester approve only when the policy says self-approval is allowed', () => {
    // Act + Assess
    expect(
      approverRefusal('jira', listed({ selfApproval: true }), ['lead@example.com'], ['lead@example.com']),
    ).toBe(undefined);
  });
});
