/** `onlineArchive.delete`: an archive that is already gone is success. */
import { describe, expect, it } from 'vitest';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import {
  ARCHIVE_ID,
  atlasError,
  badFields,
  GROUP_ID,
  media,
  message,
  reply,
  run,
  sent,
} from '../fixtures.ts';

const TYPE = 'onlineArchive.delete';
const PATH = `/groups/${GROUP_ID}/clusters/prod-1/onlineArchives/${ARCHIVE_ID}`;
const params = { groupId: GROUP_ID, clusterName: 'prod-1', archiveId: ARCHIVE_ID };

describe('onlineArchive.delete', () => {
  it.each([
    {
      name: 'an archiveId that is not 24 hex digits',
      params: { ...params, archiveId: 'archive-1' },
      field: 'params.archiveId',
    },
    {
      name: 'a cluster name with an underscore',
      params: { ...params, clusterName: 'prod_1' },
      field: 'params.clusterName',
    },
  ])('refuses $name, naming $field', ({ params: bad, field }) => {
    // Act
    const fields = badFields(TYPE, bad);

    // Assess
    expect(fields).toEqual([field]);
  });

  it('sends the DELETE and reports the archive deleted', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', PATH, 204);

    // Act
    const outcome = await run(atlas, message(TYPE, params));

    // Assess
    expect(sent(atlas)).toEqual([{ method: 'DELETE', path: PATH, accept: media('2023-01-01') }]);
    expect(outcome.result).toEqual({ deleted: true });
  });

  it('reads a 404 as already absent', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', PATH, 404, atlasError(404, 'ONLINE_ARCHIVE_NOT_FOUND'));

    // Act
    const outcome = await run(atlas, message(TYPE, params));

    // Assess
    expect(outcome.result).toEqual({ deleted: false, alreadyAbsent: true });
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
