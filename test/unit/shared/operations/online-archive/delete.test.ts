/**
 * `onlineArchive.delete`: what it refuses. Sending, a 404 as already absent and dryRun are in the table of
 * ../deletes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ARCHIVE_ID, badFields, GROUP_ID } from '../fixtures.ts';

const TYPE = 'onlineArchive.delete';
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
});
