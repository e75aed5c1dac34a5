/** The access-list sync worker's environment (set by infra/constructs/access-list-sync.ts), checked at cold start. */
import { SYNC_MODES, type SyncMode } from '../../shared/access-list/model.ts';
import { ipAddress } from '../../shared/atlas/validation.ts';
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
  };
}
