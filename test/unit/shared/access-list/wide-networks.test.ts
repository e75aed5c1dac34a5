/**
 * The one judge of wide networks (shared/access-list/wide-networks.ts) and the address ranges behind it and
 * the protected-address checks (shared/access-list/networks.ts): the whole internet in every spelling, the
 * prefix limits at their edges, unions counted once, IPv4-mapped IPv6 judged as IPv4.
 */
import { describe, expect, it } from 'vitest';
import {
  addressRanges,
  networkOf,
  overlaps,
  protectingAddress,
} from '../../../../shared/access-list/networks.ts';
import { wideNetworks } from '../../../../shared/access-list/wide-networks.ts';

/** The reasons found for `values`, each with the entries it names. */
const judged = (values: string[]) => wideNetworks(values).map((wide) => [wide.indexes, wide.reason]);

describe('wideNetworks: one entry', () => {
  it.each([
    ['0.0.0.0/0', '0.0.0.0/0 admits every IPv4 address'],
    ['::/0', '::/0 admits every IPv6 address'],
    ['0:0:0:0:0:0:0:0/0', '0:0:0:0:0:0:0:0/0 admits every IPv6 address'],
    ['0.0.0.0/1', '0.0.0.0/1 admits 2,147,483,648 IPv4 addresses, a block wider than /8, the widest allowed'],
    ['1.0.0.0/7', '1.0.0.0/7 admits 33,554,432 IPv4 addresses, a block wider than /8, the widest allowed'],
    ['2000::/3', '2000::/3 admits 2^125 IPv6 addresses, a block wider than /16, the widest allowed'],
    ['2001::/15', '2001::/15 admits 2^113 IPv6 addresses, a block wider than /16, the widest allowed'],
    // IPv4-mapped IPv6 is the IPv4 it is: ::ffff:0:0/96 is 0.0.0.0/0.
    [
      '::ffff:0.0.0.0/96',
      '::ffff:0.0.0.0/96 admits every IPv4 address (IPv4-mapped: it compares as an IPv4 /0)',
    ],
    [
      '::ffff:10.0.0.0/100',
      '::ffff:10.0.0.0/100 admits 268,435,456 IPv4 addresses (IPv4-mapped: it compares as an IPv4 /4), ' +
        'a block wider than /8, the widest allowed',
    ],
    // A narrow IPv6 block that holds every IPv4-mapped address admits every IPv4 address.
    ['::/80', '::/80 admits every IPv4 address (IPv4-mapped: it compares as an IPv4 /0)'],
  ])('refuses %s, naming it', (value, reason) => {
    expect(judged([value])).toEqual([[[0], reason]]);
  });

  it.each([
    '10.0.0.0/8',
    '10.0.0.1',
    '203.0.113.7/32',
    '2001:db8::/16',
    '2001:db8::1',
    '::ffff:10.0.0.0/104', // 10.0.0.0/8
    '::ffff:203.0.113.7',
    'sg-0a1b2c3d', // a security group admits no address range
  ])('lets %s through: no wider than the limit', (value) => {
    expect(wideNetworks([value])).toEqual([]);
  });

  it('names each wide entry of a request, by its index: two /1 halves are two refusals', () => {
    // Act
    const found = wideNetworks(['203.0.113.7', '0.0.0.0/1', '128.0.0.0/1']);

    // Assess
    expect(found.map((wide) => wide.indexes)).toEqual([[1], [2]]);
    expect(found[1]?.reason).toMatch(/^128\.0\.0\.0\/1 admits 2,147,483,648 IPv4 addresses/);
  });
});

describe('wideNetworks: the entries of one request together', () => {
  it('refuses three distinct /9s: one and a half /8s', () => {
    expect(judged(['10.0.0.0/9', '10.128.0.0/9', '11.0.0.0/9'])).toEqual([
      [
        [0, 1, 2],
        '10.0.0.0/9, 10.128.0.0/9, 11.0.0.0/9 together admit 25,165,824 IPv4 addresses, more than one /8 ' +
          '(16,777,216), the most one request may admit',
      ],
    ]);
  });

  it('allows two /9s that make exactly one /8', () => {
    expect(wideNetworks(['10.0.0.0/9', '10.128.0.0/9'])).toEqual([]);
  });

  it('counts overlapping entries once: a /9 written twice and its other half are one /8', () => {
    expect(wideNetworks(['10.0.0.0/9', '10.1.0.0/9', '10.0.0.0/10', '10.128.0.0/9', '10.200.0.1'])).toEqual(
      [],
    );
  });

  it('counts an IPv4-mapped block and the IPv4 block it is once', () => {
    expect(wideNetworks(['10.0.0.0/8', '::ffff:10.0.0.0/104'])).toEqual([]);
    expect(wideNetworks(['10.0.0.0/8', '::ffff:11.0.0.0/104'])).toEqual([
      { indexes: [0, 1], reason: expect.stringContaining('together admit 33,554,432 IPv4 addresses') },
    ]);
  });

  it('names the first five entries of a long union and counts the rest', () => {
    // Prepare: 300 distinct /16s, more than the 256 of one /8
    const blocks = Array.from({ length: 300 }, (_, i) => `${10 + Math.floor(i / 256)}.${i % 256}.0.0/16`);

    // Act
    const [wide] = wideNetworks(blocks);

    // Assess
    expect(wide?.indexes).toHaveLength(300);
    expect(wide?.reason).toMatch(
      /^10\.0\.0\.0\/16, 10\.1\.0\.0\/16, 10\.2\.0\.0\/16, 10\.3\.0\.0\/16, 10\.4\.0\.0\/16 and 295 more together admit 19,660,800 IPv4 addresses/,
    );
    expect(wideNetworks(blocks.slice(0, 256))).toEqual([]); // exactly 10.0.0.0/8
  });

  it('judges IPv6 against a /16: three /17s are one and a half', () => {
    expect(wideNetworks(['2001::/17', '2001:8000::/17'])).toEqual([]);
    expect(judged(['2001::/17', '2001:8000::/17', '2002::/17'])).toEqual([
      [
        [0, 1, 2],
        '2001::/17, 2001:8000::/17, 2002::/17 together admit over 2^112 IPv6 addresses, more than one /16 ' +
          '(2^112), the most one request may admit',
      ],
    ]);
  });
});

describe('addressRanges and the protected-address checks', () => {
  it('reads IPv4-mapped IPv6 as IPv4, in any spelling', () => {
    // Act
    const mapped = addressRanges('::ffff:203.0.113.10');
    const hex = addressRanges('0:0:0:0:0:ffff:cb00:710a');

    // Assess
    expect(mapped).toEqual([
      { family: 'ipv4', first: 0xcb00710an, last: 0xcb00710an, prefix: 32, mapped: true },
    ]);
    expect(hex).toEqual(mapped);
    expect(addressRanges('sg-0a1b2c3d')).toEqual([]);
    expect(addressRanges('not an address')).toEqual([]);
  });

  it.each([
    ['203.0.113.10', ['203.0.113.10'], '203.0.113.10'],
    ['203.0.113.0/24', ['203.0.113.10'], '203.0.113.10'], // removing the block cuts the address off too
    ['203.0.113.10', ['203.0.113.0/24'], '203.0.113.0/24'],
    ['::ffff:203.0.113.10', ['203.0.113.10'], '203.0.113.10'],
    ['203.0.113.10', ['::ffff:203.0.113.10'], '::ffff:203.0.113.10'],
    ['::ffff:cb00:710a/128', ['203.0.113.10'], '203.0.113.10'],
    ['203.0.113.11', ['203.0.113.10'], undefined],
    ['2001:db8::1', ['203.0.113.10'], undefined],
    ['sg-0a1b2c3d', ['203.0.113.10'], undefined],
  ])('protectingAddress(%s, %j) is %s', (value, protectedValues, expected) => {
    expect(protectingAddress(value, protectedValues)).toBe(expected);
  });

  it('lets the sync guards compare IPv4-mapped IPv6 as IPv4', () => {
    expect(overlaps(networkOf('::ffff:203.0.113.10'), networkOf('203.0.113.0/24'))).toBe(true);
    expect(overlaps(networkOf('203.0.113.10'), networkOf('::ffff:203.0.113.10'))).toBe(true);
    expect(overlaps(networkOf('::ffff:203.0.113.10'), networkOf('203.0.113.11'))).toBe(false);
  });
});
