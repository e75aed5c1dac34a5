/**
 * The snapshot as one self-contained HTML page: inline CSS, inline SVG charts drawn here, no script, no
 * network reference, so it can be mailed, archived or opened offline and looks the same everywhere.
 *
 * Cluster names, tags and error details come from users and from Atlas, so nothing is concatenated into
 * markup by hand: every piece goes through the `html` tag, which escapes each interpolated value unless it is
 * markup this module built itself. A Content-Security-Policy that allows no script backs that up.
 */
import { compareClusterRefs } from './diff.ts';
import { compareFindings } from './findings.ts';
import type { ClusterRegion, InventoryCluster, Snapshot } from './model.ts';
import { type BreakdownEntry, buildReportModel, type ReportModel } from './report-model.ts';

/** Markup built by this module: the only thing the `html` tag does not escape. */
class SafeHtml {
  readonly html: string;

  constructor(html: string) {
    this.html = html;
  }

  toString(): string {
    return this.html;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '`, so the text is safe both in element content and in a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function interpolate(value: unknown): string {
  if (value instanceof SafeHtml) return value.html;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  // So that `${condition && html`…`}` renders nothing when the condition does not hold.
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** A template tag that escapes every interpolated value (arrays are joined, `SafeHtml` is kept as is). */
function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += interpolate(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

// Fixed locale, so the same snapshot renders to the same bytes on every machine. Made on first use, as the
// collator in report-model.ts: ICU's number format is milliseconds of a cold start otherwise.
let numberFormat: Intl.NumberFormat | undefined;
function count(n: number): string {
  numberFormat ??= new Intl.NumberFormat('en');
  return numberFormat.format(n);
}
const plural = (n: number, word: string) => `${count(n)} ${n === 1 ? word : `${word}s`}`;

// ---------------------------------------------------------------------------------------------------------
// Charts

const CHART_WIDTH = 360;
const LABEL_WIDTH = 118;
const COUNT_WIDTH = 36;
const ROW_HEIGHT = 22;
const BAR_HEIGHT = 14;
const MAX_BARS = 12;
const MAX_LABEL_CHARS = 17;

function shorten(label: string): string {
  return label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
}

/** A horizontal bar chart drawn as inline SVG; the biggest bars only, with the rest counted underneath. */
function barChart(title: string, entries: readonly BreakdownEntry[]): SafeHtml {
  if (entries.length === 0) {
    return html`<figure class="chart"><figcaption>${title}</figcaption><p class="empty">No clusters.</p></figure>`;
  }
  const shown = entries.slice(0, MAX_BARS);
  const hidden = entries.slice(MAX_BARS);
  const max = Math.max(...shown.map((e) => e.count));
  const barSpace = CHART_WIDTH - LABEL_WIDTH - COUNT_WIDTH;
  const height = shown.length * ROW_HEIGHT + 4;
  const summary = `${title}: ${entries.map((e) => `${e.label} ${e.count}`).join(', ')}`;
  const rows = shown.map((entry, i) => {
    const y = i * ROW_HEIGHT + 4;
    const width = Math.max(2, Math.round((entry.count / max) * barSpace));
    const textY = y + BAR_HEIGHT - 3;
    return html`<g><title>${entry.label}: ${entry.count}</title><text class="lbl" x="${LABEL_WIDTH - 8}" y="${textY}" text-anchor="end">${shorten(entry.label)}</text><rect class="bar" x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR_HEIGHT}" rx="3"></rect><text class="num" x="${LABEL_WIDTH + width + 6}" y="${textY}">${count(entry.count)}</text></g>`;
  });
  const more =
    hidden.length > 0 &&
    html`<p class="more">and ${plural(hidden.length, 'more value')} (${plural(
      hidden.reduce((total, e) => total + e.count, 0),
      'cluster',
    )})</p>`;
  return html`<figure class="chart"><figcaption>${title}</figcaption><svg viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" role="img" aria-label="${summary}">${rows}</svg>${more}</figure>`;
}

// ---------------------------------------------------------------------------------------------------------
// Sections

function header(snapshot: Snapshot): SafeHtml {
  const banner =
    snapshot.partial &&
    html`<div class="banner" role="alert"><strong>PARTIAL</strong> This run stopped before it had read every project, so the numbers below are incomplete.</div>`;
  // `?? []`: a snapshot written before warnings existed has none.
  const warnings = (snapshot.warnings ?? []).map(
    (warning) => html`<div class="banner" role="alert"><strong>WARNING</strong> ${warning}</div>`,
  );
  return html`<header>
<h1>Atlas cluster inventory</h1>
<p class="meta">Generated <time datetime="${snapshot.generatedAt}">${snapshot.generatedAt}</time> from <code>${snapshot.source.baseUrl}</code></p>
${banner}${warnings}
<nav><a href="#findings">Findings</a><a href="#changes">Changes</a><a href="#clusters">Clusters</a><a href="#errors">Project errors</a></nav>
</header>`;
}

function tile(label: string, value: string, detail?: SafeHtml | string, tone?: string): SafeHtml {
  return html`<div class="tile${tone ? ` ${tone}` : ''}"><div class="tile-label">${label}</div><div class="tile-value">${value}</div>${detail !== undefined && html`<div class="tile-detail">${detail}</div>`}</div>`;
}

function tiles(model: ReportModel): SafeHtml {
  const { totals } = model;
  const { findings, changes } = totals;
  const changeDetail = changes.firstRun
    ? 'first run, nothing to compare'
    : `${count(changes.added)} added · ${count(changes.removed)} removed · ${count(changes.changed)} changed`;
  return html`<section class="tiles" aria-label="Totals">
${tile('Projects', count(totals.projects))}
${tile('Clusters', count(totals.clusters), `${count(totals.dedicated)} dedicated · ${count(totals.flex)} flex`)}
${tile('Paused', count(totals.paused))}
${tile(
  'Findings',
  count(findings.total),
  html`<span class="sev-high">${count(findings.high)} high</span> · <span class="sev-medium">${count(findings.medium)} medium</span> · <span class="sev-low">${count(findings.low)} low</span>`,
  findings.high > 0 ? 'alert' : undefined,
)}
${tile('Project errors', count(totals.errors), totals.errors > 0 ? 'projects not read' : 'all projects read', totals.errors > 0 ? 'warn' : undefined)}
${tile('Changes', count(changes.added + changes.removed + changes.changed), changeDetail)}
</section>`;
}

function charts(model: ReportModel): SafeHtml {
  const { breakdowns } = model;
  return html`<section id="charts">
<h2>Where clusters run</h2>
<p class="note">A cluster counts once in each bar it belongs to, so a multi-region cluster appears more than once.</p>
<div class="charts">
${barChart('By cloud provider', breakdowns.byProvider)}
${barChart('By region', breakdowns.byRegion)}
${barChart('By MongoDB version', breakdowns.byMajorVersion)}
${barChart('By instance size', breakdowns.byInstanceSize)}
${barChart('By state', breakdowns.byState)}
</div>
</section>`;
}

/**
 * Rows a table shows at most. A person reads the first thousand findings (the most severe come first) and
 * turns to the CSV or the JSON for the rest; a 20,000-row page helps nobody and costs memory to build.
 */
export const HTML_TABLE_ROW_LIMIT = 1000;

function moreRows(total: number, columns: number, where: string): SafeHtml | string {
  return total > HTML_TABLE_ROW_LIMIT
    ? html`<tr><td colspan="${columns}" class="empty">… and ${count(total - HTML_TABLE_ROW_LIMIT)} more in ${where}.</td></tr>`
    : '';
}

function findingsSection(snapshot: Snapshot): SafeHtml {
  const findings = [...snapshot.findings].sort(compareFindings);
  const body =
    findings.length === 0
      ? html`<p class="empty">No findings: every cluster and database user passes every enabled rule.</p>`
      : html`<div class="scroll"><table>
<thead><tr><th>Severity</th><th>Project</th><th>Cluster or user</th><th>Rule</th><th>Finding</th></tr></thead>
<tbody>${findings
          .slice(0, HTML_TABLE_ROW_LIMIT)
          .map(
            (f) =>
              html`<tr><td><span class="badge ${f.severity}">${f.severity}</span></td><td>${f.projectName}</td><td class="name">${f.databaseUser ? `user ${f.databaseUser}` : f.clusterName}</td><td><code>${f.rule}</code></td><td>${f.message}</td></tr>`,
          )}${moreRows(findings.length, 5, 'snapshot.json')}</tbody>
</table></div>`;
  return html`<section id="findings"><h2>Findings <span class="count">${count(findings.length)}</span></h2>${body}</section>`;
}

function describeRegion(region: ClusterRegion): string {
  const nodes = [
    `${region.electableNodes} electable`,
    region.readOnlyNodes > 0 ? `${region.readOnlyNodes} read-only` : '',
    region.analyticsNodes > 0 ? `${region.analyticsNodes} analytics` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const zone = region.zoneName ? ` [${region.zoneName}]` : '';
  return `${region.provider} ${region.region} ${region.instanceSize} (${nodes})${zone}`;
}

function isRegionList(value: unknown): value is ClusterRegion[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && 'region' in v);
}

/** A changed field's value, in words; `null` is "not set". */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'not set';
  if (isRegionList(value)) return value.length === 0 ? 'none' : value.map(describeRegion).join('; ');
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${String(v)}`).join(', ');
  }
  return String(value);
}

function refTable(refs: Snapshot['changes']['added']): SafeHtml {
  return html`<div class="scroll"><table><thead><tr><th>Project</th><th>Cluster</th><th>Kind</th></tr></thead><tbody>${refs.map(
    (r) => html`<tr><td>${r.projectName}</td><td class="name">${r.name}</td><td>${r.kind}</td></tr>`,
  )}</tbody></table></div>`;
}

function changesSection(snapshot: Snapshot): SafeHtml {
  const { changes } = snapshot;
  let body: SafeHtml;
  if (changes.firstRun) {
    body = html`<p class="empty">First run: there is no previous snapshot to compare with.</p>`;
  } else if (changes.added.length + changes.removed.length + changes.changed.length === 0) {
    body = html`<p class="empty">No changes since the previous run.</p>`;
  } else {
    const added = [...changes.added].sort(compareClusterRefs);
    const removed = [...changes.removed].sort(compareClusterRefs);
    const changed = [...changes.changed].sort(compareClusterRefs);
    body = html`${added.length > 0 && html`<h3>Added <span class="count">${count(added.length)}</span></h3>${refTable(added)}`}
${removed.length > 0 && html`<h3>Removed <span class="count">${count(removed.length)}</span></h3>${refTable(removed)}`}
${
  changed.length > 0 &&
  html`<h3>Changed <span class="count">${count(changed.length)}</span></h3><div class="scroll"><table>
<thead><tr><th>Project</th><th>Cluster</th><th>Field</th><th>Before</th><th></th><th>After</th></tr></thead>
<tbody>${changed.map((c) =>
    c.fields.map(
      (f, i) =>
        html`<tr>${i === 0 && html`<td rowspan="${c.fields.length}">${c.projectName}</td><td rowspan="${c.fields.length}" class="name">${c.name}</td>`}<td><code>${f.field}</code></td><td class="before">${describeValue(f.before)}</td><td class="arrow" aria-label="changed to">→</td><td class="after">${describeValue(f.after)}</td></tr>`,
    ),
  )}</tbody>
</table></div>`
}`;
  }
  return html`<section id="changes"><h2>Changes since the previous run</h2>${body}</section>`;
}

/** `yes`/`no`, green or red when one of them is the safe setting, plain when neither is. */
const yesNo = (value: boolean, safe?: boolean) =>
  safe === undefined
    ? html`${value ? 'yes' : 'no'}`
    : html`<span class="${value === safe ? 'ok' : 'bad'}">${value ? 'yes' : 'no'}</span>`;

function clusterRow(cluster: InventoryCluster, findingCount: number): SafeHtml {
  const { regions } = cluster;
  const where = [...new Set(regions.map((r) => `${r.provider} ${r.region}`))].join(', ');
  const sizes = [...new Set(regions.map((r) => r.instanceSize))].join(', ');
  const sum = (pick: (r: ClusterRegion) => number) => regions.reduce((total, r) => total + pick(r), 0);
  // Atlas gives no node counts for flex clusters (shared hardware); 0 / 0 / 0 would read as "no nodes".
  const nodes =
    cluster.kind === 'flex'
      ? 'shared'
      : `${sum((r) => r.electableNodes)} / ${sum((r) => r.readOnlyNodes)} / ${sum((r) => r.analyticsNodes)}`;
  const tags = Object.entries(cluster.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const tls = cluster.minimumTlsProtocol ?? '';
  // Findings and tags come first after the name: they are what a reader of the table is looking for, and
  // the rest of a wide row may be scrolled to.
  return html`<tr>
<td>${cluster.projectName}</td>
<td class="name">${cluster.name}</td>
<td class="n">${findingCount}</td>
<td class="tags">${tags.length === 0 ? html`<span class="muted">none</span>` : tags.map(([k, v]) => html`<span class="tag">${k}=${v}</span> `)}</td>
<td>${cluster.kind}</td>
<td>${cluster.clusterType}${cluster.shardCount > 1 && ` × ${cluster.shardCount}`}</td>
<td>${cluster.stateName}${cluster.paused && html` <span class="pill">paused</span>`}</td>
<td>${cluster.mongoDBVersion}</td>
<td>${where}</td>
<td>${sizes}</td>
<td class="n">${nodes}</td>
<td>${yesNo(cluster.backupEnabled, true)}</td>
<td>${yesNo(cluster.pitEnabled)}</td>
<td>${yesNo(cluster.terminationProtectionEnabled, true)}</td>
<td${tls === 'TLS1_0' || tls === 'TLS1_1' ? html` class="bad"` : ''}>${tls || '—'}</td>
</tr>`;
}

function clustersSection(snapshot: Snapshot): SafeHtml {
  const findingCounts = new Map<string, number>();
  for (const f of snapshot.findings) {
    const key = JSON.stringify([f.groupId, f.clusterName]);
    findingCounts.set(key, (findingCounts.get(key) ?? 0) + 1);
  }
  const clusters = [...snapshot.clusters].sort(compareClusterRefs);
  const body =
    clusters.length === 0
      ? html`<p class="empty">No clusters.</p>`
      : html`<div class="scroll"><table class="clusters">
<thead><tr><th>Project</th><th>Cluster</th><th>Findings</th><th>Tags</th><th>Kind</th><th>Type</th><th>State</th><th>Version</th><th>Where</th><th>Size</th><th title="electable / read-only / analytics">Nodes E/R/A</th><th>Backup</th><th>PIT</th><th title="termination protection">Term. prot.</th><th>Min TLS</th></tr></thead>
<tbody>${clusters
          .slice(0, HTML_TABLE_ROW_LIMIT)
          .map((c) =>
            clusterRow(c, findingCounts.get(JSON.stringify([c.groupId, c.name])) ?? 0),
          )}${moreRows(clusters.length, 15, 'clusters.csv')}</tbody>
</table></div>`;
  return html`<section id="clusters"><h2>Clusters <span class="count">${count(clusters.length)}</span></h2>${body}</section>`;
}

function databaseUsersSection(snapshot: Snapshot): SafeHtml {
  const users = [...snapshot.databaseUsers].sort(
    (a, b) => a.projectName.localeCompare(b.projectName) || a.username.localeCompare(b.username),
  );
  const body =
    users.length === 0
      ? html`<p class="empty">No database users.</p>`
      : html`<div class="scroll"><table>
<thead><tr><th>Project</th><th>User</th><th>Signs in with</th><th>Roles</th><th>Clusters</th><th>Ends</th></tr></thead>
<tbody>${users
          .slice(0, HTML_TABLE_ROW_LIMIT)
          .map(
            (u) =>
              html`<tr><td>${u.projectName}</td><td class="name">${u.username}</td><td>${u.authentication}</td><td>${u.roles.join(', ')}</td><td>${u.scopes.length > 0 ? u.scopes.join(', ') : html`<strong>every cluster</strong>`}</td><td>${u.deleteAfterDate ?? 'never'}</td></tr>`,
          )}${moreRows(users.length, 6, 'snapshot.json')}</tbody>
</table></div>`;
  return html`<section id="database-users"><h2>Database users <span class="count">${count(users.length)}</span></h2>${body}</section>`;
}

function errorsSection(snapshot: Snapshot): SafeHtml {
  const names = new Map(snapshot.projects.map((p) => [p.id, p.name]));
  const errors = [...snapshot.errors].sort((a, b) =>
    a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : 0,
  );
  const body =
    errors.length === 0
      ? html`<p class="empty">Every project was read.</p>`
      : html`<div class="scroll"><table>
<thead><tr><th>Project</th><th>Status</th><th>Error code</th><th>Detail</th></tr></thead>
<tbody>${errors.map(
          (e) =>
            html`<tr><td>${names.get(e.projectId) ?? ''} <code>${e.projectId}</code></td><td class="n">${e.status}</td><td><code>${e.errorCode}</code></td><td>${e.kind !== undefined && html`<strong>Only its ${e.kind === 'databaseUsers' ? 'database users were' : `${e.kind} clusters were`} not read.</strong> `}${e.detail}</td></tr>`,
        )}</tbody>
</table></div>`;
  return html`<section id="errors"><h2>Project errors <span class="count">${count(errors.length)}</span></h2>${body}</section>`;
}

function footer(snapshot: Snapshot): SafeHtml {
  const { stats } = snapshot;
  const seconds = (stats.durationMs / 1000).toFixed(1);
  return html`<footer>atlas-ops inventory · ${plural(stats.atlasCalls, 'Atlas call')} · ${count(stats.retries)} ${stats.retries === 1 ? 'retry' : 'retries'} · ${count(stats.throttled)} throttled · ${seconds} s</footer>`;
}

const STYLE = `
:root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--bg:#f6f8fa;--card:#fff;--accent:#0969da;--high:#cf222e;--medium:#9a6700;--low:#0969da;--ok:#1a7f37}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:1280px;margin:0 auto;padding:24px 16px 48px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:32px 0 12px}
h3{font-size:15px;margin:20px 0 8px}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eff2f5;padding:1px 4px;border-radius:4px}
.meta{color:var(--muted);margin:0 0 12px}
nav{display:flex;flex-wrap:wrap;gap:16px;margin-top:8px}
nav a{color:var(--accent);text-decoration:none}
nav a:hover{text-decoration:underline}
.banner{background:#fff8c5;border:1px solid #d4a72c;border-left:6px solid #bf8700;border-radius:6px;padding:10px 14px;margin:12px 0}
.banner strong{letter-spacing:.05em;margin-right:8px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-top:20px}
.tile{background:var(--card);border:1px solid var(--border);border-radius:8px;padding:12px 14px}
.tile.alert{border-top:4px solid var(--high)}
.tile.warn{border-top:4px solid var(--medium)}
.tile-label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.tile-value{font-size:28px;font-weight:600;line-height:1.2}
.tile-detail{color:var(--muted);font-size:12px}
.sev-high{color:var(--high)}.sev-medium{color:var(--medium)}.sev-low{color:var(--low)}
.note,.more,.muted{color:var(--muted);font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
.chart{margin:0;background:var(--card);border:1px solid var(--border);border-radius:8px;padding:12px 14px}
.chart figcaption{font-weight:600;margin-bottom:6px}
.chart svg{display:block;max-width:100%;height:auto}
.chart .bar{fill:var(--accent)}
.chart .lbl{font-size:11px;fill:var(--fg)}
.chart .num{font-size:11px;fill:var(--muted)}
.scroll{overflow-x:auto;background:var(--card);border:1px solid var(--border);border-radius:8px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:6px 10px;border-bottom:1px solid var(--border)}
th{background:#f6f8fa;font-size:12px;color:var(--muted);white-space:nowrap}
tbody tr:last-child td{border-bottom:0}
td.name{font-weight:600;word-break:break-word}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.before{color:var(--high)}td.after{color:var(--ok)}td.arrow{color:var(--muted);padding:6px 0}
.clusters td{white-space:nowrap}.clusters td.tags{white-space:normal;min-width:180px}.clusters .tag{display:inline-block}
.badge{display:inline-block;min-width:60px;text-align:center;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;color:#fff}
.badge.high{background:var(--high)}.badge.medium{background:var(--medium)}.badge.low{background:var(--low)}
.pill{border:1px solid var(--medium);color:var(--medium);border-radius:10px;padding:0 6px;font-size:11px}
.tag{display:inline-block;background:#ddf4ff;color:#0a3069;border-radius:4px;padding:0 5px;margin:1px 0;font-size:12px}
.ok{color:var(--ok)}.bad{color:var(--high);font-weight:600}
.empty{color:var(--muted);background:var(--card);border:1px dashed var(--border);border-radius:8px;padding:12px 14px;margin:0}
.count{color:var(--muted);font-weight:400;font-size:14px}
footer{color:var(--muted);font-size:12px;margin-top:40px}
@media print{body{background:#fff}.scroll,.tile,.chart{border-color:#bbb}nav{display:none}}
`;

/**
 * The snapshot as a standalone HTML report: header (a PARTIAL banner when the run stopped early, a WARNING
 * banner per warning), totals, charts, findings, changes, clusters and project errors. Needs no script and
 * no network.
 */
export function renderHtmlReport(snapshot: Snapshot): string {
  const model = buildReportModel(snapshot);
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Atlas cluster inventory${snapshot.partial ? ' (partial)' : ''} · ${snapshot.generatedAt}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<div class="wrap">
${header(snapshot)}
<main>
${tiles(model)}
${charts(model)}
${findingsSection(snapshot)}
${changesSection(snapshot)}
${clustersSection(snapshot)}
${databaseUsersSection(snapshot)}
${errorsSection(snapshot)}
</main>
${footer(snapshot)}
</div>
</body>
</html>
`;
  return page.html;
}
