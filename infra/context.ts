/**
 * The stack's CDK context keys (`-c key=value`, or `"context"` in cdk.json): what each does and its default,
 * in one place. The schema in atlas-ops-stack.ts has exactly these keys (the type says so), a key not listed
 * here fails the synth, and docs/deploy.md's table is rendered from this list (`npm run docs:context`; a
 * test fails when the two differ).
 */
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { accessListSyncWorker } from '../functions/access-list-sync/worker.ts';
import { inventoryWorker } from '../functions/inventory/worker.ts';
import { DEFAULT_MAX_DELETIONS } from '../shared/access-list/desired-state.ts';
import { DEFAULT_MAX_REMOVAL_SHARE } from '../shared/access-list/guards.ts';
import { SYNC_MODES } from '../shared/access-list/model.ts';
import { nearestName } from '../shared/config/near-names.ts';
import { PROVISIONING_MAX_CONCURRENCY } from '../shared/config/rules.ts';
import { DEFAULT_REMOVAL_ALARM_THRESHOLD } from './constructs/access-list-sync.ts';
import { StaticEgress } from './constructs/static-egress.ts';

/** One context key as docs/deploy.md shows it; both texts are Markdown. */
export interface ContextKeyDoc {
  /** What the key does, and the values it takes. */
  readonly description: string;
  /** What happens when the key is absent or empty. */
  readonly default: string;
}

const {
  min: minConcurrency,
  max: maxConcurrency,
  default: defaultConcurrency,
} = PROVISIONING_MAX_CONCURRENCY;
const DEFAULT_LOG_RETENTION_DAYS: number = RetentionDays.THREE_MONTHS;
const [PLAN, APPLY] = SYNC_MODES;

/** Every context key the stack reads, in the order docs/deploy.md lists them. */
export const CONTEXT_KEYS = {
  atlasSecret: {
    description: 'Name or ARN of an existing Secrets Manager secret holding the Atlas credentials.',
    default:
      'A new secret holding a random placeholder, not credentials (kept when the stack is deleted): put ' +
      'the credentials in it.',
  },
  inventoryAtlasSecret: {
    description:
      'Name or ARN of an existing secret with the inventory’s own Atlas credentials (it needs Organization ' +
      'Read Only: docs/deploy.md#atlas-roles).',
    default: 'The `atlasSecret` one.',
  },
  provisionerAtlasSecret: {
    description:
      'Name or ARN of an existing secret with the provisioner’s own Atlas credentials (the roles its ' +
      'operation types need: docs/deploy.md#atlas-roles).',
    default: 'The `atlasSecret` one.',
  },
  accessListSyncAtlasSecret: {
    description:
      'Name or ARN of an existing secret with the access-list sync’s own Atlas credentials (Project Network ' +
      'Access Manager, and Organization Owner for service-account lists: docs/deploy.md#atlas-roles).',
    default: 'The `atlasSecret` one.',
  },
  inventorySchedule: {
    description:
      'EventBridge Scheduler expression of the cluster inventory, in UTC: `rate(…)` or `cron(…)`. ' +
      `It may not fire more often than once per function timeout (${Duration.seconds(inventoryWorker.timeoutSeconds).toHumanString()}).`,
    default: `\`${inventoryWorker.trigger.schedule}\``,
  },
  inventoryOrgIds: {
    description:
      'Comma-separated organization ids (24 lowercase hex digits, as Atlas writes them) to limit the inventory to.',
    default: 'Every organization the credentials can see.',
  },
  inventoryProjectIds: {
    description: 'Comma-separated project ids (24 lowercase hex digits) to limit the inventory to.',
    default: 'Every project the credentials can see.',
  },
  alarmEmail: {
    description:
      'Email address every alarm notifies, through an encrypted SNS topic. The address must confirm ' +
      'the subscription once.',
    default: 'No topic: alarms change state and notify nobody.',
  },
  staticEgressIps: {
    description:
      `0 to ${StaticEgress.MAX_ELASTIC_IPS} Elastic IPs the workers call Atlas from, through a VPC with one NAT ` +
      'gateway per address. Put the `ElasticIp…Address` outputs on the Atlas API access list.',
    default: '`0`: no VPC; the workers call Atlas from Lambda’s own addresses.',
  },
  logRetentionDays: {
    description:
      'Retention of every log group, in days: a value CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, ' +
      '120, 150, 180, 365, …).',
    default: `\`${DEFAULT_LOG_RETENTION_DAYS}\``,
  },
  tracing: {
    description:
      '`true` or `false`: X-Ray tracing of every worker. Off, the functions record no traces and do not ' +
      'load the X-Ray SDK at a cold start.',
    default: '`true`',
  },
  provisioningEnabled: {
    description:
      '`true` or `false`: deploy the provisioning worker (queue, dead-letter queue, operations table, ' +
      'function). The webhook intake and the notifier need it.',
    default: '`true`',
  },
  provisioningMaxConcurrency: {
    description:
      `${minConcurrency} to ${maxConcurrency}: the most concurrent provisioning invocations, and so the ` +
      'most Atlas operations at once.',
    default: `\`${defaultConcurrency}\``,
  },
  accessListSyncEnabled: {
    description:
      '`true` or `false`: deploy the access-list sync. It reads the desired state from the `DesiredStateUri` ' +
      'output’s object.',
    default: '`true`',
  },
  accessListSyncSchedule: {
    description:
      'EventBridge Scheduler expression of the access-list sync, in UTC. The sync also runs whenever the ' +
      'desired-state object changes. It may not fire more often than once per function timeout ' +
      `(${Duration.seconds(accessListSyncWorker.timeoutSeconds).toHumanString()}).`,
    default: `\`${accessListSyncWorker.trigger.schedule}\``,
  },
  accessListSyncMode: {
    description: `\`${PLAN}\` reports drift and changes nothing; \`${APPLY}\` makes the changes the guards allow.`,
    default: `\`${PLAN}\``,
  },
  accessListSyncAllowWideNetworks: {
    description:
      '`true` or `false`: whether the desired state may declare an entry wider than a /8 (IPv4) or a /16 ' +
      '(IPv6), alone or with the other entries of its list. Refused, the whole run fails and sends nothing.',
    default: '`false`',
  },
  accessListMaxDeletions: {
    description:
      '0 to 10000: the most entries one sync run may remove from one list; the desired state’s ' +
      '`maxDeletions` may be lower, never higher.',
    default: `\`${DEFAULT_MAX_DELETIONS}\``,
  },
  accessListMaxRemovalShare: {
    description:
      '0 to 1: the largest share of one list’s entries a sync run may remove (a `prune: all` placeholder that ' +
      'would replace every entry is refused). A list over it is left as it is, and reported.',
    default: `\`${DEFAULT_MAX_REMOVAL_SHARE}\``,
  },
  accessListRemovalAlarmThreshold: {
    description:
      '1 to 10000: the alarm on the sync’s `EntriesRemoved` fires when this many entries are removed within ' +
      '5 minutes.',
    default: `\`${DEFAULT_REMOVAL_ALARM_THRESHOLD}\``,
  },
  protectedAddresses: {
    description:
      'Comma-separated (or a JSON array of) IP addresses and CIDR blocks that no delete operation and no ' +
      'sync run removes, whatever the message or the desired state says; the static egress addresses are ' +
      'protected too.',
    default: 'None but the static egress addresses.',
  },
  webhooksEnabled: {
    description:
      '`true` or `false`: deploy the webhook intake (an HTTP API and its function, sending to the ' +
      'provisioning queue). Only with the provisioning worker.',
    default: '`true`',
  },
  webhookSecret: {
    description: 'Name or ARN of an existing webhook secret.',
    default:
      'A new secret (kept when the stack is deleted) holding a random ServiceNow token; add the other ' +
      'sources’ secrets to it.',
  },
  webhookSenders: {
    description:
      'JSON: who may send and who may approve, per source, e.g. ' +
      '`{"jira": {"scope": ["OPS"], "approvers": ["5b10a2844c20165700ede31a"]}}`.',
    default: 'None: the webhook intake accepts nothing.',
  },
  policy: {
    description:
      'JSON: the operation policy — who may ask for which operation types (or risk classes) on which projects ' +
      'and organizations, from which sources, with how many distinct approvers (docs/webhooks.md), e.g. ' +
      '`{"rules": [{"sources": "*", "risks": ["additive"], "projects": ["5f1b…"]}]}`. Checked at synth.',
    default: 'None: the webhook intake refuses every request.',
  },
  policyFile: {
    description:
      'A JSON file holding the operation policy (as `policy`), read and checked at synth, e.g. ' +
      '`examples/policy.json`. Give `policy` or `policyFile`, not both.',
    default: 'None.',
  },
  notifierEnabled: {
    description:
      '`true` or `false`: deploy the notifier (an outcomes queue, its dead-letter queue and a function that ' +
      'tells each ticket how its operation ended). Only with the provisioning worker.',
    default: '`true`',
  },
  notifierSecret: {
    description: 'Name or ARN of an existing notifier credentials secret.',
    default: 'A new secret (kept when the stack is deleted) holding `{}`: no ticket is told.',
  },
  jiraBaseUrl: {
    description: 'The Jira Cloud site, e.g. `https://acme.atlassian.net`.',
    default: 'None: Jira tickets are not told.',
  },
  jiraTransitionOnSuccess: {
    description: 'Name of the Jira transition to make after the comment on a success.',
    default: 'None',
  },
  jiraTransitionOnFailure: {
    description: 'Name of the Jira transition to make after the comment on a failure.',
    default: 'None',
  },
  githubApiUrl: {
    description: 'The GitHub REST API; `https://HOST/api/v3` for GitHub Enterprise Server.',
    default: '`https://api.github.com`',
  },
  zendeskBaseUrl: {
    description: 'The Zendesk account, e.g. `https://acme.zendesk.com`.',
    default: 'None: Zendesk tickets are not told.',
  },
  callbackUrls: {
    description:
      'JSON `{"servicenow": "https://…", "standard": "https://…"}`: where each other source’s signed ' +
      'Standard Webhooks callback goes.',
    default: 'None',
  },
} as const satisfies Record<string, ContextKeyDoc>;

export type ContextKey = keyof typeof CONTEXT_KEYS;

/**
 * Context the CDK itself reads or the CDK CLI passes to every app, never one of the stack's keys: feature
 * flags and library settings (`@aws-cdk/core:…`); anything with a colon (what `cdk synth` passes every app:
 * `aws:cdk:enable-path-metadata`, `aws:cdk:enable-asset-metadata`, `aws:cdk:version-reporting`,
 * `aws:cdk:bundling-stacks`, `@aws-cdk/core:failSynthOnValidationErrors`, …; `aws-cdk:enableDiffNoFail`; the
 * lookups cached in cdk.context.json, `availability-zones:account=…:region=…`); `cdk-…` keys; and the two
 * keys the CLI writes into cdk.json itself (`cdk acknowledge`, `cdk cli-telemetry`).
 */
export function isCdkContextKey(key: string): boolean {
  return (
    key.includes(':') ||
    key.startsWith('@') ||
    key.startsWith('cdk-') ||
    key === 'acknowledged-issue-numbers' ||
    key === 'cli-telemetry'
  );
}

/** A context key that is neither the stack's nor the CDK's, with the known key it is nearest to, if any. */
export interface UnknownContextKey {
  readonly key: string;
  readonly nearest?: ContextKey;
}

/**
 * The first of `keys` (all the app's context keys) that is neither one of the stack's nor the CDK's: a
 * misspelt key would otherwise be ignored, and the stack built with that setting's default (a new secret
 * instead of the one named). `nearest` is the known key it most likely meant (shared/config/near-names.ts:
 * case aside, at most one edit per three characters, a swap of two neighbouring letters counting as one).
 * @example unknownContextKey(['atlasSecert']) // { key: 'atlasSecert', nearest: 'atlasSecret' }
 */
export function unknownContextKey(keys: Iterable<string>): UnknownContextKey | undefined {
  for (const key of keys) {
    if (Object.hasOwn(CONTEXT_KEYS, key) || isCdkContextKey(key)) continue;
    const nearest = nearestName(key, Object.keys(CONTEXT_KEYS)) as ContextKey | undefined;
    return nearest ? { key, nearest } : { key };
  }
  return undefined;
}

/** The lines around the generated table in docs/deploy.md. */
export const CONTEXT_TABLE_START =
  '<!-- context-keys: generated from infra/context.ts by `npm run docs:context`; do not edit by hand -->';
export const CONTEXT_TABLE_END = '<!-- /context-keys -->';

/** The Markdown table of every context key: key, what it does, default. */
export function renderContextTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = Object.entries(CONTEXT_KEYS).map(
    ([key, doc]: [string, ContextKeyDoc]) =>
      `| \`${key}\` | ${cell(doc.description)} | ${cell(doc.default)} |`,
  );
  return ['| Key | What it does | Default |', '| --- | --- | --- |', ...rows].join('\n');
}

/**
 * The table between the markers of `doc` (docs/deploy.md's text), or undefined when the markers are missing.
 */
export function contextTableIn(doc: string): string | undefined {
  const start = doc.indexOf(CONTEXT_TABLE_START);
  const end = doc.indexOf(CONTEXT_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return doc.slice(start + CONTEXT_TABLE_START.length, end).trim();
}

/**
 * A Markdown table's cells, row by row, without the padding a formatter adds (`biome format` aligns the
 * columns): two tables with the same cells are the same table.
 */
export function tableCells(table: string): string[][] {
  return table
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) =>
      line
        .trim()
        .replace(/^\|/, '')
        .replace(/(?<!\\)\|$/, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^:?-+:?$/, '---')),
    );
}

/** Whether `doc` holds the current context table, however its columns are padded. */
export function hasCurrentContextTable(doc: string): boolean {
  const table = contextTableIn(doc);
  return (
    table !== undefined &&
    JSON.stringify(tableCells(table)) === JSON.stringify(tableCells(renderContextTable()))
  );
}

/** `doc` with the table between its markers replaced by the current one; throws without the markers. */
export function withContextTable(doc: string): string {
  const start = doc.indexOf(CONTEXT_TABLE_START);
  const end = doc.indexOf(CONTEXT_TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`the context table's markers are missing: ${CONTEXT_TABLE_START} … ${CONTEXT_TABLE_END}`);
  }
  return `${doc.slice(0, start + CONTEXT_TABLE_START.length)}\n\n${renderContextTable()}\n\n${doc.slice(end)}`;
}
