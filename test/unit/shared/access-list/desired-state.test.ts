/** The desired-state document: defaults filled in, and every bad field named by its path, never its value. */
import { describe, expect, it } from 'vitest';
import {
  MAX_MANAGED_COMMENT_LENGTH,
  parseDesiredState,
} from '../../../../shared/access-list/desired-state.ts';
import { DesiredStateError } from '../../../../shared/access-list/errors.ts';

const GROUP_ID = '5f1b2c3d4e5f6a7b8c9d0e1f';
const ORG_ID = '6a1b2c3d4e5f6a7b8c9d0e1f';
const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567';

/** The problems `parseDesiredState` names for `document`, as `field: description`. */
function problemsOf(document: unknown): string[] {
  try {
    parseDesiredState(typeof document === 'string' ? document : JSON.stringify(document));
  } catch (error) {
    if (!(error instanceof DesiredStateError)) throw error;
    return error.problems.map((p) => `${p.field}: ${p.description}`);
  }
  throw new Error('the document was accepted');
}

describe('parseDesiredState', () => {
  it("reads the issue's example and fills in the defaults", () => {
    // Prepare
    const document = {
      projects: [
        {
          groupId: GROUP_ID,
          prune: 'managed',
          entries: [
            { cidrBlock: '10.8.0.0/16', comment: 'office VPN' },
            { ipAddress: '203.0.113.7', deleteAfterDate: '2027-01-31T00:00:00Z' },
            { awsSecurityGroup: 'sg-0a1b2c3d' },
          ],
        },
      ],
      serviceAccounts: [{ orgId: ORG_ID, clientId: CLIENT_ID, entries: [{ cidrBlock: '198.51.100.0/24' }] }],
      protect: ['192.0.2.10'],
    };

    // Act
    const state = parseDesiredState(JSON.stringify(document));

    // Assess
    expect(state.maxDeletions).toBeUndefined(); // absent: the stack's (shared/access-list/guards.ts)
    expect(state.projects[0]?.entries).toHaveLength(3);
    expect(state.serviceAccounts[0]?.prune).toBe('none'); // never removes unless asked
    expect(state.protect).toEqual(['192.0.2.10']);
  });

  it('accepts an empty document: nothing to manage', () => {
    expect(parseDesiredState('{}')).toEqual({
      projects: [],
      serviceAccounts: [],
      protect: [],
    });
  });

  it.each([
    ['not JSON', '{"projects": [', ['(document): is not JSON']],
    ['not an object', '[]', ['(document): must be a JSON object']],
    ['a negative maxDeletions', { maxDeletions: -1 }, ['maxDeletions: must be 0 or more']],
    ['a fractional maxDeletions', { maxDeletions: 1.5 }, ['maxDeletions: must be a whole number']],
    ['an unknown top-level field', { prune: 'all' }, ['prune: is not a field of the desired state']],
    [
      'a bad project id and prune mode',
      { projects: [{ groupId: 'ABC', prune: 'some', entries: [] }] },
      [
        'projects.0.groupId: must be a 24-character lowercase hexadecimal id',
        'projects.0.prune: must be none, managed or all',
      ],
    ],
    ['a list without entries', { projects: [{ groupId: GROUP_ID }] }, ['projects.0.entries: is required']],
    [
      'an entry with two values',
      { projects: [{ groupId: GROUP_ID, entries: [{ ipAddress: '10.0.0.1', cidrBlock: '10.0.0.0/8' }] }] },
      ['projects.0.entries.0: must set exactly one of ipAddress, cidrBlock and awsSecurityGroup'],
    ],
    [
      'an entry with no value',
      { projects: [{ groupId: GROUP_ID, entries: [{ comment: 'who?' }] }] },
      ['projects.0.entries.0: must set exactly one of ipAddress, cidrBlock and awsSecurityGroup'],
    ],
    [
      'a bad address, block and security group',
      {
        projects: [
          {
            groupId: GROUP_ID,
            entries: [
              { ipAddress: '10.0.0.256' },
              { cidrBlock: '10.0.0.0/33' },
              { awsSecurityGroup: 'sg-x' },
            ],
          },
        ],
      },
      [
        'projects.0.entries.0.ipAddress: must be an IPv4 or IPv6 address',
        'projects.0.entries.1.cidrBlock: must be a CIDR block such as 10.0.0.0/16',
        'projects.0.entries.2.awsSecurityGroup: must be an AWS security group id (sg-… or <account>/sg-…)',
      ],
    ],
    [
      'a comment over Atlas’s 80 characters',
      { projects: [{ groupId: GROUP_ID, entries: [{ ipAddress: '10.0.0.1', comment: 'x'.repeat(81) }] }] },
      ['projects.0.entries.0.comment: must be at most 80 characters'],
    ],
    [
      'a temporary security group',
      {
        projects: [
          {
            groupId: GROUP_ID,
            entries: [{ awsSecurityGroup: 'sg-0a1b2c3d', deleteAfterDate: '2030-01-01T00:00:00Z' }],
          },
        ],
      },
      ['projects.0.entries.0.deleteAfterDate: a security group entry cannot be temporary'],
    ],
    [
      'a date without a zone',
      {
        projects: [
          { groupId: GROUP_ID, entries: [{ ipAddress: '10.0.0.1', deleteAfterDate: '2030-01-01' }] },
        ],
      },
      ['projects.0.entries.0.deleteAfterDate: must be an ISO 8601 date-time with a zone'],
    ],
    [
      'a misspelt entry field',
      { projects: [{ groupId: GROUP_ID, entries: [{ ipAdress: '10.0.0.1' }] }] },
      [
        'projects.0.entries.0.ipAdress: is not a field of the desired state',
        'projects.0.entries.0: must set exactly one of ipAddress, cidrBlock and awsSecurityGroup',
      ],
    ],
    [
      'a security group on a service-account list',
      {
        serviceAccounts: [
          { orgId: ORG_ID, clientId: CLIENT_ID, entries: [{ awsSecurityGroup: 'sg-0a1b2c3d' }] },
        ],
      },
      [
        'serviceAccounts.0.entries.0.awsSecurityGroup: is not a field of the desired state',
        'serviceAccounts.0.entries.0: must set exactly one of ipAddress and cidrBlock',
      ],
    ],
    [
      'a bad service account',
      { serviceAccounts: [{ orgId: ORG_ID, clientId: 'mdb_sa_id_nope', entries: [] }] },
      ['serviceAccounts.0.clientId: must be a service account client id (mdb_sa_id_ and 24 hex digits)'],
    ],
    [
      'a protect value that is no address',
      { protect: ['192.0.2.10', 'office'] },
      ['protect.1: must be an IP address, a CIDR block or an AWS security group id'],
    ],
  ])('refuses %s, naming each bad field', (_, document, expected) => {
    // Act
    const problems = problemsOf(document);

    // Assess
    expect(problems).toHaveLength(expected.length);
    expected.forEach((problem, index) => {
      expect(problems[index]).toContain(problem);
    });
  });

  it('refuses the same entry written twice in one list (an address and its /32)', () => {
    // Act
    const problems = problemsOf({
      projects: [{ groupId: GROUP_ID, entries: [{ ipAddress: '10.0.0.1' }, { cidrBlock: '10.0.0.1/32' }] }],
    });

    // Assess
    expect(problems).toEqual(['projects.0.entries.1: is the same entry as entries.0 (10.0.0.1/32)']);
  });

  it('refuses a list declared twice', () => {
    // Act
    const problems = problemsOf({
      projects: [
        { groupId: GROUP_ID, entries: [] },
        { groupId: GROUP_ID, prune: 'all', entries: [] },
      ],
      serviceAccounts: [
        { orgId: ORG_ID, clientId: CLIENT_ID, entries: [] },
        { orgId: ORG_ID, clientId: CLIENT_ID, entries: [] },
      ],
    });

    // Assess
    expect(problems).toEqual([
      'projects.1: declares the same list as projects.0',
      'serviceAccounts.1: declares the same list as serviceAccounts.0',
    ]);
  });

  it('keeps room for the [atlas-ops] mark in the comments of a managed project list', () => {
    // Prepare
    const entries = [
      { ipAddress: '10.0.0.1', comment: 'x'.repeat(MAX_MANAGED_COMMENT_LENGTH) },
      { ipAddress: '10.0.0.2', comment: 'x'.repeat(MAX_MANAGED_COMMENT_LENGTH + 1) },
    ];

    // Act
    const managed = problemsOf({ projects: [{ groupId: GROUP_ID, prune: 'managed', entries }] });
    const all = () =>
      parseDesiredState(JSON.stringify({ projects: [{ groupId: GROUP_ID, prune: 'all', entries }] }));

    // Assess
    expect(managed).toEqual([
      expect.stringMatching(/^projects\.0\.entries\.1\.comment: must be at most 68 characters/),
    ]);
    expect(all).not.toThrow();
  });

  it('never repeats a value in its messages', () => {
    // Act
    const problems = problemsOf({ projects: [{ groupId: 'secret-looking-value', entries: [] }] });

    // Assess
    expect(problems.join('\n')).not.toContain('secret-looking-value');
  });
});
