import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../../../shared/inventory/diff.ts';
import { evaluateFindings } from '../../../../shared/inventory/findings.ts';
import { escapeHtml, renderHtmlReport } from '../../../../shared/inventory/render-html.ts';
import { ANALYTICS, inventoryCluster, snapshot } from './fixtures.ts';

const MALICIOUS_NAME = '<script>alert(1)</script>';
const MALICIOUS_TAG = '"><img src=x onerror=alert(2)>';

/** A snapshot with findings, changes, errors and user-controlled text that tries to break out. */
function busySnapshot(partial = false) {
  const clusters = [
    inventoryCluster({
      name: MALICIOUS_NAME,
      backupEnabled: false,
      tags: { env: MALICIOUS_TAG, owner: "o'neil" },
    }),
    inventoryCluster({
      name: 'legacy',
      mongoDBMajorVersion: '6.0',
      minimumTlsProtocol: 'TLS1_0',
      paused: true,
    }),
    inventoryCluster({ name: 'flexy', kind: 'flex', groupId: ANALYTICS.id, projectName: 'analytics' }),
  ];
  const previous = [
    inventoryCluster({
      name: 'legacy',
      mongoDBMajorVersion: '6.0',
      minimumTlsProtocol: 'TLS1_2',
      paused: false,
    }),
    inventoryCluster({ name: 'gone' }),
  ];
  return snapshot({
    partial,
    clusters,
    findings: evaluateFindings(clusters),
    changes: diffSnapshots({ clusters: previous }, clusters),
    errors: [
      {
        projectId: ANALYTICS.id,
        status: 403,
        errorCode: 'USER_UNAUTHORIZED',
        detail: 'Not <allowed> & denied',
      },
    ],
  });
}

describe('renderHtmlReport', () => {
  it('shows each cluster’s findings and tags right after its name, before the columns a wide row scrolls to', () => {
    // Act
    const page = renderHtmlReport(busySnapshot());
    const table = /<table class="clusters">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
    const headers = [...table.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((match) => match[1]);
    const legacy = /<tr>\n<td>[^<]*<\/td>\n<td class="name">legacy<\/td>\n<td class="n">(\d+)<\/td>/.exec(
      table,
    );

    // Assess
    expect(headers.slice(0, 4)).toEqual(['Project', 'Cluster', 'Findings', 'Tags']);
    expect(Number(legacy?.[1])).toBeGreaterThan(0);
    expect(page).toContain('.clusters td.tags{white-space:normal');
  });

  it('escapes cluster names and tags so they cannot inject markup', () => {
    // Act
    const page = renderHtmlReport(busySnapshot());

    // Assess
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(page).toContain('o&#39;neil');
    expect(page).toContain('Not &lt;allowed&gt; &amp; denied');
  });

  it('shows each warning of the run in a banner of its own, escaped', () => {
    // Prepare
    const warning = 's3://b/inventory/latest.json points at <gone>, so this run counts as a first run';

    // Act
    const warned = renderHtmlReport(snapshot({ warnings: [warning] }));
    const quiet = renderHtmlReport(snapshot());

    // Assess
    expect(warned).toContain('<strong>WARNING</strong> s3://b/inventory/latest.json points at &lt;gone&gt;');
    expect(quiet).not.toContain('WARNING');
  });

  it('says when only one list of a project could not be read', () => {
    // Act
    const page = renderHtmlReport(
      snapshot({
        errors: [
          {
            projectId: ANALYTICS.id,
            status: 400,
            errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
            detail: 'Flex cluster x cannot be used in the Cluster API.',
            kind: 'dedicated',
          },
        ],
      }),
    );

    // Assess
    expect(page).toContain('Only its dedicated clusters were not read.');
  });

  it('lists the database users, saying which reach every cluster, and names a users list it could not read', () => {
    // Act
    const page = renderHtmlReport(
      snapshot({
        databaseUsers: [
          {
            groupId: ANALYTICS.id,
            projectName: 'analytics',
            username: MALICIOUS_NAME,
            databaseName: 'admin',
            roles: ['readWrite@web'],
            scopes: [],
            authentication: 'password',
          },
          {
            groupId: ANALYTICS.id,
            projectName: 'analytics',
            username: 'reader',
            databaseName: 'admin',
            roles: ['read@web'],
            scopes: ['analytics-eu'],
            deleteAfterDate: '2026-12-09T10:00:00Z',
            authentication: 'password',
          },
        ],
        errors: [
          {
            projectId: ANALYTICS.id,
            status: 403,
            errorCode: 'USER_UNAUTHORIZED',
            detail: 'no',
            kind: 'databaseUsers',
          },
        ],
      }),
    );

    // Assess
    expect(page).toContain('<h2>Database users <span class="count">2</span></h2>');
    expect(page).toContain('<td>readWrite@web</td><td><strong>every cluster</strong></td><td>never</td>');
    expect(page).toContain('<td>analytics-eu</td><td>2026-12-09T10:00:00Z</td>');
    expect(page).not.toContain(MALICIOUS_NAME);
    expect(page).toContain('Only its database users were not read.');
  });

  it('shows the PARTIAL banner only when the snapshot is partial', () => {
    // Act
    const partial = renderHtmlReport(busySnapshot(true));
    const complete = renderHtmlReport(busySnapshot(false));

    // Assess
    expect(partial).toContain('PARTIAL');
    expect(partial).toContain('role="alert"');
    expect(complete).not.toContain('PARTIAL');
    expect(complete).not.toContain('role="alert"');
  });

  it('is self-contained: no network reference except the source base URL shown as text, no script', () => {
    // Prepare
    const input = busySnapshot();

    // Act
    const page = renderHtmlReport(input);

    // Assess
    expect(page).toContain(input.source.baseUrl);
    expect(page.replaceAll(input.source.baseUrl, '')).not.toMatch(/https?:\/\//i);
    expect(page).not.toMatch(/<(script|link|img|iframe|object)\b/i);
    // No attribute that loads anything; links only jump within the page.
    expect(page).not.toMatch(/<[^>]*\s(src|srcset|action|xlink:href)=/i);
    expect(page).not.toMatch(/<[^>]*\shref="(?!#)/i);
    expect(page).not.toMatch(/@import|url\(/i);
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('<style>');
    expect(page).toContain('<svg');
  });

  it('lists every finding, high severity first, with its rule and message', () => {
    // Prepare
    const input = busySnapshot();

    // Act
    const page = renderHtmlReport(input);

    // Assess
    expect(input.findings.length).toBeGreaterThan(3);
    for (const finding of input.findings) {
      expect(page).toContain(escapeHtml(finding.message));
      expect(page).toContain(`<code>${finding.rule}</code>`);
    }
    const findings = page.slice(page.indexOf('id="findings"'), page.indexOf('id="changes"'));
    expect(findings.indexOf('badge high')).toBeGreaterThan(-1);
    expect(findings.indexOf('badge high')).toBeLessThan(findings.indexOf('badge medium'));
    expect(findings.indexOf('badge medium')).toBeLessThan(findings.indexOf('badge low'));
  });

  it('shows added, removed and changed clusters with each field before and after', () => {
    // Act
    const page = renderHtmlReport(busySnapshot());

    // Assess
    const changes = page.slice(page.indexOf('id="changes"'), page.indexOf('id="clusters"'));
    expect(changes).toContain('Added');
    expect(changes).toContain('Removed');
    expect(changes).toContain('gone');
    expect(changes).toMatch(
      /<code>minimumTlsProtocol<\/code><\/td><td class="before">TLS1_2<\/td>.*<td class="after">TLS1_0</,
    );
    expect(changes).toMatch(
      /<code>paused<\/code><\/td><td class="before">false<\/td>.*<td class="after">true</,
    );
  });

  it('says it is the first run when there is nothing to compare with', () => {
    // Act
    const page = renderHtmlReport(
      snapshot({ changes: { added: [], removed: [], changed: [], firstRun: true } }),
    );

    // Assess
    expect(page).toContain('First run');
  });

  it('shows the totals, every cluster and the project errors', () => {
    // Act
    const page = renderHtmlReport(busySnapshot());

    // Assess
    expect(page).toMatch(/Clusters<\/div><div class="tile-value">3</);
    expect(page).toContain('2 dedicated · 1 flex');
    const clusters = page.slice(page.indexOf('id="clusters"'), page.indexOf('id="errors"'));
    expect(clusters).toContain('legacy');
    expect(clusters).toContain('flexy');
    const errors = page.slice(page.indexOf('id="errors"'));
    expect(errors).toContain('USER_UNAUTHORIZED');
    expect(errors).toContain('403');
    expect(errors).toContain(ANALYTICS.name);
  });

  it('draws one bar per provider in the provider chart', () => {
    // Prepare
    const clusters = [
      inventoryCluster({ name: 'a' }),
      inventoryCluster({
        name: 'b',
        regions: [
          {
            provider: 'GCP',
            region: 'CENTRAL_US',
            instanceSize: 'M10',
            electableNodes: 3,
            readOnlyNodes: 0,
            analyticsNodes: 0,
          },
        ],
      }),
    ];

    // Act
    const page = renderHtmlReport(snapshot({ clusters }));

    // Assess
    const chart = page.slice(page.indexOf('By cloud provider'), page.indexOf('By region'));
    expect(chart.match(/<rect /g)).toHaveLength(2);
    expect(chart).toContain('aria-label="By cloud provider: AWS 1, GCP 1"');
  });

  it.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['"', '&quot;'],
    ["'", '&#39;'],
    ['a&b<c>"d\'', 'a&amp;b&lt;c&gt;&quot;d&#39;'],
  ])('escapeHtml(%j) is %j', (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
  });
});
