/**
 * Network safety of the access-list operations (shared/operations/network-safety.ts), whoever sends them: a
 * wide network refused unless the message allows it, a protected address never removed, each entry named.
 */
import { describe, expect, it } from 'vitest';
import { NetworkSafetyError } from '../../../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../../../shared/operations/message.ts';
import {
  checkNetworkSafety,
  NETWORK_CHANGING_TYPES,
  PROTECTED_ADDRESS,
  WIDE_NETWORK_REFUSED,
} from '../../../../shared/operations/network-safety.ts';
import { OPERATION_TYPES } from '../../../../shared/operations/registry.ts';
import { CLIENT_ID, GROUP_ID, message, ORG_ID } from './fixtures.ts';

const projectAdd = (entries: object[], extra: Record<string, unknown> = {}) =>
  parseOperationMessage(message('projectAccessList.add', { groupId: GROUP_ID, entries }, extra));
const accountAdd = (entries: object[]) =>
  parseOperationMessage(
    message('serviceAccountAccessList.add', { orgId: ORG_ID, clientId: CLIENT_ID, entries }),
  );
const projectDelete = (entryValue: string) =>
  parseOperationMessage(message('projectAccessList.delete', { groupId: GROUP_ID, entryValue }));
const accountDelete = (ipAddress: string) =>
  parseOperationMessage(
    message('serviceAccountAccessList.delete', { orgId: ORG_ID, clientId: CLIENT_ID, ipAddress }),
  );

/** What `checkNetworkSafety` threw, or undefined. */
function refusal(...args: Parameters<typeof checkNetworkSafety>): NetworkSafetyError | undefined {
  try {
    checkNetworkSafety(...args);
    return undefined;
  } catch (error) {
    if (error instanceof NetworkSafetyError) return error;
    throw error;
  }
}

describe('checkNetworkSafety: wide networks', () => {
  it('refuses a project add of 0.0.0.0/0, naming the entry: WIDE_NETWORK_REFUSED, a permanent failure', () => {
    // Act
    const error = refusal(projectAdd([{ ipAddress: '203.0.113.7' }, { cidrBlock: '0.0.0.0/0' }]));

    // Assess
    expect(error?.errorCode).toBe(WIDE_NETWORK_REFUSED);
    expect(error?.problems).toEqual([
      { field: 'params.entries.1.cidrBlock', description: '0.0.0.0/0 admits every IPv4 address' },
    ]);
    expect(error?.detail).toBe(
      'params.entries.1.cidrBlock: 0.0.0.0/0 admits every IPv4 address; an entry that wide is added only by a ' +
        'message with "allowWideNetworks": true',
    );
  });

  it('refuses the two /1 halves, each named', () => {
    // Act
    const error = refusal(projectAdd([{ cidrBlock: '0.0.0.0/1' }, { cidrBlock: '128.0.0.0/1' }]));

    // Assess
    expect(error?.problems.map((p) => p.field)).toEqual([
      'params.entries.0.cidrBlock',
      'params.entries.1.cidrBlock',
    ]);
  });

  it('refuses entries of one message that are wide together, naming them all', () => {
    // Act
    const error = refusal(
      accountAdd([{ cidrBlock: '10.0.0.0/9' }, { cidrBlock: '10.128.0.0/9' }, { cidrBlock: '11.0.0.0/9' }]),
    );

    // Assess
    expect(error?.errorCode).toBe(WIDE_NETWORK_REFUSED);
    expect(error?.problems).toEqual([
      {
        field: 'params.entries.0.cidrBlock, params.entries.1.cidrBlock, params.entries.2.cidrBlock',
        description: expect.stringContaining('together admit 25,165,824 IPv4 addresses'),
      },
    ]);
  });

  it('refuses ::/0 and an IPv4-mapped spelling of the whole IPv4 internet, from a service account too', () => {
    expect(refusal(accountAdd([{ cidrBlock: '::/0' }]))?.errorCode).toBe(WIDE_NETWORK_REFUSED);
    expect(refusal(projectAdd([{ cidrBlock: '::ffff:0.0.0.0/96' }]))?.problems[0]?.description).toContain(
      'IPv4-mapped',
    );
  });

  it('lets a narrow add through, and a wide one when the message says allowWideNetworks: true', () => {
    // Act
    const narrow = refusal(projectAdd([{ cidrBlock: '10.0.0.0/8' }, { awsSecurityGroup: 'sg-0a1b2c3d' }]));
    const allowed = refusal(projectAdd([{ cidrBlock: '0.0.0.0/0' }], { allowWideNetworks: true }));

    // Assess
    expect(narrow).toBeUndefined();
    expect(allowed).toBeUndefined();
  });

  it('takes allowWideNetworks in the message as a boolean, default off, and refuses anything else', () => {
    // Act
    const plain = projectAdd([{ cidrBlock: '10.0.0.0/16' }]);
    const allowed = projectAdd([{ cidrBlock: '10.0.0.0/16' }], { allowWideNetworks: true });
    const off = projectAdd([{ cidrBlock: '10.0.0.0/16' }], { allowWideNetworks: false });

    // Assess
    expect(plain.allowWideNetworks).toBeUndefined();
    expect(allowed.allowWideNetworks).toBe(true);
    expect(off.allowWideNetworks).toBeUndefined();
    expect(() => projectAdd([{ cidrBlock: '10.0.0.0/16' }], { allowWideNetworks: 'yes' })).toThrow(
      /allowWideNetworks: /,
    );
  });
});

describe('checkNetworkSafety: protected addresses', () => {
  const settings = { protectedAddresses: ['203.0.113.10', '52.1.2.0/24'] };

  it.each([
    ['203.0.113.10', '203.0.113.10 is a protected address of this stack'],
    ['203.0.113.0/24', '203.0.113.0/24 admits 203.0.113.10, which is a protected address of this stack'],
    [
      '::ffff:203.0.113.10',
      '::ffff:203.0.113.10 admits 203.0.113.10, which is a protected address of this stack',
    ],
    ['52.1.2.3', '52.1.2.3 admits 52.1.2.0/24, which is a protected address of this stack'],
  ])('refuses a project delete of %s: PROTECTED_ADDRESS', (value, description) => {
    // Act
    const error = refusal(projectDelete(value), settings);

    // Assess
    expect(error?.errorCode).toBe(PROTECTED_ADDRESS);
    expect(error?.problems).toEqual([{ field: 'params.entryValue', description }]);
  });

  it('refuses a service-account delete of a protected address, even with allowWideNetworks', () => {
    // Act
    const error = refusal(
      { ...accountDelete('52.1.2.0/24'), allowWideNetworks: true },
      { protectedAddresses: ['52.1.2.3'] },
    );

    // Assess
    expect(error?.errorCode).toBe(PROTECTED_ADDRESS);
    expect(error?.problems[0]?.field).toBe('params.ipAddress');
  });

  it('lets other deletes through, and every delete when nothing is protected', () => {
    expect(refusal(projectDelete('203.0.113.11'), settings)).toBeUndefined();
    expect(refusal(projectDelete('sg-0a1b2c3d'), settings)).toBeUndefined();
    expect(refusal(projectDelete('203.0.113.10'))).toBeUndefined();
  });
});

describe('the types checked', () => {
  it('covers every operation type that changes an access list', () => {
    // Act
    const accessListTypes = [...OPERATION_TYPES.keys()].filter((type) => /AccessList\./.test(type));

    // Assess
    expect(accessListTypes.length).toBeGreaterThan(0);
    expect([...NETWORK_CHANGING_TYPES].sort()).toEqual(accessListTypes.sort());
  });

  it('lets every other type through untouched', () => {
    // Act
    const archive = parseOperationMessage(
      message('onlineArchive.delete', {
        groupId: GROUP_ID,
        clusterName: 'c1',
        archiveId: '0123456789abcdef01234567',
      }),
    );

    // Assess
    expect(refusal(archive, { protectedAddresses: ['0.0.0.0/0'] })).toBeUndefined();
  });
});
