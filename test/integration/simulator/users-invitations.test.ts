/** Project users, org users and the deprecated invitations API, over raw HTTP against the demo seed. */
import { describe, expect, it } from 'vitest';
import {
  DEMO_INVITATION_ID,
  DEMO_ORG_ID,
  DEMO_PENDING_USERNAME,
  DEMO_PROJECT_IDS,
  DEMO_USER_IDS,
} from '../../../local/atlas-simulator/seeds/demo.ts';
import {
  atlasCall,
  type Json,
  type Page,
  type RawResponse,
  send,
  useDemoSimulator,
} from '../../support/simulator.ts';

const { paymentsProd, analytics, sandbox } = DEMO_PROJECT_IDS;
const UNKNOWN_ID = '0123456789abcdef01234567';

describe('users and invitations', () => {
  const demo = useDemoSimulator();

  const call = (method: string, path: string, version?: string): Promise<RawResponse> =>
    atlasCall(demo.sim, demo.token, method, path, version ? { version } : {});
  const orgUsernames = async (query = '') => {
    const res = await call('GET', `/orgs/${DEMO_ORG_ID}/users${query}`, '2025-02-19');
    return (res.json as Page<{ username: string }>).results.map((u) => u.username);
  };

  describe('a project user', () => {
    it('is an active member with the roles they hold in that project', async () => {
      // Act
      const res = await call('GET', `/groups/${analytics}/users/${DEMO_USER_IDS.analyst}`, '2025-02-19');

      // Assess
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2025-02-19+json');
      expect(res.json).toEqual({
        id: DEMO_USER_IDS.analyst,
        username: 'bob.analyst@example.com',
        orgMembershipStatus: 'ACTIVE',
        roles: ['GROUP_DATA_ACCESS_READ_WRITE', 'GROUP_READ_ONLY'],
        firstName: 'Bob',
        lastName: 'Analyst',
        country: 'DE',
        createdAt: expect.any(String),
        lastAuth: expect.any(String),
      });
    });

    it('shows the same user with another project’s roles in that project', async () => {
      // Act
      const res = await call('GET', `/groups/${paymentsProd}/users/${DEMO_USER_IDS.analyst}`);

      // Assess
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ roles: ['GROUP_READ_ONLY'] });
    });

    it('is an invited user with the invitation’s dates', async () => {
      // Act
      const res = await call('GET', `/groups/${analytics}/users/${DEMO_USER_IDS.pending}`);

      // Assess
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        id: DEMO_USER_IDS.pending,
        username: DEMO_PENDING_USERNAME,
        orgMembershipStatus: 'PENDING',
        roles: ['GROUP_READ_ONLY'],
        invitationCreatedAt: expect.any(String),
        invitationExpiresAt: expect.any(String),
        inviterUsername: 'alice.owner@example.com',
      });
    });

    it('is not found when its status is filtered out by orgMembershipStatuses', async () => {
      // Act
      const onlyActive = await call(
        'GET',
        `/groups/${analytics}/users/${DEMO_USER_IDS.pending}?orgMembershipStatuses=ACTIVE`,
      );
      const expiredByDefault = await call('GET', `/groups/${sandbox}/users/${DEMO_USER_IDS.expired}`);
      const expiredAsked = await call(
        'GET',
        `/groups/${sandbox}/users/${DEMO_USER_IDS.expired}?orgMembershipStatuses=PENDING&orgMembershipStatuses=INVITATION_EXPIRED`,
      );

      // Assess
      expect(onlyActive.status).toBe(404);
      expect(onlyActive.json).toMatchObject({ errorCode: 'USER_NOT_FOUND' });
      expect(expiredByDefault.status).toBe(404);
      expect(expiredAsked.status).toBe(200);
      expect(expiredAsked.json).toMatchObject({ orgMembershipStatus: 'INVITATION_EXPIRED' });
    });

    it('is not found for a member without a role in that project, or an unknown id', async () => {
      // Act
      const developer = await call('GET', `/groups/${analytics}/users/${DEMO_USER_IDS.developer}`);
      const billing = await call('GET', `/groups/${paymentsProd}/users/${DEMO_USER_IDS.billing}`);
      const unknown = await call('GET', `/groups/${paymentsProd}/users/${UNKNOWN_ID}`);

      // Assess
      for (const res of [developer, billing, unknown]) {
        expect(res.status).toBe(404);
        expect(res.json).toMatchObject({ errorCode: 'USER_NOT_FOUND' });
      }
    });

    it('refuses an unknown status with 400 naming orgMembershipStatuses', async () => {
      // Act
      const res = await call(
        'GET',
        `/groups/${analytics}/users/${DEMO_USER_IDS.analyst}?orgMembershipStatuses=SLEEPING`,
      );

      // Assess
      expect(res.status).toBe(400);
      const fields = (res.json as { badRequestDetail: { fields: { field: string }[] } }).badRequestDetail
        .fields;
      expect(fields.map((f) => f.field.split('.')[0])).toEqual(['orgMembershipStatuses']);
    });
  });

  describe('org users', () => {
    it('lists active and pending users by default, and others when asked', async () => {
      // Act
      const res = await call('GET', `/orgs/${DEMO_ORG_ID}/users`, '2025-02-19');
      const everyone = await orgUsernames(
        '?orgMembershipStatuses=ACTIVE&orgMembershipStatuses=PENDING&orgMembershipStatuses=INVITATION_EXPIRED',
      );
      const pendingOnly = await orgUsernames('?orgMembershipStatus=PENDING');

      // Assess
      const body = res.json as Page<Json & { orgMembershipStatus: string; roles: Json }>;
      expect(res.status).toBe(200);
      expect(body.totalCount).toBe(5);
      expect(new Set(body.results.map((u) => u.orgMembershipStatus))).toEqual(new Set(['ACTIVE', 'PENDING']));
      expect(body.results.find((u) => u.id === DEMO_USER_IDS.owner)).toMatchObject({
        roles: {
          orgRoles: ['ORG_OWNER'],
          groupRoleAssignments: [{ groupId: paymentsProd, groupRoles: ['GROUP_OWNER'] }],
        },
      });
      expect(everyone).toHaveLength(6);
      expect(pendingOnly).toEqual([DEMO_PENDING_USERNAME]);
    });

    it('finds one user by username and pages the list', async () => {
      // Act
      const one = await orgUsernames('?username=carol.dev@example.com');
      const page = await call('GET', `/orgs/${DEMO_ORG_ID}/users?itemsPerPage=2&pageNum=3`);

      // Assess
      expect(one).toEqual(['carol.dev@example.com']);
      const body = page.json as Page;
      expect(body.results).toHaveLength(1);
      expect(body.links.map((l) => l.rel)).toEqual(['self', 'previous']);
    });

    it('still answers the deprecated 2023-01-01 version, members only, with deprecation headers', async () => {
      // Act
      const res = await call('GET', `/orgs/${DEMO_ORG_ID}/users`, '2023-01-01');

      // Assess
      const body = res.json as Page<Json>;
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json');
      expect(res.headers.deprecation).toBe(new Date('2025-02-19T00:00:00Z').toUTCString());
      expect(res.headers.sunset).toBe(new Date('2027-07-01T00:00:00Z').toUTCString());
      expect(body.results).toHaveLength(4);
      expect(body.results.find((u) => u.id === DEMO_USER_IDS.owner)).toMatchObject({
        emailAddress: 'alice.owner@example.com',
        roles: expect.arrayContaining([
          { orgId: DEMO_ORG_ID, roleName: 'ORG_OWNER' },
          { groupId: paymentsProd, roleName: 'GROUP_OWNER' },
        ]),
      });
    });

    it('removes a member: gone from the organization and from its projects', async () => {
      // Act
      const removed = await call(
        'DELETE',
        `/orgs/${DEMO_ORG_ID}/users/${DEMO_USER_IDS.analyst}`,
        '2025-02-19',
      );
      const projectUser = await call('GET', `/groups/${analytics}/users/${DEMO_USER_IDS.analyst}`);
      const again = await call('DELETE', `/orgs/${DEMO_ORG_ID}/users/${DEMO_USER_IDS.analyst}`, '2025-02-19');

      // Assess
      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');
      expect(await orgUsernames()).not.toContain('bob.analyst@example.com');
      expect(projectUser.status).toBe(404);
      expect(again.status).toBe(404);
      expect(again.json).toMatchObject({ errorCode: 'USER_NOT_FOUND' });
    });

    it('removing a pending user cancels the invitation', async () => {
      // Act
      const removed = await call(
        'DELETE',
        `/orgs/${DEMO_ORG_ID}/users/${DEMO_USER_IDS.pending}`,
        '2025-02-19',
      );
      const invites = await call('GET', `/orgs/${DEMO_ORG_ID}/invites`, '2023-01-01');

      // Assess
      expect(removed.status).toBe(204);
      expect(invites.json).toEqual([]);
    });
  });

  describe('invitations (deprecated)', () => {
    it('lists pending invitations as a plain array, with deprecation headers', async () => {
      // Act
      const res = await call('GET', `/orgs/${DEMO_ORG_ID}/invites`, '2023-01-01');
      const filtered = await call(
        'GET',
        `/orgs/${DEMO_ORG_ID}/invites?username=nobody@example.com`,
        '2023-01-01',
      );

      // Assess
      expect(res.status).toBe(200);
      expect(Array.isArray(res.json)).toBe(true);
      expect(res.headers.deprecation).toBe(new Date('2025-02-19T00:00:00Z').toUTCString());
      expect(res.headers.sunset).toBe(new Date('2027-07-01T00:00:00Z').toUTCString());
      expect(res.json).toEqual([
        expect.objectContaining({
          id: DEMO_INVITATION_ID,
          orgId: DEMO_ORG_ID,
          username: DEMO_PENDING_USERNAME,
          roles: ['ORG_MEMBER'],
          groupRoleAssignments: [{ groupId: analytics, groupRole: 'GROUP_READ_ONLY' }],
        }),
      ]);
      expect(filtered.json).toEqual([]);
    });

    it('cancels an invitation: it vanishes and so does the pending user', async () => {
      // Act
      const cancelled = await call(
        'DELETE',
        `/orgs/${DEMO_ORG_ID}/invites/${DEMO_INVITATION_ID}`,
        '2023-01-01',
      );
      const invites = await call('GET', `/orgs/${DEMO_ORG_ID}/invites`, '2023-01-01');
      const projectUser = await call('GET', `/groups/${analytics}/users/${DEMO_USER_IDS.pending}`);

      // Assess
      expect(cancelled.status).toBe(204);
      expect(cancelled.headers.deprecation).toBeDefined();
      expect(invites.json).toEqual([]);
      expect(await orgUsernames()).not.toContain(DEMO_PENDING_USERNAME);
      expect(projectUser.status).toBe(404);
    });

    it('answers 400 INVALID_INVITATION_ID for an unknown invitation, as Atlas does', async () => {
      // Act
      const res = await call('DELETE', `/orgs/${DEMO_ORG_ID}/invites/${UNKNOWN_ID}`, '2023-01-01');

      // Assess
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        errorCode: 'INVALID_INVITATION_ID',
        detail: `Invitation ${UNKNOWN_ID} does not exist or has already been accepted.`,
        parameters: [UNKNOWN_ID],
      });
    });

    it('answers 400 INVALID_INVITATION_ID for an invitation cancelled already', async () => {
      // Act
      const first = await call('DELETE', `/orgs/${DEMO_ORG_ID}/invites/${DEMO_INVITATION_ID}`, '2023-01-01');
      const second = await call('DELETE', `/orgs/${DEMO_ORG_ID}/invites/${DEMO_INVITATION_ID}`, '2023-01-01');

      // Assess
      expect(first.status).toBe(204);
      expect([second.status, (second.json as Json).errorCode]).toEqual([400, 'INVALID_INVITATION_ID']);
    });
  });

  describe('accepting an invitation (control)', () => {
    const accept = (id: string) => send(demo.sim, 'POST', `/__sim/invitations/${id}/accept`);

    it('turns the invitee into an active member and the invitation into INVALID_INVITATION_ID', async () => {
      // Act
      const accepted = await accept(DEMO_INVITATION_ID);
      const invites = await call('GET', `/orgs/${DEMO_ORG_ID}/invites`, '2023-01-01');
      const cancel = await call('DELETE', `/orgs/${DEMO_ORG_ID}/invites/${DEMO_INVITATION_ID}`, '2023-01-01');
      const members = await call(
        'GET',
        `/orgs/${DEMO_ORG_ID}/users?username=${DEMO_PENDING_USERNAME}`,
        '2025-02-19',
      );
      const projectUser = await call('GET', `/groups/${analytics}/users/${DEMO_USER_IDS.pending}`);
      const legacy = await call('GET', `/orgs/${DEMO_ORG_ID}/users`, '2023-01-01');

      // Assess
      expect(accepted.status).toBe(200);
      expect(invites.json).toEqual([]);
      expect([cancel.status, (cancel.json as Json).errorCode]).toEqual([400, 'INVALID_INVITATION_ID']);
      expect((members.json as Page).results).toEqual([
        expect.objectContaining({
          id: DEMO_USER_IDS.pending,
          username: DEMO_PENDING_USERNAME,
          orgMembershipStatus: 'ACTIVE',
          firstName: expect.any(String),
          lastName: expect.any(String),
          createdAt: expect.any(String),
          roles: {
            orgRoles: ['ORG_MEMBER'],
            groupRoleAssignments: [{ groupId: analytics, groupRoles: ['GROUP_READ_ONLY'] }],
          },
        }),
      ]);
      expect((members.json as Page).results[0]).not.toHaveProperty('invitationCreatedAt');
      expect(projectUser.json).toMatchObject({ orgMembershipStatus: 'ACTIVE', roles: ['GROUP_READ_ONLY'] });
      expect((legacy.json as Page<{ emailAddress: string }>).results.map((u) => u.emailAddress)).toContain(
        DEMO_PENDING_USERNAME,
      );
    });

    it('answers 404 for an invitation that is not pending', async () => {
      // Act
      const unknown = await accept(UNKNOWN_ID);
      await accept(DEMO_INVITATION_ID);
      const again = await accept(DEMO_INVITATION_ID);

      // Assess
      expect([unknown.status, again.status]).toEqual([404, 404]);
    });
  });
});
