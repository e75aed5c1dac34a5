/**
 * Findings: configurable checks of every cluster in a snapshot (backup off, old TLS, old MongoDB, …) and of
 * every database user (write roles on every cluster, a permanent atlasAdmin, a temporary user whose end was
 * moved past what its grant set).
 * Each rule can be turned off, given another severity and, where it has parameters, tuned; the configuration
 * is checked strictly so that a misspelt rule id or parameter fails loudly instead of being ignored.
 */
import * as z from '../config/zod.ts';
import { InventoryConfigError } from './errors.ts';
import type { Finding, InventoryCluster, InventoryDatabaseUser, Severity } from './model.ts';

/** Every rule id, in the order the rules are documented. */
export const RULE_IDS = [
  'backup-disabled',
  'tls-below-1-2',
  'termination-protection-disabled',
  'mongodb-version-below-minimum',
  'cluster-paused',
  'missing-required-tags',
  'database-user-unscoped-write',
  'database-user-permanent-admin',
  'temporary-user-outlives-grant',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** What every rule has: whether it runs and how severe its findings are. */
export interface RuleSettings {
  enabled: boolean;
  severity: Severity;
}

/** The resolved configuration of every rule: defaults with the caller's overrides applied. */
export interface FindingRules {
  'backup-disabled': RuleSettings;
  'tls-below-1-2': RuleSettings;
  'termination-protection-disabled': RuleSettings;
  'mongodb-version-below-minimum': RuleSettings & { minimumMajorVersion: string };
  'cluster-paused': RuleSettings;
  'missing-required-tags': RuleSettings & { requiredTags: readonly string[] };
  'database-user-unscoped-write': RuleSettings;
  'database-user-permanent-admin': RuleSettings;
  'temporary-user-outlives-grant': RuleSettings;
}

/** The rules as they run when nobody configures them. */
export const DEFAULT_RULES: Readonly<FindingRules> = Object.freeze({
  'backup-disabled': Object.freeze({ enabled: true, severity: 'high' }),
  'tls-below-1-2': Object.freeze({ enabled: true, severity: 'high' }),
  'termination-protection-disabled': Object.freeze({ enabled: true, severity: 'medium' }),
  'mongodb-version-below-minimum': Object.freeze({
    enabled: true,
    severity: 'medium',
    minimumMajorVersion: '7.0',
  }),
  'cluster-paused': Object.freeze({ enabled: true, severity: 'low' }),
  'missing-required-tags': Object.freeze({
    enabled: true,
    severity: 'low',
    requiredTags: Object.freeze(['env', 'owner']),
  }),
  'database-user-unscoped-write': Object.freeze({ enabled: true, severity: 'high' }),
  'database-user-permanent-admin': Object.freeze({ enabled: true, severity: 'medium' }),
  'temporary-user-outlives-grant': Object.freeze({ enabled: true, severity: 'medium' }),
});

const quoteList = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');
const plural = (count: number, word: string) => (count === 1 ? word : `${word}s`);

/** One rule's configuration object: `enabled`, `severity` and the rule's own parameters, nothing else. */
function ruleSchema<Shape extends z.core.$ZodShape>(id: RuleId, params: Shape) {
  const allowed = ['enabled', 'severity', ...Object.keys(params)];
  return z.optional(
    z.strictObject(
      {
        enabled: z.optional(z.boolean()),
        severity: z.optional(z.enum(['high', 'medium', 'low'])),
        ...params,
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `rule "${id}": unknown ${plural(issue.keys.length, 'param')} ${quoteList(issue.keys)} ` +
              `(allowed: ${allowed.join(', ')})`
            : undefined,
      },
    ),
  );
}

/**
 * The finding-rules configuration: `{ [ruleId]: { enabled?, severity?, ...params } }`. Every key is
 * optional; unknown rule ids and unknown parameters are rejected with a message naming them.
 * @example findingRulesSchema.parse({ 'cluster-paused': { enabled: false } })
 */
export const findingRulesSchema = z.strictObject(
  {
    'backup-disabled': ruleSchema('backup-disabled', {}),
    'tls-below-1-2': ruleSchema('tls-below-1-2', {}),
    'termination-protection-disabled': ruleSchema('termination-protection-disabled', {}),
    'mongodb-version-below-minimum': ruleSchema('mongodb-version-below-minimum', {
      minimumMajorVersion: z.optional(
        z.string().check(z.regex(/^\d+\.\d+$/, 'must be a MongoDB major version such as 7.0')),
      ),
    }),
    'cluster-paused': ruleSchema('cluster-paused', {}),
    'missing-required-tags': ruleSchema('missing-required-tags', {
      requiredTags: z.optional(z.array(z.string().check(z.minLength(1, 'must not be empty')))),
    }),
    'database-user-unscoped-write': ruleSchema('database-user-unscoped-write', {}),
    'database-user-permanent-admin': ruleSchema('database-user-permanent-admin', {}),
    'temporary-user-outlives-grant': ruleSchema('temporary-user-outlives-grant', {}),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown rule ${plural(issue.keys.length, 'id')} ${quoteList(issue.keys)} ` +
          `(known rules: ${RULE_IDS.join(', ')})`
        : undefined,
  },
);

export type FindingRulesInput = z.input<typeof findingRulesSchema>;

/** Where an issue is, in the words of the configuration: `rule "x" param "y"`. */
function describeIssue(issue: z.core.$ZodIssue): string {
  // Unknown keys already name the rule in their message.
  if (issue.code === 'unrecognized_keys') return issue.message;
  const [rule, param, ...rest] = issue.path.map(String);
  if (rule === undefined) return `must be an object keyed by rule id (${issue.message})`;
  const where =
    param === undefined ? `rule "${rule}"` : `rule "${rule}" param "${[param, ...rest].join('.')}"`;
  return `${where}: ${issue.message}`;
}

/**
 * Checks a finding-rules configuration and merges it over `DEFAULT_RULES`. `undefined` or `null` means
 * "all defaults". Throws `InventoryConfigError` naming every bad rule id or parameter.
 * @example parseFindingRules({ 'backup-disabled': { severity: 'medium' } })['backup-disabled'].severity // 'medium'
 */
export function parseFindingRules(input: unknown): FindingRules {
  const result = findingRulesSchema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(describeIssue);
    throw new InventoryConfigError(`Invalid finding rules: ${problems.join('; ')}`, problems);
  }
  const resolved: Record<string, object> = {};
  for (const id of RULE_IDS) {
    const overrides = Object.entries(result.data[id] ?? {}).filter(([, value]) => value !== undefined);
    resolved[id] = { ...DEFAULT_RULES[id], ...Object.fromEntries(overrides) };
  }
  // Each entry is its rule's defaults with overrides the schema checked against that rule's own shape.
  return resolved as unknown as FindingRules;
}

/**
 * Compares two MongoDB versions part by part as numbers, so `10.0` is above `8.0` (as text it is not).
 * Returns a negative number, 0 or a positive number; a part that is absent counts as 0.
 */
export function compareVersions(a: string, b: string): number {
  const partsA = a.split('.').map(Number);
  const partsB = b.split('.').map(Number);
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const difference = (partsA[i] ?? 0) - (partsB[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Shared-tier instance sizes: Atlas offers no Cloud Backup for them. */
const SHARED_TIER_SIZES = new Set(['M0', 'M2', 'M5']);

function isSharedTier(cluster: InventoryCluster): boolean {
  return cluster.regions.length > 0 && cluster.regions.every((r) => SHARED_TIER_SIZES.has(r.instanceSize));
}

const isVersion = (value: string) => /^\d+(\.\d+)*$/.test(value);

/** `TLS1_1` → `TLS 1.1`, for messages. */
const tlsLabel = (protocol: string) => protocol.replace(/^TLS(\d)_(\d)$/, 'TLS $1.$2');

function subject(cluster: InventoryCluster): string {
  return `Cluster "${cluster.name}" in project "${cluster.projectName}"`;
}

/** The rules about database users; the others are about clusters. */
const USER_RULE_IDS = [
  'database-user-unscoped-write',
  'database-user-permanent-admin',
  'temporary-user-outlives-grant',
] as const satisfies readonly RuleId[];
type UserRuleId = (typeof USER_RULE_IDS)[number];
type ClusterRuleId = Exclude<RuleId, UserRuleId>;
const CLUSTER_RULE_IDS = RULE_IDS.filter(
  (id): id is ClusterRuleId => !(USER_RULE_IDS as readonly string[]).includes(id),
);

/** Built-in roles that write data or administer: unscoped, they reach every cluster of the project. */
const WRITE_OR_ADMIN_ROLES = new Set([
  'readWrite',
  'readWriteAnyDatabase',
  'dbAdmin',
  'dbAdminAnyDatabase',
  'atlasAdmin',
  'enableSharding',
]);

const userSubject = (user: InventoryDatabaseUser) =>
  `Database user "${user.username}" in project "${user.projectName}"`;

/** Each database-user rule: the finding's message when the user breaks it, otherwise undefined. */
const USER_CHECKS: { [Id in UserRuleId]: (user: InventoryDatabaseUser) => string | undefined } = {
  'database-user-unscoped-write': (user) => {
    const writes = user.roles.filter((role) => WRITE_OR_ADMIN_ROLES.has(role.split('@')[0] ?? ''));
    return user.scopes.length === 0 && writes.length > 0
      ? `${userSubject(user)} holds ${writes.join(', ')} on every cluster of the project (no scopes); ` +
          'scope it to the clusters it needs.'
      : undefined;
  },
  'database-user-permanent-admin': (user) =>
    user.deleteAfterDate === undefined && user.roles.some((role) => role.startsWith('atlasAdmin@'))
      ? `${userSubject(user)} is a permanent atlasAdmin; grant admin for a time instead (databaseUser.createTemporary).`
      : undefined,
  'temporary-user-outlives-grant': (user) =>
    user.grantedUntil &&
    user.deleteAfterDate &&
    Date.parse(user.deleteAfterDate) > Date.parse(user.grantedUntil)
      ? `${userSubject(user)} ends ${user.deleteAfterDate}, after the ${user.grantedUntil} its grant set: ` +
        'someone moved its end outside atlas-ops; end it, or extend it through a request.'
      : undefined,
};

/** Each cluster rule as a check: the finding's message when the cluster breaks the rule, otherwise undefined. */
const CHECKS: {
  [Id in ClusterRuleId]: (cluster: InventoryCluster, settings: FindingRules[Id]) => string | undefined;
} = {
  'backup-disabled': (cluster) =>
    // Flex clusters are backed up by Atlas on a fixed schedule, and shared-tier clusters (M0, …) that the
    // clusters API still lists cannot turn backup on: a finding nobody can act on is noise.
    cluster.kind === 'dedicated' && !cluster.backupEnabled && !isSharedTier(cluster)
      ? `${subject(cluster)} has cloud backup disabled; enable it so the data can be restored.`
      : undefined,
  'tls-below-1-2': (cluster) =>
    cluster.minimumTlsProtocol === 'TLS1_0' || cluster.minimumTlsProtocol === 'TLS1_1'
      ? `${subject(cluster)} accepts ${tlsLabel(cluster.minimumTlsProtocol)} connections; ` +
        'raise its minimum TLS version to 1.2.'
      : undefined,
  'termination-protection-disabled': (cluster) =>
    cluster.terminationProtectionEnabled
      ? undefined
      : `${subject(cluster)} has termination protection disabled; enable it so the cluster cannot be deleted by mistake.`,
  'mongodb-version-below-minimum': (cluster, settings) => {
    const version = cluster.mongoDBMajorVersion || cluster.mongoDBVersion;
    // An unknown version is not evidence of an old one.
    if (!isVersion(version)) return undefined;
    return compareVersions(version, settings.minimumMajorVersion) < 0
      ? `${subject(cluster)} runs MongoDB ${version}, below the minimum ${settings.minimumMajorVersion}; ` +
          `upgrade it to ${settings.minimumMajorVersion} or later.`
      : undefined;
  },
  'cluster-paused': (cluster) =>
    cluster.paused
      ? `${subject(cluster)} is paused; resume it, or terminate it if it is no longer needed.`
      : undefined,
  'missing-required-tags': (cluster, settings) => {
    const missing = settings.requiredTags.filter((tag) => !Object.hasOwn(cluster.tags, tag));
    return missing.length > 0
      ? `${subject(cluster)} is missing the required ${plural(missing.length, 'tag')} ${missing.join(', ')}; ` +
          `add ${missing.length === 1 ? 'it' : 'them'} so the cluster can be attributed.`
      : undefined;
  },
};

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders findings by severity (high first), then project, cluster and rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareText(a.projectName, b.projectName) ||
    compareText(a.clusterName, b.clusterName) ||
    compareText(a.databaseUser ?? '', b.databaseUser ?? '') ||
    compareText(a.rule, b.rule) ||
    compareText(a.groupId, b.groupId)
  );
}

function runRule<Id extends ClusterRuleId>(
  id: Id,
  rules: FindingRules,
  cluster: InventoryCluster,
): Finding | undefined {
  const settings = rules[id];
  if (!settings.enabled) return undefined;
  const message = CHECKS[id](cluster, settings);
  if (message === undefined) return undefined;
  return {
    rule: id,
    severity: settings.severity,
    groupId: cluster.groupId,
    projectName: cluster.projectName,
    clusterName: cluster.name,
    message,
  };
}

/**
 * Checks every cluster against every enabled rule. Findings are sorted by severity (high first), then
 * project, cluster and rule, so two runs over the same clusters give the same list.
 */
export function evaluateFindings(
  clusters: readonly InventoryCluster[],
  rules: FindingRules = DEFAULT_RULES,
  databaseUsers: readonly InventoryDatabaseUser[] = [],
): Finding[] {
  const findings: Finding[] = [];
  for (const cluster of clusters) {
    for (const id of CLUSTER_RULE_IDS) {
      const finding = runRule(id, rules, cluster);
      if (finding !== undefined) findings.push(finding);
    }
  }
  for (const user of databaseUsers) {
    for (const id of USER_RULE_IDS) {
      if (!rules[id].enabled) continue;
      const message = USER_CHECKS[id](user);
      if (message === undefined) continue;
      findings.push({
        rule: id,
        severity: rules[id].severity,
        groupId: user.groupId,
        projectName: user.projectName,
        clusterName: '',
        databaseUser: user.username,
        message,
      });
    }
  }
  return findings.sort(compareFindings);
}
