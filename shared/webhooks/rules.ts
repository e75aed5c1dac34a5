/**
 * Where each source's delivery keeps what the intake reads, as data (design.md, "Webhook intake"): JMESPath
 * expressions (Powertools' implementation) evaluated over `{ "headers": {…lower-case names…}, "body": … }`.
 * Whether a delivery is an approval at all is the vendor's event shape, decided in ./approval.ts.
 *
 * - `operation`: the operation message as a JSON object, or a text holding one ```` ```atlas-ops ```` or
 *   `{code:atlas-ops}` block (./operation-block.ts). It never names its own `id`.
 * - `ref`: `requestedBy.ref`, the ticket (a string or a number); required.
 * - `requester` and `approver`: who asked and who approved, each a string or a list of the same person's
 *   identities (a Jira account id and email); `requestedBy.actor` is the requester's first identity.
 * - `scope`: the Jira project key or GitHub repository the delivery is about, matched against the sender
 *   scope (./senders.ts); null for sources whose deliveries name none.
 *
 * `requestedBy.source` is always the source the delivery came to, whatever the body says. Each rule can be
 * overridden field by field (`WEBHOOK_RULES`, JSON: `{"jira": {"approver": "…"}}`); an override that is not
 * valid JMESPath, or names an unknown source or field, refuses to start.
 */
import { JMESPathError, JMESPathTypeError, search } from '@aws-lambda-powertools/jmespath';
import type { FieldProblem } from '../atlas/index.ts';
import { WebhookConfigError, WebhookError } from './errors.ts';
import { operationBlockIn } from './operation-block.ts';
import { isWebhookSource, WEBHOOK_SOURCES, type WebhookSource } from './sources.ts';

export interface SourceRule {
  /** JMESPath: the operation object, or a text holding one fenced atlas-ops block. */
  readonly operation: string;
  /** JMESPath: `requestedBy.ref`. */
  readonly ref: string;
  /** JMESPath: the requester's identities (a string, or a list of strings). */
  readonly requester: string;
  /** JMESPath: the approver's identities (a string, or a list of strings). */
  readonly approver: string;
  /** JMESPath: the project key or repository the delivery is about (null: the source names none). */
  readonly scope: string;
}

export type RuleSet = Readonly<Record<WebhookSource, SourceRule>>;

const RULE_FIELDS = ['operation', 'ref', 'requester', 'approver', 'scope'] as const;
type RuleField = (typeof RULE_FIELDS)[number];

/**
 * Bodies composed by their sender (a Zendesk trigger, a ServiceNow script, a Standard Webhooks sender) carry
 * `{"approval": "approved", "approvedBy": "…", "operation": {…}}`; the operation's `requestedBy.actor` names
 * who asked (Zendesk: the ticket's requester).
 */
const COMPOSED = {
  operation: 'body.operation',
  ref: 'body.operation.requestedBy.ref',
  requester: 'body.operation.requestedBy.actor',
  approver: 'body.approvedBy',
  scope: 'null',
} as const satisfies SourceRule;

/** The defaults: the table of docs/webhooks.md, "What a ticket carries". */
export const DEFAULT_RULES: RuleSet = {
  jira: {
    operation: 'body.issue.fields.description',
    ref: 'body.issue.key',
    // The reporter asked; the event's user moved the issue (reference/webhooks.md, Addendum).
    requester: '[body.issue.fields.reporter.emailAddress, body.issue.fields.reporter.accountId]',
    approver: '[body.user.emailAddress, body.user.accountId]',
    scope: 'body.issue.fields.project.key',
  },
  github: {
    operation: 'body.issue.body',
    ref:
      'body.repository.full_name && body.issue.number && ' +
      "join('#', [body.repository.full_name, to_string(body.issue.number)])",
    // The issue's author asked; the sender added the label.
    requester: 'body.issue.user.login',
    approver: 'body.sender.login',
    scope: 'body.repository.full_name',
  },
  zendesk: {
    ...COMPOSED,
    operation: 'body.operation || body.ticket.description',
    ref: 'body.ticket.id && to_string(body.ticket.id)',
    requester: 'body.ticket.requester.email',
  },
  servicenow: COMPOSED,
  standard: COMPOSED,
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
        const renamed = RENAMED_FIELDS[field];
        throw new WebhookConfigError(
          `Webhook rule ${name} is not a field (expected ${RULE_FIELDS.join(', ')})${renamed ? `; ${renamed}` : ''}`,
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
    for (const field of RULE_FIELDS) checkExpression(`${source}.${field}`, rules[source][field]);
  }
  return rules;
}

/** Fields earlier versions had, and where what they did went. */
const RENAMED_FIELDS: Record<string, string> = {
  actor: 'it is now requester (and approver names who approved)',
  when: 'whether a delivery is an approval is the vendor event itself now (docs/webhooks.md)',
  ignored: 'whether a delivery is an approval is the vendor event itself now (docs/webhooks.md)',
};

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
  /** A request without an operation in it. */
  | { kind: 'ignored'; reason: string }
  /** An operation to validate: the message as sent, `requestedBy` set; who asked and who approved. */
  | { kind: 'operation'; message: Record<string, unknown>; requester: string[]; approver: string[] }
  /** A request whose operation cannot be read (two blocks, a hidden one, not JSON, names its own id). */
  | { kind: 'invalid'; problems: FieldProblem[] };

/** The delivery as rules see it. */
export interface RuleInput {
  headers: Readonly<Record<string, string | undefined>>;
  body: unknown;
}

/** The longest identity or label kept from a delivery. */
const MAX_LABEL_CHARS = 256;

/** Evaluates one field of `source`'s rule; throws `RuleEvaluationError` when the expression fails on it. */
function evaluate(source: WebhookSource, rule: SourceRule, field: RuleField, input: RuleInput): unknown {
  const data = { headers: input.headers, body: input.body ?? null };
  try {
    return search(rule[field], data as Parameters<typeof search>[1]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new RuleEvaluationError(`${source}.${field}`, message, { cause: error });
  }
}

/** The project key or repository a delivery is about (its rule's `scope`), or undefined when it names none. */
export function scopeOf(source: WebhookSource, rule: SourceRule, input: RuleInput): string | undefined {
  return label(evaluate(source, rule, 'scope', input));
}

/**
 * Reads the operation a delivery of `source` asks for, who asked and who approved. Throws
 * `RuleEvaluationError` when an expression fails on it.
 * @example applyRule('jira', rules.jira, { headers, body }) // { kind: 'operation', message: { type, params, requestedBy }, … }
 */
export function applyRule(source: WebhookSource, rule: SourceRule, input: RuleInput): RuleOutcome {
  const field = '(operation)';
  let operation = evaluate(source, rule, 'operation', input);
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
  const { requestedBy: _claimed, approvedBy: _alsoClaimed, ...fields } = operation as Record<string, unknown>;
  if ('id' in fields) {
    // The id is the idempotency key and the status record's: a ticket choosing one could take another
    // ticket's, so it is always derived from the source, the ticket and what it asks.
    return {
      kind: 'invalid',
      problems: [
        {
          field: 'id',
          description: 'is not for a ticket to give: the operation id is derived from the ticket',
        },
      ],
    };
  }
  const ref = label(evaluate(source, rule, 'ref', input));
  if (ref === undefined) {
    return {
      kind: 'invalid',
      problems: [{ field: 'requestedBy.ref', description: 'is required: the ticket it came from' }],
    };
  }
  const requester = identities(evaluate(source, rule, 'requester', input));
  const approver = identities(evaluate(source, rule, 'approver', input));
  return {
    kind: 'operation',
    message: {
      ...fields,
      // The source is where the delivery was verified, never what its body claims.
      requestedBy: { source, ref, ...(requester[0] === undefined ? {} : { actor: requester[0] }) },
      ...(approver[0] === undefined ? {} : { approvedBy: approver[0] }),
    },
    requester,
    approver,
  };
}

/** A person's identities from a rule's value: a string or number, or a list of them; blanks dropped. */
function identities(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  const kept = values.map(label).filter((item): item is string => item !== undefined);
  return [...new Set(kept)];
}

function label(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return value.length <= MAX_LABEL_CHARS ? value : value.slice(0, MAX_LABEL_CHARS);
}
