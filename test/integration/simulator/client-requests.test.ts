/**
 * What atlas-ops itself sends for the temporary-access, pause and snapshot types, checked against MongoDB's
 * official schemas: each type runs against the simulator through a proxy that records every request, and each
 * request body is validated for its path, method and version (the versioned Content-Type). The simulator's own
 * schema check (schemas.test.ts) covers the answers; this covers our requests. Skipped without the spec
 * beside the repository, as that check is.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../local/atlas-simulator/index.ts';
import { DEFAULT_SPEC_PATH, specValidators } from '../../../local/atlas-simulator/schema-check.ts';
import { DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import { AtlasClient, createAtlasDispatcher, TokenCache } from '../../../shared/atlas/index.ts';
import { parseOperationMessage } from '../../../shared/operations/message.ts';
import type { CredentialVault, OperationScheduler } from '../../../shared/operations/ports.ts';
import { executeOperation } from '../../../shared/operations/run.ts';
import { type RecordingProxy, startRecordingProxy } from '../../support/recording-proxy.ts';

const PROJECT = DEMO_PROJECT_IDS.paymentsProd;
const specFound = existsSync(DEFAULT_SPEC_PATH);

/** In memory: what the vault and scheduler do is beside the point here, only what reaches Atlas. */
const secrets = new Map<string, string>();
const vault: CredentialVault = {
  keep: async (name, value) => {
    const kept = secrets.get(name) ?? value;
    secrets.set(name, kept);
    return {
      name,
      arn: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}`,
      value: kept,
      created: true,
    };
  },
  share: async () => {},
  retag: async (name) => secrets.has(name),
  remove: async (name) => secrets.delete(name),
};
const scheduler: OperationScheduler = {
  scheduleAt: async () => true,
  cancel: async () => true,
  pending: async () => [],
};

/** Each new type, once, in an order that leaves each one something to act on. */
const OPERATIONS = [
  {
    type: 'databaseUser.createTemporary',
    params: {
      groupId: PROJECT,
      username: 'schema-reader',
      roles: [{ roleName: 'readAnyDatabase', databaseName: 'admin' }],
      scopes: [{ name: 'payments-main', type: 'CLUSTER' }],
      expiresIn: 'PT24H',
      description: 'OPS-9001',
    },
  },
  {
    type: 'databaseUser.createTemporary',
    params: {
      groupId: PROJECT,
      username: 'arn:aws:iam::123456789012:role/schema-role',
      awsIAMType: 'ROLE',
      roles: [{ roleName: 'read', databaseName: 'payments' }],
      scopes: [{ name: 'payments-main' }],
      expiresIn: 'PT4H',
    },
  },
  { type: 'databaseUser.extend', params: { groupId: PROJECT, username: 'schema-reader', expiresIn: 'P2D' } },
  { type: 'databaseUser.delete', params: { groupId: PROJECT, username: 'schema-reader' } },
  {
    type: 'projectRole.grantTemporary',
    params: {
      groupId: PROJECT,
      username: 'bob.analyst@example.com',
      role: 'GROUP_DATA_ACCESS_READ_ONLY',
      expiresIn: 'PT2H',
    },
  },
  {
    type: 'projectRole.grantTemporary',
    params: {
      groupId: PROJECT,
      username: 'dave.billing@example.com',
      role: 'GROUP_READ_ONLY',
      expiresIn: 'PT2H',
    },
  },
  {
    type: 'projectRole.revoke',
    params: { groupId: PROJECT, username: 'bob.analyst@example.com', role: 'GROUP_DATA_ACCESS_READ_ONLY' },
  },
  {
    type: 'projectRole.revoke',
    params: {
      groupId: PROJECT,
      username: 'dave.billing@example.com',
      role: 'GROUP_READ_ONLY',
      removeUser: true,
    },
  },
  { type: 'cluster.pause', params: { groupId: DEMO_PROJECT_IDS.sandbox, clusterName: 'sandbox-dev' } },
  { type: 'cluster.resume', params: { groupId: DEMO_PROJECT_IDS.sandbox, clusterName: 'sandbox-paused' } },
  {
    type: 'cluster.takeSnapshot',
    params: {
      groupId: PROJECT,
      clusterName: 'payments-main',
      description: 'schema check',
      retentionInDays: 3,
    },
  },
];

describe.skipIf(!specFound)('the requests of the temporary-access, pause and snapshot types', () => {
  let sim: RunningSimulator;
  let proxy: RecordingProxy;
  const dispatcher = createAtlasDispatcher({ connections: 2 });

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 'demo' });
    proxy = await startRecordingProxy(sim.url);
  });
  afterAll(async () => {
    await proxy.close();
    await sim.close();
  });

  it('validate against MongoDB’s schemas for their path, method and version, each type succeeding', async () => {
    // Prepare
    const { requestProblems } = await specValidators(DEFAULT_SPEC_PATH);
    const atlas = new AtlasClient({
      credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      baseUrl: proxy.url,
      dispatcher,
      tokenCache: new TokenCache(),
      logger: { debug() {}, warn() {} },
    });

    // Act
    for (const [index, message] of OPERATIONS.entries()) {
      const operation = parseOperationMessage(JSON.stringify({ id: `schema-${index}`, ...message }));
      await executeOperation(operation, atlas, {}, { vault, scheduler });
    }

    // Assess
    const writes = proxy.requests.filter((r) => r.path.startsWith('/api/atlas/') && r.body !== '');
    const sent = new Set(writes.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{24}/g, '{id}')}`));
    expect([...sent].sort()).toEqual(
      [
        'POST /api/atlas/v2/groups/{id}/databaseUsers',
        'PATCH /api/atlas/v2/groups/{id}/databaseUsers/admin/schema-reader',
        'POST /api/atlas/v2/groups/{id}/users',
        'POST /api/atlas/v2/groups/{id}/users/{id}:addRole',
        'POST /api/atlas/v2/groups/{id}/users/{id}:removeRole',
        'PATCH /api/atlas/v2/groups/{id}/clusters/sandbox-dev',
        'PATCH /api/atlas/v2/groups/{id}/clusters/sandbox-paused',
        'POST /api/atlas/v2/groups/{id}/clusters/payments-main/backup/snapshots',
      ].sort(),
    );
    const problems = writes.flatMap((request) => {
      const version = /vnd\.atlas\.(\d{4}-\d\d-\d\d)/.exec(request.contentType ?? '')?.[1] ?? 'none';
      const problem = requestProblems({
        method: request.method,
        path: request.url.replace(/^\/api\/atlas\/v2/, ''),
        version,
        body: JSON.parse(request.body),
      });
      return problem ? [problem] : [];
    });
    expect(problems).toEqual([]);
  });
});
