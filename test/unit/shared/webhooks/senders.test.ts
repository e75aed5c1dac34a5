import { describe, expect, it } from 'vitest';
import { WebhookConfigError } from '../../../../shared/webhooks/errors.ts';
import { closedSources, inScope, parseSenderPolicies } from '../../../../shared/webhooks/senders.ts';

describe('parseSenderPolicies', () => {
  it('reads each source with its defaults; a source not named is closed', () => {
    // Act
    const policies = parseSenderPolicies({
      jira: { scope: ['OPS'], approvers: ['lead@example.com'] },
      github: { scope: '*', approvers: '*', selfApproval: true, approvalLabel: 'ship-it' },
    });

    // Assess
    expect(policies.jira).toEqual({
      scope: ['OPS'],
      approvers: ['lead@example.com'],
      selfApproval: false,
      approvalStatus: 'Approved',
      approvalLabel: 'atlas-ops:approved',
    });
    expect(policies.github).toMatchObject({ scope: '*', selfApproval: true, approvalLabel: 'ship-it' });
    expect(closedSources(policies)).toEqual(['zendesk', 'servicenow', 'standard']);
    expect(closedSources(parseSenderPolicies(undefined))).toHaveLength(5);
  });

  it.each([
    [{ jira: { scope: ['ops'], approvers: ['a'] } }, /jira\.scope\.0: must be a Jira project key/],
    [{ github: { scope: ['acme/..'], approvers: ['a'] } }, /github\.scope\.0: must be a GitHub repository/],
    [{ github: { scope: ['acme'], approvers: ['a'] } }, /github\.scope\.0/],
    [{ jira: { scope: [], approvers: ['a'] } }, /jira\.scope: must list at least one project key/],
    [{ jira: { approvers: ['a'] } }, /jira\.scope: is required/],
    [{ jira: { scope: ['OPS'], approver: ['a'] } }, /jira\.approver: is not a field.*did you mean approvers/],
    [{ zendesk: { scope: ['OPS'], approvers: ['a'] } }, /zendesk\.scope: must be "\*"/],
    [{ gitlab: { scope: '*', approvers: '*' } }, /gitlab: is not a source/],
    [{ jira: { scope: ['OPS'], approvers: ['a b'] } }, /jira\.approvers\.0: must be an account id/],
    [
      { standard: { scope: '*', approvers: '*', selfApproval: 'yes' } },
      /standard\.selfApproval: must be true or false/,
    ],
  ])('refuses %j, naming the field', (value, message) => {
    // Act + Assess
    expect(() => parseSenderPolicies(value)).toThrow(WebhookConfigError);
    expect(() => parseSenderPolicies(value)).toThrow(message);
  });

  it('names every bad field at once', () => {
    // Act
    const act = () => parseSenderPolicies({ jira: { scope: ['ops'], approvers: [] } });

    // Assess
    expect(act).toThrow(/jira\.scope\.0.*; jira\.approvers/);
  });
});

describe('inScope', () => {
  it('matches GitHub repositories in any case, and * matches everything', () => {
    // Prepare
    const { github, standard } = parseSenderPolicies({
      github: { scope: ['Acme/Platform-Requests'], approvers: '*' },
      standard: { scope: '*', approvers: '*' },
    });

    // Act + Assess
    expect(github && inScope(github, 'acme/platform-requests')).toBe(true);
    expect(github && inScope(github, 'acme/other')).toBe(false);
    expect(github && inScope(github, undefined)).toBe(false);
    expect(standard && inScope(standard, undefined)).toBe(true);
  });
});
