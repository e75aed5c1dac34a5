/**
 * Who may send and who may approve, per source (`WEBHOOK_SENDERS`, JSON; context `webhookSenders` at synth):
 *
 * ```json
 * { "jira":   { "scope": ["OPS"], "approvers": ["5b10a2844c20165700ede31a", "lead@example.com"] },
 *   "github": { "scope": ["acme/platform-requests"], "approvers": ["octo-approver"] },
 *   "standard": { "scope": "*", "approvers": ["lead@example.com"] } }
 * ```
 *
 * - `scope`: the Jira project keys or GitHub repositories (`owner/repo`) whose tickets may ask; anything else
 *   is ignored. Zendesk, ServiceNow and Standard Webhooks deliveries name no project a signature binds, so
 *   their scope is `"*"`: whoever holds the source's secret.
 * - `approvers`: the identities whose approval counts (Jira account ids or emails, GitHub logins, the
 *   `approvedBy` a composed body carries), or `"*"` for anyone but the requester.
 * - `selfApproval`: whether the requester may approve their own request (default false).
 * - Jira `approvalStatus` (default `Approved`): the status an issue is moved to when approved; GitHub
 *   `approvalLabel` (default `atlas-ops:approved`): the label that approves.
 *
 * A source missing here accepts nothing: deny by default. Parsing names every bad field.
 */
import * as z from '../config/zod.ts';
import { WebhookConfigError } from './errors.ts';
import { WEBHOOK_SOURCES, type WebhookSource } from './sources.ts';

/** What a source's deliveries may do, as configured (defaults applied). */
export interface SenderPolicy {
  /** `*`, or the Jira project keys / GitHub repositories that may ask. */
  readonly scope: '*' | readonly string[];
  /** `*`, or the identities whose approval counts. */
  readonly approvers: '*' | readonly string[];
  readonly selfApproval: boolean;
  /** Jira: the status whose change approves. */
  readonly approvalStatus: string;
  /** GitHub: the label whose addition approves. */
  readonly approvalLabel: string;
}

export type SenderPolicies = Readonly<Partial<Record<WebhookSource, SenderPolicy>>>;

export const DEFAULT_JIRA_APPROVAL_STATUS = 'Approved';
export const DEFAULT_GITHUB_APPROVAL_LABEL = 'atlas-ops:approved';

const EVERYONE = '*';
const everyone = z.literal(EVERYONE);

/** A Jira project key: an uppercase letter, then uppercase letters, digits and underscores (Jira's default). */
const jiraProjectKey = z
  .string()
  .check(z.regex(/^[A-Z][A-Z0-9_]{0,254}$/, 'must be a Jira project key such as OPS'));
/** `owner/repo` as GitHub spells them; never `.` or `..` as the repository. */
const repository = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9_-]{1,39}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/,
      'must be a GitHub repository as owner/repo',
    ),
  );
/** An account id, email, login or user name: no spaces, bounded. */
const identity = z
  .string()
  .check(z.regex(/^\S{1,256}$/, 'must be an account id, email or login (no spaces, at most 256 characters)'));
const nonEmptyName = z.string().check(z.regex(/^\S(?:.{0,98}\S)?$/, 'must be a name of 1 to 100 characters'));

const listOrEveryone = <T extends z.core.$ZodType<string>>(item: T, what: string) =>
  z.union([everyone, z.array(item).check(z.minLength(1, `must list at least one ${what}, or be "*"`))], {
    error: (issue) => (issue.input === undefined ? 'is required' : `must be "*" or a list of ${what}s`),
  });

const approverFields = {
  approvers: listOrEveryone(identity, 'approver'),
  selfApproval: z.optional(z.boolean('must be true or false')),
};

const composedSender = z.strictObject({
  scope: z.literal(EVERYONE, {
    error: 'must be "*": its deliveries name no project or repository, so the secret is the scope',
  }),
  ...approverFields,
});

const sendersSchema = z.strictObject({
  jira: z.optional(
    z.strictObject({
      scope: listOrEveryone(jiraProjectKey, 'project key'),
      ...approverFields,
      approvalStatus: z.optional(nonEmptyName),
    }),
  ),
  github: z.optional(
    z.strictObject({
      scope: listOrEveryone(repository, 'repositorie'),
      ...approverFields,
      approvalLabel: z.optional(nonEmptyName),
    }),
  ),
  zendesk: z.optional(composedSender),
  servicenow: z.optional(composedSender),
  standard: z.optional(composedSender),
});

/**
 * The sender policies from `WEBHOOK_SENDERS` (parsed JSON, or undefined: no source accepts anything). Throws
 * a `WebhookConfigError` naming every bad field (`jira.scope.0: must be a Jira project key such as OPS`).
 */
export function parseSenderPolicies(value: unknown, label = 'WEBHOOK_SENDERS'): SenderPolicies {
  if (value === undefined || value === null) return {};
  const parsed = z.safeParse(sendersSchema, value);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `${[...issue.path, key].join('.')}: ${unknownKey(issue.path, key)}`)
        : [`${issue.path.map(String).join('.') || '(senders)'}: ${issue.message}`],
    );
    throw new WebhookConfigError(`${label}: ${problems.join('; ')}`);
  }
  const policies: Partial<Record<WebhookSource, SenderPolicy>> = {};
  for (const source of WEBHOOK_SOURCES) {
    const given = parsed.data[source];
    if (!given) continue;
    policies[source] = {
      scope: given.scope,
      approvers: given.approvers,
      selfApproval: given.selfApproval ?? false,
      approvalStatus: ('approvalStatus' in given && given.approvalStatus) || DEFAULT_JIRA_APPROVAL_STATUS,
      approvalLabel: ('approvalLabel' in given && given.approvalLabel) || DEFAULT_GITHUB_APPROVAL_LABEL,
    };
  }
  return policies;
}

function unknownKey(path: readonly PropertyKey[], key: string): string {
  if (path.length === 0) return `is not a source (expected ${WEBHOOK_SOURCES.join(', ')})`;
  const source = String(path[0]);
  const fields = ['scope', 'approvers', 'selfApproval'];
  if (source === 'jira') fields.push('approvalStatus');
  if (source === 'github') fields.push('approvalLabel');
  return `is not a field (expected ${fields.join(', ')})${key === 'approver' ? '; did you mean approvers?' : ''}`;
}

/** The sources that accept nothing because no policy names them: said at cold start. */
export function closedSources(policies: SenderPolicies): WebhookSource[] {
  return WEBHOOK_SOURCES.filter((source) => policies[source] === undefined);
}

/**
 * Whether `value` (the delivery's project key or repository) is in the policy's scope. GitHub names are
 * case-insensitive (github/docs: repository names are not case-sensitive); Jira project keys are uppercase.
 */
export function inScope(policy: SenderPolicy, value: string | undefined): boolean {
  if (policy.scope === EVERYONE) return true;
  if (value === undefined) return false;
  const wanted = value.toLowerCase();
  return policy.scope.some((entry) => entry.toLowerCase() === wanted);
}

/** Whether one of `identities` (an approver's account id and email, say) is a listed approver. */
export function isListedApprover(policy: SenderPolicy, identities: readonly string[]): boolean {
  if (policy.approvers === EVERYONE) return identities.length > 0;
  const listed = new Set(policy.approvers.map((entry) => entry.toLowerCase()));
  return identities.some((identity) => listed.has(identity.toLowerCase()));
}

/** Whether two people's identities (each an account id, email or login, in any case) name one person. */
export function samePerson(a: readonly string[], b: readonly string[]): boolean {
  const first = new Set(a.map((identity) => identity.toLowerCase()));
  return b.some((identity) => first.has(identity.toLowerCase()));
}
