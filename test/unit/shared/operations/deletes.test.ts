/**
 * The deletes that treat an entry already gone as success, one table for all: each sends one DELETE with its
 * API version, reads the type's 404 as already absent, and under dryRun sends nothing and returns that DELETE.
 * What each type refuses stays in its own `<type>/delete.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { mockAtlas } from '../../../support/mock-atlas.ts';
import {
  ARCHIVE_ID,
  atlasError,
  CLIENT_ID,
  GROUP_ID,
  media,
  message,
  ORG_ID,
  reply,
  run,
  sent,
} from './fixtures.ts';

describe.each([
  {
    type: 'projectAccessList.delete',
    params: { groupId: GROUP_ID, entryValue: '198.51.100.0/24' },
    path: `/groups/${GROUP_ID}/accessList/198.51.100.0%2F24`,
    sends: "the DELETE with the CIDR block's / encoded",
    version: '2023-01-01',
    notFound: 'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND',
  },
  {
    type: 'serviceAccountAccessList.delete',
    params: { orgId: ORG_ID, clientId: CLIENT_ID, ipAddress: '198.51.100.0/24' },
    path: `/orgs/${ORG_ID}/serviceAccounts/${CLIENT_ID}/accessList/198.51.100.0%2F24`,
    sends: "the DELETE with the CIDR block's / encoded",
    version: '2024-08-05',
    notFound: 'RESOURCE_NOT_FOUND',
  },
  {
    type: 'onlineArchive.delete',
    params: { groupId: GROUP_ID, clusterName: 'prod-1', archiveId: ARCHIVE_ID },
    path: `/groups/${GROUP_ID}/clusters/prod-1/onlineArchives/${ARCHIVE_ID}`,
    sends: 'the DELETE',
    version: '2023-01-01',
    notFound: 'RESOURCE_NOT_FOUND', // what Atlas answers for a missing archive (the Atlas CLI's recorded responses)
  },
])('$type', ({ type, params, path, sends, version, notFound }) => {
  it(`sends ${sends} (version ${version}) and reports it deleted`, async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', path, 204);

    // Act
    const outcome = await run(atlas, message(type, params));

    // Assess
    expect(sent(atlas)).toEqual([{ method: 'DELETE', path, accept: media(version) }]);
    expect(outcome.result).toEqual({ deleted: true });
  });

  it(`reads a 404 ${notFound} as already absent`, async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', path, 404, atlasError(404, notFound));

    // Act
    const outcome = await run(atlas, message(type, params));

    // Assess
    expect(outcome.result).toEqual({ deleted: false, alreadyAbsent: true });
  });

  it('dryRun sends nothing and returns the DELETE', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(atlas, message(type, params, { dryRun: true }));

    // Assess
    expect(atlas.apiCalls()).toEqual([]);
    expect(outcome.result).toEqual({ dryRun: true, requests: [{ method: 'DELETE', path }] });
  });
});
