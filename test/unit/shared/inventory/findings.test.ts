import { describe, expect, it } from 'vitest';
import { InventoryConfigError } from '../../../../shared/inventory/errors.ts';
import {
  compareVersions,
  DEFAULT_RULES,
  evaluateFindings,
  findingRulesSchema,
  parseFindingRules,
} from '../../../../shared/inventory/findings.ts';
import type { InventoryCluster, InventoryDatabaseUser } from '../../../../shared/inventory/model.ts';
import { ANALYTICS, inventoryCluster, PAYMENTS } from './fixtures.ts';

function configError(input: unknown): InventoryConfigError {
  try {
    parseFindingRules(input);
  } catch (error) {
    if (error instanceof InventoryConfigError) return error;
    throw error;
  }
  throw new Error('expected parseFindingRules to throw');
}

const rulesFired = (cluster: InventoryCluster, rules = DEFAULT_RULES) =>
  evaluateFindings([cluster], rules).map((f) => f.rule);

describe('evaluateFindings with the default rules', () => {
  it('finds nothing on a cluster that follows every rule', () => {
    // Act
    const findings = evaluateFindings([inventoryCluster()]);

    // Assess
    expect(findings).toEqual([]);
  });

  it.each([
    ['backup-disabled', 'high', { backupEnabled: false }, 'backup disabled'],
    ['tls-below-1-2', 'high', { minimumTlsProtocol: 'TLS1_0' }, 'TLS 1.0'],
    ['tls-below-1-2', 'high', { minimumTlsProtocol: 'TLS1_1' }, 'TLS 1.1'],
    ['termination-protection-disabled', 'medium', { terminationProtectionEnabled: false }, 'termination'],
    ['mongodb-version-below-minimum', 'medium', { mongoDBMajorVersion: '6.0' }, 'MongoDB 6.0'],
    ['cluster-paused', 'low', { paused: true }, 'paused'],
    ['missing-required-tags', 'low', { tags: { env: 'prod' } }, 'owner'],
  ] as const)('%s fires with severity %s', (rule, severity, overrides, words) => {
    // Prepare
    const cluster = inventoryCluster({ name: 'orders', ...overrides });

    // Act
    const findings = evaluateFindings([cluster]);

    // Assess
    expect(findings).toEqual([
      {
        rule,
        severity,
        groupId: cluster.groupId,
        projectName: 'payments',
        clusterName: 'orders',
        message: expect.stringContaining(words),
      },
    ]);
    expect(findings[0]?.message).toContain('"orders"');
    expect(findings[0]?.message).toContain('"payments"');
    // One sentence: it ends with a full stop and has no other sentence break.
    expect(findings[0]?.message).toMatch(/\.$/);
    expect(findings[0]?.message).not.toMatch(/\.\s/);
  });

  it('does not ask a flex cluster for backup, which Atlas runs for it', () => {
    // Act
    const rules = rulesFired(inventoryCluster({ kind: 'flex', backupEnabled: false }));

    // Assess
    expect(rules).not.toContain('backup-disabled');
  });

  it('does not ask a shared-tier (M0) cluster for backup, which it cannot have', () => {
    // Prepare
    const free = inventoryCluster({
      backupEnabled: false,
      regions: [
        {
          provider: 'AWS',
          region: 'US_EAST_1',
          instanceSize: 'M0',
          electableNodes: 0,
          readOnlyNodes: 0,
          analyticsNodes: 0,
        },
      ],
    });

    // Act
    const rules = rulesFired(free);

    // Assess
    expect(rules).not.toContain('backup-disabled');
  });

  it.each([['TLS1_2'], ['TLS1_3'], [undefined]])('does not flag a minimum TLS of %s', (protocol) => {
    expect(rulesFired(inventoryCluster({ minimumTlsProtocol: protocol }))).toEqual([]);
  });

  it.each([['7.0'], ['8.0'], ['10.0']])(
    'does not flag MongoDB %s against the default minimum 7.0',
    (major) => {
      expect(rulesFired(inventoryCluster({ mongoDBMajorVersion: major }))).toEqual([]);
    },
  );

  it('does not flag a cluster whose version Atlas did not report', () => {
    expect(rulesFired(inventoryCluster({ mongoDBMajorVersion: '', mongoDBVersion: '' }))).toEqual([]);
  });

  it('lists every missing required tag, and only those', () => {
    // Act
    const [finding] = evaluateFindings([inventoryCluster({ tags: { team: 'x' } })]);

    // Assess
    expect(finding?.rule).toBe('missing-required-tags');
    expect(finding?.message).toContain('tags env, owner');
    expect(finding?.message).toContain('add them');
  });

  it('sorts findings by severity, then project, cluster and rule', () => {
    // Prepare
    const clusters = [
      inventoryCluster({ name: 'b', paused: true, backupEnabled: false }),
      inventoryCluster({ name: 'a', paused: true, terminationProtectionEnabled: false }),
      inventoryCluster({ name: 'z', groupId: ANALYTICS.id, projectName: 'analytics', backupEnabled: false }),
    ];

    // Act
    const findings = evaluateFindings(clusters);

    // Assess
    expect(findings.map((f) => `${f.severity} ${f.projectName}/${f.clusterName} ${f.rule}`)).toEqual([
      'high analytics/z backup-disabled',
      'high payments/b backup-disabled',
      'medium payments/a termination-protection-disabled',
      'low payments/a cluster-paused',
      'low payments/b cluster-paused',
    ]);
  });
});

describe('evaluateFindings with configured rules', () => {
  it('uses an overridden severity', () => {
    // Prepare
    const rules = parseFindingRules({ 'cluster-paused': { severity: 'high' } });

    // Act
    const findings = evaluateFindings([inventoryCluster({ paused: true })], rules);

    // Assess
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['cluster-paused', 'high']]);
  });

  it('skips a disabled rule and keeps the others', () => {
    // Prepare
    const rules = parseFindingRules({ 'backup-disabled': { enabled: false } });
    const cluster = inventoryCluster({ backupEnabled: false, paused: true });

    // Act
    const fired = rulesFired(cluster, rules);

    // Assess
    expect(fired).toEqual(['cluster-paused']);
  });

  it('uses the configured required tags', () => {
    // Prepare
    const rules = parseFindingRules({ 'missing-required-tags': { requiredTags: ['cost-center'] } });

    // Act
    const findings = evaluateFindings([inventoryCluster({ tags: { env: 'prod' } })], rules);

    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('tag cost-center; add it');
    expect(findings[0]?.message).not.toContain('owner');
  });

  it('compares major versions as numbers, so 10.0 is above 8.0', () => {
    // Prepare
    const rules = parseFindingRules({ 'mongodb-version-below-minimum': { minimumMajorVersion: '8.0' } });
    const clusters = [
      inventoryCluster({ name: 'v7', mongoDBMajorVersion: '7.0' }),
      inventoryCluster({ name: 'v8', mongoDBMajorVersion: '8.0' }),
      inventoryCluster({ name: 'v10', mongoDBMajorVersion: '10.0' }),
    ];

    // Act
    const findings = evaluateFindings(clusters, rules);

    // Assess
    expect(findings.map((f) => f.clusterName)).toEqual(['v7']);
    expect(findings[0]?.message).toContain('MongoDB 7.0, below the minimum 8.0');
  });

  it('flags 8.0 when the minimum is 10.0', () => {
    // Prepare
    const rules = parseFindingRules({ 'mongodb-version-below-minimum': { minimumMajorVersion: '10.0' } });

    // Act
    const fired = rulesFired(inventoryCluster({ mongoDBMajorVersion: '8.0' }), rules);

    // Assess
    expect(fired).toEqual(['mongodb-version-below-minimum']);
  });

  it.each([
    ['6.0', '7.0', -1],
    ['10.0', '8.0', 1],
    ['8.0', '8.0', 0],
    ['8.0.1', '8.0', 1],
    ['7.10', '7.2', 1],
  ])('compareVersions(%s, %s) has the sign of %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});

describe('parseFindingRules', () => {
  it('returns the defaults for no configuration', () => {
    expect(parseFindingRules(undefined)).toEqual(DEFAULT_RULES);
    expect(parseFindingRules({})).toEqual(DEFAULT_RULES);
  });

  it('merges an override over the defaults without changing them', () => {
    // Act
    const rules = parseFindingRules({ 'mongodb-version-below-minimum': { minimumMajorVersion: '8.0' } });

    // Assess
    expect(rules['mongodb-version-below-minimum']).toEqual({
      enabled: true,
      severity: 'medium',
      minimumMajorVersion: '8.0',
    });
    expect(DEFAULT_RULES['mongodb-version-below-minimum'].minimumMajorVersion).toBe('7.0');
  });

  it('rejects an unknown rule id with a message naming it', () => {
    // Act
    const error = configError({ 'backup-off': { enabled: false } });

    // Assess
    expect(error.message).toContain('unknown rule id "backup-off"');
    expect(error.message).toContain('backup-disabled');
  });

  it('rejects an unknown param with a message naming the rule and the param', () => {
    // Act
    const error = configError({ 'missing-required-tags': { requiredTag: ['env'] } });

    // Assess
    expect(error.message).toContain('rule "missing-required-tags": unknown param "requiredTag"');
    expect(error.message).toContain('requiredTags');
  });

  it('rejects a param that belongs to another rule', () => {
    // Act
    const error = configError({ 'cluster-paused': { minimumMajorVersion: '7.0' } });

    // Assess
    expect(error.message).toContain('rule "cluster-paused": unknown param "minimumMajorVersion"');
  });

  it.each([
    [{ 'cluster-paused': { severity: 'critical' } }, 'rule "cluster-paused" param "severity"'],
    [{ 'mongodb-version-below-minimum': { minimumMajorVersion: 'seven' } }, 'param "minimumMajorVersion"'],
    [{ 'tls-below-1-2': true }, 'rule "tls-below-1-2"'],
    ['everything', 'must be an object keyed by rule id'],
  ])('rejects a bad value and says where it is: %j', (input, where) => {
    // Act
    const error = configError(input);

    // Assess
    expect(error.message).toContain(where);
    expect(error.problems.length).toBeGreaterThan(0);
  });

  it('names every problem at once', () => {
    // Act
    const error = configError({ nope: {}, 'cluster-paused': { colour: 'red' } });

    // Assess
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain('"nope"');
    expect(error.message).toContain('"colour"');
  });

  it('has a schema that names unknown rule ids on its own', () => {
    // Act
    const result = findingRulesSchema.safeParse({ 'tls-too-old': {} });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('"tls-too-old"');
  });
});

describe('evaluateFindings: database users', () => {
  const user = (overrides: Partial<InventoryDatabaseUser>): InventoryDatabaseUser => ({
    groupId: PAYMENTS.id,
    projectName: PAYMENTS.name,
    username: 'app',
    databaseName: 'admin',
    roles: ['read@payments'],
    scopes: ['payments-main'],
    authentication: 'password',
    ...overrides,
  });
  const rules = (users: InventoryDatabaseUser[]) =>
    evaluateFindings([], DEFAULT_RULES, users).map((f) => [f.rule, f.severity, f.databaseUser]);

  it('flags write or admin roles on every cluster (no scopes), not a scoped writer or an unscoped reader', () => {
    expect(
      rules([
        user({ username: 'unscoped-writer', roles: ['readWrite@payments'], scopes: [] }),
        user({ username: 'scoped-writer', roles: ['readWrite@payments'] }),
        user({ username: 'unscoped-reader', roles: ['read@payments'], scopes: [] }),
      ]),
    ).toEqual([['database-user-unscoped-write', 'high', 'unscoped-writer']]);
  });

  it('flags a permanent atlasAdmin, not a temporary one', () => {
    expect(
      rules([
        user({ username: 'admin', roles: ['atlasAdmin@admin'] }),
        user({
          username: 'admin-for-a-day',
          roles: ['atlasAdmin@admin'],
          deleteAfterDate: '2026-12-09T10:00:00Z',
        }),
      ]),
    ).toEqual([['database-user-permanent-admin', 'medium', 'admin']]);
  });

  it('flags a temporary user whose end was moved past the end its grant set', () => {
    const findings = evaluateFindings([], DEFAULT_RULES, [
      user({
        username: 'moved',
        deleteAfterDate: '2026-12-12T10:00:00Z',
        grantedUntil: '2026-12-09T10:00:00Z',
      }),
      user({
        username: 'kept',
        deleteAfterDate: '2026-12-09T10:00:00Z',
        grantedUntil: '2026-12-09T10:00:00Z',
      }),
    ]);
    expect(findings.map((f) => f.databaseUser)).toEqual(['moved']);
    expect(findings[0]?.message).toContain(
      'ends 2026-12-12T10:00:00Z, after the 2026-12-09T10:00:00Z its grant set',
    );
  });
});
