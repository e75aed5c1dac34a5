/**
 * Project users and their roles (2025-02-19) over raw HTTP against the demo seed: the project's list, adding an
 * org member or a stranger (an invitation), adding and removing roles (custom-method paths `:addRole` and
 * `:removeRole`), and removing a user from the project.
 */
import { describe, expect, it } from 'vitest';
import {
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
const VERSION = '2025-02-19';
const UNKNOWN_ID = '0123456789abcdef01234567';

describe('project users and roles', () => {
  const demo = useDemoSimulator();

  const call = (method: string, path: string, body?: unknown): Promise<RawResponse> =>
    atlasCall(demo.sim, demo.token, method, path, {
      version: VERSION,
      ...(body === undefined ? {} : { body }),
    });
  const users = (groupId: string) => `/groups/${groupId}/users`;
  const user = (groupId: string, userId: string) => `${users(groupId)}/${userId}`;
  const rolesOf = async (groupId: string, userId: string) =>
    ((await call('GET', user(groupId, userId))).json as { roles?: string[] }).roles;

  describe('the list', () => {
    it("pages the project's active and invited users with that project's roles", async () => {
      // Act
      const res = await call('GET', users(analytics));
      const byName = await call('GET', `${users(analytics)}?username=BOB.ANALYST@example.com`);
      const pendingOnly = await call('GET', `${users(analytics)}?orgMembershipStatuses=PENDING`);
      const badFlag = await call('GET', `${users(analytics)}?includeOrgUsers=maybe`);

      // Assess
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2025-02-19+json');
      const body = res.json as Page<{ id: string; orgMembershipStatus: string; roles: string[] }>;
      expect(body.totalCount).toBe(2);
      expect(body.results.map((u) => [u.id, u.orgMembershipStatus, u.roles])).toEqual([
        [DEMO_USER_IDS.analyst, 'ACTIVE', ['GROUP_DATA_ACCESS_READ_WRITE', 'GROUP_READ_ONLY']],
        [DEMO_USER_IDS.pending, 'PENDING', ['GROUP_READ_ONLY']],
      ]);
      expect((byName.json as Page).results).toHaveLength(1);
      expect((pendingOnly.json as Page<{ username: string }>).results.map((u) => u.username)).toEqual([
        DEMO_PENDING_USERNAME,
      ]);
      expect(badFlag.status).toBe(400);
    });
  });

  describe('adding a user', () => {
    it('gives an active member of the organization the roles at once (201 ACTIVE)', async () => {
      // Act
      const added = await call('POST', users(analytics), {
        username: 'carol.dev@example.com',
        roles: ['GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'],
      });
      const read = await call('GET', user(analytics, DEMO_USER_IDS.developer));

      // Assess
      expect(added.status).toBe(201);
      expect(added.json).toMatchObject({
        id: DEMO_USER_IDS.developer,
        orgMembershipStatus: 'ACTIVE',
        roles: ['GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'],
        firstName: 'Carol',
      });
      expect(read.json).toEqual(added.json);
      expect(await rolesOf(sandbox, DEMO_USER_IDS.developer)).toEqual(['GROUP_CLUSTER_MANAGER']);
    });

    it('invites someone who is not in the organization: 201 PENDING, an invitation to accept', async () => {
      // Act
      const added = await call('POST', users(sandbox), {
        username: 'new.hire@example.com',
        roles: ['GROUP_READ_ONLY'],
      });
      const newUser = added.json as { id: string; invitationCreatedAt: string; invitationExpiresAt: string };
      const invites = await call('GET', `/orgs/${DEMO_ORG_ID}/invites`, undefined);
      const invitation = (
        await atlasCall(
          demo.sim,
          demo.token,
          'GET',
          `/orgs/${DEMO_ORG_ID}/invites?username=new.hire@example.com`,
          {
            version: '2023-01-01',
          },
        )
      ).json as { id: string; groupRoleAssignments: Json[] }[];
      const accepted = await send(demo.sim, 'POST', `/__sim/invitations/${invitation[0]?.id}/accept`);
      const afterAccept = await call('GET', user(sandbox, newUser.id));

      // Assess
      expect(added.status).toBe(201);
      expect(added.json).toMatchObject({
        username: 'new.hire@example.com',
        orgMembershipStatus: 'PENDING',
        roles: ['GROUP_READ_ONLY'],
        inviterUsername: 'alice.owner@example.com',
      });
      expect(Date.parse(newUser.invitationExpiresAt) - Date.parse(newUser.invitationCreatedAt)).toBe(
        30 * 24 * 3_600_000,
      );
      expect(invites.status).toBe(200);
      expect(invitation[0]?.groupRoleAssignments).toEqual([
        { groupId: sandbox, groupRole: 'GROUP_READ_ONLY' },
      ]);
      expect(accepted.status).toBe(200);
      expect(afterAccept.json).toMatchObject({ orgMembershipStatus: 'ACTIVE', roles: ['GROUP_READ_ONLY'] });
    });

    it('adds an invited user to another project through their invitation', async () => {
      // Act
      const added = await call('POST', users(paymentsProd), {
        username: DEMO_PENDING_USERNAME,
        roles: ['GROUP_DATA_ACCESS_READ_ONLY'],
      });
      const invites = (
        await atlasCall(demo.sim, demo.token, 'GET', `/orgs/${DEMO_ORG_ID}/invites`, {
          version: '2023-01-01',
        })
      ).json as { groupRoleAssignments: Json[] }[];

      // Assess
      expect(added.status).toBe(201);
      expect(added.json).toMatchObject({ id: DEMO_USER_IDS.pending, orgMembershipStatus: 'PENDING' });
      expect(invites[0]?.groupRoleAssignments).toEqual([
        { groupId: analytics, groupRole: 'GROUP_READ_ONLY' },
        { groupId: paymentsProd, groupRole: 'GROUP_DATA_ACCESS_READ_ONLY' },
      ]);
    });

    it('answers 409 only for a user already ACTIVE or PENDING in the project', async () => {
      // Act
      const active = await call('POST', users(analytics), {
        username: 'bob.analyst@example.com',
        roles: ['GROUP_OWNER'],
      });
      const pending = await call('POST', users(analytics), {
        username: DEMO_PENDING_USERNAME,
        roles: ['GROUP_OWNER'],
      });
      const expiredInvitation = await call('POST', users(sandbox), {
        username: 'frank.expired@example.com',
        roles: ['GROUP_READ_ONLY'],
      });

      // Assess
      for (const res of [active, pending]) {
        expect(res.status).toBe(409);
        expect(res.json).toMatchObject({
          error: 409,
          errorCode: 'USER_ALREADY_IN_GROUP',
          reason: 'Conflict',
        });
      }
      expect(expiredInvitation.status).toBe(201);
      expect(expiredInvitation.json).toMatchObject({
        id: DEMO_USER_IDS.expired,
        orgMembershipStatus: 'PENDING',
      });
      expect(await rolesOf(analytics, DEMO_USER_IDS.analyst)).toEqual([
        'GROUP_DATA_ACCESS_READ_WRITE',
        'GROUP_READ_ONLY',
      ]);
    });

    it('refuses a role that is not a project role', async () => {
      // Act
      const res = await call('POST', users(sandbox), {
        username: 'dave.billing@example.com',
        roles: ['ORG_OWNER'],
      });

      // Assess
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        errorCode: 'INVALID_ROLE_FOR_GROUP',
        badRequestDetail: { fields: [expect.objectContaining({ field: 'roles.0' })] },
      });
    });
  });

  describe('roles', () => {
    it('adds a role with :addRole and removes one with :removeRole (200 with the user)', async () => {
      // Act
      const added = await call('POST', `${user(analytics, DEMO_USER_IDS.analyst)}:addRole`, {
        groupRole: 'GROUP_CLUSTER_MANAGER',
      });
      const addedAgain = await call('POST', `${user(analytics, DEMO_USER_IDS.analyst)}:addRole`, {
        groupRole: 'GROUP_CLUSTER_MANAGER',
      });
      const removed = await call('POST', `${user(analytics, DEMO_USER_IDS.analyst)}:removeRole`, {
        groupRole: 'GROUP_READ_ONLY',
      });

      // Assess
      expect(added.status).toBe(200);
      expect(added.json).toMatchObject({
        id: DEMO_USER_IDS.analyst,
        roles: ['GROUP_DATA_ACCESS_READ_WRITE', 'GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'],
      });
      expect(addedAgain.status).toBe(200);
      expect(addedAgain.json).toEqual(added.json);
      expect(removed.status).toBe(200);
      expect(removed.json).toMatchObject({
        roles: ['GROUP_DATA_ACCESS_READ_WRITE', 'GROUP_CLUSTER_MANAGER'],
      });
      expect(await rolesOf(analytics, DEMO_USER_IDS.analyst)).toEqual([
        'GROUP_DATA_ACCESS_READ_WRITE',
        'GROUP_CLUSTER_MANAGER',
      ]);
      expect(await rolesOf(paymentsProd, DEMO_USER_IDS.analyst)).toEqual(['GROUP_READ_ONLY']);
    });

    it("keeps a user's last role (400 CANNOT_REMOVE_LAST_ROLE): add the new one first", async () => {
      // Act
      const last = await call('POST', `${user(sandbox, DEMO_USER_IDS.developer)}:removeRole`, {
        groupRole: 'GROUP_CLUSTER_MANAGER',
      });
      await call('POST', `${user(sandbox, DEMO_USER_IDS.developer)}:addRole`, {
        groupRole: 'GROUP_READ_ONLY',
      });
      const replaced = await call('POST', `${user(sandbox, DEMO_USER_IDS.developer)}:removeRole`, {
        groupRole: 'GROUP_CLUSTER_MANAGER',
      });

      // Assess
      expect(last.status).toBe(400);
      expect(last.json).toMatchObject({ errorCode: 'CANNOT_REMOVE_LAST_ROLE' });
      expect(replaced.status).toBe(200);
      expect(replaced.json).toMatchObject({ roles: ['GROUP_READ_ONLY'] });
    });

    it('changes the roles of an invited user in their invitation too', async () => {
      // Act
      const added = await call('POST', `${user(analytics, DEMO_USER_IDS.pending)}:addRole`, {
        groupRole: 'GROUP_DATA_ACCESS_READ_ONLY',
      });
      const invites = (
        await atlasCall(demo.sim, demo.token, 'GET', `/orgs/${DEMO_ORG_ID}/invites`, {
          version: '2023-01-01',
        })
      ).json as { groupRoleAssignments: Json[] }[];

      // Assess
      expect(added.json).toMatchObject({ orgMembershipStatus: 'PENDING' });
      expect(invites[0]?.groupRoleAssignments).toEqual([
        { groupId: analytics, groupRole: 'GROUP_READ_ONLY' },
        { groupId: analytics, groupRole: 'GROUP_DATA_ACCESS_READ_ONLY' },
      ]);
    });

    it('answers an unknown user or one outside the project with 404, a bad role with 400, GET with 405', async () => {
      // Act
      const unknown = await call('POST', `${user(analytics, UNKNOWN_ID)}:addRole`, {
        groupRole: 'GROUP_READ_ONLY',
      });
      const outside = await call('POST', `${user(analytics, DEMO_USER_IDS.developer)}:addRole`, {
        groupRole: 'GROUP_READ_ONLY',
      });
      const badRole = await call('POST', `${user(analytics, DEMO_USER_IDS.analyst)}:addRole`, {
        groupRole: 'GROUP_EVERYTHING',
      });
      const get = await call('GET', `${user(analytics, DEMO_USER_IDS.analyst)}:addRole`);

      // Assess
      expect(unknown.status).toBe(404);
      expect(unknown.json).toMatchObject({ errorCode: 'USER_NOT_FOUND' });
      expect(outside.status).toBe(404);
      expect(badRole.json).toMatchObject({ errorCode: 'INVALID_ROLE_FOR_GROUP' });
      expect(get.status).toBe(405);
      expect(get.headers.allow).toBe('POST');
    });
  });

  describe('removing a user from the project', () => {
    it('takes every role in the project (204) and leaves the user in the organization', async () => {
      // Act
      const removed = await call('DELETE', user(analytics, DEMO_USER_IDS.analyst));
      const read = await call('GET', user(analytics, DEMO_USER_IDS.analyst));
      const again = await call('DELETE', user(analytics, DEMO_USER_IDS.analyst));
      const orgUsers = (await call('GET', `/orgs/${DEMO_ORG_ID}/users`)).json as Page<{ id: string }>;
      const readdedOk = await call('POST', users(analytics), {
        username: 'bob.analyst@example.com',
        roles: ['GROUP_READ_ONLY'],
      });

      // Assess
      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');
      expect(read.status).toBe(404);
      expect(again.status).toBe(404);
      expect(orgUsers.results.map((u) => u.id)).toContain(DEMO_USER_IDS.analyst);
      expect(await rolesOf(paymentsProd, DEMO_USER_IDS.analyst)).toEqual(['GROUP_READ_ONLY']);
      expect(readdedOk.status).toBe(201);
    });
  });
});
