import { describe, expect, it } from 'vitest';
import type { ClusterRegion, Finding } from '../../../../shared/inventory/model.ts';
import { buildReportModel } from '../../../../shared/inventory/report-model.ts';
import { ANALYTICS, inventoryCluster, PAYMENTS, snapshot } from './fixtures.ts';

const region = (provider: string, name: string, instanceSize: string): ClusterRegion => ({
  provider,
  region: name,
  instanceSize,
  electableNodes: 3,
  readOnlyNodes: 0,
  analyticsNodes: 0,
});

const finding = (severity: Finding['severity']): Finding => ({
  rule: 'r',
  severity,
  groupId: PAYMENTS.id,
  projectName: 'payments',
  clusterName: 'c',
  message: 'm.',
});

describe('buildReportModel', () => {
  it('counts projects, clusters by kind, paused clusters, findings by severity, errors and changes', () => {
    // Prepare
    const input = snapshot({
      clusters: [
        inventoryCluster({ name: 'a' }),
        inventoryCluster({ name: 'b', paused: true }),
        inventoryCluster({ name: 'c', kind: 'flex' }),
      ],
      findings: [finding('high'), finding('low'), finding('low')],
      errors: [{ projectId: ANALYTICS.id, status: 403, errorCode: 'FORBIDDEN', detail: 'no access' }],
      changes: {
        added: [{ groupId: PAYMENTS.id, projectName: 'payments', name: 'c', kind: 'flex' }],
        removed: [],
        changed: [
          { groupId: PAYMENTS.id, projectName: 'payments', name: 'a', kind: 'dedicated', fields: [] },
          { groupId: PAYMENTS.id, projectName: 'payments', name: 'b', kind: 'dedicated', fields: [] },
        ],
        firstRun: false,
      },
    });

    // Act
    const { totals } = buildReportModel(input);

    // Assess
    expect(totals).toEqual({
      projects: 2,
      clusters: 3,
      dedicated: 2,
      flex: 1,
      paused: 1,
      findings: { high: 1, medium: 0, low: 2, total: 3 },
      errors: 1,
      changes: { added: 1, removed: 0, changed: 2, firstRun: false },
    });
  });

  it('counts a cluster once per distinct provider, region and size it uses', () => {
    // Prepare
    const clusters = [
      inventoryCluster({
        name: 'multi-cloud',
        regions: [
          region('AWS', 'US_EAST_1', 'M30'),
          region('AWS', 'US_EAST_1', 'M30'),
          region('GCP', 'CENTRAL_US', 'M30'),
        ],
      }),
      inventoryCluster({ name: 'aws', regions: [region('AWS', 'EU_WEST_1', 'M10')] }),
    ];

    // Act
    const { breakdowns } = buildReportModel(snapshot({ clusters }));

    // Assess
    expect(breakdowns.byProvider).toEqual([
      { label: 'AWS', count: 2 },
      { label: 'GCP', count: 1 },
    ]);
    expect(breakdowns.byRegion).toEqual([
      { label: 'CENTRAL_US', count: 1 },
      { label: 'EU_WEST_1', count: 1 },
      { label: 'US_EAST_1', count: 1 },
    ]);
    expect(breakdowns.byInstanceSize).toEqual([
      { label: 'M10', count: 1 },
      { label: 'M30', count: 1 },
    ]);
  });

  it('sorts by count, then by label with numbers in numeric order, and labels missing values', () => {
    // Prepare
    const clusters = [
      inventoryCluster({ name: 'a', mongoDBMajorVersion: '10.0' }),
      inventoryCluster({ name: 'b', mongoDBMajorVersion: '8.0' }),
      inventoryCluster({ name: 'c', mongoDBMajorVersion: '7.0' }),
      inventoryCluster({ name: 'd', mongoDBMajorVersion: '7.0' }),
      inventoryCluster({ name: 'e', mongoDBMajorVersion: '', stateName: '' }),
    ];

    // Act
    const { breakdowns } = buildReportModel(snapshot({ clusters }));

    // Assess
    expect(breakdowns.byMajorVersion.map((e) => e.label)).toEqual(['7.0', '(unknown)', '8.0', '10.0']);
    expect(breakdowns.byState).toEqual([
      { label: 'IDLE', count: 4 },
      { label: '(unknown)', count: 1 },
    ]);
  });

  it('reports zeros and empty breakdowns for an empty snapshot', () => {
    // Act
    const model = buildReportModel(snapshot({ projects: [] }));

    // Assess
    expect(model.totals.clusters).toBe(0);
    expect(model.totals.projects).toBe(0);
    expect(model.breakdowns.byProvider).toEqual([]);
  });
});
