/**
 * The status record of an operation, as the provisioning worker, the CLI and (later) the webhook intake see
 * it, and the store interface they need. shared/operations/adapters/status-store.ts implements it on DynamoDB.
 *
 * A dry run and the real run of one message are different things with the same operation id, so they keep
 * different records: the real run's under the operation id, the dry run's under `statusRecordId(id, true)`.
 */
import type { FieldProblem } from '../atlas/index.ts';
import type { PolicyDecisionRecord } from './message.ts';

/**
 * AWAITING_APPROVAL: a request from a ticket that its policy rule gives to more approvers than have approved
 * so far; it is not queued until the last one does. The other statuses are the provisioner's.
 */
export type OperationStatus =
  | 'AWAITING_APPROVAL'
  | 'PENDING'
  | 'RUNNING'
  | 'RETRYING'
  | 'SUCCEEDED'
  | 'FAILED';

/** Why the last attempt failed: Atlas's `errorCode`/`detail`/HTTP status, or ours for validation. */
export interface RecordedError {
  errorCode: string;
  detail: string;
  status?: number;
  reason?: string;
  /** Validation problems (`recordInvalid`), e.g. `params.cidrBlock: Invalid CIDR`. */
  problems?: string[];
}

export interface RequestedBy {
  source: string;
  ref?: string;
  actor?: string;
}

export interface OperationStatusRecord {
  /** The record's key: the operation id, or the dry-run key (`statusRecordId`). */
  id: string;
  /** The operation type, or `unknown` when a message was too broken to name one. */
  type: string;
  status: OperationStatus;
  /** Deliveries that started work (`recordAttempt`) or were rejected (`recordInvalid`). */
  attempts: number;
  result?: unknown;
  /** The last failure; kept while a retry runs, removed when the operation succeeds. */
  error?: RecordedError;
  /** Who asked: fixed by the record's first write, never changed by a later one. */
  requestedBy?: RequestedBy;
  /** Who approved it (a ticket's approver), apart from who asked; fixed by the first write that names one. */
  approvedBy?: string;
  /**
   * The audit of a request from a ticket: the operation policy's rule that allowed it and its distinct
   * approvers so far (fixed by the first write, as `requestedBy`).
   */
  decision?: PolicyDecisionRecord;
  /** While AWAITING_APPROVAL: how many distinct approvers it takes, and who may still approve. */
  approvalsNeeded?: number;
  mayApprove?: string[];
  dryRun?: boolean;
  /** Fingerprint of the operation's type and params: a later delivery under this id must match it. */
  payloadHash?: string;
  createdAt: string;
  updatedAt: string;
  /** Epoch seconds: the table's TTL attribute. Every write moves it to now + the store's TTL. */
  expiresAt: number;
}

export interface AttemptInfo {
  type: string;
  requestedBy?: RequestedBy | undefined;
  approvedBy?: string | undefined;
  decision?: PolicyDecisionRecord | undefined;
  dryRun?: boolean | undefined;
  /** `payloadFingerprint` of the message: set on the first attempt, checked on every later one. */
  payloadHash?: string | undefined;
}

/** What the provisioning worker needs from a status store (DynamoDB in AWS, a fake in unit tests). */
export interface StatusStore {
  /** The record, or undefined when there is none (or the id belongs to an idempotency record). */
  get(id: string): Promise<OperationStatusRecord | undefined>;
  /**
   * The record the webhook intake keeps of a request it queued (under `request#<id>`, REQUEST_KEY_PREFIX):
   * PENDING, when none exists yet; an existing one is left alone. `get` answers it until the provisioner's
   * own record exists.
   */
  recordPending(id: string, info: AttemptInfo): Promise<void>;
  /**
   * A request refused before it was queued (its approval does not count): FAILED with `error`, only when no
   * record has that id; an existing record (an earlier approved run of the same request) is left alone.
   * Resolves to whether it was written.
   */
  recordRefused(id: string, info: AttemptInfo, error: RecordedError): Promise<boolean>;
  /**
   * Marks a delivery as started: RUNNING, attempts + 1, createdAt, requestedBy and approvedBy kept. A SUCCEEDED record is returned
   * untouched, so the caller can see the work is already done. Throws `OperationIdReusedError`, and changes
   * nothing, when the record was made for a different payload (`payloadHash`).
   */
  recordAttempt(id: string, info: AttemptInfo): Promise<OperationStatusRecord>;
  /** A transient failure: RETRYING with the error (ignored once the operation SUCCEEDED). */
  recordRetrying(id: string, error: RecordedError): Promise<void>;
  /**
   * SUCCEEDED with the result (truncated when too large for a DynamoDB item); clears the error. Resolves to
   * whether this write ended the operation (it was not SUCCEEDED before), so its outcome is told only once.
   */
  recordSucceeded(id: string, result: unknown): Promise<boolean>;
  /**
   * A permanent failure: FAILED with the error (ignored once the operation SUCCEEDED). Resolves to whether
   * this write ended the operation (it was neither SUCCEEDED nor FAILED before).
   */
  recordFailed(id: string, error: RecordedError): Promise<boolean>;
  /**
   * A message that failed validation: FAILED with `INVALID_OPERATION`, the reason and the problems (stored
   * as `field: description` strings) — only when no record has that id. An id taken from a broken message
   * may belong to another operation; its record is never overwritten. Resolves to whether it was written.
   */
  recordInvalid(
    id: string,
    type: string | undefined,
    reason: string,
    problems: readonly (string | FieldProblem)[],
  ): Promise<boolean>;
}

/** One approver's approval of a request. */
export interface ApprovalInput {
  /** The approver's identities (a Jira account id and email, say), the one to show first. */
  approver: readonly string[];
  /** Distinct approvers the request takes. */
  needed: number;
  /** The policy rule that asks for them. */
  rule: string;
  /** Who may still approve, as the ticket is told (the source's approvers). */
  mayApprove: readonly string[];
}

/** Where a request's approvals stand. */
export interface ApprovalProgress {
  /** Each approver so far, by the identity shown first. */
  approvedBy: string[];
  /** True for the one call whose approval was the last needed: it queues the request. */
  completed: boolean;
  /** False when this approver had approved already (or the request is past its approvals). */
  added: boolean;
  /** The record's status after the call. */
  status: OperationStatus;
}

/**
 * The key prefix of what the webhook intake records of a request before the provisioner takes it (PENDING,
 * AWAITING_APPROVAL, a refusal): `request#<status record id>`. Its own prefix, so the intake's role may write
 * these items and no operation's status record (infra/constructs/webhook-intake.ts, `dynamodb:LeadingKeys`).
 */
export const REQUEST_KEY_PREFIX = 'request#';

/** What the webhook intake needs: the status, and its own records of the requests it takes. */
export interface RequestStore extends Pick<StatusStore, 'get' | 'recordPending' | 'recordRefused'> {
  /**
   * One approval of a request its rule gives to `needed` distinct approvers, under `request#<id>`: the
   * approver is added unless they (any of their identities) approved already; the record is AWAITING_APPROVAL
   * until the last approval makes it PENDING. Resolves to the approvers so far and whether this call completed
   * the approvals (only one call does, however many race).
   */
  recordApproval(id: string, info: AttemptInfo, approval: ApprovalInput): Promise<ApprovalProgress>;
}

/** Operation ids never hold `#` (message.ts), so a dry run's key cannot be another operation's id. */
const DRY_RUN_PREFIX = 'dry-run#';

/** The key of an operation's status record: the id for a real run, `dry-run#<id>` for a dry run. */
export function statusRecordId(operationId: string, dryRun: boolean): string {
  return dryRun ? `${DRY_RUN_PREFIX}${operationId}` : operationId;
}
