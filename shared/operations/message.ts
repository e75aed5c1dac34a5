/**
 * The provisioning queue's message: `{ id?, type, params, requestedBy?, approvedBy?, decision?, dryRun?, allowWideNetworks? }`. Parsing checks it all
 * before anything is sent — the envelope, the type, and the type's params — and names every bad field.
 * The `id` is the idempotency key: when the sender gives none, one is derived from what the message asks,
 * so a redelivery (or a resend of the same request) is recognised as the same operation.
 */
import { createHash } from 'node:crypto';
import type { FieldProblem } from '../atlas/index.ts';
import { fieldProblems } from '../config/field-problems.ts';
import { nestsDeeperThan } from '../config/json-depth.ts';
import { nearestName } from '../config/near-names.ts';
import { MAX_JSON_DEPTH, MAX_MESSAGE_BYTES } from '../config/rules.ts';
import * as z from '../config/zod.ts';
import { InvalidOperationError } from './errors.ts';
import { OPERATION_TYPES, operationType } from './registry.ts';
import type { OperationDefinition } from './types.ts';

/** The largest message accepted, in bytes (shared/config/rules.ts). */
export { MAX_MESSAGE_BYTES };

const operationId = z
  .string()
  .check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(128, 'must be at most 128 characters'),
    z.regex(/^[A-Za-z0-9._:-]*$/, 'must hold only letters, digits and . _ : -'),
  );

/** Whether `value` can be an operation id (what `id` in a message may be; derived ids always are). */
export function isOperationId(value: string): boolean {
  return operationId.safeParse(value).success;
}

/** Who asked for the operation: the intake source (`jira`, `cli`, …), its reference (`OPS-123`) and the person. */
const requestedBy = z.object({
  source: z.string().check(z.minLength(1, 'must not be empty')),
  ref: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
  actor: z.optional(z.string()),
});

/** The audit of a request that came through the operation policy (shared/policy): its rule, its approvers. */
const decision = z.strictObject({
  rule: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(80)),
  approvedBy: z.array(z.string().check(z.minLength(1, 'must not be empty'))).check(z.maxLength(5)),
});

/** The message envelope; `params` is checked by the type's own schema. Strict, so `dryrun` is not ignored. */
export const operationMessageSchema = z.strictObject({
  id: z.optional(operationId),
  type: z.string().check(z.minLength(1, 'must not be empty')),
  params: z.record(z.string(), z.unknown(), {
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be a JSON object'),
  }),
  requestedBy: z.optional(requestedBy),
  /** Who approved the request, apart from who asked (the webhook intake sets it from the ticket's approval). */
  approvedBy: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
  /** Why it may run: the operation policy's rule that allowed it and its distinct approvers (the intake sets it). */
  decision: z.optional(decision),
  dryRun: z.optional(z.boolean()),
  /**
   * `true`: the operation may add an entry admitting the whole internet or most of it (wider than a /8 in
   * IPv4, a /16 in IPv6, alone or together: shared/access-list/wide-networks.ts). Default false: refused.
   */
  allowWideNetworks: z.optional(z.boolean()),
});

/** A message as senders write it. */
export type OperationMessage = z.infer<typeof operationMessageSchema>;

export type RequestedBy = z.infer<typeof requestedBy>;

/** The policy's rule and the approvers a request ran under. */
export type PolicyDecisionRecord = z.infer<typeof decision>;

/** A checked message, ready to run: params are validated, `id` is always set, `dryRun` is explicit. */
export interface ParsedOperation {
  id: string;
  type: string;
  /** The params as the type's schema returned them. */
  params: unknown;
  requestedBy?: RequestedBy;
  approvedBy?: string;
  decision?: PolicyDecisionRecord;
  dryRun: boolean;
  /** Set (true) only when the message allows wide networks; absent is false. */
  allowWideNetworks?: true;
  definition: OperationDefinition;
}

/** The parts of a message that its derived id depends on. */
export interface OperationIdSource {
  type: string;
  params: unknown;
  /** Only `source` and `ref` count. */
  requestedBy?: Partial<RequestedBy> | undefined;
}

/**
 * The id of a message that has none: `op-` and the first 32 hex digits of the SHA-256 of the canonical JSON
 * (sorted keys) of `{source, ref, type, params}`. The same request always gets the same id, whatever the key
 * order; `actor` is left out, so a resend by someone else is still the same request. Two requests for the same
 * change without a `ref` share an id too: give each its own `ref` (or `id`) to run it again later.
 *
 * @example
 * deriveOperationId({ type: 'projectAccessList.delete', params: { groupId, entryValue: '203.0.113.7' } })
 * // 'op-…' (35 characters)
 */
export function deriveOperationId(message: OperationIdSource): string {
  const identity = {
    source: message.requestedBy?.source ?? null,
    ref: message.requestedBy?.ref ?? null,
    type: message.type,
    params: message.params,
  };
  return `op-${createHash('sha256').update(canonicalJson(identity)).digest('hex').slice(0, 32)}`;
}

/**
 * What an operation asks, as one value: the SHA-256 of the canonical JSON of its type and checked params.
 * Two deliveries under one id are the same operation only when their fingerprints are equal.
 */
export function payloadFingerprint(operation: Pick<ParsedOperation, 'type' | 'params'>): string {
  return createHash('sha256')
    .update(canonicalJson({ type: operation.type, params: operation.params }))
    .digest('hex');
}

/**
 * Parses a queue message body into an operation ready to run.
 * Throws `InvalidOperationError` naming each bad field (`type`, `params.peering.vpcId`, …), with the
 * message's id whenever it could be read or derived, so the failure can still be recorded under it.
 */
export function parseOperationMessage(body: string): ParsedOperation {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (nestsDeeperThan(body)) {
    throw new InvalidOperationError('TOO_DEEP', [
      { field: '(message)', description: `nests deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    if (bytes > MAX_MESSAGE_BYTES) throw tooLarge(bytes, undefined);
    throw new InvalidOperationError('NOT_JSON', [{ field: '(message)', description: 'must be JSON' }]);
  }
  const id = readableId(json);
  if (bytes > MAX_MESSAGE_BYTES) throw tooLarge(bytes, id);
  if (!isPlainObject(json)) {
    throw new InvalidOperationError(
      'NOT_AN_OPERATION',
      [{ field: '(message)', description: 'must be a JSON object' }],
      id,
    );
  }
  const envelope = z.safeParse(operationMessageSchema, json, { reportInput: true });
  if (!envelope.success) throw new InvalidOperationError('NOT_AN_OPERATION', problemsOf(envelope.error), id);
  const message = envelope.data;
  const definition = operationType(message.type);
  if (!definition) {
    // The value is not echoed: it may be anything, of any length. A near known type is named instead.
    const near = nearestName(message.type, OPERATION_TYPES.keys());
    const description = near
      ? `is not a known operation type; did you mean ${near}?`
      : `is not a known operation type (known: ${[...OPERATION_TYPES.keys()].join(', ')})`;
    throw new InvalidOperationError('UNKNOWN_TYPE', [{ field: 'type', description }], id);
  }
  const params = z.safeParse(definition.params, message.params, { reportInput: true });
  if (!params.success)
    throw new InvalidOperationError('INVALID_PARAMS', problemsOf(params.error, 'params'), id);
  return {
    id: message.id ?? deriveOperationId(message),
    type: message.type,
    params: params.data,
    ...(message.requestedBy ? { requestedBy: message.requestedBy } : {}),
    ...(message.approvedBy ? { approvedBy: message.approvedBy } : {}),
    ...(message.decision ? { decision: message.decision } : {}),
    dryRun: message.dryRun ?? false,
    ...(message.allowWideNetworks ? { allowWideNetworks: true as const } : {}),
    definition,
  };
}

function tooLarge(bytes: number, id: string | undefined): InvalidOperationError {
  return new InvalidOperationError(
    'TOO_LARGE',
    [{ field: '(message)', description: `is ${bytes} bytes; at most ${MAX_MESSAGE_BYTES} are accepted` }],
    id,
  );
}

/**
 * The id a failure can be recorded under: the message's own when it is a valid id, else one derived from
 * `type` and `params` when both are there. A present but invalid `id` gives none: a derived one would not be
 * the id the sender looks for.
 */
function readableId(json: unknown): string | undefined {
  if (!isPlainObject(json)) return undefined;
  if (json.id !== undefined) {
    const given = operationId.safeParse(json.id);
    return given.success ? given.data : undefined;
  }
  if (typeof json.type !== 'string' || !isPlainObject(json.params)) return undefined;
  const by = isPlainObject(json.requestedBy) ? json.requestedBy : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return deriveOperationId({
    type: json.type,
    params: json.params,
    requestedBy: { source: text(by.source), ref: text(by.ref) },
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted at every depth, so equal values always give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const fields = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** One problem per bad field, named by its path in the message, in plain words; an unknown key is named itself. */
function problemsOf(error: z.core.$ZodError, prefix?: string): FieldProblem[] {
  return fieldProblems(error.issues, {
    ...(prefix ? { prefix } : {}),
    root: '(message)',
    unknownKey: 'is not a known field',
  });
}
