/**
 * The status of each provisioning operation, one DynamoDB item per operation id. The table is shared with
 * Powertools idempotency (partition key `id`): its items use keys like `<function>#<hash>`, ours are the
 * operation ids. Every write is a single conditional UpdateItem, so concurrent deliveries of one message
 * cannot lose an attempt count or turn a SUCCEEDED operation back into RETRYING or FAILED.
 *
 * Our items always carry `attempts`; Powertools' never do. Conditions check it, so an operation id that
 * happens to equal an idempotency key fails loudly instead of overwriting Powertools' record.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FieldProblem } from '../../atlas/errors.ts';
import { StatusStoreError } from '../../aws/errors.ts';
import { OperationIdReusedError } from '../errors.ts';
import type { PolicyDecisionRecord } from '../message.ts';
import {
  type ApprovalInput,
  type ApprovalProgress,
  type AttemptInfo,
  type OperationStatus,
  type OperationStatusRecord,
  REQUEST_KEY_PREFIX,
  type RecordedError,
  type RequestedBy,
  type RequestStore,
  type StatusStore,
} from '../status.ts';

const STATUSES: ReadonlySet<string> = new Set<OperationStatus>([
  'AWAITING_APPROVAL',
  'PENDING',
  'RUNNING',
  'RETRYING',
  'SUCCEEDED',
  'FAILED',
]);

export interface DynamoStatusStoreOptions {
  client: DynamoDBDocumentClient;
  table: string;
  /** How long a record stays after its last write (DynamoDB TTL on `expiresAt`). Default 30. */
  ttlDays?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/**
 * DynamoDB items are at most 400 KB. Results above this many bytes of JSON are stored as a truncated
 * preview with a note, which leaves room for the rest of the record.
 */
export const MAX_RESULT_BYTES = 300_000;
const MAX_DETAIL_CHARS = 4_000;
const MAX_PROBLEMS = 50;
const MAX_PROBLEM_CHARS = 500;
const MAX_LABEL_CHARS = 512;
/** DynamoDB allows 2048 bytes for a partition key; operation ids are far shorter, so keep a margin. */
const MAX_ID_CHARS = 1_024;
const DEFAULT_TTL_DAYS = 30;
const UNKNOWN_TYPE = 'unknown';

/** A stored result that was too large: the start of its JSON and what happened to the rest. */
export interface TruncatedResult {
  truncated: true;
  note: string;
  originalBytes: number;
  preview: string;
}

/** Approvals of one request are written with its version checked: a few racing approvers each get a turn. */
const APPROVAL_WRITE_ATTEMPTS = 5;

/**
 * Status records in the operations table (shared with Powertools idempotency): the provisioner's, under the
 * operation id, and the webhook intake's records of the requests it takes, under `request#<id>` (PENDING,
 * AWAITING_APPROVAL, refused), which `get` answers until the provisioner's exists. Both are read with `get`.
 */
export class DynamoStatusStore implements StatusStore, RequestStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #now: () => Date;

  constructor(options: DynamoStatusStoreOptions) {
    const ttlDays = options.ttlDays ?? DEFAULT_TTL_DAYS;
    if (!Number.isFinite(ttlDays) || ttlDays <= 0) {
      throw new RangeError(`ttlDays must be a positive number of days, got ${ttlDays}`);
    }
    this.#client = options.client;
    this.#table = options.table;
    this.#ttlSeconds = Math.round(ttlDays * 86_400);
    this.#now = options.now ?? (() => new Date());
  }

  /** The provisioner's record of `id`, or else the intake's record of the request (under `request#<id>`). */
  async get(id: string): Promise<OperationStatusRecord | undefined> {
    this.#checkId(id);
    const item = await this.#read(id);
    if (item && isStatusRecord(item)) return item;
    const request = await this.#read(requestKey(id), id);
    if (!request || !isStatusRecord(request)) return undefined;
    const {
      approverIdentities: _internal,
      version: _version,
      ...record
    } = request as Record<string, unknown>;
    return { ...(record as unknown as OperationStatusRecord), id };
  }

  async recordPending(id: string, info: AttemptInfo): Promise<void> {
    this.#checkId(id);
    const update = this.#requestUpdate('PENDING', info).setOptional(
      '#approvedBy',
      ':approvedBy',
      label(info.approvedBy),
    );
    try {
      await this.#update(requestKey(id), update, ABSENT);
    } catch (error) {
      // Already there: a redelivery or the worker got to it first; either way it is further along.
      if (!(error instanceof ConditionalCheckFailedException)) throw this.#wrap(id, 'record', error);
    }
  }

  async recordRefused(id: string, info: AttemptInfo, error: RecordedError): Promise<boolean> {
    this.#checkId(id);
    const update = this.#requestUpdate('FAILED', info).set('#error', ':error', storableError(error));
    // Only a new record: an earlier approved run of the same request keeps its own.
    return this.#create(requestKey(id), update);
  }

  async recordApproval(id: string, info: AttemptInfo, approval: ApprovalInput): Promise<ApprovalProgress> {
    this.#checkId(id);
    const key = requestKey(id);
    const approver = approval.approver.map((identity) => clip(identity, MAX_LABEL_CHARS));
    for (let attempt = 1; ; attempt += 1) {
      const item = await this.#read(key);
      const existing = item && isStatusRecord(item) ? item : undefined;
      if (item && !existing) {
        throw new StatusStoreError(
          this.#table,
          key,
          `${this.#where(key)} holds an item that is no request record`,
        );
      }
      const identities = (existing?.approverIdentities as string[][] | undefined) ?? [];
      const approvedBy = identities.map((person) => person[0] ?? '');
      if (existing && existing.status !== 'AWAITING_APPROVAL') {
        // Queued already (its approvals were complete), or refused: this approval changes nothing.
        return { approvedBy, completed: false, added: false, status: existing.status };
      }
      if (identities.some((person) => person.some((identity) => approver.includes(identity)))) {
        return { approvedBy, completed: false, added: false, status: 'AWAITING_APPROVAL' };
      }
      const next = [...identities, approver];
      const shown = next.map((person) => person[0] ?? '');
      const completed = next.length >= approval.needed;
      const status: OperationStatus = completed ? 'PENDING' : 'AWAITING_APPROVAL';
      const decision: PolicyDecisionRecord = { rule: clip(approval.rule, 80), approvedBy: shown };
      const update = this.#requestUpdate(status, { ...info, decision }, 'set')
        .set('#approverIdentities', ':approverIdentities', next)
        .set('#approvalsNeeded', ':approvalsNeeded', approval.needed)
        .set(
          '#mayApprove',
          ':mayApprove',
          approval.mayApprove
            .map((who) => clip(who, MAX_LABEL_CHARS))
            .filter((who) => !next.flat().includes(who)),
        )
        .set('#version', ':version', (Number(existing?.version) || 0) + 1);
      if (completed) update.set('#approvedBy', ':approvedBy', label(shown.join(', ')));
      const version: Condition = existing
        ? {
            expression: '#version = :expected',
            names: { '#version': 'version' },
            values: { ':expected': existing.version ?? 0 },
          }
        : ABSENT;
      try {
        await this.#update(key, update, existing && existing.version === undefined ? NO_VERSION : version);
        return { approvedBy: shown, completed, added: true, status };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= APPROVAL_WRITE_ATTEMPTS) {
          throw this.#wrap(key, 'record', error);
        }
        // Another approval of the same request was written meanwhile: read it and try again.
      }
    }
  }

  /** A request record's fields: its type, no attempts, who asked, what it is (its payload), its decision. */
  #requestUpdate(
    status: OperationStatus,
    info: AttemptInfo,
    decision: 'set' | 'keep' = 'keep',
  ): UpdateBuilder {
    const update = this.#base(status)
      .set('#type', ':type', clip(info.type, MAX_LABEL_CHARS) || UNKNOWN_TYPE)
      .set('#attempts', ':zero', 0)
      .setOptional('#requestedBy', ':requestedBy', requestedBy(info.requestedBy))
      .setOptional('#dryRun', ':dryRun', info.dryRun)
      .setOptional('#payloadHash', ':payloadHash', info.payloadHash);
    const kept = storableDecision(info.decision);
    return decision === 'set'
      ? update.setOptional('#decision', ':decision', kept)
      : update.ifNotExistsOptional('#decision', ':decision', kept);
  }

  async recordAttempt(id: string, info: AttemptInfo): Promise<OperationStatusRecord> {
    this.#checkId(id);
    // The intake's record of the request, when it took one: who asked, who approved and what was approved
    // are what it recorded, whatever a message squatting on the id says (a different payload is refused).
    const request = await this.#read(requestKey(id), id);
    const taken = request && isStatusRecord(request) ? request : undefined;
    if (
      taken?.payloadHash !== undefined &&
      info.payloadHash !== undefined &&
      taken.payloadHash !== info.payloadHash
    ) {
      throw new OperationIdReusedError(id);
    }
    const first: AttemptInfo = taken
      ? {
          ...info,
          requestedBy: taken.requestedBy ?? info.requestedBy,
          approvedBy: taken.approvedBy ?? info.approvedBy,
          decision: taken.decision ?? info.decision,
          payloadHash: info.payloadHash ?? taken.payloadHash,
        }
      : info;
    const update = this.#base('RUNNING')
      .set('#type', ':type', clip(first.type, MAX_LABEL_CHARS) || UNKNOWN_TYPE)
      // Who asked is the first write's to say: a later message under the id never rewrites it.
      .ifNotExistsOptional('#requestedBy', ':requestedBy', requestedBy(first.requestedBy))
      .ifNotExistsOptional('#approvedBy', ':approvedBy', label(first.approvedBy))
      .ifNotExistsOptional('#decision', ':decision', storableDecision(first.decision))
      .setOptional('#dryRun', ':dryRun', first.dryRun)
      .setOptional('#payloadHash', ':payloadHash', first.payloadHash)
      .add('#attempts', ':one', 1);
    // The first attempt (or the enqueue) fixes the payload; a later delivery under the id must match it.
    const condition =
      first.payloadHash === undefined ? NOT_SUCCEEDED : notSucceededSamePayload(first.payloadHash);
    try {
      const item = await this.#update(id, update, condition, 'ALL_NEW');
      if (!item || !isStatusRecord(item)) {
        throw new StatusStoreError(this.#table, id, `${this.#where(id)} came back without a status record`);
      }
      return item;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw this.#wrap(id, 'record', error);
      // dynalite ignores ReturnValuesOnConditionCheckFailure, so read the item that stopped us.
      const existing = await this.#ownedOrThrow(id);
      if (info.payloadHash !== undefined && existing.payloadHash !== undefined) {
        if (existing.payloadHash !== info.payloadHash) throw new OperationIdReusedError(id);
      }
      if (existing.status === 'SUCCEEDED') return existing;
      throw new StatusStoreError(this.#table, id, `${this.#where(id)} changed while recording an attempt`, {
        cause: error,
      });
    }
  }

  async recordRetrying(id: string, error: RecordedError): Promise<void> {
    await this.#recordFailure(id, 'RETRYING', error);
  }

  async recordFailed(id: string, error: RecordedError): Promise<boolean> {
    const before = await this.#recordFailure(id, 'FAILED', error);
    return before !== undefined && before !== 'SUCCEEDED' && before !== 'FAILED';
  }

  async recordSucceeded(id: string, result: unknown): Promise<boolean> {
    this.#checkId(id);
    const stored = storableResult(result);
    const update = this.#base('SUCCEEDED')
      .ifNotExists('#type', ':unknown', UNKNOWN_TYPE)
      .ifNotExists('#attempts', ':zero', 0)
      .remove('#error');
    if (stored === undefined) update.remove('#result');
    else update.set('#result', ':result', stored);
    try {
      // The item as it was before: this write ended the operation only when it was not SUCCEEDED already.
      const before = await this.#update(id, update, OWNED, 'ALL_OLD');
      return before?.status !== 'SUCCEEDED';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) await this.#ownedOrThrow(id);
      throw this.#wrap(id, 'record', error);
    }
  }

  async recordInvalid(
    id: string,
    type: string | undefined,
    reason: string,
    problems: readonly (string | FieldProblem)[],
  ): Promise<boolean> {
    this.#checkId(id);
    const kept = problems
      .slice(0, MAX_PROBLEMS)
      .map((problem) =>
        clip(
          typeof problem === 'string' ? problem : `${problem.field}: ${problem.description}`,
          MAX_PROBLEM_CHARS,
        ),
      );
    const more = problems.length - kept.length;
    const error: RecordedError = {
      errorCode: 'INVALID_OPERATION',
      detail: clip([reason, ...kept].join('; ') + (more > 0 ? `; and ${more} more` : ''), MAX_DETAIL_CHARS),
      reason: clip(reason, MAX_LABEL_CHARS),
      problems: kept,
    };
    const label = type === undefined ? '' : clip(type, MAX_LABEL_CHARS);
    const update = this.#base('FAILED').set('#error', ':error', error).add('#attempts', ':one', 1);
    if (label) update.set('#type', ':type', label);
    else update.ifNotExists('#type', ':unknown', UNKNOWN_TYPE);
    // Only a new record: the id came from a message that is not a valid operation, and may be the id of
    // another operation that is running or done; its record is not this message's to overwrite.
    return this.#create(id, update);
  }

  /** Writes `update` as a new record; resolves to false, writing nothing, when the id has one already. */
  async #create(id: string, update: UpdateBuilder): Promise<boolean> {
    try {
      await this.#update(id, update, ABSENT);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw this.#wrap(id, 'record', error);
    }
  }

  /** Resolves to the status before this write (`NONE` when there was no record), undefined when ignored. */
  async #recordFailure(
    id: string,
    status: 'RETRYING' | 'FAILED',
    error: RecordedError,
  ): Promise<string | undefined> {
    this.#checkId(id);
    const update = this.#base(status)
      .set('#error', ':error', storableError(error))
      .ifNotExists('#type', ':unknown', UNKNOWN_TYPE)
      .ifNotExists('#attempts', ':zero', 0);
    return this.#conditionalFailure(id, update);
  }

  /** Applies a failure unless the operation already SUCCEEDED (then the failure is stale: ignore it). */
  async #conditionalFailure(id: string, update: UpdateBuilder): Promise<string | undefined> {
    try {
      const before = await this.#update(id, update, NOT_SUCCEEDED, 'ALL_OLD');
      return typeof before?.status === 'string' ? before.status : 'NONE';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw this.#wrap(id, 'record', error);
      const existing = await this.#ownedOrThrow(id);
      if (existing.status !== 'SUCCEEDED') {
        throw new StatusStoreError(this.#table, id, `${this.#where(id)} changed while recording a failure`, {
          cause: error,
        });
      }
      return undefined;
    }
  }

  /** The fields every write sets: the status, createdAt once, updatedAt, and the TTL moved forward. */
  #base(status: OperationStatus): UpdateBuilder {
    const now = this.#now();
    return new UpdateBuilder()
      .set('#status', ':status', status)
      .ifNotExists('#createdAt', ':now', now.toISOString())
      .set('#updatedAt', ':now', now.toISOString())
      .set('#expiresAt', ':expiresAt', Math.floor(now.getTime() / 1000) + this.#ttlSeconds);
  }

  async #update(
    id: string,
    update: UpdateBuilder,
    condition: Condition,
    returnValues?: 'ALL_NEW' | 'ALL_OLD',
  ): Promise<Record<string, unknown> | undefined> {
    const expression = update.build();
    const result = await this.#client.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { id },
        UpdateExpression: expression.updateExpression,
        ConditionExpression: condition.expression,
        // DynamoDB refuses names and values that no expression uses, so each condition brings its own.
        ExpressionAttributeNames: { ...expression.names, ...condition.names },
        ExpressionAttributeValues: { ...expression.values, ...condition.values },
        ...(returnValues ? { ReturnValues: returnValues } : {}),
      }),
    );
    return result.Attributes;
  }

  /** The item under `key`; a failure names the operation (`id`, by default the key itself). */
  async #read(key: string, id = key): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.#client.send(
        new GetCommand({ TableName: this.#table, Key: { id: key }, ConsistentRead: true }),
      );
      return result.Item;
    } catch (error) {
      throw this.#wrap(id, 'read', error);
    }
  }

  /** After a failed condition: the record, when it is ours; otherwise the id is taken by something else. */
  async #ownedOrThrow(id: string): Promise<OperationStatusRecord> {
    const item = await this.#read(id);
    if (item && isStatusRecord(item)) return item;
    throw new StatusStoreError(
      this.#table,
      id,
      item
        ? `${this.#where(id)} holds an item that is not an operation status record (an idempotency record?)`
        : `${this.#where(id)} disappeared while being written`,
    );
  }

  #checkId(id: string): void {
    if (typeof id !== 'string' || id === '' || id.length > MAX_ID_CHARS) {
      throw new StatusStoreError(
        this.#table,
        String(id).slice(0, 64),
        `Operation ids must be 1-${MAX_ID_CHARS} characters (table ${this.#table})`,
      );
    }
  }

  #where(id: string): string {
    return `Operation ${id} in table ${this.#table}`;
  }

  #wrap(id: string, action: 'read' | 'record', error: unknown): StatusStoreError {
    if (error instanceof StatusStoreError) return error;
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new StatusStoreError(
      this.#table,
      id,
      `Could not ${action} operation ${id} in table ${this.#table}: ${what}`,
      {
        cause: error,
      },
    );
  }
}

interface Condition {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** Not there yet. */
const ABSENT: Condition = { expression: 'attribute_not_exists(#id)', names: { '#id': 'id' }, values: {} };
/** Ours (`attempts` is there) and not yet SUCCEEDED, or not there at all. */
const NOT_SUCCEEDED: Condition = {
  expression: 'attribute_not_exists(#id) OR (attribute_exists(#attempts) AND #status <> :succeeded)',
  names: { '#id': 'id', '#attempts': 'attempts', '#status': 'status' },
  values: { ':succeeded': 'SUCCEEDED' },
};
/** As NOT_SUCCEEDED, and made for the same payload (or for none yet). */
function notSucceededSamePayload(payloadHash: string): Condition {
  return {
    expression: `(${NOT_SUCCEEDED.expression}) AND (attribute_not_exists(#payloadHash) OR #payloadHash = :payloadHash)`,
    names: { ...NOT_SUCCEEDED.names, '#payloadHash': 'payloadHash' },
    values: { ...NOT_SUCCEEDED.values, ':payloadHash': payloadHash },
  };
}
/** A request record written before records had versions: the first approval written over it sets one. */
const NO_VERSION: Condition = {
  expression: 'attribute_not_exists(#version)',
  names: { '#version': 'version' },
  values: {},
};
/** Ours, or not there at all. */
const OWNED: Condition = {
  expression: 'attribute_not_exists(#id) OR attribute_exists(#attempts)',
  names: { '#id': 'id', '#attempts': 'attempts' },
  values: {},
};

/** Builds `SET a = :a, b = if_not_exists(b, :b) ADD n :n REMOVE x` with every name aliased (reserved words). */
class UpdateBuilder {
  readonly #sets: string[] = [];
  readonly #adds: string[] = [];
  readonly #removes: string[] = [];
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};

  set(name: string, placeholder: string, value: unknown): this {
    this.#sets.push(`${this.#name(name)} = ${this.#value(placeholder, value)}`);
    return this;
  }

  setOptional(name: string, placeholder: string, value: unknown): this {
    return value === undefined ? this : this.set(name, placeholder, value);
  }

  ifNotExistsOptional(name: string, placeholder: string, value: unknown): this {
    return value === undefined ? this : this.ifNotExists(name, placeholder, value);
  }

  ifNotExists(name: string, placeholder: string, value: unknown): this {
    const alias = this.#name(name);
    this.#sets.push(`${alias} = if_not_exists(${alias}, ${this.#value(placeholder, value)})`);
    return this;
  }

  add(name: string, placeholder: string, value: number): this {
    this.#adds.push(`${this.#name(name)} ${this.#value(placeholder, value)}`);
    return this;
  }

  remove(name: string): this {
    this.#removes.push(this.#name(name));
    return this;
  }

  build(): { updateExpression: string; names: Record<string, string>; values: Record<string, unknown> } {
    const parts = [
      this.#sets.length ? `SET ${this.#sets.join(', ')}` : '',
      this.#adds.length ? `ADD ${this.#adds.join(', ')}` : '',
      this.#removes.length ? `REMOVE ${this.#removes.join(', ')}` : '',
    ];
    return { updateExpression: parts.filter(Boolean).join(' '), names: this.names, values: this.values };
  }

  #name(alias: string): string {
    this.names[alias] = alias.slice(1);
    return alias;
  }

  #value(placeholder: string, value: unknown): string {
    // One placeholder may serve two clauses (`:now` for createdAt and updatedAt) only with one value.
    if (placeholder in this.values && this.values[placeholder] !== value) {
      throw new Error(`Placeholder ${placeholder} is already bound to another value`);
    }
    this.values[placeholder] = value;
    return placeholder;
  }
}

function isStatusRecord(
  item: Record<string, unknown>,
): item is OperationStatusRecord & Record<string, unknown> {
  return (
    typeof item.id === 'string' &&
    typeof item.attempts === 'number' &&
    typeof item.status === 'string' &&
    STATUSES.has(item.status)
  );
}

function requestedBy(value: RequestedBy | undefined): RequestedBy | undefined {
  if (value === undefined) return undefined;
  return {
    source: clip(value.source, MAX_LABEL_CHARS),
    ...(value.ref === undefined ? {} : { ref: clip(value.ref, MAX_LABEL_CHARS) }),
    ...(value.actor === undefined ? {} : { actor: clip(value.actor, MAX_LABEL_CHARS) }),
  };
}

/** The key of the intake's record of the request for status record `id`. */
function requestKey(id: string): string {
  return `${REQUEST_KEY_PREFIX}${id}`;
}

function storableDecision(decision: PolicyDecisionRecord | undefined): PolicyDecisionRecord | undefined {
  if (decision === undefined) return undefined;
  return {
    rule: clip(decision.rule, 80),
    approvedBy: decision.approvedBy.slice(0, 5).map((who) => clip(who, MAX_LABEL_CHARS)),
  };
}

function label(value: string | undefined): string | undefined {
  return value === undefined ? undefined : clip(value, MAX_LABEL_CHARS);
}

function storableError(error: RecordedError): RecordedError {
  return {
    errorCode: clip(error.errorCode, MAX_LABEL_CHARS),
    detail: clip(error.detail, MAX_DETAIL_CHARS),
    ...(typeof error.status === 'number' && Number.isFinite(error.status) ? { status: error.status } : {}),
    ...(error.reason === undefined ? {} : { reason: clip(error.reason, MAX_LABEL_CHARS) }),
    ...(error.problems === undefined
      ? {}
      : { problems: error.problems.slice(0, MAX_PROBLEMS).map((p) => clip(p, MAX_PROBLEM_CHARS)) }),
  };
}

/**
 * The result as plain JSON data (a round trip drops undefined and functions and turns Dates into strings,
 * which the document client would otherwise refuse), or a truncated preview when it is too large.
 */
export function storableResult(result: unknown): unknown {
  if (result === undefined) return undefined;
  const json = JSON.stringify(result);
  if (json === undefined) return undefined;
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= MAX_RESULT_BYTES) return JSON.parse(json) as unknown;
  // Cutting inside a multi-byte character leaves a replacement character at the end; drop it.
  const preview = Buffer.from(json, 'utf8')
    .subarray(0, MAX_RESULT_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  const truncated: TruncatedResult = {
    truncated: true,
    note: `The result was ${bytes} bytes of JSON; DynamoDB items hold at most 400 KB, so only the first ${MAX_RESULT_BYTES} bytes are kept.`,
    originalBytes: bytes,
    preview,
  };
  return truncated;
}

function clip(text: string, max: number): string {
  const value = String(text);
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
