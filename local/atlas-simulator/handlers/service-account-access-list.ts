/**
 * A service account's API access list (2024-08-05): list, add (a set: an existing entry is not added twice;
 * 200 with the whole list) and delete (204). As in Atlas, nobody may remove the entry their own request comes
 * from: that would lock the caller out (400 CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST, the code the Atlas CLI's
 * e2e test met, test/e2e/iam/org_api_key_access_list_test.go before commit 5dbb0a9ff8).
 *
 * No public source names the codes for an unknown service account or entry: SERVICE_ACCOUNT_NOT_FOUND and
 * SERVICE_ACCOUNT_ACCESS_LIST_ENTRY_NOT_FOUND (404) are assumed.
 */
import { z } from 'zod';
import { notFound, SimError } from '../errors.ts';
import { addressMatches } from '../ipv4.ts';
import { defineRoute } from '../routes.ts';
import type { SimServiceAccount, SimServiceAccountAccessEntry, SimState } from '../state.ts';
import { cidrBlock, ipAddress, ipOrCidr, objectId, serviceAccountClientId } from '../validation.ts';

const VERSIONS = [{ date: '2024-08-05' }] as const;
const PATH = '/orgs/{orgId}/serviceAccounts/{clientId}/accessList';

/** A CIDR block in a body may carry its `/` encoded, as the spec's pattern allows. */
const bodyCidrBlock = z.preprocess((v) => (typeof v === 'string' ? v.replace(/%2f/i, '/') : v), cidrBlock);

const newEntry = z
  .object({ ipAddress: ipAddress.optional(), cidrBlock: bodyCidrBlock.optional() })
  .superRefine((entry, ctx) => {
    if (entry.ipAddress === undefined && entry.cidrBlock === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must set exactly one of ipAddress and cidrBlock' });
    } else if (entry.ipAddress !== undefined && entry.cidrBlock !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['cidrBlock'], message: 'cannot be set together with ipAddress' });
    }
  });

const accountParams = z.object({ orgId: objectId, clientId: serviceAccountClientId });
const entryParams = z.object({ orgId: objectId, clientId: serviceAccountClientId, ipAddress: ipOrCidr });

/** RFC 3339 without milliseconds, as Atlas writes dates. */
function atlasDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function findAccount(state: SimState, orgId: string, clientId: string): SimServiceAccount {
  const account = state.serviceAccounts.find((a) => a.clientId === clientId && a.orgId === orgId);
  if (!account) {
    throw notFound(
      'SERVICE_ACCOUNT_NOT_FOUND',
      `No service account with client ID ${clientId} exists in organization ${orgId}.`,
      [clientId, orgId],
    );
  }
  return account;
}

const sameValue = (a: string | undefined, b: string) =>
  a !== undefined && a.toLowerCase() === b.toLowerCase();

/** True when `ip` is the entry's address or inside its IPv4 CIDR block. */
function covers(entry: SimServiceAccountAccessEntry, ip: string): boolean {
  return addressMatches(ip, entry.ipAddress, entry.cidrBlock);
}

/** `ServiceAccountIPAccessListEntry` as Atlas returns it. */
function entryView(entry: SimServiceAccountAccessEntry): Record<string, unknown> {
  return {
    ...(entry.cidrBlock === undefined ? {} : { cidrBlock: entry.cidrBlock }),
    createdAt: entry.createdAt,
    ...(entry.ipAddress === undefined ? {} : { ipAddress: entry.ipAddress }),
    ...(entry.lastUsedAddress === undefined ? {} : { lastUsedAddress: entry.lastUsedAddress }),
    ...(entry.lastUsedAt === undefined ? {} : { lastUsedAt: entry.lastUsedAt }),
    requestCount: entry.requestCount,
  };
}

export const serviceAccountAccessListRoutes = [
  defineRoute({
    method: 'GET',
    path: PATH,
    versions: VERSIONS,
    endpointSet: 'service-accounts-org',
    params: accountParams,
    handle: ({ state, params }) => {
      const account = findAccount(state, params.orgId, params.clientId);
      return { status: 200, list: account.accessList.map(entryView) };
    },
  }),

  defineRoute({
    method: 'POST',
    path: PATH,
    versions: VERSIONS,
    endpointSet: 'service-accounts-org',
    params: accountParams,
    body: z.array(newEntry).min(1, 'must hold at least one entry').max(200, 'must hold at most 200 entries'),
    handle: ({ state, params, body, now }) => {
      const account = findAccount(state, params.orgId, params.clientId);
      for (const entry of body) {
        const exists = account.accessList.some((e) =>
          entry.ipAddress !== undefined
            ? sameValue(e.ipAddress, entry.ipAddress)
            : sameValue(e.cidrBlock, entry.cidrBlock ?? ''),
        );
        if (exists) continue;
        account.accessList.push({
          ...(entry.ipAddress === undefined
            ? { cidrBlock: entry.cidrBlock ?? '' }
            : { ipAddress: entry.ipAddress }),
          createdAt: atlasDate(now),
          requestCount: 0,
        });
      }
      // The whole list, paged by the request's itemsPerPage/pageNum/includeCount.
      return { status: 200, list: account.accessList.map(entryView) };
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: `${PATH}/{ipAddress}`,
    versions: VERSIONS,
    endpointSet: 'service-accounts-org',
    params: entryParams,
    handle: ({ state, params, sourceIp }) => {
      const account = findAccount(state, params.orgId, params.clientId);
      const entry = account.accessList.find(
        (e) => sameValue(e.ipAddress, params.ipAddress) || sameValue(e.cidrBlock, params.ipAddress),
      );
      if (!entry) {
        throw notFound(
          'SERVICE_ACCOUNT_ACCESS_LIST_ENTRY_NOT_FOUND',
          `IP address ${params.ipAddress} not on the access list of service account ${params.clientId}.`,
          [params.ipAddress, params.clientId],
        );
      }
      if (covers(entry, sourceIp)) {
        throw new SimError(
          400,
          'CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST',
          `Cannot remove caller's IP address ${sourceIp} from access list.`,
          {
            parameters: [sourceIp],
            fields: [{ field: 'ipAddress', description: 'is the address this request comes from' }],
          },
        );
      }
      account.accessList = account.accessList.filter((e) => e !== entry);
      return { status: 204 };
    },
  }),
];
