/** `serviceAccountAccessList.add`: sends only the entries that are missing. */
import { describe, expect, it } from 'vitest';
import { PermanentOperationError } from '../../../../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../../../../shared/operations/message.ts';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import {
  atlasError,
  badFields,
  CLIENT_ID,
  FIRST_PAGE,
  media,
  message,
  ORG_ID,
  rejectionOf,
  reply,
  run,
  sent,
} from '../fixtures.ts';

const TYPE = 'serviceAccountAccessList.add';
const V = media('2024-08-05');
const BASE = `/orgs/${ORG_ID}/serviceAccounts/${CLIENT_ID}/accessList`;
const LIST = `${BASE}?${FIRST_PAGE}`;
const POST_PATH = `${BASE}?itemsPerPage=500`;
const address = { ipAddress: '203.0.113.7' };
const block = { cidrBlock: '198.51.100.0/24' };
const listedAddress = { ipAddress: '203.0.113.7', createdAt: '2025-01-02T03:04:05Z', requestCount: 3 };
const listedBlock = { cidrBlock: '198.51.100.0/24', createdAt: '2025-01-02T03:04:05Z' };
const params = (entries: object[]) => ({ orgId: ORG_ID, clientId: CLIENT_ID, entries });

describe('serviceAccountAccessList.add params', () => {
  it('accepts 200 entries', () => {
    // Prepare
    const entries = Array.from({ length: 200 }, (_, i) => ({ ipAddress: `10.0.${i >> 8}.${i & 255}` }));

    // Act
    const parsed = parseOperationMessage(message(TYPE, params(entries)));

    // Assess
    expect(parsed.params).toEqual(params(entries));
  });

  it.each([
    {
      name: '201 entries',
      params: params(Array.from({ length: 201 }, () => address)),
      field: 'params.entries',
    },
    {
      name: 'a clientId that is not mdb_sa_id_ and 24 hex digits',
      params: { ...params([address]), clientId: 'mdb_sa_id_1' },
      field: 'params.clientId',
    },
    {
      name: 'an entry with both values',
      params: params([{ ...address, ...block }]),
      field: 'params.entries.0',
    },
    {
      name: 'a security group (project lists only)',
      params: params([{ awsSecurityGroup: 'sg-0123abcd' }]),
      field: 'params.entries.0.awsSecurityGroup',
    },
  ])('refuses $name, naming $field', ({ params: bad, field }) => {
    // Act
    const fields = badFields(TYPE, bad);

    // Assess
    expect(fields).toContain(field);
  });
});

describe('serviceAccountAccessList.add', () => {
  it('lists the entries, then POSTs only the missing one', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', LIST, 200, { results: [listedAddress] });
    reply(atlas, 'POST', POST_PATH, 200, { results: [listedAddress, listedBlock] });

    // Act
    const outcome = await run(atlas, message(TYPE, params([address, block])));

    // Assess
    expect(sent(atlas)).toEqual([
      { method: 'GET', path: LIST, accept: V },
      { method: 'POST', path: POST_PATH, body: [block], accept: V, contentType: V },
    ]);
    expect(outcome.result).toEqual({ added: [block], alreadyPresent: [address] });
  });

  it('sends no POST when every entry is listed (an address also as its /32 block)', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', LIST, 200, { results: [{ cidrBlock: '203.0.113.7/32' }, listedBlock] });

    // Act
    const outcome = await run(atlas, message(TYPE, params([address, block])));

    // Assess
    expect(sent(atlas).map((r) => r.method)).toEqual(['GET']);
    expect(outcome.result).toEqual({ added: [], alreadyPresent: [address, block] });
  });

  it('sends an entry named twice in the message once', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', LIST, 200, { results: [] });
    reply(atlas, 'POST', POST_PATH, 200, { results: [listedAddress] });

    // Act
    await run(atlas, message(TYPE, params([address, address])));

    // Assess
    expect(sent(atlas)[1]?.body).toEqual([address]);
  });

  it('reads a 409 on the POST as success when a second look lists every entry', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', LIST, 200, { results: [] });
    reply(atlas, 'POST', POST_PATH, 409, atlasError(409, 'DUPLICATE_ACCESS_LIST_ENTRY'));
    reply(atlas, 'GET', LIST, 200, { results: [listedAddress, listedBlock] });

    // Act
    const outcome = await run(atlas, message(TYPE, params([address, block])));

    // Assess
    expect(sent(atlas).map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
    expect(outcome.result).toEqual({ added: [], alreadyPresent: [address, block] });
  });

  it('fails with the 409 when an entry is still missing after it', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'GET', LIST, 200, { results: [] });
    reply(atlas, 'POST', POST_PATH, 409, atlasError(409, 'ACCESS_LIST_CONFLICT', 'Conflict.'));
    reply(atlas, 'GET', LIST, 200, { results: [listedAddress] });

    // Act
    const error = await rejectionOf(run(atlas, message(TYPE, params([address, block]))));

    // Assess
    expect(error).toBeInstanceOf(PermanentOperationError);
    expect(error).toMatchObject({ errorCode: 'ACCESS_LIST_CONFLICT', detail: 'Conflict.', status: 409 });
  });

  it('dryRun sends nothing and returns the list and the POST of every entry', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(atlas, message(TYPE, params([address, block]), { dryRun: true }));

    // Assess
    expect(atlas.apiCalls()).toEqual([]);
    expect(outcome.result).toEqual({
      dryRun: true,
      requests: [
        { method: 'GET', path: LIST },
        { method: 'POST', path: POST_PATH, body: [address, block] },
      ],
    });
  });
});
