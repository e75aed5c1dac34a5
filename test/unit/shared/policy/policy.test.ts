/** The operation policy: parsing names every bad field; the first matching rule decides, deny by default. */
import { describe, expect, it } from 'vitest';
import { OPERATION_TYPES } from '../../../../shared/operations/registry.ts';
import { inOrganization, inProject } from '../../../../shared/operations/target.ts';
import { decide, PolicyError, parsePolicy } from '../../../../shared/policy/policy.ts';

const TYPES = new Set(OPERATION_TYPES.keys());
const PROJECT = '8f7be0277c2a1f1a7767b3ee';
const OTHER_PROJECT = '3b1276eb79ee4ecd6e39e20f';
const ORG = '2c6d06f4e95767618b59ad69';

const policy = parsePolicy(
  {
    rules: [
      {
        name: 'office',
        sources: ['jira'],
        scope: ['OPS'],
        types: ['projectAccessList.add'],
        projects: [PROJECT],
      },
      { name: 'removals', sources: '*', risks: ['destructive'], projects: '*', orgs: [ORG] },
      { name: 'invitations', sources: ['zendesk'], risks: ['organization'], orgs: '*', approvals: 3 },
      {
        name: 'wide',
        sources: ['standard'],
        risks: ['additive'],
        projects: [OTHER_PROJECT],
        allowWideNetworks: true,
      },
    ],
  },
  TYPES,
);

const add = (projectId: string) => ({
  type: 'projectAccessList.add',
  risk: 'additive' as const,
  target: inProject(projectId, 'x'),
});

describe('parsePolicy', () => {
  it('names every bad field: an unknown type (with the nearest one), a malformed id, a field it does not know', () => {
    // Act
    const parse = () =>
      parsePolicy(
        {
          rules: [
            {
              sources: '*',
              types: ['projectAccessList.ad'],
              projects: ['8F7BE0277C2A1F1A7767B3EE'],
              approve: 2,
            },
          ],
        },
        TYPES,
      );

    // Assess
    expect(parse).toThrow(PolicyError);
    expect(parse).toThrow(
      /rules\.0\.types\.0 "projectAccessList\.ad" is not an operation type; did you mean projectAccessList\.add\?/,
    );
    expect(parse).toThrow(/rules\.0\.projects\.0 must be a 24-hex-digit Atlas id/);
    expect(parse).toThrow(/rules\.0\.approve is not a field of the policy/);
  });

  it('refuses a rule that names no types or risks, or no projects or organizations', () => {
    expect(() => parsePolicy({ rules: [{ sources: '*', projects: '*' }] }, TYPES)).toThrow(
      /rules\.0 must name the types or the risks it allows/,
    );
    expect(() => parsePolicy({ rules: [{ sources: '*', risks: ['read'] }] }, TYPES)).toThrow(
      /rules\.0 must name the projects or the organizations it allows/,
    );
  });

  it('reads JSON text, and names a document that is not JSON', () => {
    expect(parsePolicy('{"rules": []}', TYPES).rules).toEqual([]);
    expect(() => parsePolicy('{"rules": [', TYPES, 'OPERATION_POLICY')).toThrow(
      'Invalid OPERATION_POLICY: (document) must be JSON',
    );
  });
});

describe('decide', () => {
  it('allows by the first rule that matches source, scope, type and project, with its approvals', () => {
    expect(decide(policy, { source: 'jira', scope: 'OPS', ...add(PROJECT) })).toEqual({
      allowed: true,
      rule: 'office',
      approvals: 1,
      allowWideNetworks: false,
    });
  });

  it('refuses what no rule allows, saying what was asked, where and from whom', () => {
    // Act
    const outOfScope = decide(policy, { source: 'jira', scope: 'SEC', ...add(PROJECT) });
    const otherProject = decide(policy, { source: 'jira', scope: 'OPS', ...add(OTHER_PROJECT) });

    // Assess
    expect(outOfScope).toEqual({
      allowed: false,
      reason: `no rule of the operation policy allows projectAccessList.add (additive) on project ${PROJECT} from jira SEC`,
    });
    expect(otherProject.allowed).toBe(false);
  });

  it('asks two approvers for a destructive type by default, and what a rule says otherwise', () => {
    // Act
    const removal = decide(policy, {
      source: 'github',
      type: 'networkPeering.delete',
      risk: 'destructive',
      target: inProject(OTHER_PROJECT, 'peering'),
    });
    const invitation = decide(policy, {
      source: 'zendesk',
      type: 'orgInvitation.cancel',
      risk: 'organization',
      target: inOrganization(ORG, 'invitation'),
    });

    // Assess
    expect(removal).toMatchObject({ allowed: true, rule: 'removals', approvals: 2 });
    expect(invitation).toMatchObject({ allowed: true, rule: 'invitations', approvals: 3 });
  });

  it('matches an organization operation by organization ids only, a project operation by project ids only', () => {
    // Act
    const orgRemoval = decide(policy, {
      source: 'jira',
      type: 'serviceAccountAccessList.delete',
      risk: 'destructive',
      target: inOrganization('0123456789abcdef01234567', 'entry'),
    });

    // Assess: the removals rule names one organization, and `projects: "*"` does not reach organizations
    expect(orgRemoval.allowed).toBe(false);
  });

  it('passes the rule’s allowance of wide networks on', () => {
    expect(decide(policy, { source: 'standard', ...add(OTHER_PROJECT) })).toMatchObject({
      rule: 'wide',
      allowWideNetworks: true,
    });
  });

  it('refuses everything without a rule, saying no policy is configured', () => {
    expect(decide({ rules: [] }, { source: 'jira', ...add(PROJECT) })).toEqual({
      allowed: false,
      reason: 'no operation policy is configured, so no request is allowed',
    });
  });
});

describe('every operation type', () => {
  it('declares a risk class', () => {
    for (const [type, definition] of OPERATION_TYPES) {
      expect(['read', 'additive', 'destructive', 'organization'], type).toContain(definition.risk);
    }
  });
});
