/** `globalCluster.removeAllCustomZoneMappings`: one DELETE, idempotent by nature. */
import { describe, expect, it } from 'vitest';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import { badFields, media, message, reply, run, sent } from '../fixtures.ts';
import { cluster, GLOBAL } from './fixtures.ts';

const V = media('2024-08-05');
const MAPPINGS = `${GLOBAL}/customZoneMapping`;

describe('globalCluster.removeAllCustomZoneMappings', () => {
  const TYPE = 'globalCluster.removeAllCustomZoneMappings';

  it('refuses an unknown parameter, naming it', () => {
    // Act
    const fields = badFields(TYPE, { ...cluster, location: 'DE' });

    // Assess
    expect(fields).toEqual(['params.location']);
  });

  it('DELETEs every mapping and returns the configuration', async () => {
    // Prepare
    const atlas = mockAtlas();
    const after = { customZoneMapping: {}, managedNamespaces: [] };
    reply(atlas, 'DELETE', MAPPINGS, 200, after);

    // Act
    const outcome = await run(atlas, message(TYPE, cluster));

    // Assess
    expect(sent(atlas)).toEqual([{ method: 'DELETE', path: MAPPINGS, accept: V }]);
    expect(outcome.result).toEqual(after);
  });

  it('dryRun sends nothing and returns the DELETE', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(atlas, message(TYPE, cluster, { dryRun: true }));

    // Assess
    expect(atlas.apiCalls()).toEqual([]);
    expect(outcome.result).toEqual({ dryRun: true, requests: [{ method: 'DELETE', path: MAPPINGS }] });
  });
});
