import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvCell, renderClustersCsv } from '../../../../shared/inventory/render-csv.ts';
import { ANALYTICS, inventoryCluster, snapshot } from './fixtures.ts';

/** A small RFC 4180 reader, so the tests check what a spreadsheet would see rather than raw text. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += char;
  }
  expect(cell).toBe('');
  expect(row).toEqual([]);
  return rows;
}

function records(text: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

describe('renderClustersCsv', () => {
  it('writes a header row and one CRLF-terminated row per cluster, sorted by project then name', () => {
    // Prepare
    const clusters = [
      inventoryCluster({ name: 'zeta' }),
      inventoryCluster({ name: 'alpha' }),
      inventoryCluster({ name: 'mid', groupId: ANALYTICS.id, projectName: 'analytics' }),
    ];

    // Act
    const csv = renderClustersCsv(snapshot({ clusters }));

    // Assess
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(records(csv).map((r) => `${r.projectName}/${r.name}`)).toEqual([
      'analytics/mid',
      'payments/alpha',
      'payments/zeta',
    ]);
  });

  it('writes unique providers, regions and sizes, node totals, flags, tags and the number of findings', () => {
    // Prepare
    const cluster = inventoryCluster({
      name: 'multi',
      shardCount: 2,
      regions: [
        {
          provider: 'AWS',
          region: 'US_EAST_1',
          instanceSize: 'M30',
          electableNodes: 3,
          readOnlyNodes: 0,
          analyticsNodes: 1,
        },
        {
          provider: 'GCP',
          region: 'CENTRAL_US',
          instanceSize: 'M30',
          electableNodes: 2,
          readOnlyNodes: 1,
          analyticsNodes: 0,
        },
        {
          provider: 'AWS',
          region: 'US_EAST_1',
          instanceSize: 'M40',
          electableNodes: 3,
          readOnlyNodes: 0,
          analyticsNodes: 0,
        },
      ],
      tags: { owner: 'team', env: 'prod' },
      paused: true,
      minimumTlsProtocol: undefined,
    });
    const findings = [
      {
        rule: 'cluster-paused',
        severity: 'low' as const,
        groupId: cluster.groupId,
        projectName: 'payments',
        clusterName: 'multi',
        message: 'x.',
      },
      {
        rule: 'backup-disabled',
        severity: 'high' as const,
        groupId: cluster.groupId,
        projectName: 'payments',
        clusterName: 'multi',
        message: 'y.',
      },
      {
        rule: 'cluster-paused',
        severity: 'low' as const,
        groupId: ANALYTICS.id,
        projectName: 'analytics',
        clusterName: 'multi',
        message: 'z.',
      },
    ];

    // Act
    const [row] = records(renderClustersCsv(snapshot({ clusters: [cluster], findings })));

    // Assess
    expect(row).toMatchObject({
      providers: 'AWS;GCP',
      regions: 'US_EAST_1;CENTRAL_US',
      instanceSizes: 'M30;M40',
      shardCount: '2',
      electableNodes: '8',
      readOnlyNodes: '1',
      analyticsNodes: '1',
      paused: 'true',
      backupEnabled: 'true',
      minimumTlsProtocol: '',
      tags: 'env=prod;owner=team',
      findings: '2',
    });
  });

  it('quotes cells with commas, quotes and line breaks so they read back unchanged', () => {
    // Prepare
    const cluster = inventoryCluster({
      projectName: 'Team, "Core"',
      tags: { note: 'line one\r\nline two', plain: 'x' },
    });

    // Act
    const csv = renderClustersCsv(snapshot({ clusters: [cluster] }));

    // Assess
    expect(csv).toContain('"Team, ""Core"""');
    const [row] = records(csv);
    expect(row?.projectName).toBe('Team, "Core"');
    expect(row?.tags).toBe('note=line one\r\nline two;plain=x');
  });

  it('keeps a spreadsheet from running a cell that starts like a formula', () => {
    // Prepare
    const cluster = inventoryCluster({
      projectName: '=HYPERLINK("x","click")',
      name: '-2+3',
      tags: { '+cmd': 'a', '@SUM(A1)': 'b' },
    });

    // Act
    const [row] = records(renderClustersCsv(snapshot({ clusters: [cluster] })));

    // Assess
    expect(row?.projectName).toBe('\'=HYPERLINK("x","click")');
    expect(row?.name).toBe("'-2+3");
    expect(row?.tags).toBe("'+cmd=a;@SUM(A1)=b");
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=1+1', "'=1+1"],
    ['@x', "'@x"],
    ['+x', "'+x"],
    ['-x', "'-x"],
    ['\tx', "'\tx"],
    ['=a,b', '"\'=a,b"'],
    [42, '42'],
    [false, 'false'],
  ])('csvCell(%j) is %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes only the header when there are no clusters', () => {
    expect(renderClustersCsv(snapshot())).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});
