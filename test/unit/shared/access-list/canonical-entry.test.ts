/** Access-list entries compare by the network they admit, however they are written. */
import { describe, expect, it } from 'vitest';
import { canonicalBlock, canonicalEntryKey } from '../../../../shared/access-list/canonical-entry.ts';

describe('canonicalEntryKey', () => {
  it.each([
    ['an IPv4 address and its /32', { ipAddress: '203.0.113.7' }, { cidrBlock: '203.0.113.7/32' }],
    ['a block written with host bits', { cidrBlock: '10.8.1.0/16' }, { cidrBlock: '10.8.0.0/16' }],
    ['an IPv6 address and its /128', { ipAddress: '2001:db8::1' }, { cidrBlock: '2001:DB8:0:0:0:0:0:1/128' }],
    [
      'IPv6 expanded and compressed',
      { cidrBlock: '2001:0db8:0000:0000::/32' },
      { cidrBlock: '2001:db8::/32' },
    ],
    ['IPv6 with host bits', { cidrBlock: '2001:db8:1:2::5/48' }, { cidrBlock: '2001:db8:1::/48' }],
    [
      'a security group with and without its account',
      { awsSecurityGroup: '123456789012/sg-0abc1234' },
      { awsSecurityGroup: 'sg-0ABC1234' },
    ],
  ])('treats %s as one entry', (_, a, b) => {
    expect(canonicalEntryKey(a)).toBe(canonicalEntryKey(b));
  });

  it.each([
    ['two different masks', { cidrBlock: '10.8.0.0/16' }, { cidrBlock: '10.8.0.0/24' }],
    ['an address and the block around it', { ipAddress: '10.8.0.1' }, { cidrBlock: '10.8.0.0/24' }],
    ['two IPv6 networks', { cidrBlock: '2001:db8::/32' }, { cidrBlock: '2001:db9::/32' }],
  ])('keeps %s apart', (_, a, b) => {
    expect(canonicalEntryKey(a)).not.toBe(canonicalEntryKey(b));
  });

  it('writes IPv6 the RFC 5952 way: lower case, no leading zeros, the longest zero run as ::', () => {
    expect(canonicalBlock('2001:0DB8:0000:0000:0001:0000:0000:0001')).toBe('2001:db8::1:0:0:1/128');
    expect(canonicalBlock('0:0:0:0:0:0:0:0/0')).toBe('::/0');
    expect(canonicalBlock('::ffff:192.0.2.1')).toBe('::ffff:c000:201/128');
    expect(canonicalBlock('fe80:0:0:1:0:0:0:0/64')).toBe('fe80:0:0:1::/64');
  });

  it('compares text that is no address as written, lower-cased', () => {
    expect(canonicalBlock('Not-An-Address')).toBe('not-an-address');
    expect(canonicalEntryKey({})).toBeUndefined();
  });
});
