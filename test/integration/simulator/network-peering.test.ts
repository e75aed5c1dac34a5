/** The simulator's network peering and network containers, over plain HTTP as a client sees them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AWS_CONTAINER_ID,
  AZURE_CONTAINER_ID,
  badFields,
  FOREIGN_GROUP_ID,
  GCP_CONTAINER_ID,
  GROUP_ID,
  type NetworkSimulator,
  PEERED_CONTAINER_ID,
  PEERED_GROUP_ID,
  pollUntil,
  SECURITY_GROUP,
  SEEDED_PEER_ID,
  startNetworkSimulator,
} from './network-fixture.ts';

const UNKNOWN_ID = '65f0a0c0ffee0000000000ff';

let vpcCounter = 0;
/** A distinct, valid VPC id per call, so tests never collide on PEER_ALREADY_EXISTS by accident. */
function nextVpcId(): string {
  vpcCounter += 1;
  return `vpc-${vpcCounter.toString(16).padStart(17, '0')}`;
}

function awsPeering(overrides: Record<string, unknown> = {}) {
  return {
    providerName: 'AWS',
    containerId: AWS_CONTAINER_ID,
    accepterRegionName: 'us-east-1',
    awsAccountId: '123456789012',
    routeTableCidrBlock: '10.1.0.0/16',
    vpcId: nextVpcId(),
    ...overrides,
  };
}

const azurePeering = (vnetName: string) => ({
  providerName: 'AZURE',
  containerId: AZURE_CONTAINER_ID,
  azureDirectoryId: '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  azureSubscriptionId: '7a8b9c0d-1e2f-4a3b-9c5d-6e7f8a9b0c1d',
  resourceGroupName: 'app-rg',
  vnetName,
});

const gcpPeering = (networkName: string) => ({
  providerName: 'GCP',
  containerId: GCP_CONTAINER_ID,
  gcpProjectId: 'my-gcp-project-01',
  networkName,
});

describe('network peering (statuses held still)', () => {
  let atlas: NetworkSimulator;

  beforeAll(async () => {
    atlas = await startNetworkSimulator({ peeringTransitionMs: 60_000 });
  });
  afterAll(async () => {
    await atlas.close();
  });

  it('creates an AWS peering with 200 and shows it INITIATING in the list and by id', async () => {
    // Prepare
    const request = awsPeering();

    // Act
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: request });
    const listed = await atlas.call('GET', `/groups/${GROUP_ID}/peers`);
    const fetched = await atlas.call('GET', `/groups/${GROUP_ID}/peers/${created.body.id}`);

    // Assess
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toBe('application/vnd.atlas.2023-01-01+json');
    // The VPC is in the container's own region (US_EAST_1), so Atlas shows no accepter region.
    expect(created.body).toMatchObject({ ...request, accepterRegionName: null, statusName: 'INITIATING' });
    expect(created.body.id).toMatch(/^[a-f0-9]{24}$/);
    expect(created.body).not.toHaveProperty('connectionId');
    expect(created.body).not.toHaveProperty('groupId');
    expect(listed.body.results.map((p: { id: string }) => p.id)).toContain(created.body.id);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
  });

  it("shows accepterRegionName null for a VPC in the container's own region, in every answer", async () => {
    // Prepare: the AWS container is in US_EAST_1.
    const sameRegion = awsPeering({ accepterRegionName: 'us-east-1' });
    const otherRegion = awsPeering({ accepterRegionName: 'us-west-2' });

    // Act
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: sameRegion });
    const elsewhere = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: otherRegion });
    const fetched = await atlas.call('GET', `/groups/${GROUP_ID}/peers/${created.body.id}`);
    const listed = await atlas.call('GET', `/groups/${GROUP_ID}/peers?itemsPerPage=500`);

    // Assess
    const inList = (id: string) => listed.body.results.find((p: { id: string }) => p.id === id);
    expect(created.body).toHaveProperty('accepterRegionName', null);
    expect(fetched.body).toHaveProperty('accepterRegionName', null);
    expect(inList(created.body.id)).toHaveProperty('accepterRegionName', null);
    expect(elsewhere.body.accepterRegionName).toBe('us-west-2');
    expect(inList(elsewhere.body.id).accepterRegionName).toBe('us-west-2');
    // Stored as given: only the answers leave it out.
    expect(atlas.sim.state.peers.find((p) => p.id === created.body.id)?.accepterRegionName).toBe('us-east-1');
  });

  it('provisions the container it peers with', async () => {
    // Prepare
    const before = await atlas.call('GET', `/groups/${GROUP_ID}/containers/${GCP_CONTAINER_ID}`);

    // Act
    await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: gcpPeering('provisioning-net') });
    const after = await atlas.call('GET', `/groups/${GROUP_ID}/containers/${GCP_CONTAINER_ID}`);

    // Assess
    expect(before.body.provisioned).toBe(false);
    expect(after.body).toMatchObject({ provisioned: true, providerName: 'GCP', regions: ['EASTERN_US'] });
    expect(after.body.gcpProjectId).toMatch(/^p-[0-9a-z]{24}$/);
    expect(after.body.networkName).toMatch(/^nt-[0-9a-f]{24}-[0-9a-z]{8}$/);
  });

  it('treats a peering without providerName as AWS, and takes Content-Type application/json', async () => {
    // Prepare
    const { providerName: _aws, ...request } = awsPeering();

    // Act
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: request,
      contentType: 'application/json',
    });

    // Assess
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      providerName: 'AWS',
      vpcId: request.vpcId,
      statusName: 'INITIATING',
    });
  });

  it('refuses a second peering to the same VPC with 409 PEER_ALREADY_EXISTS', async () => {
    // Prepare
    const request = awsPeering();
    const first = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: request });

    // Act
    const second = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: request });
    const listed = await atlas.call('GET', `/groups/${GROUP_ID}/peers?itemsPerPage=500`);

    // Assess
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: 409, errorCode: 'PEER_ALREADY_EXISTS', reason: 'Conflict' });
    expect(listed.body.results.filter((p: { vpcId?: string }) => p.vpcId === request.vpcId)).toHaveLength(1);
  });

  it('refuses a second peering to the same Azure VNet and GCP network with 409', async () => {
    // Prepare
    await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: azurePeering('dup-vnet') });
    await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: gcpPeering('dup-net') });

    // Act
    const azure = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: azurePeering('dup-vnet') });
    const gcp = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: gcpPeering('dup-net') });

    // Assess
    expect([azure.status, azure.body.errorCode]).toEqual([409, 'PEER_ALREADY_EXISTS_AZURE']);
    expect([gcp.status, gcp.body.errorCode]).toEqual([409, 'PEER_ALREADY_EXISTS_GCP']);
  });

  it('keys each conflict as Atlas does: account + VPC, subscription + VNet (not resource group), project + network', async () => {
    // Prepare
    const vpcId = nextVpcId();
    await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: awsPeering({ vpcId }) });
    await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: azurePeering('keyed-vnet') });
    await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: gcpPeering('keyed-net') });

    // Act
    const otherAccount = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: awsPeering({ vpcId, awsAccountId: '210987654321', routeTableCidrBlock: '10.3.0.0/16' }),
    });
    const otherResourceGroup = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: { ...azurePeering('keyed-vnet'), resourceGroupName: 'other-rg' },
    });
    const otherVnet = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: azurePeering('keyed-vnet-2'),
    });
    const otherGcpProject = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: { ...gcpPeering('keyed-net'), gcpProjectId: 'another-project-02' },
    });

    // Assess
    expect(otherAccount.status).toBe(200);
    expect(otherResourceGroup.status).toBe(409);
    expect(otherResourceGroup.body).toMatchObject({
      errorCode: 'PEER_ALREADY_EXISTS_AZURE',
      detail:
        'The peer with Azure Subscription ID 7a8b9c0d-1e2f-4a3b-9c5d-6e7f8a9b0c1d and Virtual Network name keyed-vnet already exists.',
    });
    expect(otherVnet.status).toBe(200);
    expect(otherGcpProject.status).toBe(200);
  });

  it('still refuses the key of a peering that is being deleted', async () => {
    // Prepare
    const request = awsPeering();
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: request });
    await atlas.call('DELETE', `/groups/${GROUP_ID}/peers/${created.body.id}`);

    // Act
    const again = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: request });

    // Assess
    expect([again.status, again.body.errorCode]).toEqual([409, 'PEER_ALREADY_EXISTS']);
  });

  it.each([
    { label: 'an unknown container', containerId: UNKNOWN_ID },
    { label: 'a container of another provider', containerId: AZURE_CONTAINER_ID },
    { label: 'a container of another project', containerId: PEERED_CONTAINER_ID },
  ])('answers 404 CLOUD_PROVIDER_CONTAINER_NOT_FOUND for $label', async ({ containerId }) => {
    // Act
    const answer = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: awsPeering({ containerId }),
    });

    // Assess
    expect(answer.status).toBe(404);
    expect(answer.body.errorCode).toBe('CLOUD_PROVIDER_CONTAINER_NOT_FOUND');
  });

  it('names each bad field of a peering with 400 VALIDATION_ERROR', async () => {
    // Act
    const answer = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: awsPeering({ vpcId: 'vpc-123', awsAccountId: '12345' }),
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.errorCode).toBe('VALIDATION_ERROR');
    expect(badFields(answer).sort()).toEqual(['awsAccountId', 'vpcId']);
  });

  it('names a missing Azure field and an unknown provider', async () => {
    // Prepare
    const { vnetName: _vnet, ...azure } = azurePeering('x');

    // Act
    const missing = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: azure });
    const unknown = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: awsPeering({ providerName: 'IBM' }),
    });

    // Assess
    expect([missing.status, badFields(missing)]).toEqual([400, ['vnetName']]);
    expect([unknown.status, badFields(unknown)]).toEqual([400, ['providerName']]);
  });

  it('refuses a public route table CIDR and one that overlaps the Atlas CIDR', async () => {
    // Act
    const publicRange = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: awsPeering({ routeTableCidrBlock: '8.8.0.0/16' }),
    });
    const overlapping = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: awsPeering({ routeTableCidrBlock: '192.168.248.0/24' }),
    });

    // Assess
    expect([publicRange.status, publicRange.body.errorCode]).toEqual([400, 'INVALID_ROUTE_TABLE_CIDR']);
    expect([overlapping.status, overlapping.body.errorCode]).toEqual([409, 'OVERLAPPING_ATLAS_CIDR_BLOCK']);
  });

  it('lists one provider at a time, AWS by default, and pages the list', async () => {
    // Prepare
    await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: awsPeering() });
    await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: awsPeering() });
    await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: azurePeering('listed-vnet') });

    // Act
    const aws = await atlas.call('GET', `/groups/${GROUP_ID}/peers`);
    const azure = await atlas.call('GET', `/groups/${GROUP_ID}/peers?providerName=AZURE`);
    const firstPage = await atlas.call('GET', `/groups/${GROUP_ID}/peers?itemsPerPage=1`);
    const badProvider = await atlas.call('GET', `/groups/${GROUP_ID}/peers?providerName=ORACLE`);

    // Assess
    expect(aws.body.results.length).toBeGreaterThanOrEqual(2);
    expect(aws.body.results.every((p: { providerName: string }) => p.providerName === 'AWS')).toBe(true);
    expect(azure.body.results.every((p: { providerName: string }) => p.providerName === 'AZURE')).toBe(true);
    expect(azure.body.results.map((p: { vnetName: string }) => p.vnetName)).toContain('listed-vnet');
    expect(azure.body.results[0].status).toBe('ADDING_PEER');
    expect(firstPage.body.results).toHaveLength(1);
    expect(firstPage.body.totalCount).toBe(aws.body.totalCount);
    expect(firstPage.body.links.map((l: { rel: string }) => l.rel)).toContain('next');
    expect([badProvider.status, badFields(badProvider)]).toEqual([400, ['providerName']]);
  });

  it('deletes with 202 and {}: TERMINATING, and a second delete is 409 PEER_ALREADY_REQUESTED_DELETION', async () => {
    // Prepare
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: awsPeering() });
    const path = `/groups/${GROUP_ID}/peers/${created.body.id}`;

    // Act
    const deleted = await atlas.call('DELETE', path);
    const read = await atlas.call('GET', path);
    const again = await atlas.call('DELETE', path);

    // Assess
    expect(deleted.status).toBe(202);
    expect(deleted.body).toEqual({});
    expect(read.body.statusName).toBe('TERMINATING');
    expect([again.status, again.body.errorCode]).toEqual([409, 'PEER_ALREADY_REQUESTED_DELETION']);
  });

  it('answers 404 PEER_NOT_FOUND for an unknown peering, and 400 naming a malformed id', async () => {
    // Act
    const get = await atlas.call('GET', `/groups/${GROUP_ID}/peers/${UNKNOWN_ID}`);
    const del = await atlas.call('DELETE', `/groups/${GROUP_ID}/peers/${UNKNOWN_ID}`);
    const otherProject = await atlas.call('GET', `/groups/${GROUP_ID}/peers/${SEEDED_PEER_ID}`);
    const malformed = await atlas.call('GET', `/groups/${GROUP_ID}/peers/not-an-id`);

    // Assess
    expect([get.status, get.body.errorCode]).toEqual([404, 'PEER_NOT_FOUND']);
    expect([del.status, del.body.errorCode]).toEqual([404, 'PEER_NOT_FOUND']);
    expect([otherProject.status, otherProject.body.errorCode]).toEqual([404, 'PEER_NOT_FOUND']);
    expect([malformed.status, badFields(malformed)]).toEqual([400, ['peerId']]);
  });

  it('refuses a project of another organization with 401 NOT_IN_GROUP', async () => {
    // Act
    const answer = await atlas.call('GET', `/groups/${FOREIGN_GROUP_ID}/peers`);

    // Assess
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({
      errorCode: 'NOT_IN_GROUP',
      detail: 'The current user is not in the group, or the group does not exist.',
    });
  });

  it('removes the security-group access-list entries with the last AWS peering of a project', async () => {
    // Prepare: the peered project has one AWS peering and a security-group entry.
    const before = await atlas.call('GET', `/groups/${PEERED_GROUP_ID}/accessList`);

    // Act
    const deleted = await atlas.call('DELETE', `/groups/${PEERED_GROUP_ID}/peers/${SEEDED_PEER_ID}`);
    const after = await atlas.call('GET', `/groups/${PEERED_GROUP_ID}/accessList`);
    const addAgain = await atlas.call('POST', `/groups/${PEERED_GROUP_ID}/accessList`, {
      body: [{ awsSecurityGroup: SECURITY_GROUP }],
    });

    // Assess
    expect(deleted.status).toBe(202);
    expect(before.body.results.map((e: { awsSecurityGroup?: string }) => e.awsSecurityGroup)).toContain(
      SECURITY_GROUP,
    );
    expect(after.body.results.some((e: { awsSecurityGroup?: string }) => e.awsSecurityGroup)).toBe(false);
    expect(after.body.results.map((e: { cidrBlock?: string }) => e.cidrBlock)).toContain('10.8.0.0/16');
    expect(addAgain.body.errorCode).toBe('CANNOT_USE_AWS_SECURITY_GROUP_WITHOUT_VPC_PEERING_CONNECTION');
  });
});

describe('network containers', () => {
  let atlas: NetworkSimulator;

  beforeAll(async () => {
    atlas = await startNetworkSimulator();
  });
  afterAll(async () => {
    await atlas.close();
  });

  it('lists the containers of one provider, and requires providerName', async () => {
    // Act
    const azure = await atlas.call('GET', `/groups/${GROUP_ID}/containers?providerName=AZURE`);
    const missing = await atlas.call('GET', `/groups/${GROUP_ID}/containers`);

    // Assess
    expect(azure.status).toBe(200);
    expect(azure.body.results).toEqual([
      {
        id: AZURE_CONTAINER_ID,
        providerName: 'AZURE',
        region: 'US_EAST_2',
        atlasCidrBlock: '192.168.208.0/21',
        provisioned: false,
      },
    ]);
    expect(missing.status).toBe(400);
    expect(missing.body.errorCode).toBe('VALIDATION_ERROR');
    expect(badFields(missing)).toEqual(['providerName']);
  });

  it('lists every container of a project with /containers/all', async () => {
    // Act
    const all = await atlas.call('GET', `/groups/${GROUP_ID}/containers/all`);

    // Assess
    expect(all.status).toBe(200);
    expect(all.body.totalCount).toBe(3);
    expect(all.body.results.map((c: { providerName: string }) => c.providerName).sort()).toEqual([
      'AWS',
      'AZURE',
      'GCP',
    ]);
  });

  it('gets one container, and answers 404 CLOUD_PROVIDER_CONTAINER_NOT_FOUND for an unknown one', async () => {
    // Act
    const found = await atlas.call('GET', `/groups/${GROUP_ID}/containers/${AWS_CONTAINER_ID}`);
    const unknown = await atlas.call('GET', `/groups/${GROUP_ID}/containers/${UNKNOWN_ID}`);
    const otherProject = await atlas.call('GET', `/groups/${GROUP_ID}/containers/${PEERED_CONTAINER_ID}`);

    // Assess
    expect(found.body).toMatchObject({ id: AWS_CONTAINER_ID, providerName: 'AWS', regionName: 'US_EAST_1' });
    expect([unknown.status, unknown.body.errorCode]).toEqual([404, 'CLOUD_PROVIDER_CONTAINER_NOT_FOUND']);
    expect([otherProject.status, otherProject.body.errorCode]).toEqual([
      404,
      'CLOUD_PROVIDER_CONTAINER_NOT_FOUND',
    ]);
  });
});

describe('network peering statuses over time (peeringTransitionMs 50)', () => {
  let atlas: NetworkSimulator;

  beforeAll(async () => {
    atlas = await startNetworkSimulator({ peeringTransitionMs: 50 });
  });
  afterAll(async () => {
    await atlas.close();
  });

  /** True when `seen` only holds statuses of `order`, each later than the one before. */
  const inOrder = (seen: string[], order: string[]) =>
    seen.every(
      (s, i) => order.includes(s) && (i === 0 || order.indexOf(s) > order.indexOf(seen[i - 1] ?? '')),
    );

  /** Reads a peering until it shows `final`, recording each status seen on the way. */
  async function statusesUntil(peerId: string, field: 'statusName' | 'status', final: string) {
    const seen: string[] = [];
    const last = await pollUntil(
      () => atlas.call('GET', `/groups/${GROUP_ID}/peers/${peerId}`),
      (answer) => {
        const status = answer.body?.[field];
        if (seen.at(-1) !== status) seen.push(status);
        return status === final;
      },
    );
    return { seen, last };
  }

  it('moves an AWS peering INITIATING → PENDING_ACCEPTANCE → AVAILABLE, with a connection id once requested', async () => {
    // Prepare
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: awsPeering() });

    // Act
    const { seen, last } = await statusesUntil(created.body.id, 'statusName', 'AVAILABLE');

    // Assess
    expect(created.body.statusName).toBe('INITIATING');
    expect(last.body.statusName).toBe('AVAILABLE');
    expect(inOrder(seen, ['INITIATING', 'PENDING_ACCEPTANCE', 'AVAILABLE'])).toBe(true);
    expect(last.body.connectionId).toMatch(/^pcx-[0-9a-f]{17}$/);
  });

  it('moves an Azure peering ADDING_PEER → AVAILABLE and a GCP one through WAITING_FOR_USER', async () => {
    // Prepare
    const azure = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: azurePeering('timed-vnet') });
    const gcp = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: gcpPeering('timed-net') });

    // Act
    const azureRun = await statusesUntil(azure.body.id, 'status', 'AVAILABLE');
    const gcpRun = await statusesUntil(gcp.body.id, 'status', 'AVAILABLE');

    // Assess
    expect(azure.body.status).toBe('ADDING_PEER');
    expect(azureRun.last.body.status).toBe('AVAILABLE');
    expect(gcp.body.status).toBe('ADDING_PEER');
    expect(gcpRun.last.body.status).toBe('AVAILABLE');
    expect(inOrder(azureRun.seen, ['ADDING_PEER', 'AVAILABLE'])).toBe(true);
    expect(inOrder(gcpRun.seen, ['ADDING_PEER', 'WAITING_FOR_USER', 'AVAILABLE'])).toBe(true);
  });

  it('removes a deleted peering once it has finished terminating', async () => {
    // Prepare
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: gcpPeering('short-lived-net'),
    });
    const path = `/groups/${GROUP_ID}/peers/${created.body.id}`;

    // Act
    const deleted = await atlas.call('DELETE', path);
    const gone = await pollUntil(
      () => atlas.call('GET', path),
      (answer) => answer.status === 404,
    );
    const listed = await atlas.call('GET', `/groups/${GROUP_ID}/peers?providerName=GCP`);

    // Assess
    expect(deleted.status).toBe(202);
    expect(gone.body.errorCode).toBe('PEER_NOT_FOUND');
    expect(listed.body.results.map((p: { id: string }) => p.id)).not.toContain(created.body.id);
  });
});

describe('network peering statuses on a controlled clock', () => {
  let atlas: NetworkSimulator;
  let clock = Date.parse('2026-01-05T10:00:00Z');

  beforeAll(async () => {
    atlas = await startNetworkSimulator({ peeringTransitionMs: 1_000, now: () => clock });
  });
  afterAll(async () => {
    await atlas.close();
  });

  it('shows every AWS status in turn, one transition period each', async () => {
    // Prepare
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: awsPeering() });
    const read = async () => (await atlas.call('GET', `/groups/${GROUP_ID}/peers/${created.body.id}`)).body;

    // Act
    const atStart = await read();
    clock += 999;
    const justBefore = await read();
    clock += 1;
    const pending = await read();
    clock += 1_000;
    const available = await read();

    // Assess
    expect([atStart.statusName, justBefore.statusName]).toEqual(['INITIATING', 'INITIATING']);
    expect(pending.statusName).toBe('PENDING_ACCEPTANCE');
    expect(pending.connectionId).toMatch(/^pcx-[0-9a-f]{17}$/);
    expect(available.statusName).toBe('AVAILABLE');
  });

  it('shows a GCP peering WAITING_FOR_USER between ADDING_PEER and AVAILABLE', async () => {
    // Prepare
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: gcpPeering('clocked-net'),
    });
    const read = async () =>
      (await atlas.call('GET', `/groups/${GROUP_ID}/peers/${created.body.id}`)).body.status;

    // Act
    const statuses = [await read()];
    clock += 1_000;
    statuses.push(await read());
    clock += 1_000;
    statuses.push(await read());

    // Assess
    expect(statuses).toEqual(['ADDING_PEER', 'WAITING_FOR_USER', 'AVAILABLE']);
  });
});

describe('network peering status control (/__sim/peers/{peerId}/status)', () => {
  let atlas: NetworkSimulator;
  let clock = Date.parse('2026-02-01T10:00:00Z');

  beforeAll(async () => {
    atlas = await startNetworkSimulator({ peeringTransitionMs: 1_000, now: () => clock });
  });
  afterAll(async () => {
    await atlas.close();
  });

  const setStatus = async (peerId: string, body: unknown) => {
    const response = await fetch(`${atlas.sim.url}/__sim/peers/${peerId}/status`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const read = async (peerId: string) =>
    (await atlas.call('GET', `/groups/${GROUP_ID}/peers/${peerId}`)).body;

  it('puts an AWS peering into FAILED with its errorStateName, and time no longer moves it', async () => {
    // Prepare
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: awsPeering() });

    // Act
    const set = await setStatus(created.body.id, { status: 'FAILED', errorState: 'REJECTED' });
    clock += 10_000;
    const later = await read(created.body.id);

    // Assess
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: created.body.id, statusName: 'FAILED', errorStateName: 'REJECTED' });
    expect(later).toMatchObject({ statusName: 'FAILED', errorStateName: 'REJECTED' });
  });

  it('takes REJECTED and EXPIRED as an AWS peering FAILED for that reason', async () => {
    // Prepare
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: awsPeering() });

    // Act
    await setStatus(created.body.id, { status: 'EXPIRED' });
    const listed = await atlas.call('GET', `/groups/${GROUP_ID}/peers?itemsPerPage=500`);

    // Assess
    expect(listed.body.results.find((p: { id: string }) => p.id === created.body.id)).toMatchObject({
      statusName: 'FAILED',
      errorStateName: 'EXPIRED',
    });
  });

  it('puts Azure and GCP peerings into FAILED with their error text', async () => {
    // Prepare
    const azure = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: azurePeering('failing-vnet'),
    });
    const gcp = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: gcpPeering('failing-net') });

    // Act
    await setStatus(azure.body.id, { status: 'FAILED', errorState: 'Peering was refused.' });
    await setStatus(gcp.body.id, { status: 'FAILED', errorState: 'Network not found.' });
    clock += 10_000;

    // Assess
    expect(await read(azure.body.id)).toMatchObject({ status: 'FAILED', errorState: 'Peering was refused.' });
    expect(await read(gcp.body.id)).toMatchObject({ status: 'FAILED', errorMessage: 'Network not found.' });
  });

  it('lets a failed peering be deleted like any other', async () => {
    // Prepare
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: awsPeering() });
    await setStatus(created.body.id, { status: 'FAILED' });

    // Act
    const deleted = await atlas.call('DELETE', `/groups/${GROUP_ID}/peers/${created.body.id}`);
    const terminating = await read(created.body.id);
    clock += 1_000;
    const gone = await atlas.call('GET', `/groups/${GROUP_ID}/peers/${created.body.id}`);

    // Assess
    expect(deleted.status).toBe(202);
    expect(terminating.statusName).toBe('TERMINATING');
    expect([gone.status, gone.body.errorCode]).toEqual([404, 'PEER_NOT_FOUND']);
  });

  it("refuses a status the provider's peerings do not have, and an unknown peering", async () => {
    // Prepare
    const created = await atlas.call('POST', `/groups/${GROUP_ID}/peers`, { body: awsPeering() });

    // Act
    const notAws = await setStatus(created.body.id, { status: 'WAITING_FOR_USER' });
    const badReason = await setStatus(created.body.id, { status: 'FAILED', errorState: 'BORED' });
    const unknown = await setStatus(UNKNOWN_ID, { status: 'FAILED' });

    // Assess
    expect([notAws.status, badReason.status, unknown.status]).toEqual([400, 400, 404]);
    expect((await read(created.body.id)).statusName).toBe('INITIATING');
  });
});
