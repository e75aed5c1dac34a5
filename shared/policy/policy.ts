/**
 * Who may ask for what, where, and how many yeses it takes: the operation policy (`OPERATION_POLICY`, JSON;
 * context `policy` or `policyFile` at synth; the local stack's is examples/policy.json). Deny by default: a
 * request from a ticket that no rule allows is refused, and its ticket is told why.
 *
 * ```json
 * { "rules": [
 *   { "name": "office addresses", "sources": ["jira"], "scope": ["OPS"],
 *     "risks": ["additive"], "projects": ["5f1b…"] },
 *   { "name": "removals", "sources": "*", "risks": ["destructive"], "projects": "*", "approvals": 2 } ] }
 * ```
 *
 * A rule matches a request when each of its fields does:
 * - `sources`: the ticketing systems (`jira`, `github`, …) or `"*"`;
 * - `scope` (optional): the Jira project keys or GitHub repositories, within the source's sender scope;
 * - `types` and/or `risks`: the operation types, the risk classes (shared/operations/types.ts) — either
 *   matching is enough, at least one of the two is given;
 * - `projects` and/or `orgs`: the project ids an operation on a project may touch, the organization ids an
 *   operation on an organization may touch, or `"*"`. A project is matched by its own id only: the intake never
 *   calls Atlas, so it cannot tell which organization a project belongs to.
 * - `approvals`: distinct approvers it takes (1 to 5), default 1, and 2 for `destructive` and `organization`
 *   types; `allowWideNetworks`: whether an access-list entry may admit most of the internet (default false).
 * The first rule that matches decides. Parsing names every bad field: an unknown type, a malformed id, a key
 * that is no field.
 */
import { fieldProblems } from '../config/field-problems.ts';
import { nearestName } from '../config/near-names.ts';
import { OBJECT_ID_PATTERN } from '../config/rules.ts';
import * as z from '../config/zod.ts';
import type { OperationTarget } from '../operations/target.ts';
import { OPERATION_RISKS, type OperationRisk } from '../operations/types.ts';

/** The sources a rule may name: every webhook source (shared/webhooks/sources.ts) spells one of these. */
const SOURCE = /^[a-z][a-z0-9-]{0,31}$/;
const EVERYTHING = '*';
/** Most approvers a rule may ask for: more is a process no ticket finishes. */
const MAX_APPROVALS = 5;

/** The risk classes that ask two approvers unless a rule says otherwise. */
export const TWO_APPROVER_RISKS: ReadonlySet<OperationRisk> = new Set(['destructive', 'organization']);

export interface PolicyRule {
  /** What the audit trail and the ticket call it: the rule's `name`, or `rule <n>` (1-based). */
  readonly name: string;
  readonly sources: '*' | readonly string[];
  readonly scope?: readonly string[] | undefined;
  readonly types?: readonly string[] | undefined;
  readonly risks?: readonly OperationRisk[] | undefined;
  readonly projects?: '*' | readonly string[] | undefined;
  readonly orgs?: '*' | readonly string[] | undefined;
  /** As written; `approvalsFor` applies the default. */
  readonly approvals?: number | undefined;
  readonly allowWideNetworks: boolean;
}

export interface OperationPolicy {
  readonly rules: readonly PolicyRule[];
}

/** A request, as the policy sees it. */
export interface PolicyRequest {
  source: string;
  /** The Jira project key or GitHub repository, when the source names one. */
  scope?: string | undefined;
  type: string;
  risk: OperationRisk;
  target: OperationTarget;
}

/** What the policy says of a request. */
export type PolicyDecision =
  | {
      readonly allowed: true;
      readonly rule: string;
      /** Distinct approvers it takes. */
      readonly approvals: number;
      readonly allowWideNetworks: boolean;
    }
  | { readonly allowed: false; readonly reason: string };

/** A policy that cannot be used; the message names each bad field. */
export class PolicyError extends Error {
  readonly problems: readonly { field: string; description: string }[];

  constructor(what: string, problems: readonly { field: string; description: string }[]) {
    super(`Invalid ${what}: ${problems.map((p) => `${p.field} ${p.description}`).join('; ')}`);
    this.name = 'PolicyError';
    this.problems = problems;
  }
}

const everything = z.literal(EVERYTHING);
const objectId = z.string().check(z.regex(OBJECT_ID_PATTERN, 'must be a 24-hex-digit Atlas id (lowercase)'));
const ids = (what: string) =>
  z.union(
    [everything, z.array(objectId).check(z.minLength(1, `must list at least one ${what} id, or be "*"`))],
    {
      error: (issue) => (issue.input === undefined ? 'is required' : `must be "*" or a list of ${what} ids`),
    },
  );

/** `knownTypes`: the operation types that exist (shared/operations/registry.ts), so a typo fails. */
function ruleSchema(knownTypes: ReadonlySet<string>) {
  return z.strictObject({
    name: z.optional(z.string().check(z.regex(/^\S(?:.{0,78}\S)?$/, 'must be a name of 1 to 80 characters'))),
    sources: z.union(
      [
        everything,
        z
          .array(z.string().check(z.regex(SOURCE, 'must be a source name such as jira')))
          .check(z.minLength(1)),
      ],
      { error: (issue) => (issue.input === undefined ? 'is required' : 'must be "*" or a list of sources') },
    ),
    scope: z.optional(
      z
        .array(z.string().check(z.regex(/^\S{1,140}$/, 'must be a Jira project key or an owner/repo')))
        .check(z.minLength(1, 'must list at least one project key or repository')),
    ),
    types: z.optional(
      z
        .array(
          z.string().check(
            z.refine((type) => knownTypes.has(type), {
              error: (issue) => {
                const near = nearestName(String(issue.input), knownTypes);
                return near
                  ? `${JSON.stringify(issue.input)} is not an operation type; did you mean ${near}?`
                  : `${JSON.stringify(issue.input)} is not an operation type (${[...knownTypes].join(', ')})`;
              },
            }),
          ),
        )
        .check(z.minLength(1, 'must list at least one operation type')),
    ),
    risks: z.optional(
      z
        .array(z.enum(OPERATION_RISKS, `must be one of ${OPERATION_RISKS.join(', ')}`))
        .check(z.minLength(1, 'must list at least one risk class')),
    ),
    projects: z.optional(ids('project')),
    orgs: z.optional(ids('organization')),
    approvals: z.optional(
      z
        .int('must be a whole number of approvers')
        .check(
          z.minimum(1, 'must be at least 1'),
          z.maximum(MAX_APPROVALS, `must be at most ${MAX_APPROVALS}`),
        ),
    ),
    allowWideNetworks: z.optional(z.boolean('must be true or false')),
  });
}

/**
 * Parses a policy document (an object, or its JSON text); throws a `PolicyError` naming every bad field.
 * `knownTypes` are the operation types there are: a rule naming another fails.
 */
export function parsePolicy(
  value: unknown,
  knownTypes: ReadonlySet<string>,
  what = 'policy',
): OperationPolicy {
  let document = value;
  if (typeof value === 'string') {
    try {
      document = JSON.parse(value) as unknown;
    } catch {
      throw new PolicyError(what, [{ field: '(document)', description: 'must be JSON' }]);
    }
  }
  const schema = z.strictObject({ rules: z.array(ruleSchema(knownTypes)) });
  const result = z.safeParse(schema, document, { reportInput: true });
  if (!result.success) {
    throw new PolicyError(
      what,
      fieldProblems(result.error.issues, { root: '(document)', unknownKey: 'is not a field of the policy' }),
    );
  }
  const problems = result.data.rules.flatMap((rule, index) => [
    ...(rule.types || rule.risks
      ? []
      : [{ field: `rules.${index}`, description: 'must name the types or the risks it allows' }]),
    ...(rule.projects || rule.orgs
      ? []
      : [
          {
            field: `rules.${index}`,
            description: 'must name the projects or the organizations it allows ("*" for all)',
          },
        ]),
  ]);
  if (problems.length > 0) throw new PolicyError(what, problems);
  return {
    rules: result.data.rules.map((rule, index) => ({
      name: rule.name ?? `rule ${index + 1}`,
      sources: rule.sources,
      scope: rule.scope,
      types: rule.types,
      risks: rule.risks,
      projects: rule.projects,
      orgs: rule.orgs,
      approvals: rule.approvals,
      allowWideNetworks: rule.allowWideNetworks ?? false,
    })),
  };
}

/** The approvers `rule` asks for a request of `risk`: its own number, else 2 for destructive and org-level. */
export function approvalsFor(rule: PolicyRule, risk: OperationRisk): number {
  return rule.approvals ?? (TWO_APPROVER_RISKS.has(risk) ? 2 : 1);
}

const listed = (list: '*' | readonly string[] | undefined, value: string | undefined): boolean =>
  list === EVERYTHING || (value !== undefined && (list?.includes(value) ?? false));

/** Whether `rule` allows `request`. */
export function ruleMatches(rule: PolicyRule, request: PolicyRequest): boolean {
  if (!listed(rule.sources, request.source)) return false;
  if (rule.scope && !listed(rule.scope, request.scope)) return false;
  if (!(rule.types?.includes(request.type) || rule.risks?.includes(request.risk))) return false;
  return request.target.projectId !== undefined
    ? listed(rule.projects, request.target.projectId)
    : listed(rule.orgs, request.target.orgId);
}

/** What `policy` says of `request`: the first rule that allows it, or the refusal in words a ticket reads. */
export function decide(policy: OperationPolicy, request: PolicyRequest): PolicyDecision {
  if (policy.rules.length === 0) {
    return { allowed: false, reason: 'no operation policy is configured, so no request is allowed' };
  }
  const rule = policy.rules.find((candidate) => ruleMatches(candidate, request));
  if (rule) {
    return {
      allowed: true,
      rule: rule.name,
      approvals: approvalsFor(rule, request.risk),
      allowWideNetworks: rule.allowWideNetworks,
    };
  }
  const where =
    request.target.projectId !== undefined
      ? `project ${request.target.projectId}`
      : `organization ${request.target.orgId}`;
  const from = request.scope ? `${request.source} ${request.scope}` : request.source;
  return {
    allowed: false,
    reason: `no rule of the operation policy allows ${request.type} (${request.risk}) on ${where} from ${from}`,
  };
}
