/** `globalCluster.addCustomZoneMappings`: one set-like POST. */
import { describe, expect, it } from 'vitest';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import { badFields, media, message, reply, run, sent } from '../fixtures.ts';
import { cluster, GLOBAL, geoSharding } from './fixtures.ts';

const V = media('2024-08-05');
const MAPPINGS = `${GLOBAL}/customZoneMapping`;
const mappings = [
  { location: 'DE', zone: 'EU' },
  { location: 'US-VA', zone: 'US' },
];

describe('globalCluster.addCustomZoneMappings', () => {
  const TYPE = 'globalCluster.addCustomZoneMappings';

  it.each([
    { name: 'no mappings', mappings: [], field: 'params.mappings' },
    { name: 'a mapping without a zone', mappings: [{ location: 'DE' }], field: 'params.mappings.0.zone' },
  ])('refuses $name, naming $field', ({ mappings: bad, field }) => {
    // Act
    const fields = badFields(TYPE, { ...cluster, mappings: bad });

    // Assess
    expect(fields).toEqual([field]);
  });

  it('POSTs the mappings and returns the configuration', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'POST', MAPPINGS, 200, geoSharding([]));

    // Act
    const outcome = await run(atlas, message(TYPE, { ...cluster, mappings }));

    // Assess
    expect(sent(atlas)).toEqual([
      { method: 'POST', path: MAPPINGS, body: { customZoneMappings: mappings }, accept: V, contentType: V },
    ]);
    expect(outcome.result).toEqual(geoSharding([]));
  });

  it('dryRun sends nothing and returns the POST', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(atlas, message(TYPE, { ...cluster, mappings }, { dryRun: true }));

    // Assess
    expect(atlas.apiCalls()).toEqual([]);
    expect(outcome.result).toEqual({
      dryRun: true,
      requests: [{ method: 'POST', path: MAPPINGS, body: { customZoneMappings: mappings } }],
    });
  });
});
