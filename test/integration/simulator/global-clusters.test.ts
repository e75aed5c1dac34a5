/** The simulator's Global Cluster configuration (globalWrites), over plain HTTP as a client sees it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  badFields,
  GLOBAL_CLUSTER,
  GROUP_ID,
  type NetworkSimulator,
  REPLICA_SET,
  startNetworkSimulator,
  ZONE_EU,
  ZONE_US,
} from './network-fixture.ts';

const VERSION = '2024-08-05';
const GLOBAL_WRITES = `/groups/${GROUP_ID}/clusters/${GLOBAL_CLUSTER}/globalWrites`;

interface Namespace {
  db: string;
  collection: string;
}

describe('global clusters', () => {
  let atlas: NetworkSimulator;

  beforeAll(async () => {
    atlas = await startNetworkSimulator();
  });
  afterAll(async () => {
    await atlas.close();
  });

  const call = (method: string, path: string, body?: unknown) =>
    atlas.call(method, path, { version: VERSION, ...(body === undefined ? {} : { body }) });

  it('reads the configuration: zone mappings to zone ids and the managed namespaces', async () => {
    // Act
    const answer = await call('GET', GLOBAL_WRITES);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/vnd.atlas.2024-08-05+json');
    expect(answer.body).toEqual({
      customZoneMapping: { DE: ZONE_EU },
      managedNamespaces: [
        {
          db: 'shop',
          collection: 'orders',
          customShardKey: 'customerId',
          isCustomShardKeyHashed: false,
          isShardKeyUnique: false,
          presplitHashedZones: false,
        },
      ],
      selfManagedSharding: false,
    });
  });

  it('adds a managed namespace with 200, answering with the whole configuration', async () => {
    // Prepare
    const namespace = {
      db: 'shop',
      collection: 'carts',
      customShardKey: 'sessionId',
      isCustomShardKeyHashed: true,
      numInitialChunks: 8,
    };

    // Act
    const added = await call('POST', `${GLOBAL_WRITES}/managedNamespaces`, namespace);
    const read = await call('GET', GLOBAL_WRITES);

    // Assess
    expect(added.status).toBe(200);
    expect(added.body.managedNamespaces).toContainEqual({
      ...namespace,
      isShardKeyUnique: false,
      presplitHashedZones: false,
    });
    expect(added.body.customZoneMapping).toEqual({ DE: ZONE_EU });
    expect(read.body).toEqual(added.body);
  });

  it('refuses a namespace that is already managed with 400 DUPLICATE_MANAGED_NAMESPACE', async () => {
    // Act
    const answer = await call('POST', `${GLOBAL_WRITES}/managedNamespaces`, {
      db: 'shop',
      collection: 'orders',
      customShardKey: 'country',
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.errorCode).toBe('DUPLICATE_MANAGED_NAMESPACE');
    expect(answer.body.detail).toContain('shop.orders');
  });

  it('names the bad fields of a namespace with 400 VALIDATION_ERROR', async () => {
    // Act
    const answer = await call('POST', `${GLOBAL_WRITES}/managedNamespaces`, {
      db: 'shop',
      collection: 'invoices',
      numInitialChunks: 8193,
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.errorCode).toBe('VALIDATION_ERROR');
    expect(badFields(answer).sort()).toEqual(['customShardKey', 'numInitialChunks']);
  });

  it('removes a managed namespace with 200 by db and collection, then answers 404 for it', async () => {
    // Prepare
    await call('POST', `${GLOBAL_WRITES}/managedNamespaces`, {
      db: 'logs',
      collection: 'visits',
      customShardKey: 'region',
    });

    // Act
    const removed = await call('DELETE', `${GLOBAL_WRITES}/managedNamespaces?db=logs&collection=visits`);
    const again = await call('DELETE', `${GLOBAL_WRITES}/managedNamespaces?db=logs&collection=visits`);
    const withoutCollection = await call('DELETE', `${GLOBAL_WRITES}/managedNamespaces?db=logs`);

    // Assess
    expect(removed.status).toBe(200);
    expect(removed.body.managedNamespaces.map((n: Namespace) => `${n.db}.${n.collection}`)).not.toContain(
      'logs.visits',
    );
    expect([again.status, again.body.errorCode]).toEqual([404, 'MANAGED_NAMESPACE_NOT_FOUND']);
    expect([withoutCollection.status, badFields(withoutCollection)]).toEqual([400, ['collection']]);
  });

  it('maps a location to the zone id of the zone it names', async () => {
    // Act
    const answer = await call('POST', `${GLOBAL_WRITES}/customZoneMapping`, {
      customZoneMappings: [
        { location: 'US-VA', zone: 'Zone US' },
        { location: 'FR', zone: 'Zone EU' },
      ],
    });
    const read = await call('GET', GLOBAL_WRITES);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.customZoneMapping).toEqual({ DE: ZONE_EU, 'US-VA': ZONE_US, FR: ZONE_EU });
    expect(read.body.customZoneMapping).toEqual(answer.body.customZoneMapping);
  });

  it('in the deprecated versions, maps to the replication spec id the cluster shows in that version', async () => {
    // Prepare
    await call('POST', `${GLOBAL_WRITES}/customZoneMapping`, {
      customZoneMappings: [{ location: 'CA', zone: 'Zone US' }],
    });
    const cluster = await atlas.call('GET', `/groups/${GROUP_ID}/clusters/${GLOBAL_CLUSTER}`, {
      version: '2023-02-01',
    });

    // Act
    const answer = await atlas.call('GET', GLOBAL_WRITES, { version: '2023-02-01' });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers.get('deprecation')).not.toBeNull();
    expect(answer.headers.get('sunset')).not.toBeNull();
    const usSpec = cluster.body.replicationSpecs.find((s: { zoneName: string }) => s.zoneName === 'Zone US');
    expect(answer.body.customZoneMapping.CA).toBe(usSpec.id);
  });

  it('refuses an unknown zone name or location code and changes nothing', async () => {
    // Prepare
    const before = await call('GET', GLOBAL_WRITES);

    // Act
    const zone = await call('POST', `${GLOBAL_WRITES}/customZoneMapping`, {
      customZoneMappings: [
        { location: 'IT', zone: 'Zone EU' },
        { location: 'JP', zone: 'Zone APAC' },
      ],
    });
    const location = await call('POST', `${GLOBAL_WRITES}/customZoneMapping`, {
      customZoneMappings: [{ location: 'Atlantis', zone: 'Zone EU' }],
    });
    const after = await call('GET', GLOBAL_WRITES);

    // Assess
    expect([zone.status, zone.body.errorCode, badFields(zone)]).toEqual([
      400,
      'INVALID_ZONE_NAME',
      ['customZoneMappings.1.zone'],
    ]);
    expect([location.status, location.body.errorCode]).toEqual([400, 'INVALID_LOCATION_CODE']);
    expect(after.body).toEqual(before.body);
  });

  it('removes every custom zone mapping with 200, keeping the managed namespaces', async () => {
    // Act
    const answer = await call('DELETE', `${GLOBAL_WRITES}/customZoneMapping`);
    const read = await call('GET', GLOBAL_WRITES);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.customZoneMapping).toEqual({});
    expect(answer.body.managedNamespaces.length).toBeGreaterThan(0);
    expect(read.body).toEqual(answer.body);
  });

  it('takes Content-Type application/json as well', async () => {
    // Act
    const answer = await atlas.call('POST', `${GLOBAL_WRITES}/customZoneMapping`, {
      version: VERSION,
      body: { customZoneMappings: [{ location: 'GB', zone: 'Zone EU' }] },
      contentType: 'application/json',
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.customZoneMapping.GB).toBe(ZONE_EU);
  });

  it('reads an empty configuration of a cluster that is not global, and refuses to change it', async () => {
    // Prepare
    const path = `/groups/${GROUP_ID}/clusters/${REPLICA_SET}/globalWrites`;

    // Act
    const read = await call('GET', path);
    const namespace = await call('POST', `${path}/managedNamespaces`, {
      db: 'a',
      collection: 'b',
      customShardKey: 'c',
    });
    const mapping = await call('POST', `${path}/customZoneMapping`, {
      customZoneMappings: [{ location: 'DE', zone: 'Zone 1' }],
    });

    // Assess
    expect(read.body).toEqual({ customZoneMapping: {}, managedNamespaces: [], selfManagedSharding: false });
    expect([namespace.status, namespace.body.errorCode]).toEqual([400, 'NOT_GLOBAL_CLUSTER']);
    expect([mapping.status, mapping.body.errorCode]).toEqual([400, 'NOT_GLOBAL_CLUSTER']);
  });

  it('answers 404 CLUSTER_NOT_FOUND for an unknown cluster', async () => {
    // Act
    const read = await call('GET', `/groups/${GROUP_ID}/clusters/no-such-cluster/globalWrites`);
    const write = await call(
      'DELETE',
      `/groups/${GROUP_ID}/clusters/no-such-cluster/globalWrites/customZoneMapping`,
    );

    // Assess
    expect([read.status, read.body.errorCode]).toEqual([404, 'CLUSTER_NOT_FOUND']);
    expect([write.status, write.body.errorCode]).toEqual([404, 'CLUSTER_NOT_FOUND']);
  });
});
