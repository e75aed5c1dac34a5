/**
 * `orgInvitation.cancel`: cancels the invitation through the deprecated endpoint when given its id, and
 * removes the PENDING org user with the invitee's email (the replacement) — never an active one.
 */
import { describe, expect, it } from 'vitest';
import { PermanentOperationError } from '../../../../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../../../../shared/operations/message.ts';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import {
  atlasError,
  badFields,
  FIRST_PAGE,
  INVITATION_ID,
  invalid,
  media,
  message,
  ORG_ID,
  rejectionOf,
  reply,
  run,
  sent,
  USER_ID,
} from '../fixtures.ts';

const TYPE = 'orgInvitation.cancel';
const OLD = media('2023-01-01');
const NEW = media('2025-02-19');
const EMAIL = 'ada@example.com';
const INVITES = `/orgs/${ORG_ID}/invites`;
const INVITE = `${INVITES}/${INVITATION_ID}`;
const PENDING_USERS = `/orgs/${ORG_ID}/users?username=ada%40example.com&orgMembershipStatuses=PENDING&${FIRST_PAGE}`;
const ACTIVE_USERS = `/orgs/${ORG_ID}/users?username=ada%40example.com&orgMembershipStatuses=ACTIVE&${FIRST_PAGE}`;
const USER = `/orgs/${ORG_ID}/users/${USER_ID}`;
const invitation = { id: INVITATION_ID, orgId: ORG_ID, orgName: 'Acme', username: EMAIL };
const pendingUser = {
  id: USER_ID,
  orgMembershipStatus: 'PENDING',
  roles: { orgRoles: ['ORG_MEMBER'] },
  username: EMAIL,
  invitationCreatedAt: '2025-01-02T03:04:05Z',
  inviterUsername: 'grace@example.com',
};
const activeUser = {
  id: '0f1b2c3d4e5f6a7b8c9d0e1f',
  orgMembershipStatus: 'ACTIVE',
  roles: { orgRoles: ['ORG_OWNER'] },
  username: EMAIL,
  createdAt: '2025-01-02T03:04:05Z',
  firstName: 'Ada',
  lastName: 'Lovelace',
};

describe('orgInvitation.cancel params', () => {
  it.each([
    { name: 'an invitation id', params: { orgId: ORG_ID, invitationId: INVITATION_ID } },
    { name: 'an email', params: { orgId: ORG_ID, username: EMAIL } },
    { name: 'both', params: { orgId: ORG_ID, invitationId: INVITATION_ID, username: EMAIL } },
  ])('accepts $name', ({ params }) => {
    // Act
    const parsed = parseOperationMessage(message(TYPE, params));

    // Assess
    expect(parsed.params).toEqual(params);
  });

  it('refuses neither an invitation id nor an email', () => {
    // Act
    const error = invalid(message(TYPE, { orgId: ORG_ID }));

    // Assess
    expect(error.reason).toBe('INVALID_PARAMS');
    expect(error.problems).toEqual([
      { field: 'params', description: 'must set invitationId, username or both' },
    ]);
  });

  it.each([
    {
      name: 'a username that is not an email',
      params: { orgId: ORG_ID, username: 'ada' },
      field: 'params.username',
    },
    {
      name: 'an invitationId that is not 24 hex digits',
      params: { orgId: ORG_ID, invitationId: 'inv-1' },
      field: 'params.invitationId',
    },
  ])('refuses $name, naming $field', ({ params, field }) => {
    // Act
    const fields = badFields(TYPE, params);

    // Assess
    expect(fields).toEqual([field]);
  });
});

describe('orgInvitation.cancel', () => {
  it('reads the invitee from the invitation, cancels it, then removes the PENDING user with that email', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', INVITES, 200, [invitation]);
    reply(atlas, 'DELETE', INVITE, 204);
    reply(atlas, 'GET', PENDING_USERS, 200, { results: [pendingUser] });
    reply(atlas, 'DELETE', USER, 204);

    // Act
    const outcome = await run(atlas, message(TYPE, { orgId: ORG_ID, invitationId: INVITATION_ID }));

    // Assess
    expect(sent(atlas)).toEqual([
      { method: 'GET', path: INVITES, accept: OLD },
      { method: 'DELETE', path: INVITE, accept: OLD },
      { method: 'GET', path: PENDING_USERS, accept: NEW },
      { method: 'DELETE', path: USER, accept: NEW },
    ]);
    expect(outcome.result).toEqual({
      invitation: { id: INVITATION_ID, cancelled: true },
      username: EMAIL,
      removedPendingUserIds: [USER_ID],
    });
  });

  it('with only an email, removes the PENDING user and never calls the deprecated endpoint', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', PENDING_USERS, 200, { results: [pendingUser] });
    reply(atlas, 'DELETE', USER, 204);

    // Act
    const outcome = await run(atlas, message(TYPE, { orgId: ORG_ID, username: EMAIL }));

    // Assess
    expect(sent(atlas).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${PENDING_USERS}`,
      `DELETE ${USER}`,
    ]);
    expect(outcome.result).toEqual({ username: EMAIL, removedPendingUserIds: [USER_ID] });
  });

  it('never removes an active member, even when the list returns one, and says the invitee joined', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', PENDING_USERS, 200, { results: [activeUser] });
    reply(atlas, 'GET', ACTIVE_USERS, 200, { results: [activeUser] });

    // Act
    const failure = await rejectionOf(run(atlas, message(TYPE, { orgId: ORG_ID, username: EMAIL })));

    // Assess
    expect(sent(atlas).map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(failure).toBeInstanceOf(PermanentOperationError);
    expect(failure).toMatchObject({ errorCode: 'INVITATION_ALREADY_ACCEPTED' });
  });

  it.each([
    ['400 INVALID_INVITATION_ID, as Atlas answers', 400, 'INVALID_INVITATION_ID'],
    ['404', 404, 'INVITATION_NOT_FOUND'],
  ])(
    'succeeds when the invitation is already gone (%s) and the invitee is no member',
    async (_, status, code) => {
      // Prepare: a repeat of a cancel that took effect
      const atlas = mockAtlas();
      reply(atlas, 'DELETE', INVITE, status, atlasError(status, code));
      reply(atlas, 'GET', ACTIVE_USERS, 200, { results: [] });
      reply(atlas, 'GET', PENDING_USERS, 200, { results: [] });

      // Act
      const outcome = await run(
        atlas,
        message(TYPE, { orgId: ORG_ID, invitationId: INVITATION_ID, username: EMAIL }),
      );

      // Assess
      expect(outcome.result).toEqual({
        invitation: { id: INVITATION_ID, cancelled: false, alreadyAbsent: true },
        username: EMAIL,
        removedPendingUserIds: [],
      });
    },
  );

  it('fails with INVITATION_ALREADY_ACCEPTED when the invitation is gone because the invitee joined', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', INVITE, 400, atlasError(400, 'INVALID_INVITATION_ID'));
    reply(atlas, 'GET', ACTIVE_USERS, 200, { results: [activeUser] });

    // Act
    const failure = await rejectionOf(
      run(atlas, message(TYPE, { orgId: ORG_ID, invitationId: INVITATION_ID, username: EMAIL })),
    );

    // Assess
    expect(failure).toBeInstanceOf(PermanentOperationError);
    expect(failure).toMatchObject({ errorCode: 'INVITATION_ALREADY_ACCEPTED' });
    expect((failure as PermanentOperationError).detail).toContain('now a member');
    expect(sent(atlas).filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });

  it('succeeds by id alone when Atlas no longer knows the invitation (it cannot tell whose it was)', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', `${INVITES}`, 200, []);
    reply(atlas, 'DELETE', INVITE, 400, atlasError(400, 'INVALID_INVITATION_ID'));

    // Act
    const outcome = await run(atlas, message(TYPE, { orgId: ORG_ID, invitationId: INVITATION_ID }));

    // Assess
    expect(outcome.result).toEqual({
      invitation: { id: INVITATION_ID, cancelled: false, alreadyAbsent: true },
      removedPendingUserIds: [],
    });
  });

  it('reads a 404 on removing the PENDING user as already removed', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', PENDING_USERS, 200, { results: [pendingUser] });
    reply(atlas, 'DELETE', USER, 404, atlasError(404, 'USER_NOT_FOUND'));
    reply(atlas, 'GET', ACTIVE_USERS, 200, { results: [] });

    // Act
    const outcome = await run(atlas, message(TYPE, { orgId: ORG_ID, username: EMAIL }));

    // Assess
    expect(outcome.result).toEqual({ username: EMAIL, removedPendingUserIds: [] });
  });

  it('after the sunset (410), cancels by removing the PENDING user alone', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', INVITE, 410, atlasError(410, 'VERSION_GONE'));
    reply(atlas, 'GET', PENDING_USERS, 200, { results: [pendingUser] });
    reply(atlas, 'DELETE', USER, 204);

    // Act
    const outcome = await run(
      atlas,
      message(TYPE, { orgId: ORG_ID, invitationId: INVITATION_ID, username: EMAIL }),
    );

    // Assess
    expect(outcome.result).toEqual({
      invitation: { id: INVITATION_ID, cancelled: false, endpointGone: true },
      username: EMAIL,
      removedPendingUserIds: [USER_ID],
    });
  });

  it('after the sunset, fails permanently when no email is known', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', INVITES, 410, atlasError(410, 'VERSION_GONE'));
    reply(atlas, 'DELETE', INVITE, 410, atlasError(410, 'VERSION_GONE', 'The version is gone.'));

    // Act
    const error = await rejectionOf(
      run(atlas, message(TYPE, { orgId: ORG_ID, invitationId: INVITATION_ID })),
    );

    // Assess
    expect(error).toBeInstanceOf(PermanentOperationError);
    expect(error).toMatchObject({ errorCode: 'VERSION_GONE', status: 410 });
  });

  it('dryRun sends nothing and returns the plan, with what only Atlas can tell as placeholders', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(
      atlas,
      message(TYPE, { orgId: ORG_ID, invitationId: INVITATION_ID }, { dryRun: true }),
    );

    // Assess
    expect(atlas.apiCalls()).toEqual([]);
    expect(outcome.result).toEqual({
      dryRun: true,
      requests: [
        { method: 'GET', path: INVITES },
        { method: 'DELETE', path: INVITE },
        { method: 'GET', path: PENDING_USERS.replace('ada%40example.com', '{username}') },
        { method: 'DELETE', path: `/orgs/${ORG_ID}/users/{userId}` },
      ],
    });
  });
});
