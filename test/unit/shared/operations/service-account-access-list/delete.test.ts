/** `serviceAccountAccessList.delete`: an entry that is already gone is success. */
import { describe, expect, it } from 'vitest';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import { atlasError, badFields, CLIENT_ID, media, message, ORG_ID, reply, run, sent } from '../fixtures.ts';

const TYPE = 'serviceAccountAccessList.delete';
const PATH = `/orgs/${ORG_ID}/serviceAccounts/${CLIENT_ID}/accessList/198.51.100.0%2F24`;
const params = { orgId: ORG_ID, clientId: CLIENT_ID, ipAddress: '198.51.100.0/24' };

describe('serviceAccountAccessList.delete', () => {
  it('refuses an ipAddress that is no address or CIDR block, naming it', () => {
    // Act
    const fields = badFields(TYPE, { ...params, ipAddress: 'sg-0123abcd' });

    // Assess
    expect(fields).toEqual(['params.ipAddress']);
  });

  it("sends the DELETE with the CIDR block's / encoded and reports the entry deleted", async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', PATH, 204);

    // Act
    const outcome = await run(atlas, message(TYPE, params));

    // Assess
    expect(sent(atlas)).toEqual([{ method: 'DELETE', path: PATH, accept: media('2024-08-05') }]);
    expect(outcome.result).toEqual({ deleted: true });
  });

  it('reads a 404 as already absent', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', PATH, 404, atlasError(404, 'RESOURCE_NOT_FOUND'));

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
