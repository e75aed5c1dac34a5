/** `networkPeering.create`: looks for a connection to the same network before it starts one. */
import { describe, expect, it } from 'vitest';
import { PermanentOperationError, TransientOperationError } from '../../../../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../../../../shared/operations/message.ts';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import {
  AWS_PEERING,
  asPlan,
  atlasError,
  badFields,
  CONTAINER_ID,
  FIRST_PAGE,
  GROUP_ID,
  media,
  message,
  PEER_ID,
  rejectionOf,
  reply,
  run,
  sent,
} from '../fixtures.ts';

const TYPE = 'networkPeering.create';
const V = media('2023-01-01');
const PEERS = `/groups/${GROUP_ID}/peers`;
const listPath = (provider: string, page = 1) =>
  `${PEERS}?providerName=${provider}&${FIRST_PAGE.replace('pageNum=1', `pageNum=${page}`)}`;

const AZURE_PEERING = {
  providerName: 'AZURE',
  containerId: CONTAINER_ID,
  azureDirectoryId: '0b3b1d5e-6a2f-4c1d-9e8f-7a6b5c4d3e2f',
  azureSubscriptionId: '1c4c2e6f-7b3a-4d2e-8f9a-8b7c6d5e4f3a',
  resourceGroupName: 'network-rg',
  vnetName: 'app-vnet',
};
const GCP_PEERING = {
  providerName: 'GCP',
  containerId: CONTAINER_ID,
  gcpProjectId: 'acme-network-1',
  networkName: 'app-network',
};
const existing = (peering: object, status: Record<string, string>) => ({
  ...peering,
  id: PEER_ID,
  ...status,
});
const params = (peering: object) => ({ groupId: GROUP_ID, peering });

describe('networkPeering.create params', () => {
  it.each([AWS_PEERING, AZURE_PEERING, GCP_PEERING])('accepts a $providerName peering', (peering) => {
    // Act
    const parsed = parseOperationMessage(message(TYPE, params(peering)));

    // Assess
    expect(parsed).toMatchObject({ type: TYPE, params: params(peering), dryRun: false });
  });

  it.each([
    {
      name: 'a VPC id that is not vpc- and 17 hex digits',
      params: params({ ...AWS_PEERING, vpcId: 'vpc-1' }),
      field: 'params.peering.vpcId',
    },
    {
      name: 'an unknown provider',
      params: params({ ...AWS_PEERING, providerName: 'OCI' }),
      field: 'params.peering.providerName',
    },
    { name: 'a missing groupId', params: { peering: AWS_PEERING }, field: 'params.groupId' },
    {
      name: 'an unknown parameter',
      params: { ...params(AWS_PEERING), region: 'us-east-1' },
      field: 'params.region',
    },
    {
      name: 'a read-only peering field',
      params: params({ ...AWS_PEERING, statusName: 'AVAILABLE' }),
      field: 'params.peering.statusName',
    },
  ])('refuses $name, naming $field', ({ params: bad, field }) => {
    // Act
    const fields = badFields(TYPE, bad);

    // Assess
    expect(fields).toEqual([field]);
  });
});

describe('networkPeering.create', () => {
  it('lists the provider peerings, then creates the connection when none connects the same VPC', async () => {
    // Prepare
    const atlas = mockAtlas();
    const created = existing(AWS_PEERING, { statusName: 'INITIATING' });
    reply(atlas, 'GET', listPath('AWS'), 200, { results: [] });
    reply(atlas, 'POST', PEERS, 200, created);

    // Act
    const outcome = await run(atlas, message(TYPE, params(AWS_PEERING)));

    // Assess
    expect(sent(atlas)).toEqual([
      { method: 'GET', path: listPath('AWS'), accept: V },
      { method: 'POST', path: PEERS, body: AWS_PEERING, accept: V, contentType: V },
    ]);
    expect(outcome).toEqual({
      status: 'SUCCEEDED',
      dryRun: false,
      result: { created: true, peering: created },
    });
  });

  it('returns the connection to the same VPC found on a later page, and sends no POST', async () => {
    // Prepare
    const atlas = mockAtlas();
    const others = Array.from({ length: 500 }, (_, i) => ({
      ...AWS_PEERING,
      vpcId: `vpc-${i.toString(16).padStart(17, '0')}`,
    }));
    const found = existing(AWS_PEERING, { statusName: 'PENDING_ACCEPTANCE' });
    reply(atlas, 'GET', listPath('AWS', 1), 200, { results: others });
    reply(atlas, 'GET', listPath('AWS', 2), 200, { results: [found] });

    // Act
    const outcome = await run(atlas, message(TYPE, params(AWS_PEERING)));

    // Assess
    expect(sent(atlas).map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(outcome.result).toEqual({ created: false, alreadyExists: true, peering: found });
  });

  it.each([
    {
      provider: 'AZURE',
      wanted: AZURE_PEERING,
      found: { ...AZURE_PEERING, vnetName: 'App-VNet', status: 'AVAILABLE' },
    },
    {
      provider: 'GCP',
      wanted: GCP_PEERING,
      found: { ...GCP_PEERING, containerId: PEER_ID, status: 'WAITING_FOR_USER' },
    },
  ])(
    'finds an existing $provider connection to the same network and sends no POST',
    async ({ provider, wanted, found }) => {
      // Prepare
      const atlas = mockAtlas();
      reply(atlas, 'GET', listPath(provider), 200, { results: [found] });

      // Act
      const outcome = await run(atlas, message(TYPE, params(wanted)));

      // Assess
      expect(sent(atlas).map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${listPath(provider)}`]);
      expect(outcome.result).toEqual({ created: false, alreadyExists: true, peering: found });
    },
  );

  it.each([
    { name: 'is TERMINATING', other: existing(AWS_PEERING, { statusName: 'TERMINATING' }) },
    { name: 'is in another AWS account', other: { ...AWS_PEERING, awsAccountId: '210987654321' } },
  ])('creates a connection when the one to the same VPC $name', async ({ other }) => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', listPath('AWS'), 200, { results: [other] });
    reply(atlas, 'POST', PEERS, 200, existing(AWS_PEERING, { statusName: 'INITIATING' }));

    // Act
    const outcome = await run(atlas, message(TYPE, params(AWS_PEERING)));

    // Assess
    expect(sent(atlas).map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(outcome.result).toMatchObject({ created: true });
  });

  it.each([
    {
      name: 'AWS, shown with accepterRegionName null (a VPC in the container’s own region)',
      provider: 'AWS',
      wanted: AWS_PEERING,
      found: { ...AWS_PEERING, accepterRegionName: null, id: PEER_ID, statusName: 'PENDING_ACCEPTANCE' },
    },
    {
      name: 'Azure, in another resource group of the same subscription and VNet name',
      provider: 'AZURE',
      wanted: AZURE_PEERING,
      found: { ...AZURE_PEERING, resourceGroupName: 'other-rg', id: PEER_ID, status: 'AVAILABLE' },
    },
  ])('matches by Atlas’s conflict key: $name', async ({ provider, wanted, found }) => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', listPath(provider), 200, { results: [found] });

    // Act
    const outcome = await run(atlas, message(TYPE, params(wanted)));

    // Assess
    expect(sent(atlas).map((r) => r.method)).toEqual(['GET']);
    expect(outcome.result).toEqual({ created: false, alreadyExists: true, peering: found });
  });

  it.each([
    ['AWS', AWS_PEERING, 'PEER_ALREADY_EXISTS', { statusName: 'INITIATING' }],
    ['AZURE', AZURE_PEERING, 'PEER_ALREADY_EXISTS_AZURE', { status: 'ADDING_PEER' }],
    ['GCP', GCP_PEERING, 'PEER_ALREADY_EXISTS_GCP', { status: 'ADDING_PEER' }],
  ])(
    'on a %s POST answered 409 %s, lists again and returns the connection',
    async (provider, wanted, code, status) => {
      // Prepare: another delivery started the connection between our list and our POST
      const atlas = mockAtlas();
      const started = existing(wanted, status);
      reply(atlas, 'GET', listPath(provider), 200, { results: [] });
      reply(atlas, 'POST', PEERS, 409, atlasError(409, code));
      reply(atlas, 'GET', listPath(provider), 200, { results: [started] });

      // Act
      const outcome = await run(atlas, message(TYPE, params(wanted)));

      // Assess
      expect(sent(atlas).map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
      expect(outcome.result).toEqual({ created: false, alreadyExists: true, peering: started });
    },
  );

  it('retries later when Atlas reports a conflict with a connection that is still going away', async () => {
    // Prepare
    const atlas = mockAtlas();
    const leaving = existing(AWS_PEERING, { statusName: 'TERMINATING' });
    reply(atlas, 'GET', listPath('AWS'), 200, { results: [leaving] });
    reply(atlas, 'POST', PEERS, 409, atlasError(409, 'PEER_ALREADY_EXISTS'));
    reply(atlas, 'GET', listPath('AWS'), 200, { results: [leaving] });

    // Act
    const failure = await rejectionOf(run(atlas, message(TYPE, params(AWS_PEERING))));

    // Assess
    expect(failure).toBeInstanceOf(TransientOperationError);
  });

  it.each([
    ['AWS', AWS_PEERING, { statusName: 'FAILED', errorStateName: 'REJECTED' }, 'REJECTED'],
    ['AZURE', AZURE_PEERING, { status: 'FAILED', errorState: 'VNet not found' }, 'VNet not found'],
    ['GCP', GCP_PEERING, { status: 'FAILED', errorMessage: 'network gone' }, 'network gone'],
  ])(
    'fails, and sends no POST, when the %s connection to the same network has failed',
    async (provider, wanted, status, why) => {
      // Prepare
      const atlas = mockAtlas();
      reply(atlas, 'GET', listPath(provider), 200, { results: [existing(wanted, status)] });

      // Act
      const failure = await rejectionOf(run(atlas, message(TYPE, params(wanted))));

      // Assess
      expect(failure).toBeInstanceOf(PermanentOperationError);
      expect(failure).toMatchObject({ errorCode: 'PEER_FAILED' });
      expect((failure as Error).message).toContain(why);
      expect(sent(atlas).map((r) => r.method)).toEqual(['GET']);
    },
  );

  it('after a POST whose answer was lost, the redelivery finds the connection instead of starting a second', async () => {
    // Prepare
    const atlas = mockAtlas();
    const started = existing(AWS_PEERING, { statusName: 'INITIATING' });
    reply(atlas, 'GET', listPath('AWS'), 200, { results: [] });
    reply(atlas, 'POST', PEERS, 503, atlasError(503, 'SERVICE_UNAVAILABLE'));
    reply(atlas, 'GET', listPath('AWS'), 200, { results: [started] });
    const body = message(TYPE, params(AWS_PEERING));

    // Act
    const first = await rejectionOf(run(atlas, body));
    const second = await run(atlas, body);

    // Assess
    expect(first).toBeInstanceOf(TransientOperationError);
    expect(second.result).toEqual({ created: false, alreadyExists: true, peering: started });
    expect(sent(atlas).filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('dryRun sends nothing and returns the requests of a run that finds no connection', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(atlas, message(TYPE, params(AWS_PEERING), { dryRun: true }));

    // Assess
    expect(atlas.apiCalls()).toEqual([]);
    expect(outcome).toEqual({
      status: 'SUCCEEDED',
      dryRun: true,
      result: {
        dryRun: true,
        requests: asPlan([
          { method: 'GET', path: listPath('AWS'), accept: V },
          { method: 'POST', path: PEERS, body: AWS_PEERING, accept: V },
        ]),
      },
    });
  });
});
