/** The inventory worker's environment (set by infra/constructs/inventory-worker.ts), checked at cold start. */
import { parseEnv } from '../../shared/config/env.ts';
import { INVENTORY_CONCURRENCY, integerSetting, objectIdList } from '../../shared/config/rules.ts';
import * as z from '../../shared/config/zod.ts';
import { type FindingRules, parseFindingRules } from '../../shared/inventory/findings.ts';

export const inventoryEnvSchema = z.object({
  ATLAS_SECRET_ID: z.string('is required').check(z.minLength(1, 'is required')),
  SNAPSHOT_BUCKET: z.string('is required').check(z.minLength(1, 'is required')),
  SNAPSHOT_PREFIX: z._default(z.string(), 'inventory/'),
  /** Local S3 stand-ins need path-style addressing; real S3 does not. */
  SNAPSHOT_S3_FORCE_PATH_STYLE: z._default(z.enum(['true', 'false']), 'false'),
  INVENTORY_ORG_IDS: objectIdList,
  INVENTORY_PROJECT_IDS: objectIdList,
  INVENTORY_CONCURRENCY: integerSetting(INVENTORY_CONCURRENCY),
  INVENTORY_RULES: z.optional(z.string()),
  /** Time kept back from the Lambda timeout to write the snapshot. */
  INVENTORY_RESERVE_MS: integerSetting({ min: 0, max: 120_000, default: 10_000 }),
});

export interface InventoryConfig {
  secretId: string;
  bucket: string;
  prefix: string;
  forcePathStyle: boolean;
  orgIds: string[];
  projectIds: string[];
  concurrency: number;
  rules: FindingRules;
  reserveMs: number;
}

/** Reads the worker's configuration; throws a `ConfigError` (or `InventoryConfigError` for rules) naming what is wrong. */
export function loadInventoryConfig(env: Record<string, string | undefined>): InventoryConfig {
  const parsed = parseEnv(inventoryEnvSchema, env);
  let rules: unknown = {};
  if (parsed.INVENTORY_RULES) {
    try {
      rules = JSON.parse(parsed.INVENTORY_RULES);
    } catch {
      rules = Symbol('not JSON');
    }
  }
  return {
    secretId: parsed.ATLAS_SECRET_ID,
    bucket: parsed.SNAPSHOT_BUCKET,
    prefix: parsed.SNAPSHOT_PREFIX,
    forcePathStyle: parsed.SNAPSHOT_S3_FORCE_PATH_STYLE === 'true',
    orgIds: parsed.INVENTORY_ORG_IDS,
    projectIds: parsed.INVENTORY_PROJECT_IDS,
    concurrency: parsed.INVENTORY_CONCURRENCY,
    rules: parseFindingRules(rules),
    reserveMs: parsed.INVENTORY_RESERVE_MS,
  };
}
