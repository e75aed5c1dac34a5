/** The access-list sync worker's environment (set by infra/constructs/access-list-sync.ts), checked at cold start. */
import { DEFAULT_MAX_DELETIONS } from '../../shared/access-list/desired-state.ts';
import { DEFAULT_MAX_REMOVAL_SHARE, type SyncLimits } from '../../shared/access-list/guards.ts';
import { SYNC_MODES, type SyncMode } from '../../shared/access-list/model.ts';
import { ipAddress, ipOrCidr } from '../../shared/atlas/validation.ts';
import { commaList, parseEnv } from '../../shared/config/env.ts';
import { integerSetting } from '../../shared/config/rules.ts';
import * as z from '../../shared/config/zod.ts';

/** Everything the sync keeps in the bucket lives under this prefix, beside the inventory's `inventory/`. */
export const ACCESS_LIST_PREFIX = 'access-list/';
/** The desired state: the team writes it; a change to it starts a run. */
export const DESIRED_STATE_KEY = `${ACCESS_LIST_PREFIX}desired-state.json`;
/** The record of the entries the sync added (what `prune: managed` may remove), beside the desired state. */
export const MANAGED_ENTRIES_KEY = `${ACCESS_LIST_PREFIX}managed-entries.json`;
/** One folder per run, `YYYY/MM/DD/<run>/report.{json,txt}`, and `latest.json`. */
export const REPORT_PREFIX = `${ACCESS_LIST_PREFIX}reports/`;

export const accessListSyncEnvSchema = z.object({
  ATLAS_SECRET_ID: z.string('is required').check(z.minLength(1, 'is required')),
  ACCESS_LIST_BUCKET: z.string('is required').check(z.minLength(1, 'is required')),
  DESIRED_STATE_KEY: z._default(z.string().check(z.minLength(1)), DESIRED_STATE_KEY),
  MANAGED_ENTRIES_KEY: z._default(z.string().check(z.minLength(1)), MANAGED_ENTRIES_KEY),
  REPORT_PREFIX: z._default(z.string().check(z.minLength(1)), REPORT_PREFIX),
  /** Local S3 stand-ins need path-style addressing; real S3 does not. */
  ACCESS_LIST_S3_FORCE_PATH_STYLE: z._default(z.enum(['true', 'false']), 'false'),
  /** `plan` (report drift, change nothing; the default, so a first deployment changes nothing) or `apply`. */
  SYNC_MODE: z._default(z.enum(SYNC_MODES, { error: 'must be plan or apply' }), 'plan'),
  /** The stack's static egress addresses, comma-separated: no run removes them. Absent without static egress. */
  STATIC_EGRESS_IPS: z.pipe(z.pipe(z.optional(z.string()), z.transform(commaList)), z.array(ipAddress)),
  /** Time kept back from the Lambda timeout to write the report and the record. */
  SYNC_RESERVE_MS: integerSetting({ min: 0, max: 120_000, default: 10_000 }),
  /**
   * Addresses and CIDR blocks, comma-separated, no run removes whatever the desired state says (context
   * `protectedAddresses`). Absent: none beyond the static egress addresses and the document's `protect`.
   */
  PROTECTED_ADDRESSES: z.pipe(z.pipe(z.optional(z.string()), z.transform(commaList)), z.array(ipOrCidr)),
  /** The most removals per list and run (context `accessListMaxDeletions`); the document may only lower it. */
  MAX_DELETIONS: integerSetting({ min: 0, max: 10_000, default: DEFAULT_MAX_DELETIONS }),
  /** The largest share (0–1) of one list's entries a run may remove (context `accessListMaxRemovalShare`). */
  MAX_REMOVAL_SHARE: z._default(
    z.coerce
      .number('must be a number from 0 to 1')
      .check(z.gte(0, 'must be a number from 0 to 1'), z.lte(1, 'must be a number from 0 to 1')),
    DEFAULT_MAX_REMOVAL_SHARE,
  ),
  /** `true`: a declared entry may admit the whole internet (context `accessListSyncAllowWideNetworks`). */
  ALLOW_WIDE_NETWORKS: z._default(z.enum(['true', 'false'], { error: 'must be true or false' }), 'false'),
});

export interface AccessListSyncConfig {
  secretId: string;
  bucket: string;
  desiredStateKey: string;
  managedEntriesKey: string;
  reportPrefix: string;
  forcePathStyle: boolean;
  mode: SyncMode;
  staticEgressIps: string[];
  reserveMs: number;
  /** The stack's limits on every run (shared/access-list/guards.ts). */
  limits: SyncLimits;
}

/** Reads the worker's configuration; throws a `ConfigError` naming each bad variable. */
export function loadAccessListSyncConfig(env: Record<string, string | undefined>): AccessListSyncConfig {
  const parsed = parseEnv(accessListSyncEnvSchema, env);
  return {
    secretId: parsed.ATLAS_SECRET_ID,
    bucket: parsed.ACCESS_LIST_BUCKET,
    desiredStateKey: parsed.DESIRED_STATE_KEY,
    managedEntriesKey: parsed.MANAGED_ENTRIES_KEY,
    reportPrefix: parsed.REPORT_PREFIX,
    forcePathStyle: parsed.ACCESS_LIST_S3_FORCE_PATH_STYLE === 'true',
    mode: parsed.SYNC_MODE,
    staticEgressIps: parsed.STATIC_EGRESS_IPS,
    reserveMs: parsed.SYNC_RESERVE_MS,
    limits: {
      maxDeletions: parsed.MAX_DELETIONS,
      maxRemovalShare: parsed.MAX_REMOVAL_SHARE,
      protectedAddresses: parsed.PROTECTED_ADDRESSES,
      allowWideNetworks: parsed.ALLOW_WIDE_NETWORKS === 'true',
    },
  };
}
