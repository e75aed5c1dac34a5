/** The simulator's project IP access list and service-account API access list, over plain HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_CLIENT_ID } from '../../../local/atlas-simulator/seeds/credentials.ts';
import {
  AWS_CONTAINER_ID,
  badFields,
  GROUP_ID,
  type NetworkSimulator,
  ORG_ID,
  OTHER_ORG_ID,
  PEERED_GROUP_ID,
  pollUntil,
  startNetworkSimulator,
  UNKNOWN_CLIENT_ID,
} from './network-fixture.ts';

const HOUR_MS = 60 * 60 * 1000;

/** Scripts one fault on a fixture simulator (see local/atlas-simulator/faults.ts). */
async function scriptFault(atlas: NetworkSimulator, script: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${atlas.sim.url}/__sim/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(script),
  });
  if (response.status !== 201) throw new Error(`fault script refused: ${await response.text()}`);
}
const LIST = `/groups/${GROUP_ID}/accessList`;
const SA_LIST = `/orgs/${ORG_ID}/serviceAccounts/${SIM_CLIENT_ID}/accessList`;
const SA_VERSION = '2024-08-05';

interface Entry {
  ipAddress?: string;
  cidrBlock?: string;
  awsSecurityGroup?: string;
  comment?: string;
  deleteAfterDate?: string;
}

describe('project IP access list', () => {
  let atlas: NetworkSimulator;

  beforeAll(async () => {
    atlas = await startNetworkSimulator();
  });
  afterAll(async () => {
    await atlas.close();
  });

  const entries = async (groupId = GROUP_ID): Promise<Entry[]> =>
    (await atlas.call('GET', `/groups/${groupId}/accessList?itemsPerPage=500`)).body.results;

  it('lists a bare address with its /32 CIDR block, and not the entries that have expired', async () => {
    // Act
    const answer = await atlas.call('GET', LIST);

    // Assess
    expect(answer.status).toBe(200);
    const office = answer.body.results.find((e: Entry) => e.ipAddress === '203.0.113.10');
    expect(office).toMatchObject({ cidrBlock: '203.0.113.10/32', comment: 'Office VPN', groupId: GROUP_ID });
    expect(office.links[0].rel).toBe('self');
    expect(answer.body.results.map((e: Entry) => e.ipAddress)).not.toContain('198.51.100.99');
  });

  it('adds entries with 200 and answers with the whole list, which later reads show too', async () => {
    // Prepare
    const body = [{ ipAddress: '198.51.100.20', comment: 'CI runner' }, { cidrBlock: '172.16.0.0/24' }];

    // Act
    const added = await atlas.call('POST', LIST, { body });
    const listed = await entries();

    // Assess
    expect(added.status).toBe(200);
    expect(added.body.totalCount).toBe(added.body.results.length);
    const values = added.body.results.map((e: Entry) => e.cidrBlock);
    expect(values).toEqual(
      expect.arrayContaining(['203.0.113.10/32', '10.0.0.0/16', '198.51.100.20/32', '172.16.0.0/24']),
    );
    expect(listed.map((e) => e.cidrBlock)).toEqual(values);
    expect(listed.find((e) => e.ipAddress === '198.51.100.20')).toMatchObject({
      cidrBlock: '198.51.100.20/32',
    });
  });

  it('takes Content-Type application/json as well', async () => {
    // Act
    const added = await atlas.call('POST', LIST, {
      body: [{ cidrBlock: '172.16.9.0/24' }],
      contentType: 'application/json',
    });

    // Assess
    expect(added.status).toBe(200);
    expect(added.body.results.map((e: Entry) => e.cidrBlock)).toContain('172.16.9.0/24');
  });

  it('updates the comment of an entry added again instead of listing it twice', async () => {
    // Prepare
    await atlas.call('POST', LIST, { body: [{ cidrBlock: '172.16.1.0/24', comment: 'first' }] });

    // Act
    const again = await atlas.call('POST', LIST, {
      body: [{ cidrBlock: '172.16.1.0/24', comment: 'second' }],
    });
    const asAddress = await atlas.call('POST', LIST, {
      body: [{ ipAddress: '203.0.113.10', comment: 'Office VPN' }],
    });

    // Assess
    expect(again.status).toBe(200);
    const matching = (await entries()).filter((e) => e.cidrBlock === '172.16.1.0/24');
    expect(matching).toEqual([expect.objectContaining({ comment: 'second' })]);
    expect(asAddress.body.results.filter((e: Entry) => e.cidrBlock === '203.0.113.10/32')).toHaveLength(1);
  });

  it('answers a POST with the page the query asks for', async () => {
    // Act
    const answer = await atlas.call('POST', `${LIST}?itemsPerPage=1&pageNum=2&includeCount=false`, {
      body: [{ cidrBlock: '172.16.2.0/24' }],
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.results).toHaveLength(1);
    expect(answer.body).not.toHaveProperty('totalCount');
    expect(answer.body.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'next', 'previous']);
  });

  it('names a malformed field of an entry with 400 VALIDATION_ERROR', async () => {
    // Act
    const answer = await atlas.call('POST', LIST, {
      body: [{ ipAddress: '198.51.100.30' }, { cidrBlock: '10.0.0.0/99' }],
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.errorCode).toBe('VALIDATION_ERROR');
    expect(badFields(answer)).toEqual(['1.cidrBlock']);
    expect((await entries()).map((e) => e.ipAddress)).not.toContain('198.51.100.30');
  });

  it.each([
    {
      label: 'two identities',
      entry: { ipAddress: '198.51.100.40', cidrBlock: '198.51.100.0/24' },
      code: 'MULTIPLE_VALUES_SPECIFIED_FOR_ONE_NETWORK_PERMISSION_ENTRY',
      field: '0.cidrBlock',
    },
    {
      label: 'no identity',
      entry: { comment: 'nothing' },
      code: 'MISSING_ONE_OF_THREE_ATTRIBUTES',
      field: '0',
    },
    {
      label: 'a comment over 80 characters',
      entry: { cidrBlock: '172.16.3.0/24', comment: 'x'.repeat(81) },
      code: 'INVALID_NETWORK_PERMISSION_COMMENT',
      field: '0.comment',
    },
    {
      label: 'an expiry in the past',
      entry: { ipAddress: '198.51.100.41', deleteAfterDate: new Date(Date.now() - HOUR_MS).toISOString() },
      code: 'EXPIRATION_DATE_IN_PAST',
      field: '0.deleteAfterDate',
    },
    {
      label: 'an expiry more than a week ahead',
      entry: {
        ipAddress: '198.51.100.42',
        deleteAfterDate: new Date(Date.now() + 8 * 24 * HOUR_MS).toISOString(),
      },
      code: 'EXPIRATION_DATE_EXCEEDS_MAX',
      field: '0.deleteAfterDate',
    },
  ])('refuses $label with 400 $code naming $field', async ({ entry, code, field }) => {
    // Act
    const answer = await atlas.call('POST', LIST, { body: [entry] });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.errorCode).toBe(code);
    expect(badFields(answer)).toEqual([field]);
  });

  it('refuses an empty array and the same entry twice in one request, adding nothing', async () => {
    // Act
    const empty = await atlas.call('POST', LIST, { body: [] });
    const twice = await atlas.call('POST', LIST, {
      body: [{ cidrBlock: '172.16.4.0/24' }, { ipAddress: '198.51.100.43' }, { cidrBlock: '172.16.4.0/24' }],
    });

    // Assess
    expect([empty.status, empty.body.errorCode]).toEqual([400, 'VALIDATION_ERROR']);
    expect([twice.status, twice.body.errorCode, badFields(twice)]).toEqual([
      400,
      'DUPLICATE_ADDRESSES_IN_INPUT',
      ['2'],
    ]);
    expect((await entries()).map((e) => e.ipAddress)).not.toContain('198.51.100.43');
  });

  it('keeps a temporary entry until its deleteAfterDate, then drops it', async () => {
    // Prepare
    const deleteAfterDate = new Date(Date.now() + 1_500).toISOString();

    // Act
    const added = await atlas.call('POST', LIST, { body: [{ ipAddress: '198.51.100.44', deleteAfterDate }] });
    const gone = await pollUntil(
      () => atlas.call('GET', `${LIST}/198.51.100.44`),
      (answer) => answer.status === 404,
      { timeoutMs: 5_000, intervalMs: 100 },
    );

    // Assess
    const entry = added.body.results.find((e: Entry) => e.ipAddress === '198.51.100.44');
    expect(Date.parse(entry.deleteAfterDate)).toBeGreaterThan(Date.now() - 5_000);
    expect(gone.body.errorCode).toBe('ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND');
  });

  it('gets and deletes a CIDR block sent as %2F, then answers 404 for it', async () => {
    // Prepare
    await atlas.call('POST', LIST, { body: [{ cidrBlock: '172.16.5.0/24', comment: 'to remove' }] });
    const path = `${LIST}/172.16.5.0%2F24`;

    // Act
    const found = await atlas.call('GET', path);
    const status = await atlas.call('GET', `${path}/status`);
    const deleted = await atlas.call('DELETE', path);
    const after = await atlas.call('GET', path);

    // Assess
    expect(found.body).toMatchObject({ cidrBlock: '172.16.5.0/24', comment: 'to remove', groupId: GROUP_ID });
    expect(status.body).toEqual({ STATUS: 'ACTIVE' });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect([after.status, after.body.errorCode]).toEqual([404, 'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND']);
    expect((await entries()).map((e) => e.cidrBlock)).not.toContain('172.16.5.0/24');
  });

  it('finds an address entry by its address and by its /32 block', async () => {
    // Act
    const byAddress = await atlas.call('GET', `${LIST}/203.0.113.10`);
    const byBlock = await atlas.call('GET', `${LIST}/203.0.113.10%2F32`);

    // Assess
    expect(byAddress.status).toBe(200);
    expect(byBlock.body).toEqual(byAddress.body);
  });

  it('answers 404 for an unknown entry and 400 for a value that is no entry at all', async () => {
    // Act
    const unknown = await atlas.call('GET', `${LIST}/192.0.2.1`);
    const unknownStatus = await atlas.call('GET', `${LIST}/192.0.2.0%2F24/status`);
    const unknownDelete = await atlas.call('DELETE', `${LIST}/192.0.2.1`);
    const malformed = await atlas.call('GET', `${LIST}/not-an-address`);

    // Assess
    expect([unknown.status, unknown.body.errorCode]).toEqual([
      404,
      'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND',
    ]);
    expect(unknownStatus.status).toBe(404);
    expect(unknownDelete.status).toBe(404);
    expect([malformed.status, badFields(malformed)]).toEqual([400, ['entryValue']]);
  });

  it('takes a security group only once the project has an AWS peering, and never as temporary', async () => {
    // Prepare
    const group = 'sg-0fedcba9876543210';

    // Act
    const unpeered = await atlas.call('POST', LIST, { body: [{ awsSecurityGroup: group }] });
    await atlas.call('POST', `/groups/${GROUP_ID}/peers`, {
      body: {
        providerName: 'AWS',
        containerId: AWS_CONTAINER_ID,
        accepterRegionName: 'us-east-1',
        awsAccountId: '123456789012',
        routeTableCidrBlock: '10.2.0.0/16',
        vpcId: 'vpc-0a0a0a0a0a0a0a0a0',
      },
    });
    const temporary = await atlas.call('POST', LIST, {
      body: [{ awsSecurityGroup: group, deleteAfterDate: new Date(Date.now() + HOUR_MS).toISOString() }],
    });
    const peered = await atlas.call('POST', LIST, {
      body: [{ awsSecurityGroup: group, comment: 'web tier' }],
    });
    const fetched = await atlas.call('GET', `${LIST}/${group}`);

    // Assess
    expect(unpeered.body.errorCode).toBe('CANNOT_USE_AWS_SECURITY_GROUP_WITHOUT_VPC_PEERING_CONNECTION');
    expect(badFields(unpeered)).toEqual(['0.awsSecurityGroup']);
    expect([temporary.status, temporary.body.errorCode]).toEqual([
      400,
      'NETWORK_PERMISSION_EXPIRATION_NOT_SUPPORTED',
    ]);
    expect(peered.status).toBe(200);
    expect(fetched.body).toMatchObject({ awsSecurityGroup: group, comment: 'web tier', groupId: GROUP_ID });
  });

  it("keeps each project's list apart", async () => {
    // Act
    const peeredProject = await entries(PEERED_GROUP_ID);

    // Assess
    expect(peeredProject.map((e) => e.cidrBlock ?? e.awsSecurityGroup).sort()).toEqual([
      '10.8.0.0/16',
      'sg-0123456789abcdef0',
    ]);
  });

  it('takes a security group in both of the spec’s forms, sg-… and <account>/sg-…', async () => {
    // Prepare
    const list = `/groups/${PEERED_GROUP_ID}/accessList`;
    const withAccount = '123456789012/sg-0a1b2c3d';

    // Act
    const added = await atlas.call('POST', list, {
      body: [
        { awsSecurityGroup: 'sg-0a1b2c3d4e5f60718' },
        { awsSecurityGroup: withAccount, comment: 'shared' },
      ],
    });
    const byValue = await atlas.call('GET', `${list}/${encodeURIComponent(withAccount)}`);
    const malformed = await atlas.call('POST', list, {
      body: [{ awsSecurityGroup: 'sg-not-hex' }, { awsSecurityGroup: 'acct/sg-0a1b2c3d' }],
    });

    // Assess
    expect(added.status).toBe(200);
    expect(added.body.results.map((e: Entry) => e.awsSecurityGroup)).toEqual(
      expect.arrayContaining(['sg-0a1b2c3d4e5f60718', withAccount]),
    );
    expect(byValue.body).toMatchObject({ awsSecurityGroup: withAccount, comment: 'shared' });
    expect([malformed.status, malformed.body.errorCode]).toEqual([400, 'VALIDATION_ERROR']);
    expect(badFields(malformed)).toEqual(['0.awsSecurityGroup', '1.awsSecurityGroup']);
  });

  it('with `unlisted` scripted, stores a POST’s entries but shows them only after `count` reads', async () => {
    // Prepare
    await scriptFault(atlas, { path: `/api/atlas/v2${LIST}`, action: 'unlisted', count: 2 });

    // Act
    const posted = await atlas.call('POST', LIST, {
      body: [{ cidrBlock: '172.16.50.0/24', comment: 'late' }],
    });
    const firstRead = await entries();
    const secondRead = await atlas.call('GET', `${LIST}/172.16.50.0%2F24`);
    const thirdRead = await entries();

    // Assess
    expect(posted.status).toBe(200);
    expect(posted.body.results.map((e: Entry) => e.cidrBlock)).not.toContain('172.16.50.0/24');
    expect(atlas.sim.state.projectAccessList.map((e) => e.cidrBlock)).toContain('172.16.50.0/24');
    expect(firstRead.map((e) => e.cidrBlock)).not.toContain('172.16.50.0/24');
    expect([secondRead.status, secondRead.body.errorCode]).toEqual([
      404,
      'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND',
    ]);
    expect(thirdRead.find((e) => e.cidrBlock === '172.16.50.0/24')).toMatchObject({ comment: 'late' });
  });

  it('leaves `unlisted` for the next POST that succeeds, and hides only the entries that are new', async () => {
    // Prepare
    await scriptFault(atlas, { path: `/api/atlas/v2${LIST}`, action: 'unlisted' });

    // Act
    const refused = await atlas.call('POST', LIST, {
      body: [{ cidrBlock: '172.16.51.0/24', comment: 'x'.repeat(81) }],
    });
    const posted = await atlas.call('POST', LIST, {
      body: [
        { cidrBlock: '172.16.51.0/24' },
        { cidrBlock: '10.0.0.0/16', comment: 'Application VPC, again' },
      ],
    });
    const firstRead = await entries();
    const secondRead = await entries();

    // Assess
    expect(refused.status).toBe(400);
    const cidrs = (list: Entry[]) => list.map((e) => e.cidrBlock);
    expect(cidrs(posted.body.results)).not.toContain('172.16.51.0/24');
    expect(posted.body.results.find((e: Entry) => e.cidrBlock === '10.0.0.0/16')).toMatchObject({
      comment: 'Application VPC, again',
    });
    expect(cidrs(firstRead)).not.toContain('172.16.51.0/24');
    expect(cidrs(secondRead)).toContain('172.16.51.0/24');
  });
});

describe('service-account API access list', () => {
  let atlas: NetworkSimulator;

  beforeAll(async () => {
    atlas = await startNetworkSimulator();
  });
  afterAll(async () => {
    await atlas.close();
  });

  const call = (method: string, path: string, body?: unknown) =>
    atlas.call(method, path, { version: SA_VERSION, ...(body === undefined ? {} : { body }) });

  it('lists the entries with their usage', async () => {
    // Act
    const answer = await call('GET', SA_LIST);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/vnd.atlas.2024-08-05+json');
    expect(answer.body.totalCount).toBe(2);
    expect(answer.body.results[0]).toEqual({
      ipAddress: '198.51.100.7',
      createdAt: '2025-06-01T12:00:00Z',
      requestCount: 12,
      lastUsedAddress: '198.51.100.7',
      lastUsedAt: '2025-06-02T08:30:00Z',
    });
  });

  it('adds entries with 200, answering with the whole list, and adds nothing twice', async () => {
    // Prepare
    const body = [{ ipAddress: '203.0.113.50' }, { cidrBlock: '10.30.0.0/16' }];

    // Act
    const first = await call('POST', SA_LIST, body);
    const second = await call('POST', SA_LIST, [...body, { ipAddress: '198.51.100.7' }]);
    const listed = await call('GET', SA_LIST);

    // Assess
    expect(first.status).toBe(200);
    expect(first.body.totalCount).toBe(4);
    const added = first.body.results.find((e: Entry) => e.ipAddress === '203.0.113.50');
    expect(added.requestCount).toBe(0);
    expect(Date.parse(added.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(second.status).toBe(200);
    expect(second.body.results).toEqual(first.body.results);
    expect(listed.body.results).toEqual(first.body.results);
  });

  it('takes Content-Type application/json as well', async () => {
    // Act
    const answer = await atlas.call('POST', SA_LIST, {
      version: SA_VERSION,
      body: [{ ipAddress: '203.0.113.51' }],
      contentType: 'application/json',
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((e: Entry) => e.ipAddress)).toContain('203.0.113.51');
  });

  it('names an entry with both an address and a block, and refuses more than 200 entries', async () => {
    // Prepare
    const many = Array.from({ length: 201 }, (_, i) => ({
      ipAddress: `10.40.${Math.floor(i / 250)}.${i % 250}`,
    }));

    // Act
    const both = await call('POST', SA_LIST, [{ ipAddress: '203.0.113.52', cidrBlock: '203.0.113.0/24' }]);
    const neither = await call('POST', SA_LIST, [{ ipAddress: '203.0.113.53' }, {}]);
    const tooMany = await call('POST', SA_LIST, many);

    // Assess
    expect([both.status, both.body.errorCode, badFields(both)]).toEqual([
      400,
      'VALIDATION_ERROR',
      ['0.cidrBlock'],
    ]);
    expect([neither.status, badFields(neither)]).toEqual([400, ['1']]);
    expect([tooMany.status, tooMany.body.errorCode]).toEqual([400, 'VALIDATION_ERROR']);
    expect((await call('GET', SA_LIST)).body.results.map((e: Entry) => e.ipAddress)).not.toContain(
      '203.0.113.53',
    );
  });

  it('deletes a CIDR block sent as %2F with 204', async () => {
    // Act
    const deleted = await call('DELETE', `${SA_LIST}/10.20.0.0%2F16`);
    const listed = await call('GET', SA_LIST);
    const again = await call('DELETE', `${SA_LIST}/10.20.0.0%2F16`);

    // Assess
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(listed.body.results.map((e: Entry) => e.cidrBlock)).not.toContain('10.20.0.0/16');
    expect(again.status).toBe(404);
  });

  it('refuses to remove the address the request comes from', async () => {
    // Prepare: this test calls from 127.0.0.1.
    await call('POST', SA_LIST, [{ ipAddress: '127.0.0.1' }, { cidrBlock: '127.0.0.0/8' }]);

    // Act
    const address = await call('DELETE', `${SA_LIST}/127.0.0.1`);
    const block = await call('DELETE', `${SA_LIST}/127.0.0.0%2F8`);
    const listed = await call('GET', SA_LIST);

    // Assess
    expect([address.status, address.body.errorCode]).toEqual([400, 'CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST']);
    expect([block.status, block.body.errorCode]).toEqual([400, 'CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST']);
    expect(listed.body.results.map((e: Entry) => e.ipAddress ?? e.cidrBlock)).toEqual(
      expect.arrayContaining(['127.0.0.1', '127.0.0.0/8']),
    );
  });

  it('answers 404 SERVICE_ACCOUNT_NOT_FOUND for an unknown client id, and 400 naming a malformed one', async () => {
    // Act
    const list = await call('GET', `/orgs/${ORG_ID}/serviceAccounts/${UNKNOWN_CLIENT_ID}/accessList`);
    const add = await call('POST', `/orgs/${ORG_ID}/serviceAccounts/${UNKNOWN_CLIENT_ID}/accessList`, [
      { ipAddress: '203.0.113.54' },
    ]);
    const malformed = await call('GET', `/orgs/${ORG_ID}/serviceAccounts/not-a-client/accessList`);

    // Assess
    expect([list.status, list.body.errorCode]).toEqual([404, 'SERVICE_ACCOUNT_NOT_FOUND']);
    expect([add.status, add.body.errorCode]).toEqual([404, 'SERVICE_ACCOUNT_NOT_FOUND']);
    expect([malformed.status, badFields(malformed)]).toEqual([400, ['clientId']]);
  });

  it('answers 404 for an entry that is not on the list', async () => {
    // Act
    const answer = await call('DELETE', `${SA_LIST}/192.0.2.200`);

    // Assess
    expect(answer.status).toBe(404);
    expect(answer.body.errorCode).toBe('SERVICE_ACCOUNT_ACCESS_LIST_ENTRY_NOT_FOUND');
  });

  it("refuses another organization's service accounts, and versions before 2024-08-05", async () => {
    // Act
    const foreign = await call('GET', `/orgs/${OTHER_ORG_ID}/serviceAccounts/${SIM_CLIENT_ID}/accessList`);
    const oldVersion = await atlas.call('GET', SA_LIST, { version: '2023-01-01' });

    // Assess
    expect(foreign.status).toBe(401);
    expect(foreign.body).toMatchObject({
      errorCode: 'USER_CANNOT_ACCESS_ORG',
      detail: 'User cannot access this organization.',
    });
    expect(oldVersion.status).toBe(406);
  });
});
