import { describe, expect, it } from 'vitest';
import {
  exampleDelivery,
  githubIssueLabeled,
  jiraIssueUpdated,
  markdownBlock,
  zendeskTrigger,
} from '../../../../local/webhook-examples.ts';
import { WebhookConfigError } from '../../../../shared/webhooks/errors.ts';
import {
  applyRule,
  buildRules,
  DEFAULT_RULES,
  RuleEvaluationError,
} from '../../../../shared/webhooks/rules.ts';
import { WEBHOOK_SOURCES, type WebhookSource } from '../../../../shared/webhooks/sources.ts';

const GROUP_ID = '5f1b2c3d4e5f6a7b8c9d0e1f';
const OPERATION = {
  type: 'projectAccessList.add',
  params: { groupId: GROUP_ID, entries: [{ cidrBlock: '10.8.0.0/16', comment: 'VPN' }] },
};
const apply = (source: WebhookSource, body: unknown, headers: Record<string, string> = {}) =>
  applyRule(source, DEFAULT_RULES[source], { headers, body });
const GITHUB_HEADERS = { 'x-github-event': 'issues' };

describe('the default rules', () => {
  it.each([
    ['jira', {}, { source: 'jira', ref: 'OPS-123', actor: 'jane@example.com' }],
    [
      'github',
      GITHUB_HEADERS,
      { source: 'github', ref: 'acme/platform-requests#42', actor: 'octo-approver' },
    ],
    ['zendesk', {}, { source: 'zendesk', ref: '35436', actor: 'jane@example.com' }],
    ['servicenow', {}, { source: 'servicenow', ref: 'RITM0010001', actor: 'jane.doe' }],
    ['standard', {}, { source: 'standard', ref: 'REQ-2026-0042', actor: 'jane@example.com' }],
  ] as const)(
    'read the operation of an approved %s delivery, with who asked',
    (source, headers, requestedBy) => {
      // Act
      const outcome = apply(source, exampleDelivery(source, OPERATION), headers);

      // Assess
      expect(outcome).toEqual({ kind: 'operation', message: { ...OPERATION, requestedBy } });
    },
  );

  it.each(WEBHOOK_SOURCES)('ignore a %s delivery that is not approved, saying why', (source) => {
    // Act
    const outcome = apply(source, exampleDelivery(source, OPERATION, { approved: false }), GITHUB_HEADERS);

    // Assess
    expect(outcome).toEqual({ kind: 'ignored', reason: DEFAULT_RULES[source].ignored });
  });

  it('take a Jira issue created in status Approved, and the account id when there is no email', () => {
    // Prepare
    const body = {
      ...jiraIssueUpdated(OPERATION),
      webhookEvent: 'jira:issue_created',
      user: { accountId: 'abc' },
    };

    // Act
    const outcome = apply('jira', body);

    // Assess
    expect(outcome).toMatchObject({ kind: 'operation', message: { requestedBy: { actor: 'abc' } } });
  });

  it('ignore other Jira events, such as a comment on an approved issue', () => {
    // Act
    const outcome = apply('jira', { ...jiraIssueUpdated(OPERATION), webhookEvent: 'comment_created' });

    // Assess
    expect(outcome.kind).toBe('ignored');
  });

  it('read a Jira block in Markdown fences as well as in wiki markup', () => {
    // Prepare
    const body = jiraIssueUpdated(OPERATION);
    body.issue.fields.description = `See below.\n${markdownBlock(OPERATION)}`;

    // Act
    const outcome = apply('jira', body);

    // Assess
    expect(outcome).toMatchObject({ kind: 'operation', message: OPERATION });
  });

  it.each([
    ['another event', { 'x-github-event': 'issue_comment' }, githubIssueLabeled(OPERATION)],
    ['another action', GITHUB_HEADERS, { ...githubIssueLabeled(OPERATION), action: 'opened' }],
    ['no event header', {}, githubIssueLabeled(OPERATION)],
  ])('ignore a GitHub delivery with %s', (_case, headers, body) => {
    // Act + Assess
    expect(apply('github', body, headers).kind).toBe('ignored');
  });

  it('take the Zendesk operation object over a block in the description', () => {
    // Prepare
    const other = {
      type: 'projectAccessList.delete',
      params: { groupId: GROUP_ID, entryValue: '10.8.0.0/16' },
    };
    const body = { ...zendeskTrigger(OPERATION), operation: other };

    // Act
    const outcome = apply('zendesk', body);

    // Assess
    expect(outcome).toMatchObject({ kind: 'operation', message: other });
  });

  it('take a ServiceNow or Standard Webhooks body that is the operation message itself', () => {
    // Prepare
    const body = {
      ...OPERATION,
      requestedBy: { source: 'spoofed', ref: 'REQ-1', actor: 'me' },
      dryRun: true,
    };

    // Act
    const outcome = apply('standard', body);

    // Assess: the source is where the delivery was verified, not what the body claims
    expect(outcome).toEqual({
      kind: 'operation',
      message: { ...OPERATION, dryRun: true, requestedBy: { source: 'standard', ref: 'REQ-1', actor: 'me' } },
    });
  });

  it('ignore an approved ticket that asks nothing of atlas-ops (no block)', () => {
    // Prepare
    const body = jiraIssueUpdated(OPERATION);
    body.issue.fields.description = 'Nothing for atlas-ops here.';

    // Act
    const outcome = apply('jira', body);

    // Assess
    expect(outcome).toEqual({ kind: 'ignored', reason: 'no atlas-ops block in the ticket' });
  });

  it.each([
    ['two blocks', `${markdownBlock(OPERATION)}\n\n${markdownBlock(OPERATION)}`, /2 atlas-ops blocks/],
    ['a block that is not JSON', '```atlas-ops\n{"type": \n```', /not valid JSON/],
    ['a block holding an array', '```atlas-ops\n[1, 2]\n```', /must be a JSON object/],
  ])('refuse %s, naming the problem', (_case, text, description) => {
    // Prepare
    const body = githubIssueLabeled(OPERATION);
    body.issue.body = text;

    // Act
    const outcome = apply('github', body, GITHUB_HEADERS);

    // Assess
    expect(outcome).toMatchObject({ kind: 'invalid', problems: [{ field: '(operation)', description }] });
  });
});

describe('buildRules', () => {
  it('keeps the defaults without overrides', () => {
    // Act + Assess
    expect(buildRules(undefined)).toBe(DEFAULT_RULES);
  });

  it('overrides one field of one source and keeps the rest', () => {
    // Act
    const rules = buildRules({ servicenow: { when: "body.state == 'approved'" } });

    // Assess
    expect(rules.servicenow).toEqual({ ...DEFAULT_RULES.servicenow, when: "body.state == 'approved'" });
    expect(rules.jira).toEqual(DEFAULT_RULES.jira);
    expect(applyRule('servicenow', rules.servicenow, { headers: {}, body: { state: 'new' } }).kind).toBe(
      'ignored',
    );
  });

  it('accepts an expression that only fails on data it has not seen (a join over nulls)', () => {
    // Act + Assess
    expect(() => buildRules({ github: { ref: "join('#', [body.a, body.b])" } })).not.toThrow();
  });

  it.each([
    [{ jira: { when: 'body.issue.[' } }, /jira\.when is not valid JMESPath/],
    [
      { zendesk: { actor: 'no_such_function(body)' } },
      /zendesk\.actor is not valid JMESPath.*Unknown function/,
    ],
    [{ gitlab: { when: '`true`' } }, /"gitlab" is not a source/],
    [{ jira: { whenever: '`true`' } }, /jira\.whenever is not a field/],
    [{ jira: { when: '' } }, /jira\.when must be a non-empty string/],
    [{ jira: 'body' }, /jira must be a JSON object/],
    [['jira'], /keyed by source/],
  ])('refuses %j, naming the rule', (overrides, message) => {
    // Act + Assess
    expect(() => buildRules(overrides)).toThrow(WebhookConfigError);
    expect(() => buildRules(overrides)).toThrow(message);
  });
});

describe('applyRule', () => {
  it('reports a rule that fails on a delivery, naming it', () => {
    // Prepare
    const rules = buildRules({ jira: { ref: "join('#', [body.a, body.b])" } });

    // Act
    const act = () => applyRule('jira', rules.jira, { headers: {}, body: jiraIssueUpdated(OPERATION) });

    // Assess
    expect(act).toThrow(RuleEvaluationError);
    expect(act).toThrow(/jira\.ref/);
  });
});
