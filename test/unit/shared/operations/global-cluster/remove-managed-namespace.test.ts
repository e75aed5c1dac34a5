/** `globalCluster.removeManagedNamespace`: a namespace that is not managed needs no DELETE. */
import { describe, expect, it } from 'vitest';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import { atlasError, badFields, media, message, reply, run, sent } from '../fixtures.ts';
import { cluster, customers, GLOBAL, geoSharding, orders } from './fixtures.ts';

const TYPE = 'globalCluster.removeManagedNamespace';
const V = media('2024-08-05');
const DELETE_PATH = `${GLOBAL}/managedNamespaces?db=sales&collection=orders`;
const params = { ...cluster, db: 'sales', collection: 'orders' };

describe('globalCluster.removeManagedNamespace', () => {
  it('refuses a missing collection, naming it', () => {
    // Act
    const fields = badFields(TYPE, { ...cluster, db: 'sales' });

    // Assess
    expect(fields).toEqual(['params.collection']);
  });

  it('reads the configuration, then DELETEs a managed namespace', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', GLOBAL, 200, geoSharding([customers, orders]));
    reply(atlas, 'DELETE', DELETE_PATH, 200, geoSharding([customers]));

    // Act
    const outcome = await run(atlas, message(TYPE, params));

    // Assess
    expect(sent(atlas)).toEqual([
      { method: 'GET', path: GLOBAL, accept: V },
      { method: 'DELETE', path: DELETE_PATH, accept: V },
    ]);
    expect(outcome.result).toEqual(geoSharding([customers]));
  });

  it('sends no DELETE when the namespace is not managed', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', GLOBAL, 200, geoSharding([customers]));

    // Act
    const outcome = await run(atlas, message(TYPE, params));

    // Assess
    expect(sent(atlas).map((r) => r.method)).toEqual(['GET']);
    expect(outcome.result).toEqual(geoSharding([customers]));
  });

  it('reads a 404 on the DELETE as removed meanwhile', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', GLOBAL, 200, geoSharding([customers, orders]));
    reply(atlas, 'DELETE', DELETE_PATH, 404, atlasError(404, 'RESOURCE_NOT_FOUND'));

    // Act
    const outcome = await run(atlas, message(TYPE, params));

    // Assess
    expect(outcome.result).toEqual(geoSharding([customers]));
  });

  it('dryRun sends nothing and returns the GET and the DELETE', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(atlas, message(TYPE, params, { dryRun: true }));

    // Assess
    expect(atlas.apiCalls()).toEqual([]);
    expect(outcome.result).toEqual({
      dryRun: true,
      requests: [
        { method: 'GET', path: GLOBAL },
        { method: 'DELETE', path: DELETE_PATH },
      ],
    });
  });
});
