/** Version tables and helpers the handler modules share. */
import type { ResourceVersion } from '../versions.ts';

/** Resources with a single stable version, 2023-01-01 (orgs, projects, peering, archives, access list, …). */
export const V2023_01_01: readonly ResourceVersion[] = [{ date: '2023-01-01' }];

/** Clusters and global writes: two legacy versions deprecated, sunset 2027-07-01, and 2024-08-05. */
export const CLUSTER_VERSIONS: readonly ResourceVersion[] = [
  { date: '2023-01-01', sunset: '2027-07-01', deprecated: '2024-08-05' },
  { date: '2023-02-01', sunset: '2027-07-01', deprecated: '2024-08-05' },
  { date: '2024-08-05' },
];

/** `Link` objects of a single resource. */
export function selfLinks(url: URL): { href: string; rel: string }[] {
  return [{ href: `${url.origin}${url.pathname}`, rel: 'self' }];
}

/** A copy of `value` without the keys the simulator keeps for itself. */
export function withoutKeys<T extends Record<string, unknown>>(
  value: T,
  ...keys: string[]
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

/** RFC 3339 without milliseconds, as Atlas writes dates. */
export function atlasDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Resources on 2024-10-23 only: the cluster update of the spec subset (pause and resume). */
export const V2024_10_23: readonly ResourceVersion[] = [{ date: '2024-10-23' }];
