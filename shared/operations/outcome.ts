/**
 * The outcome event: what the provisioner tells the rest of the world when an operation reaches an end state
 * (SUCCEEDED, FAILED, or dead-lettered with its reason), and the intake when it refuses a request or a request
 * waits for more approvals. The notifier (shared/notify) turns it into a comment
 * on the ticket it came from. shared/operations/adapters/outcome-queue.ts publishes it on SQS (the outcomes queue).
 */
import type { ParsedOperation } from './message.ts';
import type { RequestedBy } from './status.ts';
import { targetText } from './target.ts';

/**
 * SUCCEEDED and FAILED end an operation; AWAITING_APPROVAL tells a ticket that its request has some of the
 * approvals its policy rule asks for, and who may still give the rest.
 */
export type OutcomeStatus = 'SUCCEEDED' | 'FAILED' | 'AWAITING_APPROVAL';

/** Where a request's approvals stand, for a ticket told AWAITING_APPROVAL. */
export interface OutcomeApproval {
  /** The operation policy's rule that asks for them. */
  rule: string;
  approvedBy: string[];
  needed: number;
  mayApprove: string[];
}

export interface OutcomeEvent {
  /**
   * Names this outcome once: `<status record key>:<status>:<attempt>`. A redelivered event carries the same id,
   * so the notifier tells each outcome once; a later run of the same operation (a FAILED one sent again after
   * its cause was fixed) is a new attempt and so a new outcome.
   */
  eventId: string;
  operationId: string;
  type: string;
  status: OutcomeStatus;
  dryRun: boolean;
  /** A short summary of the result (SUCCEEDED). */
  summary?: string;
  /** Atlas's `errorCode` and `detail` (FAILED), and the dead-letter reason when it was moved there. */
  error?: { errorCode: string; detail: string; status?: number; reason?: string };
  /** Who asked (`requestedBy.actor`) and, apart from them, who approved. */
  requestedBy?: RequestedBy;
  approvedBy?: string;
  /** What the operation changes (`project 5f1b…: 10.8.0.0/16`): the type's `target`. */
  target?: string;
  /** AWAITING_APPROVAL: the approvals so far and who may still approve. */
  approval?: OutcomeApproval;
  /** When the first attempt started, when it ended (ISO-8601). */
  startedAt?: string;
  finishedAt: string;
}

/** Where outcome events go (an SQS queue in AWS); a failure to publish must not change the operation. */
export interface OutcomePublisher {
  publish(event: OutcomeEvent): Promise<void>;
}

const MAX_SUMMARY_CHARS = 500;

/** The error code of a request the intake refused before it was queued: its approval did not count. */
export const APPROVAL_REFUSED = 'APPROVAL_REFUSED';
/** The error code of a request no rule of the operation policy allows (shared/policy). */
export const POLICY_REFUSED = 'POLICY_REFUSED';

/** What an outcome says beyond the operation itself. */
export type OutcomeDetails = Pick<
  OutcomeEvent,
  'eventId' | 'status' | 'summary' | 'error' | 'approval' | 'startedAt' | 'finishedAt'
>;

/**
 * The outcome event of `operation`: who asked, who approved and what it changes come from the operation,
 * the rest from `details`. Used by the provisioner when an operation ends and by the intake when it refuses one.
 */
export function outcomeEventOf(operation: ParsedOperation, details: OutcomeDetails): OutcomeEvent {
  const target = targetOf(operation);
  return {
    eventId: details.eventId,
    operationId: operation.id,
    type: operation.type,
    status: details.status,
    dryRun: operation.dryRun,
    ...(details.summary === undefined ? {} : { summary: details.summary }),
    ...(details.error === undefined ? {} : { error: details.error }),
    ...(operation.requestedBy ? { requestedBy: operation.requestedBy } : {}),
    ...(operation.approvedBy ? { approvedBy: operation.approvedBy } : {}),
    ...(target === undefined ? {} : { target }),
    ...(details.approval === undefined ? {} : { approval: details.approval }),
    ...(details.startedAt === undefined ? {} : { startedAt: details.startedAt }),
    finishedAt: details.finishedAt,
  };
}

/** The type's own words for what the operation changes; never fails the outcome it is part of. */
function targetOf(operation: ParsedOperation): string | undefined {
  try {
    return clip(targetText(operation.definition.target(operation.params)));
  } catch {
    return undefined;
  }
}

/**
 * A short, human summary of an operation's result: the fields a requester recognises (id, state, name,
 * counts), never the whole document.
 *
 * @example summariseResult({ id: '6b1…', statusName: 'INITIATING' }) // 'id 6b1…, statusName INITIATING'
 */
export function summariseResult(result: unknown): string | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result !== 'object') return clip(String(result));
  if (Array.isArray(result)) return `${result.length} item${result.length === 1 ? '' : 's'}`;
  const record = result as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of ['id', 'name', 'username', 'statusName', 'status', 'state', 'stateName', 'action']) {
    const value = record[key];
    if (typeof value === 'string' || typeof value === 'number') parts.push(`${key} ${value}`);
  }
  for (const [key, value] of Object.entries(record)) {
    if (Array.isArray(value)) parts.push(`${key}: ${value.length}`);
    else if (typeof value === 'boolean') parts.push(`${key} ${value}`);
    if (parts.length >= 6) break;
  }
  return parts.length > 0 ? clip(parts.join(', ')) : undefined;
}

function clip(text: string): string {
  return text.length <= MAX_SUMMARY_CHARS ? text : `${text.slice(0, MAX_SUMMARY_CHARS - 1)}…`;
}
