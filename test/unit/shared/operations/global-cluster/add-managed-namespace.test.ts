/** `globalCluster.addManagedNamespace`: reads first; the same namespace with the same key is done already. */
import { describe, expect, it } from 'vitest';
import { PermanentOperationError } from '../../../../../shared/operations/errors.ts';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import { badFields, media, message, rejectionOf, reply, run, sent } from '../fixtures.ts';
import { cluster, customers, GLOBAL, geoSharding, orders } from './fixtures.ts';

const TYPE = 'globalCluster.addManagedNamespace';
const V = media('2024-08-05');
const NAMESPACES = `${GLOBAL}/managedNamespaces`;

describe('globalCluster.addManagedNamespace', () => {
  it.each([
    {
      name: 'more than 8192 initial chunks',
      namespace: { ...orders, numInitialChunks: 8193 },
      field: 'params.namespace.numInitialChunks',
    },
    {
      name: 'an empty shard key',
      namespace: { ...orders, customShardKey: '' },
      field: 'params.namespace.customShardKey',
    },
    { name: 'a read-only field', namespace: { ...orders, zone: 'EU' }, field: 'params.namespace.zone' },
  ])('refuses $name, naming $field', ({ namespace, field }) => {
    // Act
    const fields = badFields(TYPE, { ...cluster, namespace });

    // Assess
    expect(fields).toEqual([field]);
  });

  it('reads the configuration, then POSTs a namespace that is not managed yet', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', GLOBAL, 200, geoSharding([customers]));
    reply(atlas, 'POST', NAMESPACES, 200, geoSharding([customers, orders]));

    // Act
    const outcome = await run(atlas, message(TYPE, { ...cluster, namespace: orders }));

    // Assess
    expect(sent(atlas)).toEqual([
      { method: 'GET', path: GLOBAL, accept: V },
      { method: 'POST', path: NAMESPACES, body: orders, accept: V, contentType: V },
    ]);
    expect(outcome.result).toEqual(geoSharding([customers, orders]));
  });

  it('sends no POST when the namespace is managed with the same shard key', async () => {
    // Prepare
    const atlas = mockAtlas();
    const managed = { ...orders, isCustomShardKeyHashed: false, numInitialChunks: 0 };
    reply(atlas, 'GET', GLOBAL, 200, geoSharding([managed]));

    // Act
    const outcome = await run(atlas, message(TYPE, { ...cluster, namespace: orders }));

    // Assess
    expect(sent(atlas).map((r) => r.method)).toEqual(['GET']);
    expect(outcome.result).toEqual(geoSharding([managed]));
  });

  it.each([
    { name: 'another key', managed: { ...orders, customShardKey: 'country' } },
    { name: 'the same key hashed', managed: { ...orders, isCustomShardKeyHashed: true } },
  ])(
    'fails with MANAGED_NAMESPACE_CONFLICT and sends no POST when it is managed with $name',
    async ({ managed }) => {
      // Prepare
      const atlas = mockAtlas();
      reply(atlas, 'GET', GLOBAL, 200, geoSharding([managed]));

      // Act
      const error = await rejectionOf(run(atlas, message(TYPE, { ...cluster, namespace: orders })));

      // Assess
      expect(error).toBeInstanceOf(PermanentOperationError);
      expect(error).toMatchObject({ errorCode: 'MANAGED_NAMESPACE_CONFLICT' });
      expect((error as PermanentOperationError).detail).toContain('sales.orders');
      expect(sent(atlas).map((r) => r.method)).toEqual(['GET']);
    },
  );

  it('dryRun sends nothing and returns the GET and the POST', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(atlas, message(TYPE, { ...cluster, namespace: orders }, { dryRun: true }));

    // Assess
    expect(atlas.apiCalls()).toEqual([]);
    expect(outcome.result).toEqual({
      dryRun: true,
      requests: [
        { method: 'GET', path: GLOBAL },
        { method: 'POST', path: NAMESPACES, body: orders },
      ],
    });
  });
});
