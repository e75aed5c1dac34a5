/**
 * Which access-list entries admit the whole internet, or most of it: the one judge every path that changes an
 * access list asks (the provisioning operations, the CLI's `run` and `enqueue`, and the access-list sync).
 *
 * Refused, unless explicitly allowed:
 * - one entry wider than `/8` in IPv4 (`0.0.0.0/0`, `0.0.0.0/1`, `1.0.0.0/7`, …) or `/16` in IPv6 (`::/0`,
 *   `2000::/3`, …);
 * - the entries of one request (one operation, one declared list) whose union admits more addresses than one
 *   `/8` (16,777,216) in IPv4, or one `/16` in IPv6: overlapping entries are counted once, so `10.0.0.0/9`
 *   twice and `10.128.0.0/9` make one `/8` (allowed), and three distinct `/9`s make one and a half (refused).
 *
 * IPv4-mapped IPv6 (`::ffff:a.b.c.d/…`) is judged as the IPv4 it is (`::ffff:0:0/96` is `0.0.0.0/0`), and an
 * IPv6 block wide enough to hold every IPv4-mapped address (`::/80`, `::/0`) admits every IPv4 address too:
 * see ./networks.ts for why Atlas's own reading of these spellings is not relied on. Every spelling of
 * "everything" is refused here, whether or not Atlas would take it: the spec's `cidrBlock` patterns refuse
 * `::/0` as written but take `0:0:0:0:0:0:0:0/0`.
 */
import { type AddressRange, addressRanges } from './networks.ts';

/** The widest single IPv4 block allowed: a `/8`. */
export const WIDEST_IPV4_PREFIX = 8;
/** The widest single IPv6 block allowed: a `/16`. */
export const WIDEST_IPV6_PREFIX = 16;

const LIMITS = {
  ipv4: { width: 32, prefix: WIDEST_IPV4_PREFIX, name: 'IPv4' },
  ipv6: { width: 128, prefix: WIDEST_IPV6_PREFIX, name: 'IPv6' },
} as const;

/** Why some entries of a request are refused: which (by their index in the request) and one sentence. */
export interface WideNetwork {
  /** The indexes, in the values given, of the entries it names. */
  indexes: number[];
  /** What is wrong, naming the entries as written. */
  reason: string;
}

/** Entries named in a union's reason before the rest are counted ("and 3 more"). */
const NAMED_IN_UNION = 5;

/**
 * The wide networks among `values` (the addresses and CIDR blocks of one request, as written; security groups
 * and text that is no address are ignored): one finding per entry wider than allowed, or, when no single entry
 * is, one per family whose entries together admit more than allowed. Empty when the request may go.
 *
 * @example wideNetworks(['0.0.0.0/1', '128.0.0.0/1']).length // 2: each half is wider than a /8
 * @example wideNetworks(['10.0.0.0/9', '10.128.0.0/9']) // []: exactly one /8 together
 */
export function wideNetworks(values: readonly string[]): WideNetwork[] {
  const ranges = values.map((value) => addressRanges(value));
  const single: WideNetwork[] = [];
  ranges.forEach((own, index) => {
    const widest = own.find((range) => range.prefix < LIMITS[range.family].prefix);
    if (widest) single.push({ indexes: [index], reason: singleReason(values[index] ?? '', widest) });
  });
  if (single.length > 0) return single;

  const union: WideNetwork[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const { width, prefix, name } = LIMITS[family];
    const inFamily = ranges.flatMap((own, index) =>
      own.filter((range) => range.family === family).map((range) => ({ range, index })),
    );
    const limit = 1n << BigInt(width - prefix);
    const covered = unionSize(inFamily.map(({ range }) => range));
    if (covered <= limit) continue;
    const indexes = [...new Set(inFamily.map(({ index }) => index))];
    const named = indexes.slice(0, NAMED_IN_UNION).map((index) => values[index]);
    const more = indexes.length - named.length;
    const list = `${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    union.push({
      indexes,
      reason:
        `${list} together admit ${amount(covered, family)} ${name} addresses, more than one ` +
        `/${prefix} (${amount(limit, family)}), the most one request may admit`,
    });
  }
  return union;
}

function singleReason(value: string, range: AddressRange): string {
  const { name, prefix } = LIMITS[range.family];
  const mapped = range.mapped ? ` (IPv4-mapped: it compares as an IPv4 /${range.prefix})` : '';
  if (range.prefix === 0) return `${value} admits every ${name} address${mapped}`;
  const size = range.last - range.first + 1n;
  return (
    `${value} admits ${amount(size, range.family)} ${name} addresses${mapped}, ` +
    `a block wider than /${prefix}, the widest allowed`
  );
}

/** The number of addresses the ranges admit, each counted once. */
function unionSize(ranges: readonly AddressRange[]): bigint {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let total = 0n;
  let current: { first: bigint; last: bigint } | undefined;
  for (const { first, last } of sorted) {
    if (current && first <= current.last + 1n) {
      if (last > current.last) current.last = last;
      continue;
    }
    if (current) total += current.last - current.first + 1n;
    current = { first, last };
  }
  if (current) total += current.last - current.first + 1n;
  return total;
}

/** `16,777,216` for IPv4; `2^112` for the huge IPv6 numbers nobody reads digit by digit. */
function amount(count: bigint, family: AddressRange['family']): string {
  if (family === 'ipv4') return count.toLocaleString('en-US');
  const power = count.toString(2).length - 1;
  return 1n << BigInt(power) === count ? `2^${power}` : `over 2^${power}`;
}
