/** `projectAccessList.delete`: an entry that is already gone is success. */
import { describe, expect, it } from 'vitest';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import { atlasError, badFields, GROUP_ID, media, message, reply, run, sent } from '../fixtures.ts';

const TYPE = 'projectAccessList.delete';
const PATH = `/groups/${GROUP_ID}/accessList/198.51.100.0%2F24`;
const params = { groupId: GROUP_ID, entryValue: '198.51.100.0/24' };

describe('projectAccessList.delete', () => {
  it('refuses an entryValue that is no address, CIDR block or security group, naming it', () => {
    // Act
    const fields = badFields(TYPE, { groupId: GROUP_ID, entryValue: 'example.com' });

    // Assess
    expect(fields).toEqual(['params.entryValue']);
  });

  it("sends the DELETE with the CIDR block's / encoded and reports the entry deleted", async () => {
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
    reply(atlas, 'DELETE', PATH, 404, atlasError(404, 'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND'));

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
