/**
 * How a delivery of each source becomes an operation, as data (design.md, "Webhook intake"): JMESPath
 * expressions (Powertools' implementation) evaluated over `{ "headers": {…lower-case names…}, "body": … }`.
 *
 * - `when`: truthy when the delivery asks for an operation; otherwise it is answered `200 {"ignored"}`
 *   with `ignored` as the reason.
 * - `operation`: the operation message as a JSON object, or a text holding one ```` ```atlas-ops ```` or
 *   `{code:atlas-ops}` block (./operation-block.ts).
 * - `ref` and `actor`: `requestedBy.ref` and `requestedBy.actor` (a string or a number; anything else is
 *   left out). `requestedBy.source` is always the source the delivery came to, whatever the body says.
 *
 * Each rule can be overridden field by field (`WEBHOOK_RULES`, JSON: `{"jira": {"when": "…"}}`); an
 * override that is not valid JMESPath, or names an unknown source or field, refuses to start.
 */
import { JMESPathError, JMESPathTypeError, search } from '@aws-lambda-powertools/jmespath';
import type { FieldProblem } from '../atlas/index.ts';
import { WebhookConfigError, WebhookError } from './errors.ts';
import { operationBlockIn } from './operation-block.ts';
import { isWebhookSource, WEBHOOK_SOURCES, type WebhookSource } from './sources.ts';

export interface SourceRule {
  /** JMESPath: truthy when the delivery asks for an operation. */
  readonly when: string;
  /** Text: why a delivery whose `when` is not truthy is ignored (the `ignored` answer). */
  readonly ignored: string;
  /** JMESPath: the operation object, or a text holding one fenced atlas-ops block. */
  readonly operation: string;
  /** JMESPath: `requestedBy.ref`. */
  readonly ref: string;
  /** JMESPath: `requestedBy.actor`. */
  readonly actor: string;
}

export type RuleSet = Readonly<Record<WebhookSource, SourceRule>>;

const EXPRESSION_FIELDS = ['when', 'operation', 'ref', 'actor'] as const;
const RULE_FIELDS: readonly (keyof SourceRule)[] = [...EXPRESSION_FIELDS, 'ignored'];

/**
 * The senders that compose their own body (Zendesk triggers, ServiceNow scripts, Standard Webhooks senders)
 * decide when to send: every delivery is a request, unless it passes an approval state along
 * (`"approval": "requested"`, from `{{ticket.ticket_field_…}}` or `current.approval`) that is not `approved`.
 */
const APPROVED_UNLESS_SAID = "body.approval == null || body.approval == 'approved'";
const NOT_APPROVED = 'not approved (the delivery\'s approval is not "approved")';

/**
 * The defaults: the table in issue 10 and the README's "Webhook intake". ServiceNow and Standard Webhooks
 * bodies are the operation message itself, or `{"approval": "…", "operation": {…}}` when they say whether
 * it was approved.
 */
export const DEFAULT_RULES: RuleSet = {
  jira: {
    when:
      "contains(['jira:issue_created', 'jira:issue_updated'], body.webhookEvent) && " +
      "body.issue.fields.status.name == 'Approved'",
    ignored: 'not a Jira issue created or updated in status Approved',
    operation: 'body.issue.fields.description',
    ref: 'body.issue.key',
    actor: 'body.user.emailAddress || body.user.accountId',
  },
  github: {
    when:
      "headers.\"x-github-event\" == 'issues' && body.action == 'labeled' && " +
      "body.label.name == 'atlas-ops:approved'",
    ignored: 'not a GitHub issue labeled atlas-ops:approved',
    operation: 'body.issue.body',
    ref:
      'body.repository.full_name && body.issue.number && ' +
      "join('#', [body.repository.full_name, to_string(body.issue.number)])",
    actor: 'body.sender.login',
  },
  zendesk: {
    // The Zendesk trigger decides when to send and composes the body; it may pass an approval state along.
    when: APPROVED_UNLESS_SAID,
    ignored: NOT_APPROVED,
    operation: 'body.operation || body.ticket.description',
    ref: 'body.ticket.id && to_string(body.ticket.id)',
    actor: 'body.ticket.requester.email',
  },
  servicenow: {
    when: APPROVED_UNLESS_SAID,
    ignored: NOT_APPROVED,
    operation: 'body.operation || body',
    ref: '(body.operation || body).requestedBy.ref',
    actor: '(body.operation || body).requestedBy.actor',
  },
  standard: {
    when: APPROVED_UNLESS_SAID,
    ignored: NOT_APPROVED,
    operation: 'body.operation || body',
    ref: '(body.operation || body).requestedBy.ref',
    actor: '(body.operation || body).requestedBy.actor',
  },
};

/**
 * The rules with `overrides` (parsed `WEBHOOK_RULES`, or undefined) applied over the defaults, every
 * expression checked. Throws a `WebhookConfigError` naming the rule at fault (`jira.when: …`).
 */
export function buildRules(overrides: unknown): RuleSet {
  if (overrides === undefined || overrides === null) return DEFAULT_RULES;
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new WebhookConfigError('Webhook rules must be a JSON object keyed by source');
  }
  const rules: Record<WebhookSource, SourceRule> = { ...DEFAULT_RULES };
  for (const [source, override] of Object.entries(overrides)) {
    if (!isWebhookSource(source)) {
      throw new WebhookConfigError(
        `Webhook rule "${source}" is not a source (expected ${WEBHOOK_SOURCES.join(', ')})`,
      );
    }
    if (typeof override !== 'object' || override === null || Array.isArray(override)) {
      throw new WebhookConfigError(`Webhook rule ${source} must be a JSON object of fields`);
    }
    const rule: Record<string, string> = { ...DEFAULT_RULES[source] };
    for (const [field, value] of Object.entries(override)) {
      const name = `${source}.${field}`;
      if (!(RULE_FIELDS as readonly string[]).includes(field)) {
        throw new WebhookConfigError(
          `Webhook rule ${name} is not a field (expected ${RULE_FIELDS.join(', ')})`,
        );
      }
      if (typeof value !== 'string' || value.trim() === '') {
        throw new WebhookConfigError(`Webhook rule ${name} must be a non-empty string`);
      }
      rule[field] = value;
    }
    rules[source] = rule as unknown as SourceRule;
  }
  for (const source of WEBHOOK_SOURCES) {
    for (const field of EXPRESSION_FIELDS) checkExpression(`${source}.${field}`, rules[source][field]);
  }
  return rules;
}

/** Parses the expression (and runs it once on nothing, which finds unknown functions and wrong arities). */
function checkExpression(name: string, expression: string): void {
  try {
    search(expression, {});
  } catch (error) {
    // A type error on empty data is the data's fault, not the expression's: `join` over nulls, say.
    if (error instanceof JMESPathTypeError) return;
    const message = error instanceof JMESPathError ? error.message : String(error);
    throw new WebhookConfigError(`Webhook rule ${name} is not valid JMESPath: ${message}`);
  }
}

/** A rule failed on a delivery (a type error in an expression, say): a configuration problem, not the sender's. */
export class RuleEvaluationError extends WebhookError {
  override name = 'RuleEvaluationError';
  /** `jira.when`, … */
  readonly rule: string;

  constructor(rule: string, message: string, options?: { cause?: unknown }) {
    super(`Webhook rule ${rule} failed on a delivery: ${message}`, options);
    this.rule = rule;
  }
}

/** What a rule made of a delivery. */
export type RuleOutcome =
  /** Not a request, or a request without an operation in it. */
  | { kind: 'ignored'; reason: string }
  /** An operation to validate: the message as sent, with `requestedBy` set from the rule. */
  | { kind: 'operation'; message: Record<string, unknown> }
  /** A request whose operation cannot be read (two blocks, a block that is not JSON, not an object). */
  | { kind: 'invalid'; problems: FieldProblem[] };

/** The delivery as rules see it. */
export interface RuleInput {
  headers: Readonly<Record<string, string | undefined>>;
  body: unknown;
}

/**
 * Applies `source`'s rule to a delivery. Throws `RuleEvaluationError` when an expression fails on it.
 * @example applyRule('jira', rules.jira, { headers, body }) // { kind: 'operation', message: { type, params, requestedBy } }
 */
export function applyRule(source: WebhookSource, rule: SourceRule, input: RuleInput): RuleOutcome {
  const data = { headers: input.headers, body: input.body ?? null };
  const evaluate = (field: (typeof EXPRESSION_FIELDS)[number]): unknown => {
    try {
      return search(rule[field], data as Parameters<typeof search>[1]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new RuleEvaluationError(`${source}.${field}`, message, { cause: error });
    }
  };
  if (!truthy(evaluate('when'))) return { kind: 'ignored', reason: rule.ignored };

  const field = '(operation)';
  let operation = evaluate('operation');
  if (typeof operation === 'string') {
    const block = operationBlockIn(operation, field);
    if (!block.found) return { kind: 'ignored', reason: 'no atlas-ops block in the ticket' };
    if ('problems' in block) return { kind: 'invalid', problems: block.problems };
    operation = block.operation;
  }
  if (operation === null || operation === undefined) {
    return { kind: 'ignored', reason: 'no atlas-ops operation in the delivery' };
  }
  if (typeof operation !== 'object' || Array.isArray(operation)) {
    return { kind: 'invalid', problems: [{ field, description: 'must be a JSON object (one operation)' }] };
  }
  const { requestedBy: _claimed, ...fields } = operation as Record<string, unknown>;
  const ref = label(evaluate('ref'));
  const actor = label(evaluate('actor'));
  return {
    kind: 'operation',
    message: {
      ...fields,
      // The source is where the delivery was verified, never what its body claims.
      requestedBy: {
        source,
        ...(ref === undefined ? {} : { ref }),
        ...(actor === undefined ? {} : { actor }),
      },
    },
  };
}

/** JMESPath's truth: false, null, empty strings, arrays and objects are false. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function label(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
