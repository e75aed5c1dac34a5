import { describe, expect, it } from 'vitest';
import {
  exampleDelivery,
  examplePeople,
  githubIssueLabeled,
  jiraIssueApproved,
  markdownBlock,
  zendeskTrigger,
} from '../../../../local/webhook-examples.ts';
import { WebhookConfigError } from '../../../../shared/webhooks/errors.ts';
import {
  applyRule,
  buildRules,
  DEFAULT_RULES,
  RuleEvaluationError,
  scopeOf,
} from '../../../../shared/webhooks/rules.ts';
import type { WebhookSource } from '../../../../shared/webhooks/sources.ts';

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
    [
      'jira',
      'OPS-123',
      ['jane@example.com', '5b10a2844c20165700ede21g'],
      ['sam.lead@example.com', '5b10a2844c20165700ede31a'],
    ],
    ['github', 'acme/platform-requests#42', ['octo-requester'], ['octo-approver']],
    ['zendesk', '35436', ['jane@example.com'], ['sam.lead@example.com']],
    ['servicenow', 'RITM0010001', ['jane.doe'], ['sam.lead']],
    ['standard', 'REQ-2026-0042', ['jane@example.com'], ['sam.lead@example.com']],
  ] as const)(
    'read the operation of a %s approval, who asked and who approved, apart',
    (source, ref, requester, approver) => {
      // Act
      const outcome = apply(source, exampleDelivery(source, OPERATION), GITHUB_HEADERS);

      // Assess
      const people = examplePeople(source);
      expect(outcome).toEqual({
        kind: 'operation',
        message: {
          ...OPERATION,
          requestedBy: { source, ref, actor: people.requester },
          approvedBy: people.approver,
        },
        requester,
        approver,
      });
    },
  );

  it('take the account id when a Jira payload carries no email (Jira Cloud often leaves it out)', () => {
    // Prepare
    const body = { ...jiraIssueApproved(OPERATION), user: { accountId: 'abc' } };

    // Act
    const outcome = apply('jira', body);

    // Assess
    expect(outcome).toMatchObject({ kind: 'operation', message: { approvedBy: 'abc' }, approver: ['abc'] });
  });

  it('read a Jira block in Markdown fences as well as in wiki markup', () => {
    // Prepare
    const body = jiraIssueApproved(OPERATION);
    body.issue.fields.description = `See below.\n${markdownBlock(OPERATION)}`;

    // Act
    const outcome = apply('jira', body);

    // Assess
    expect(outcome).toMatchObject({ kind: 'operation', message: OPERATION });
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

  it('set requestedBy and approvedBy from the delivery, never from what the operation claims', () => {
    // Prepare
    const body = {
      approval: 'approved',
      approvedBy: 'sam.lead@example.com',
      operation: {
        ...OPERATION,
        requestedBy: { source: 'spoofed', ref: 'REQ-1', actor: 'me' },
        approvedBy: 'someone-important',
        dryRun: true,
      },
    };

    // Act
    const outcome = apply('standard', body);

    // Assess: the source is where the delivery was verified
    expect(outcome).toMatchObject({
      kind: 'operation',
      message: {
        ...OPERATION,
        dryRun: true,
        requestedBy: { source: 'standard', ref: 'REQ-1', actor: 'me' },
        approvedBy: 'sam.lead@example.com',
      },
    });
  });

  it('ignore an approved ticket that asks nothing of atlas-ops (no block)', () => {
    // Prepare
    const body = jiraIssueApproved(OPERATION);
    body.issue.fields.description = 'Nothing for us here.';

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

  it('refuse a block that names its own id: ids are derived from the ticket, never chosen by it', () => {
    // Prepare
    const body = githubIssueLabeled({ ...OPERATION, id: 'op-someone-elses' } as typeof OPERATION);

    // Act
    const outcome = apply('github', body, GITHUB_HEADERS);

    // Assess
    expect(outcome).toMatchObject({ kind: 'invalid', problems: [{ field: 'id' }] });
  });

  it('refuse a composed request without a ticket reference', () => {
    // Prepare
    const body = { approval: 'approved', approvedBy: 'sam.lead', operation: OPERATION };

    // Act
    const outcome = apply('servicenow', body);

    // Assess
    expect(outcome).toMatchObject({ kind: 'invalid', problems: [{ field: 'requestedBy.ref' }] });
  });

  it.each([
    ['jira', jiraIssueApproved(OPERATION, { ref: 'FIN-7' }), 'FIN'],
    ['github', githubIssueLabeled(OPERATION), 'acme/platform-requests'],
    ['standard', exampleDelivery('standard', OPERATION), undefined],
  ] as const)('read the scope of a %s delivery: %j', (source, body, scope) => {
    // Act + Assess
    expect(scopeOf(source, DEFAULT_RULES[source], { headers: {}, body })).toBe(scope);
  });
});

describe('buildRules', () => {
  it('keeps the defaults without overrides', () => {
    // Act + Assess
    expect(buildRules(undefined)).toBe(DEFAULT_RULES);
  });

  it('overrides one field of one source and keeps the rest', () => {
    // Act
    const rules = buildRules({ jira: { approver: 'body.user.accountId' } });

    // Assess
    expect(rules.jira).toEqual({ ...DEFAULT_RULES.jira, approver: 'body.user.accountId' });
    expect(rules.github).toEqual(DEFAULT_RULES.github);
    expect(applyRule('jira', rules.jira, { headers: {}, body: jiraIssueApproved(OPERATION) })).toMatchObject({
      approver: ['5b10a2844c20165700ede31a'],
    });
  });

  it('accepts an expression that only fails on data it has not seen (a join over nulls)', () => {
    // Act + Assess
    expect(() => buildRules({ github: { ref: "join('#', [body.a, body.b])" } })).not.toThrow();
  });

  it.each([
    [{ jira: { scope: 'body.issue.[' } }, /jira\.scope is not valid JMESPath/],
    [
      { zendesk: { requester: 'no_such_function(body)' } },
      /zendesk\.requester is not valid JMESPath.*Unknown function/,
    ],
    [{ gitlab: { ref: '`1`' } }, /"gitlab" is not a source/],
    [{ jira: { whenever: '`true`' } }, /jira\.whenever is not a field/],
    [{ jira: { when: '`true`' } }, /jira\.when is not a field.*the vendor event itself/],
    [{ jira: { actor: 'body.user' } }, /jira\.actor is not a field.*now requester/],
    [{ jira: { ref: '' } }, /jira\.ref must be a non-empty string/],
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
    const act = () => applyRule('jira', rules.jira, { headers: {}, body: jiraIssueApproved(OPERATION) });

    // Assess
    expect(act).toThrow(RuleEvaluationError);
    expect(act).toThrow(/jira\.ref/);
  });
});
