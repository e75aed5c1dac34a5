/** `projectAccessList.add`: Atlas upserts; the result is what is listed for the entries asked. */
import { describe, expect, it } from 'vitest';
import { TransientOperationError } from '../../../../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../../../../shared/operations/message.ts';
import { mockAtlas } from '../../../../support/mock-atlas.ts';
import {
  badFields,
  FIRST_PAGE,
  GROUP_ID,
  media,
  message,
  rejectionOf,
  reply,
  run,
  sent,
} from '../fixtures.ts';

const TYPE = 'projectAccessList.add';
const V = media('2023-01-01');
const POST_PATH = `/groups/${GROUP_ID}/accessList?itemsPerPage=500`;
const entries = [
  { ipAddress: '203.0.113.7', comment: 'bastion' },
  { cidrBlock: '198.51.100.0/24' },
  { awsSecurityGroup: 'sg-0123abcd' },
];
// Atlas lists an address entry with its one-address block as well.
const listed = [
  { ipAddress: '203.0.113.7', cidrBlock: '203.0.113.7/32', comment: 'bastion', groupId: GROUP_ID },
  { cidrBlock: '198.51.100.0/24', groupId: GROUP_ID },
  { awsSecurityGroup: 'sg-0123abcd', groupId: GROUP_ID },
];
const unrelated = { cidrBlock: '192.0.2.0/24', groupId: GROUP_ID };

describe('projectAccessList.add params', () => {
  it('accepts addresses, CIDR blocks, security groups (with or without the account) and a temporary entry', () => {
    // Prepare
    const params = {
      groupId: GROUP_ID,
      entries: [
        ...entries,
        { ipAddress: '2001:db8::1', deleteAfterDate: '2030-01-02T03:04:05Z' },
        { awsSecurityGroup: '123456789012/sg-0123abcd' },
      ],
    };

    // Act
    const parsed = parseOperationMessage(message(TYPE, params));

    // Assess
    expect(parsed.params).toEqual(params);
  });

  it.each([
    { name: 'no entries', entries: [], field: 'params.entries' },
    {
      name: 'an entry with two values',
      entries: [{ ipAddress: '203.0.113.7', cidrBlock: '203.0.113.0/24' }],
      field: 'params.entries.0',
    },
    {
      name: 'a CIDR block without a mask',
      entries: [{ cidrBlock: '203.0.113.7' }],
      field: 'params.entries.0.cidrBlock',
    },
    {
      name: 'a temporary security group',
      entries: [{ awsSecurityGroup: 'sg-0123abcd', deleteAfterDate: '2030-01-02T03:04:05Z' }],
      field: 'params.entries.0.deleteAfterDate',
    },
    {
      name: 'a comment of 81 characters',
      entries: [{ ipAddress: '203.0.113.7', comment: 'x'.repeat(81) }],
      field: 'params.entries.0.comment',
    },
  ])('refuses $name, naming $field', ({ entries: bad, field }) => {
    // Act
    const fields = badFields(TYPE, { groupId: GROUP_ID, entries: bad });

    // Assess
    expect(fields).toEqual([field]);
  });
});

describe('projectAccessList.add', () => {
  it('POSTs the entries and returns the listed entries that match them', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'POST', POST_PATH, 200, { results: [unrelated, ...listed] });

    // Act
    const outcome = await run(atlas, message(TYPE, { groupId: GROUP_ID, entries }));

    // Assess
    expect(sent(atlas)).toEqual([
      { method: 'POST', path: POST_PATH, body: entries, accept: V, contentType: V },
    ]);
    expect(outcome.result).toEqual({ entries: listed });
  });

  it('reads the whole list when the answer page does not hold every entry asked', async () => {
    // Prepare
    const atlas = mockAtlas();
    const firstPage = Array.from({ length: 500 }, (_, i) => ({ cidrBlock: `10.${i >> 8}.${i & 255}.0/24` }));
    reply(atlas, 'POST', POST_PATH, 200, { results: firstPage });
    reply(atlas, 'GET', `/groups/${GROUP_ID}/accessList?${FIRST_PAGE}`, 200, { results: firstPage });
    reply(
      atlas,
      'GET',
      `/groups/${GROUP_ID}/accessList?${FIRST_PAGE.replace('pageNum=1', 'pageNum=2')}`,
      200,
      {
        results: listed,
      },
    );

    // Act
    const outcome = await run(atlas, message(TYPE, { groupId: GROUP_ID, entries }));

    // Assess
    expect(sent(atlas).map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
    expect(outcome.result).toEqual({ entries: listed });
  });

  it('retries, rather than reporting done, when Atlas accepted entries it does not list yet', async () => {
    // Prepare: another writer's POST raced ours
    const atlas = mockAtlas();
    reply(atlas, 'POST', POST_PATH, 200, { results: [listed[0]] });
    reply(atlas, 'GET', `/groups/${GROUP_ID}/accessList?${FIRST_PAGE}`, 200, { results: [listed[0]] });

    // Act
    const failure = await rejectionOf(run(atlas, message(TYPE, { groupId: GROUP_ID, entries })));

    // Assess
    expect(failure).toBeInstanceOf(TransientOperationError);
    expect((failure as Error).message).toContain('198.51.100.0/24');
  });

  it('finds entries Atlas lists in another spelling: IPv6 compressed, host bits, /32, an account prefix', async () => {
    // Prepare
    const atlas = mockAtlas();
    const asked = [
      { cidrBlock: '2001:DB8:0:0:0:0:0:0/32' },
      { cidrBlock: '10.8.1.0/16' },
      { ipAddress: '192.0.2.10' },
      { awsSecurityGroup: '123456789012/sg-0123abcd' },
    ];
    const shown = [
      { cidrBlock: '2001:db8::/32', groupId: GROUP_ID },
      { cidrBlock: '10.8.0.0/16', groupId: GROUP_ID },
      { cidrBlock: '192.0.2.10/32', groupId: GROUP_ID },
      { awsSecurityGroup: 'sg-0123abcd', groupId: GROUP_ID },
    ];
    reply(atlas, 'POST', POST_PATH, 200, { results: shown });

    // Act
    const outcome = await run(atlas, message(TYPE, { groupId: GROUP_ID, entries: asked }));

    // Assess
    expect(outcome.result).toEqual({ entries: shown });
  });

  it('dryRun sends nothing and returns the POST', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(atlas, message(TYPE, { groupId: GROUP_ID, entries }, { dryRun: true }));

    // Assess
    expect(atlas.apiCalls()).toEqual([]);
    expect(outcome.result).toEqual({
      dryRun: true,
      requests: [{ method: 'POST', path: POST_PATH, body: entries }],
    });
  });
});
