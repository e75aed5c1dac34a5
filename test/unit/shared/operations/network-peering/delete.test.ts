/** `networkPeering.delete`: gone, or already on its way out, is success. */
import { describe, expect, it } from 'vitest';
import { PermanentOperationError } from '../../../../../shared/operations/errors.ts';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import {
  atlasError,
  badFields,
  GROUP_ID,
  media,
  message,
  PEER_ID,
  rejectionOf,
  reply,
  run,
  sent,
} from '../fixtures.ts';

const TYPE = 'networkPeering.delete';
const PATH = `/groups/${GROUP_ID}/peers/${PEER_ID}`;
const params = { groupId: GROUP_ID, peerId: PEER_ID };

describe('networkPeering.delete', () => {
  it.each([
    {
      name: 'a peerId that is not 24 hex digits',
      params: { ...params, peerId: 'pcx-123' },
      field: 'params.peerId',
    },
    { name: 'a missing groupId', params: { peerId: PEER_ID }, field: 'params.groupId' },
  ])('refuses $name, naming $field', ({ params: bad, field }) => {
    // Act
    const fields = badFields(TYPE, bad);

    // Assess
    expect(fields).toEqual([field]);
  });

  it('sends the DELETE and reports the connection deleted', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', PATH, 202, {});

    // Act
    const outcome = await run(atlas, message(TYPE, params));

    // Assess
    expect(sent(atlas)).toEqual([{ method: 'DELETE', path: PATH, accept: media('2023-01-01') }]);
    expect(outcome.result).toEqual({ deleted: true });
  });

  it.each(['PEER_NOT_FOUND', 'RESOURCE_NOT_FOUND'])('reads a 404 %s as already absent', async (errorCode) => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', PATH, 404, atlasError(404, errorCode));

    // Act
    const outcome = await run(atlas, message(TYPE, params));

    // Assess
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', result: { deleted: false, alreadyAbsent: true } });
  });

  it('reads a 409 PEER_ALREADY_REQUESTED_DELETION as success', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', PATH, 409, atlasError(409, 'PEER_ALREADY_REQUESTED_DELETION'));

    // Act
    const outcome = await run(atlas, message(TYPE, params));

    // Assess
    expect(outcome.result).toEqual({ deleted: false, deletionAlreadyRequested: true });
  });

  it('fails permanently on any other 409', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', PATH, 409, atlasError(409, 'CANNOT_DELETE_PEER', 'The peer is in use.'));

    // Act
    const error = await rejectionOf(run(atlas, message(TYPE, params)));

    // Assess
    expect(error).toBeInstanceOf(PermanentOperationError);
    expect(error).toMatchObject({
      errorCode: 'CANNOT_DELETE_PEER',
      detail: 'The peer is in use.',
      status: 409,
    });
  });

  it('dryRun sends nothing and returns the DELETE', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(atlas, message(TYPE, params, { dryRun: true }));

    // Assess
    expect(atlas.apiCalls()).toEqual([]);
    expect(outcome.result).toEqual({ dryRun: true, requests: [{ method: 'DELETE', path: PATH }] });
  });
});
