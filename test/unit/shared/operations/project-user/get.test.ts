/** `projectUser.get`: a read whose result is the user. */
import { describe, expect, it } from 'vitest';
import { PermanentOperationError } from '../../../../../shared/operations/errors.ts';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import {
  atlasError,
  badFields,
  GROUP_ID,
  media,
  message,
  rejectionOf,
  reply,
  run,
  sent,
  USER_ID,
} from '../fixtures.ts';

const TYPE = 'projectUser.get';
const PATH = `/groups/${GROUP_ID}/users/${USER_ID}`;
const QUERY = '?orgMembershipStatuses=ACTIVE&orgMembershipStatuses=INVITATION_EXPIRED';
const user = {
  id: USER_ID,
  orgMembershipStatus: 'ACTIVE',
  roles: ['GROUP_READ_ONLY'],
  username: 'ada@example.com',
  createdAt: '2025-01-02T03:04:05Z',
  firstName: 'Ada',
  lastName: 'Lovelace',
};
const params = {
  groupId: GROUP_ID,
  userId: USER_ID,
  orgMembershipStatuses: ['ACTIVE', 'INVITATION_EXPIRED'],
};

describe('projectUser.get', () => {
  it.each([
    {
      name: 'an unknown status',
      params: { ...params, orgMembershipStatuses: ['GONE'] },
      field: 'params.orgMembershipStatuses.0',
    },
    {
      name: 'the deprecated singular status parameter',
      params: { groupId: GROUP_ID, userId: USER_ID, orgMembershipStatus: 'ACTIVE' },
      field: 'params.orgMembershipStatus',
    },
    {
      name: 'a userId that is an email',
      params: { groupId: GROUP_ID, userId: 'ada@example.com' },
      field: 'params.userId',
    },
  ])('refuses $name, naming $field', ({ params: bad, field }) => {
    // Act
    const fields = badFields(TYPE, bad);

    // Assess
    expect(fields).toEqual([field]);
  });

  it('GETs the user, each status repeated in the query, and returns it', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', `${PATH}${QUERY}`, 200, user);

    // Act
    const outcome = await run(atlas, message(TYPE, params));

    // Assess
    expect(sent(atlas)).toEqual([{ method: 'GET', path: `${PATH}${QUERY}`, accept: media('2025-02-19') }]);
    expect(outcome).toEqual({ status: 'SUCCEEDED', dryRun: false, result: user });
  });

  it('fails permanently when the user is not in the project', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', PATH, 404, atlasError(404, 'USER_NOT_FOUND', 'No user with that id.'));

    // Act
    const error = await rejectionOf(run(atlas, message(TYPE, { groupId: GROUP_ID, userId: USER_ID })));

    // Assess
    expect(error).toBeInstanceOf(PermanentOperationError);
    expect(error).toMatchObject({
      errorCode: 'USER_NOT_FOUND',
      detail: 'No user with that id.',
      status: 404,
    });
  });

  it('dryRun sends nothing and returns the GET', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(atlas, message(TYPE, params, { dryRun: true }));

    // Assess
    expect(atlas.apiCalls()).toEqual([]);
    expect(outcome.result).toEqual({ dryRun: true, requests: [{ method: 'GET', path: `${PATH}${QUERY}` }] });
  });
});
