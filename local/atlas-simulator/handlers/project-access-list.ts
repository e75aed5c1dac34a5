/**
 * The IP access list of a project (2023-01-01).
 *
 * - POST takes a JSON array of entries, each with exactly one of `ipAddress`, `cidrBlock` and
 *   `awsSecurityGroup`, and answers 200 with the whole list, paginated. It is set-like: adding an entry that
 *   exists replaces its `comment` and `deleteAfterDate` with the request's, never duplicates it. Every entry
 *   is checked before any is written.
 * - A bare `ipAddress` is listed with `cidrBlock` `ip/32` (`/128` for IPv6), as Atlas does, and can be
 *   addressed by either form.
 * - A temporary entry (`deleteAfterDate`) must expire in the future and within a week; it disappears from
 *   reads once expired. A security group (`sg-…` or `<account>/sg-…`, the spec's two forms) needs an AWS
 *   peering in the project and cannot be temporary.
 * - With the `unlisted` fault scripted, a POST stores its new entries but its answer and the next reads of
 *   the list (`count` of them) do not show them yet: what the Terraform provider meets with concurrent writers,
 *   and why its `createEntry` reads the entry back until it is there
 *   (internal/service/projectipaccesslist/resource_project_ip_access_list.go).
 *
 * Format problems (types, patterns) are 400 VALIDATION_ERROR from the schema; the rules above answer with
 * the codes and texts of Atlas's error-code page (MISSING_ONE_OF_THREE_ATTRIBUTES,
 * MULTIPLE_VALUES_SPECIFIED_FOR_ONE_NETWORK_PERMISSION_ENTRY, INVALID_NETWORK_PERMISSION_COMMENT,
 * DUPLICATE_ADDRESSES_IN_INPUT, EXPIRATION_DATE_IN_PAST, EXPIRATION_DATE_EXCEEDS_MAX,
 * NETWORK_PERMISSION_EXPIRATION_NOT_SUPPORTED, CANNOT_USE_AWS_SECURITY_GROUP_WITHOUT_VPC_PEERING_CONNECTION,
 * ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND); which rule Atlas checks first is our best knowledge. Each also
 * names the field in `badRequestDetail`.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { type ErrorCode, type FieldViolation, notFound, SimError } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import type { SimAccessListEntry, SimState } from '../state.ts';
import {
  accessListEntryValue,
  awsSecurityGroup,
  cidrBlock,
  ipAddress,
  isoDateTime,
  objectId,
} from '../validation.ts';
import { V2023_01_01 } from './common.ts';
import { hasAwsPeering } from './network-peering.ts';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_COMMENT = 80;

/** A CIDR block in a body may carry its `/` encoded, as the spec's pattern allows. */
const bodyCidrBlock = z.preprocess((v) => (typeof v === 'string' ? v.replace(/%2f/i, '/') : v), cidrBlock);

const newEntry = z.object({
  ipAddress: ipAddress.optional(),
  cidrBlock: bodyCidrBlock.optional(),
  awsSecurityGroup: awsSecurityGroup.optional(),
  comment: z.string().optional(),
  deleteAfterDate: isoDateTime.optional(),
});

type NewEntry = z.infer<typeof newEntry>;

const groupParams = z.object({ groupId: objectId });
const entryParams = z.object({ groupId: objectId, entryValue: accessListEntryValue });

/** The identity of an entry: its security group, or its CIDR block (an address is its /32 or /128). */
function keyOf(value: string): string {
  const family = isIP(value);
  if (family !== 0) return `${value.toLowerCase()}/${family === 4 ? 32 : 128}`;
  return value.toLowerCase();
}

function entryKey(entry: { ipAddress?: string; cidrBlock?: string; awsSecurityGroup?: string }): string {
  return keyOf(entry.awsSecurityGroup ?? entry.cidrBlock ?? entry.ipAddress ?? '');
}

/** RFC 3339 without milliseconds, as Atlas writes dates. */
function atlasDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Removes the temporary entries whose time is up (Atlas deletes them itself). */
function purgeExpired(state: SimState, now: number): void {
  state.projectAccessList = state.projectAccessList.filter(
    (e) => e.deleteAfterDate === undefined || Date.parse(e.deleteAfterDate) > now,
  );
}

function groupEntries(state: SimState, groupId: string): SimAccessListEntry[] {
  return state.projectAccessList.filter((e) => e.groupId === groupId);
}

const isListed = (entry: SimAccessListEntry) =>
  !(entry.unlistedReads !== undefined && entry.unlistedReads > 0);

/** The entries a POST's answer shows: not those an `unlisted` fault still hides. */
function listedEntries(state: SimState, groupId: string): SimAccessListEntry[] {
  return groupEntries(state, groupId).filter(isListed);
}

/** The entries one read shows; the read counts against every entry still hidden. */
function readEntries(state: SimState, groupId: string): SimAccessListEntry[] {
  const entries = groupEntries(state, groupId);
  const shown = entries.filter(isListed);
  for (const entry of entries) {
    if (entry.unlistedReads === undefined) continue;
    entry.unlistedReads -= 1;
    if (entry.unlistedReads <= 0) delete entry.unlistedReads;
  }
  return shown;
}

/** `NetworkPermissionEntry` as Atlas returns it. */
function entryView(entry: SimAccessListEntry, url: URL): Record<string, unknown> {
  const cidr = entry.cidrBlock ?? (entry.ipAddress === undefined ? undefined : keyOf(entry.ipAddress));
  const value = entry.awsSecurityGroup ?? entry.ipAddress ?? cidr ?? '';
  return {
    ...(entry.awsSecurityGroup === undefined ? {} : { awsSecurityGroup: entry.awsSecurityGroup }),
    ...(cidr === undefined ? {} : { cidrBlock: cidr }),
    ...(entry.comment === undefined ? {} : { comment: entry.comment }),
    ...(entry.deleteAfterDate === undefined ? {} : { deleteAfterDate: entry.deleteAfterDate }),
    groupId: entry.groupId,
    ...(entry.ipAddress === undefined ? {} : { ipAddress: entry.ipAddress }),
    links: [
      {
        href: `${url.origin}/api/atlas/v2/groups/${entry.groupId}/accessList/${encodeURIComponent(value)}`,
        rel: 'self',
      },
    ],
  };
}

function findEntry(
  entries: readonly SimAccessListEntry[],
  groupId: string,
  entryValue: string,
): SimAccessListEntry {
  const key = keyOf(entryValue);
  const entry = entries.find((e) => entryKey(e) === key);
  if (!entry) {
    throw notFound(
      'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND',
      `IP Address ${entryValue} not on Atlas access list for group ${groupId}.`,
      [entryValue, groupId],
    );
  }
  return entry;
}

function badRequest(
  code: ErrorCode,
  detail: string,
  field: string,
  description: string,
  parameters: unknown[] = [],
) {
  const fields: FieldViolation[] = [{ field, description }];
  return new SimError(400, code, detail, { parameters, fields });
}

/** Atlas's rules for one new entry (the schema has checked the formats). */
function checkEntry(entry: NewEntry, index: number, now: number, peered: boolean): void {
  const set = (['ipAddress', 'cidrBlock', 'awsSecurityGroup'] as const).filter((k) => entry[k] !== undefined);
  if (set.length === 0) {
    throw badRequest(
      'MISSING_ONE_OF_THREE_ATTRIBUTES',
      'Either the ipAddress attribute, the cidrBlock attribute, or the awsSecurityGroup attribute must be specified.',
      String(index),
      'must set exactly one of ipAddress, cidrBlock and awsSecurityGroup',
      ['ipAddress', 'cidrBlock', 'awsSecurityGroup'],
    );
  }
  if (set.length > 1) {
    throw badRequest(
      'MULTIPLE_VALUES_SPECIFIED_FOR_ONE_NETWORK_PERMISSION_ENTRY',
      `Should not specify more than one of ${set.join(', ')} in one access list entry.`,
      `${index}.${set[1]}`,
      `cannot be set together with ${set[0]}`,
    );
  }
  if (entry.comment !== undefined && entry.comment.length > MAX_COMMENT) {
    throw badRequest(
      'INVALID_NETWORK_PERMISSION_COMMENT',
      `The comment of entry ${index} must be ${MAX_COMMENT} characters or less.`,
      `${index}.comment`,
      `must be at most ${MAX_COMMENT} characters`,
    );
  }
  if (entry.deleteAfterDate !== undefined) {
    const field = `${index}.deleteAfterDate`;
    if (entry.awsSecurityGroup !== undefined) {
      throw badRequest(
        'NETWORK_PERMISSION_EXPIRATION_NOT_SUPPORTED',
        'Expiration dates are only supported for IP addresses and CIDR blocks; a security group entry cannot be temporary.',
        field,
        'a security group entry cannot be temporary',
      );
    }
    const expires = Date.parse(entry.deleteAfterDate);
    if (expires <= now) {
      throw badRequest(
        'EXPIRATION_DATE_IN_PAST',
        'The specified expiration date must be in the future.',
        field,
        'must be in the future',
      );
    }
    if (expires > now + WEEK_MS) {
      throw badRequest(
        'EXPIRATION_DATE_EXCEEDS_MAX',
        'The specified expiration date can be at most 7 days in the future.',
        field,
        'must be at most one week in the future',
        [7],
      );
    }
  }
  if (entry.awsSecurityGroup !== undefined && !peered) {
    throw badRequest(
      'CANNOT_USE_AWS_SECURITY_GROUP_WITHOUT_VPC_PEERING_CONNECTION',
      'Cannot use AWS security groups as access list entries without a VPC peering connection.',
      `${index}.awsSecurityGroup`,
      'needs an AWS VPC peering connection in the project',
    );
  }
}

/** The stored form of a new entry. */
function toStored(groupId: string, entry: NewEntry): SimAccessListEntry {
  const identity =
    entry.awsSecurityGroup !== undefined
      ? { awsSecurityGroup: entry.awsSecurityGroup }
      : entry.ipAddress !== undefined
        ? { ipAddress: entry.ipAddress, cidrBlock: keyOf(entry.ipAddress) }
        : { cidrBlock: entry.cidrBlock ?? '' };
  return {
    groupId,
    ...identity,
    ...(entry.comment === undefined ? {} : { comment: entry.comment }),
    ...(entry.deleteAfterDate === undefined
      ? {}
      : { deleteAfterDate: atlasDate(Date.parse(entry.deleteAfterDate)) }),
  };
}

export const projectAccessListRoutes = [
  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/accessList',
    versions: V2023_01_01,
    endpointSet: 'project-access-list',
    params: groupParams,
    handle: ({ state, params, now, url }) => {
      purgeExpired(state, now);
      return { status: 200, list: readEntries(state, params.groupId).map((e) => entryView(e, url)) };
    },
  }),

  defineRoute({
    method: 'POST',
    path: '/groups/{groupId}/accessList',
    versions: V2023_01_01,
    endpointSet: 'project-access-list',
    params: groupParams,
    body: z.array(newEntry).min(1, 'must hold at least one entry'),
    handle: ({ state, params, body, now, url, fault }) => {
      purgeExpired(state, now);
      const peered = hasAwsPeering(state, params.groupId);
      const seen = new Map<string, number>();
      body.forEach((entry, index) => {
        checkEntry(entry, index, now, peered);
        const key = entryKey(entry);
        const first = seen.get(key);
        if (first !== undefined) {
          throw badRequest(
            'DUPLICATE_ADDRESSES_IN_INPUT',
            'Two or more of the entries being added to the access list are the same.',
            String(index),
            `is the same entry as ${first}`,
          );
        }
        seen.set(key, index);
      });
      const unlisted = fault('unlisted');
      for (const entry of body) {
        const stored = toStored(params.groupId, entry);
        const at = state.projectAccessList.findIndex(
          (e) => e.groupId === params.groupId && entryKey(e) === entryKey(stored),
        );
        const existing = state.projectAccessList[at];
        if (existing) {
          // An entry already listed stays listed with its new comment; one still hidden stays hidden.
          if (existing.unlistedReads !== undefined) stored.unlistedReads = existing.unlistedReads;
          state.projectAccessList[at] = stored;
        } else {
          if (unlisted) stored.unlistedReads = unlisted.count;
          state.projectAccessList.push(stored);
        }
      }
      // The whole list, paged by the request's itemsPerPage/pageNum/includeCount.
      return { status: 200, list: listedEntries(state, params.groupId).map((e) => entryView(e, url)) };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/accessList/{entryValue}',
    versions: V2023_01_01,
    endpointSet: 'project-access-list',
    params: entryParams,
    handle: ({ state, params, now, url }) => {
      purgeExpired(state, now);
      const entry = findEntry(readEntries(state, params.groupId), params.groupId, params.entryValue);
      return { status: 200, body: entryView(entry, url) };
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: '/groups/{groupId}/accessList/{entryValue}',
    versions: V2023_01_01,
    endpointSet: 'project-access-list',
    params: entryParams,
    handle: ({ state, params, now }) => {
      purgeExpired(state, now);
      const entry = findEntry(groupEntries(state, params.groupId), params.groupId, params.entryValue);
      state.projectAccessList = state.projectAccessList.filter((e) => e !== entry);
      return { status: 204 };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/accessList/{entryValue}/status',
    versions: V2023_01_01,
    endpointSet: 'project-access-list',
    params: entryParams,
    handle: ({ state, params, now }) => {
      purgeExpired(state, now);
      findEntry(readEntries(state, params.groupId), params.groupId, params.entryValue);
      // The simulator has no cloud providers to wait for: an entry is active as soon as it is listed.
      return { status: 200, body: { STATUS: 'ACTIVE' } };
    },
  }),
];
