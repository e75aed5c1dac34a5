/**
 * The desired-state document of the access-list sync: which project and service-account access lists to
 * manage, how far each may be pruned, the entries each should hold, the most removals a run may make per list
 * (at most the stack's) and the addresses no run removes (besides the stack's). Validated with zod before
 * anything is sent; every bad field is named by its path (`projects.0.entries.2.cidrBlock`), never by its
 * value. A wide network (`refuseWideNetworks`) is named by its path and its value: it is a network, not a
 * secret, and the reader must see which one.
 *
 * @example
 * {
 *   "maxDeletions": 10,
 *   "projects": [{ "groupId": "5f1b2c3d4e5f6a7b8c9d0e1f", "prune": "managed",
 *                  "entries": [{ "cidrBlock": "10.8.0.0/16", "comment": "office VPN" }] }],
 *   "serviceAccounts": [{ "orgId": "6a1b2c3d4e5f6a7b8c9d0e1f", "clientId": "mdb_sa_id_0123456789abcdef01234567",
 *                         "prune": "none", "entries": [{ "cidrBlock": "198.51.100.0/24" }] }],
 *   "protect": ["192.0.2.10"]
 * }
 */
import type { FieldProblem } from '../atlas/index.ts';
import {
  accessListEntryValue,
  awsSecurityGroupId,
  cidrBlock,
  ipAddress,
  isoDateTime,
  objectId,
  serviceAccountClientId,
} from '../atlas/validation.ts';
import { fieldProblems } from '../config/field-problems.ts';
import { JsonSyntaxError, parseJson } from '../config/json-syntax.ts';
import * as z from '../config/zod.ts';
import { canonicalEntryKey } from './canonical-entry.ts';
import { DesiredStateError } from './errors.ts';
import { PRUNE_MODES } from './model.ts';
import { wideNetworks } from './wide-networks.ts';

/** Atlas's limit on a project access-list entry's comment (`NetworkPermissionEntry.comment`, maxLength 80). */
export const MAX_COMMENT_LENGTH = 80;

/**
 * What the sync appends to the comment of each project entry it adds to a `prune: managed` list, so a person
 * looking at the list in Atlas sees which entries the sync owns (and would remove once undeclared).
 */
export const MANAGED_COMMENT_MARK = '[atlas-ops]';

/** The longest comment a declared entry of a `managed` project list may carry: the mark must still fit. */
export const MAX_MANAGED_COMMENT_LENGTH = MAX_COMMENT_LENGTH - MANAGED_COMMENT_MARK.length - 1;

/**
 * The default of the stack's `maxDeletions` (`accessListMaxDeletions`; the CLI's `--max-deletions`): at most
 * this many removals per list and run. A document without `maxDeletions` gets the stack's.
 */
export const DEFAULT_MAX_DELETIONS = 10;

const projectEntry = z
  .strictObject({
    ipAddress: z.optional(ipAddress),
    cidrBlock: z.optional(cidrBlock),
    awsSecurityGroup: z.optional(awsSecurityGroupId),
    comment: z.optional(
      z.string().check(z.maxLength(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`)),
    ),
    deleteAfterDate: z.optional(isoDateTime),
  })
  .check(
    z.superRefine((entry, context) => {
      const set = [entry.ipAddress, entry.cidrBlock, entry.awsSecurityGroup].filter((v) => v !== undefined);
      if (set.length !== 1) {
        context.addIssue({
          code: 'custom',
          message: 'must set exactly one of ipAddress, cidrBlock and awsSecurityGroup',
        });
      }
      // Atlas: a security group entry cannot be temporary (NETWORK_PERMISSION_EXPIRATION_NOT_SUPPORTED).
      if (entry.awsSecurityGroup !== undefined && entry.deleteAfterDate !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['deleteAfterDate'],
          message: 'a security group entry cannot be temporary',
        });
      }
    }),
  );

const serviceAccountEntry = z
  .strictObject({ ipAddress: z.optional(ipAddress), cidrBlock: z.optional(cidrBlock) })
  .check(
    z.superRefine((entry, context) => {
      if ((entry.ipAddress === undefined) === (entry.cidrBlock === undefined)) {
        context.addIssue({ code: 'custom', message: 'must set exactly one of ipAddress and cidrBlock' });
      }
    }),
  );

const prune = z._default(z.enum(PRUNE_MODES, { error: 'must be none, managed or all' }), 'none');

/** Flags entries of one list that are the same network written twice (`10.0.0.1` and `10.0.0.1/32`). */
function noDuplicateEntries(
  entries: readonly { ipAddress?: string; cidrBlock?: string; awsSecurityGroup?: string }[],
  context: z.core.$RefinementCtx,
): void {
  const first = new Map<string, number>();
  entries.forEach((entry, index) => {
    const key = canonicalEntryKey(entry);
    if (key === undefined) return;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, index);
    else {
      context.addIssue({
        code: 'custom',
        path: ['entries', index],
        message: `is the same entry as entries.${seen} (${key})`,
      });
    }
  });
}

const projectList = z.strictObject({ groupId: objectId, prune, entries: z.array(projectEntry) }).check(
  z.superRefine((list, context) => {
    noDuplicateEntries(list.entries, context);
    if (list.prune !== 'managed') return;
    list.entries.forEach((entry, index) => {
      if ((entry.comment?.length ?? 0) > MAX_MANAGED_COMMENT_LENGTH) {
        context.addIssue({
          code: 'custom',
          path: ['entries', index, 'comment'],
          message:
            `must be at most ${MAX_MANAGED_COMMENT_LENGTH} characters on a managed list ` +
            `(the sync appends " ${MANAGED_COMMENT_MARK}" within Atlas's ${MAX_COMMENT_LENGTH})`,
        });
      }
    });
  }),
);

const serviceAccountList = z
  .strictObject({
    orgId: objectId,
    clientId: serviceAccountClientId,
    prune,
    entries: z.array(serviceAccountEntry),
  })
  .check(z.superRefine((list, context) => noDuplicateEntries(list.entries, context)));

export const desiredStateSchema = z
  .strictObject({
    // Absent: the stack's. Present: it may lower the stack's, never raise it (./guards.ts).
    maxDeletions: z.optional(
      z
        .int('must be a whole number')
        .check(z.minimum(0, 'must be 0 or more'), z.maximum(10_000, 'must be at most 10000')),
    ),
    projects: z._default(z.array(projectList), []),
    serviceAccounts: z._default(z.array(serviceAccountList), []),
    protect: z._default(z.array(accessListEntryValue), []),
  })
  .check(
    z.superRefine((state, context) => {
      const declared = (what: string, key: string, index: number, seen: Map<string, number>) => {
        const first = seen.get(key);
        if (first === undefined) seen.set(key, index);
        else {
          context.addIssue({
            code: 'custom',
            path: [what, index],
            message: `declares the same list as ${what}.${first}`,
          });
        }
      };
      const projects = new Map<string, number>();
      for (const [index, list] of state.projects.entries()) {
        declared('projects', list.groupId, index, projects);
      }
      const accounts = new Map<string, number>();
      for (const [index, list] of state.serviceAccounts.entries()) {
        declared('serviceAccounts', `${list.orgId}/${list.clientId}`, index, accounts);
      }
    }),
  );

/** A valid desired state, defaults filled in. */
export type DesiredState = z.output<typeof desiredStateSchema>;
export type DeclaredProjectList = DesiredState['projects'][number];
export type DeclaredServiceAccountList = DesiredState['serviceAccounts'][number];
export type DeclaredList = DeclaredProjectList | DeclaredServiceAccountList;

/**
 * Parses a desired-state document (JSON text); throws `DesiredStateError` naming each bad field.
 * @example parseDesiredState('{"projects": []}').projects // []
 */
export function parseDesiredState(text: string): DesiredState {
  let document: unknown;
  try {
    document = parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new DesiredStateError([{ field: '(document)', description: `is not JSON: ${error.message}` }]);
  }
  return checkDesiredState(document);
}

/** Checks a parsed document; throws `DesiredStateError` naming each bad field. */
export function checkDesiredState(document: unknown): DesiredState {
  const result = desiredStateSchema.safeParse(document, { reportInput: true });
  if (result.success) return result.data;
  throw new DesiredStateError(
    fieldProblems(result.error.issues, {
      root: '(document)',
      unknownKey: 'is not a field of the desired state',
    }),
  );
}

/**
 * Refuses a desired state that declares an entry admitting the whole internet or most of it (./wide-networks.ts:
 * wider than a /8 in IPv4 or a /16 in IPv6, or the entries of one list together): throws `DesiredStateError`
 * naming each entry (`projects.0.entries.1.cidrBlock`). The sync calls it unless the stack allows wide
 * networks (`accessListSyncAllowWideNetworks`; the CLI's `--allow-wide-networks`).
 */
export function refuseWideNetworks(state: DesiredState): void {
  const problems: FieldProblem[] = [];
  const lists = [
    ...state.projects.map((list, index) => ({ at: `projects.${index}`, entries: list.entries })),
    ...state.serviceAccounts.map((list, index) => ({
      at: `serviceAccounts.${index}`,
      entries: list.entries,
    })),
  ];
  for (const { at, entries } of lists) {
    const declared = entries.flatMap((entry, index) => {
      const field = entry.cidrBlock !== undefined ? 'cidrBlock' : 'ipAddress';
      const value = entry.cidrBlock ?? entry.ipAddress;
      return value === undefined ? [] : [{ field: `${at}.entries.${index}.${field}`, value }];
    });
    for (const wide of wideNetworks(declared.map((entry) => entry.value))) {
      problems.push({
        field: wide.indexes.map((index) => declared[index]?.field).join(', '),
        description: `${wide.reason}; the sync refuses wide networks unless the stack allows them`,
      });
    }
  }
  if (problems.length > 0) throw new DesiredStateError(problems);
}
