/**
 * The webhook intake (design.md, "Webhook intake"): a signed approval from a ticketing system becomes one
 * operation on the provisioning queue, once, and only when someone entitled approved it. In order:
 *
 * 1. the route: a known source (else 404), POST (else 405), at most 256 KiB (else 413), JSON (else 415);
 * 2. the signature, on the raw bytes, against the source's current and previous secret, and the signed
 *    timestamp where the scheme has one (else 401 and nothing more);
 * 3. the delivery id (else 400); the body nested at most 32 deep (else 400) and parsed (else 415);
 * 4. the sender: a source with a sender policy (./senders.ts), a project or repository in its scope, the
 *    vendor's approval event (./approval.ts), signed within the window its deliveries are remembered (else
 *    200 ignored, or 401 for a stale one);
 * 5. the source's rule: the one visible operation, validated with the provisioner's own schemas and its id
 *    derived from the source and the ticket, never chosen by it (else 400 INVALID_OPERATION with the problems);
 * 6. the approver: listed, and not the requester (else 200 refused: recorded FAILED and the ticket told);
 * 7. the operation policy (shared/policy): the first rule that allows this type (or its risk) on this project
 *    or organization from this source and scope, and how many distinct approvers it takes (else 200 refused,
 *    `POLICY_REFUSED`, recorded and the ticket told);
 * 8. the delivery claimed by its id and by its signed content: seen before → 200 duplicate with the same
 *    operation id, nothing enqueued;
 * 9. with approvals still missing, the approval recorded (AWAITING_APPROVAL, the ticket told who has approved
 *    and who may still), 202; with the last one, a PENDING record of the request (`request#<id>`), the message
 *    enqueued with the rule and its approvers (else 503, so the sender retries), 202.
 *
 * Every decision (allowed by a rule, refused by the rule set, awaiting approval, approved by someone) is one
 * `Policy decision` log line and part of the request's record, and so of the operation's record after it.
 *
 * It never calls Atlas. Every refusal is logged with the source, the reason and the delivery id, never the
 * body, a signature or a secret; the handler counts each outcome in metrics (./metrics.ts).
 */
import type { FieldProblem } from '../atlas/index.ts';
import { nestsDeeperThan } from '../config/json-depth.ts';
import { MAX_JSON_DEPTH, MAX_MESSAGE_BYTES, STATUS_TTL_DAYS } from '../config/rules.ts';
import { InvalidOperationError } from '../operations/errors.ts';
import {
  isOperationId,
  type ParsedOperation,
  parseOperationMessage,
  payloadFingerprint,
} from '../operations/message.ts';
import {
  APPROVAL_REFUSED,
  type OutcomeApproval,
  type OutcomePublisher,
  outcomeEventOf,
  POLICY_REFUSED,
} from '../operations/outcome.ts';
import type { OperationQueue } from '../operations/queue.ts';
import { type RequestStore, statusRecordId } from '../operations/status.ts';
import { decide, type OperationPolicy } from '../policy/policy.ts';
import { type ApproverRefusal, approvalEventOf, approversOf, approversRefusal } from './approval.ts';
import type { DeliveryKey, DeliveryStore } from './delivery-store.ts';
import { headerOf, type WebhookRequest } from './request.ts';
import {
  applyRule,
  RuleEvaluationError,
  type RuleInput,
  type RuleOutcome,
  type RuleSet,
  scopeOf,
} from './rules.ts';
import { VERIFIERS } from './schemes.ts';
import type { WebhookSecretSource } from './secrets.ts';
import { inScope, type SenderPolicies } from './senders.ts';
import { bodySignedTime } from './signed-time.ts';
import { isWebhookSource, type WebhookSource } from './sources.ts';
import { signedContentDigest, type Verification } from './verifiers/verifier.ts';

/** The log lines the intake writes (Powertools' Logger in Lambda). */
export interface IntakeLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface WebhookIntakeOptions {
  secrets: WebhookSecretSource;
  rules: RuleSet;
  /** Who may send and who may approve, per source; a source without a policy accepts nothing. */
  senders: SenderPolicies;
  deliveries: DeliveryStore;
  queue: Pick<OperationQueue, 'send'>;
  status: RequestStore;
  /** Who may ask for what, where, with how many approvers; a request no rule allows is refused. */
  policy: OperationPolicy;
  /** Where a refused request's outcome goes, so its ticket is told why (the notifier's queue); optional. */
  outcomes?: OutcomePublisher | undefined;
  logger: IntakeLogger;
  /**
   * How long status records are kept, in days: an approval whose body was signed longer ago than this is
   * refused, as every record that could recognise it may be gone. @default 30
   */
  statusTtlDays?: number;
  /** How far a signed timestamp may be from now, either way. @default 300 */
  toleranceSeconds?: number;
  /** The largest body accepted. @default MAX_MESSAGE_BYTES (256 KiB) */
  maxBodyBytes?: number;
  /**
   * After a signature that matches no secret, the secrets are read again (they may have been rotated) at
   * most this often, so forged deliveries cannot drive Secrets Manager calls. @default 60_000
   */
  secretRefreshIntervalMs?: number;
  /** The clock. */
  now?: () => Date;
}

/** An HTTP answer: status, JSON body, extra headers. */
export interface IntakeAnswer {
  statusCode: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** What became of a delivery, for metrics. */
export interface IntakeOutcome {
  kind: 'accepted' | 'duplicate' | 'ignored' | 'refused' | 'failed' | 'status';
  source?: WebhookSource | undefined;
  /**
   * Why it was refused, failed, or ignored for its sender: `SIGNATURE_MISMATCH`, `SELF_APPROVAL`,
   * `OUT_OF_SCOPE`, `QUEUE_UNAVAILABLE`, …
   */
  reason?: string | undefined;
}

export interface IntakeResult {
  answer: IntakeAnswer;
  outcome: IntakeOutcome;
}

export interface Delivery {
  /** The `{source}` path segment, as sent. */
  source: string;
  method: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw bytes. */
  body: Buffer;
  /** Where the API is reached (`https://abc.execute-api…`), for the status URL; relative without it. */
  baseUrl?: string | undefined;
}

/** A request the policy allows: the message to queue once approved, and what its approvals take. */
interface Approved {
  message: Record<string, unknown>;
  rule: string;
  needed: number;
  /** The approvers this delivery speaks for, each by their identities. */
  approvers: string[][];
  /** The source's approvers, for the ticket: who may still approve. */
  mayApprove: string[];
}

/** A verification, or the source has no secret configured (refused the same way, logged apart). */
type Refusable = Verification | { ok: false; reason: 'SOURCE_NOT_CONFIGURED' };

const UNAUTHORIZED = { error: 'UNAUTHORIZED' } as const;
/** Delivery ids are sender-chosen: visible ASCII, bounded, so they make safe keys and log fields. */
const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;
/** How long a sender should wait before retrying a delivery that is being handled right now. */
const IN_PROGRESS_RETRY_AFTER_SECONDS = '5';
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

export class WebhookIntake {
  readonly #options: WebhookIntakeOptions;
  readonly #toleranceSeconds: number;
  readonly #maxBodyBytes: number;
  readonly #refreshIntervalMs: number;
  readonly #signedWindowMs: number;
  readonly #now: () => Date;
  #lastRefresh = Number.NEGATIVE_INFINITY;

  constructor(options: WebhookIntakeOptions) {
    this.#options = options;
    this.#toleranceSeconds = options.toleranceSeconds ?? 300;
    this.#signedWindowMs = (options.statusTtlDays ?? STATUS_TTL_DAYS.default) * 86_400_000;
    this.#maxBodyBytes = options.maxBodyBytes ?? MAX_MESSAGE_BYTES;
    this.#refreshIntervalMs = options.secretRefreshIntervalMs ?? 60_000;
    this.#now = options.now ?? (() => new Date());
  }

  /** `POST /webhooks/{source}`: one delivery, start to finish. Never throws for what a sender did. */
  async receive(delivery: Delivery): Promise<IntakeResult> {
    const { source } = delivery;
    if (!isWebhookSource(source)) {
      const path = { path: clip(source, 64) };
      return this.#refuse(undefined, 'UNKNOWN_SOURCE', 404, { error: 'UNKNOWN_SOURCE' }, path);
    }
    if (delivery.method.toUpperCase() !== 'POST') {
      const allow = { allow: 'POST' };
      return this.#refuse(source, 'METHOD_NOT_ALLOWED', 405, { error: 'METHOD_NOT_ALLOWED' }, {}, allow);
    }
    if (delivery.body.length > this.#maxBodyBytes) {
      return this.#refuse(source, 'TOO_LARGE', 413, {
        error: 'PAYLOAD_TOO_LARGE',
        maxBytes: this.#maxBodyBytes,
      });
    }
    const mediaType = delivery.headers['content-type']?.split(';')[0]?.trim() ?? '';
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      return this.#refuse(source, 'NOT_JSON_CONTENT_TYPE', 415, { error: 'UNSUPPORTED_MEDIA_TYPE' });
    }

    const request: WebhookRequest = { headers: delivery.headers, body: delivery.body };
    const verifier = VERIFIERS[source];
    const rawId = headerOf(request, verifier.deliveryIdHeader);
    const loggedId = rawId === undefined ? undefined : clip(rawId, 200);
    let verification: Refusable;
    try {
      verification = await this.#verify(source, request);
    } catch (error) {
      return this.#fail(source, 'SECRETS_UNAVAILABLE', error, loggedId);
    }
    if (!verification.ok) {
      return this.#refuse(source, verification.reason, 401, UNAUTHORIZED, { deliveryId: loggedId });
    }
    if (rawId === undefined) {
      return this.#refuse(source, 'DELIVERY_ID_MISSING', 400, {
        error: 'MISSING_DELIVERY_ID',
        header: verifier.deliveryIdHeader,
      });
    }
    if (!DELIVERY_ID.test(rawId)) {
      return this.#refuse(source, 'DELIVERY_ID_INVALID', 400, {
        error: 'INVALID_DELIVERY_ID',
        header: verifier.deliveryIdHeader,
      });
    }
    const key: DeliveryKey = {
      source,
      deliveryId: rawId,
      signedDigest: signedContentDigest(verifier, request),
    };

    if (nestsDeeperThan(delivery.body)) {
      return this.#refuse(
        source,
        'JSON_TOO_DEEP',
        400,
        { error: 'JSON_TOO_DEEP', maxDepth: MAX_JSON_DEPTH },
        { deliveryId: rawId },
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(delivery.body.toString('utf8'));
    } catch {
      return this.#refuse(source, 'NOT_JSON', 415, { error: 'NOT_JSON' }, { deliveryId: rawId });
    }
    const input: RuleInput = { headers: delivery.headers, body };

    let ruled: RuleOutcome;
    try {
      const sender = this.#checkSender(source, rawId, input);
      if (sender) return sender;
      ruled = applyRule(source, this.#options.rules[source], input);
    } catch (error) {
      if (!(error instanceof RuleEvaluationError)) throw error;
      // A rule that fails is our configuration's fault: answering an error would only make the sender retry.
      this.#options.logger.error('Webhook rule failed', {
        source,
        deliveryId: rawId,
        rule: error.rule,
        error: error.message,
      });
      return {
        answer: { statusCode: 200, body: { ignored: `the ${source} rule could not be evaluated` } },
        outcome: { kind: 'ignored', source, reason: 'RULE_FAILED' },
      };
    }
    if (ruled.kind === 'ignored') return this.#ignore(source, rawId, ruled.reason);
    if (ruled.kind === 'invalid') return this.#invalid(source, rawId, ruled.problems);

    let operation: ParsedOperation;
    try {
      operation = parseOperationMessage(JSON.stringify(ruled.message));
    } catch (error) {
      if (!(error instanceof InvalidOperationError)) throw error;
      return this.#invalid(source, rawId, error.problems);
    }
    const senders = this.#options.senders[source];
    const approvers = approversOf(source, ruled.approver);
    const refusal = senders && approversRefusal(source, senders, ruled.requester, approvers);
    if (refusal) return this.#refuseApproval(key, operation, refusal, delivery.baseUrl);
    const scope = scopeOf(source, this.#options.rules[source], input);
    const decision = decide(this.#options.policy, {
      source,
      scope,
      type: operation.type,
      risk: operation.definition.risk,
      target: operation.definition.target(operation.params),
    });
    if (!decision.allowed) {
      this.#logDecision(key, operation, { decision: 'refused', reason: decision.reason });
      return this.#refuseApproval(
        key,
        operation,
        { code: POLICY_REFUSED, detail: decision.reason },
        delivery.baseUrl,
        POLICY_REFUSED,
      );
    }
    const approved: Approved = {
      message: {
        ...ruled.message,
        ...(decision.allowWideNetworks ? { allowWideNetworks: true } : {}),
      },
      rule: decision.rule,
      needed: decision.approvals,
      approvers,
      mayApprove: senders && senders.approvers !== '*' ? [...senders.approvers] : [],
    };
    if (decision.approvals <= 1) {
      const approvedBy = approvers.map((person) => person[0] ?? '');
      this.#logDecision(key, operation, { decision: 'allowed', rule: decision.rule, approvedBy });
      return this.#enqueue(
        key,
        operation,
        { ...approved.message, decision: { rule: decision.rule, approvedBy } },
        delivery.baseUrl,
      );
    }
    return this.#approve(key, operation, approved, delivery.baseUrl);
  }

  /** One `Policy decision` line per decision: the audit trail, with the record (which keeps it too). */
  #logDecision(key: DeliveryKey, operation: ParsedOperation, decision: Record<string, unknown>): void {
    this.#options.logger.info('Policy decision', {
      source: key.source,
      deliveryId: key.deliveryId,
      operationId: operation.id,
      type: operation.type,
      ref: operation.requestedBy?.ref,
      requestedBy: operation.requestedBy?.actor,
      ...decision,
    });
  }

  /**
   * A request its rule gives to more than one approver: this delivery's approvals are recorded; the last one
   * needed queues the request (once, however many race), the others tell the ticket who has approved and who
   * may still. The same approver again counts once.
   */
  async #approve(
    key: DeliveryKey,
    operation: ParsedOperation,
    request: Approved,
    baseUrl: string | undefined,
  ): Promise<IntakeResult> {
    const { source, deliveryId } = key;
    const { deliveries, status, outcomes } = this.#options;
    const claimed = await this.#claim(key, operation);
    if ('answer' in claimed) return claimed;
    const recordKey = statusRecordId(operation.id, operation.dryRun);
    const info = {
      type: operation.type,
      dryRun: operation.dryRun,
      payloadHash: payloadFingerprint(operation),
      ...(operation.requestedBy ? { requestedBy: operation.requestedBy } : {}),
    };
    let progress: Awaited<ReturnType<RequestStore['recordApproval']>> | undefined;
    try {
      for (const approver of request.approvers) {
        progress = await status.recordApproval(recordKey, info, {
          approver,
          needed: request.needed,
          rule: request.rule,
          mayApprove: request.mayApprove,
        });
        if (progress.completed) break;
      }
    } catch (error) {
      await this.#release(key);
      return this.#fail(source, 'APPROVAL_NOT_RECORDED', error, deliveryId);
    }
    const approvedBy = progress?.approvedBy ?? [];
    const thisApprover = request.approvers.at(-1)?.[0];
    const queuedAlready = progress?.status === 'PENDING' && !progress.completed;
    if (
      progress?.completed ||
      (queuedAlready && thisApprover !== undefined && approvedBy.includes(thisApprover))
    ) {
      // The last approval needed (or a retry of it after a failed send): queue the request with its audit.
      this.#logDecision(key, operation, { decision: 'allowed', rule: request.rule, approvedBy });
      return this.#send(
        key,
        operation,
        {
          ...request.message,
          approvedBy: approvedBy.join(', '),
          decision: { rule: request.rule, approvedBy },
        },
        baseUrl,
      );
    }
    const approval: OutcomeApproval = {
      rule: request.rule,
      approvedBy,
      needed: request.needed,
      mayApprove: request.mayApprove.filter(
        (who) => !request.approvers.flat().includes(who) || !progress?.added,
      ),
    };
    this.#logDecision(key, operation, {
      decision: 'awaiting approval',
      rule: request.rule,
      approvedBy,
      needed: request.needed,
      ...(progress?.added ? {} : { repeated: thisApprover }),
    });
    try {
      if (progress?.added) {
        await outcomes?.publish(
          outcomeEventOf(operation, {
            eventId: `${recordKey}:AWAITING_APPROVAL:${approvedBy.length}`,
            status: 'AWAITING_APPROVAL',
            approval,
            finishedAt: this.#now().toISOString(),
          }),
        );
      }
      await deliveries.confirm(key);
    } catch (error) {
      this.#options.logger.warn('Could not tell or confirm an approval', {
        source,
        deliveryId,
        error: describe(error),
      });
    }
    return {
      answer: {
        statusCode: 202,
        body: {
          operationId: operation.id,
          status: 'AWAITING_APPROVAL',
          approvedBy,
          approvalsNeeded: request.needed,
          ...(progress?.added ? {} : { note: `${thisApprover ?? 'this approver'} has approved already` }),
          statusUrl: statusUrl(operation, baseUrl),
        },
      },
      outcome: { kind: 'accepted', source, reason: 'AWAITING_APPROVAL' },
    };
  }

  /**
   * Whether the delivery may ask at all: its source has a sender policy, it is about a project or repository
   * in the policy's scope, it is the vendor's approval event, and (where the body carries the signed time) it
   * was signed within the window deliveries are remembered. Undefined when it may; otherwise the answer.
   */
  #checkSender(source: WebhookSource, deliveryId: string, input: RuleInput): IntakeResult | undefined {
    const policy = this.#options.senders[source];
    if (!policy) {
      return this.#ignore(
        source,
        deliveryId,
        `${source} accepts nothing: no sender scope is configured for it (WEBHOOK_SENDERS)`,
        'NO_SENDER_SCOPE',
      );
    }
    const scope = scopeOf(source, this.#options.rules[source], input);
    if (!inScope(policy, scope)) {
      const what =
        scope === undefined ? 'a delivery that names no project or repository' : `"${clip(scope, 120)}"`;
      return this.#ignore(source, deliveryId, `${what} is not in the ${source} sender scope`, 'OUT_OF_SCOPE');
    }
    const approval = approvalEventOf(source, input, policy);
    if (!approval.approved) return this.#ignore(source, deliveryId, approval.reason);
    const signedAt = bodySignedTime(source, input.body);
    if (signedAt === null) {
      return this.#refuse(source, 'SIGNED_TIME_MISSING', 401, UNAUTHORIZED, { deliveryId });
    }
    if (signedAt && this.#now().getTime() - signedAt.getTime() > this.#signedWindowMs) {
      // Older than every record that could recognise it as seen: a replay, or a delivery too late to trust.
      return this.#refuse(source, 'SIGNED_TIME_TOO_OLD', 401, UNAUTHORIZED, {
        deliveryId,
        signedAt: signedAt.toISOString(),
      });
    }
    return undefined;
  }

  /** `GET /operations/{id}`: the operation's status record (its dry run's with `dryRun`). */
  async status(id: string, dryRun: boolean): Promise<IntakeResult> {
    const outcome: IntakeOutcome = { kind: 'status' };
    if (!isOperationId(id)) {
      return { answer: { statusCode: 400, body: { error: 'INVALID_OPERATION_ID' } }, outcome };
    }
    try {
      const record = await this.#options.status.get(statusRecordId(id, dryRun));
      if (!record) return { answer: { statusCode: 404, body: { error: 'NOT_FOUND' } }, outcome };
      const { payloadHash: _internal, ...shown } = record;
      return { answer: { statusCode: 200, body: { ...shown } }, outcome };
    } catch (error) {
      this.#options.logger.error('Could not read a status record', {
        operationId: id,
        error: describe(error),
      });
      return { answer: { statusCode: 503, body: { error: 'UNAVAILABLE' } }, outcome };
    }
  }

  /** Verifies against the source's secrets; reads them again once when none matched (a rotation). */
  async #verify(source: WebhookSource, request: WebhookRequest): Promise<Refusable> {
    const check = (secrets: readonly string[] | undefined): Refusable =>
      secrets && secrets.length > 0
        ? VERIFIERS[source].verify(request, {
            secrets,
            now: this.#now(),
            toleranceSeconds: this.#toleranceSeconds,
          })
        : // Never fail open: a source without a secret accepts nothing.
          { ok: false, reason: 'SOURCE_NOT_CONFIGURED' };
    const first = check((await this.#options.secrets.get())[source]);
    if (first.ok || (first.reason !== 'SIGNATURE_MISMATCH' && first.reason !== 'SOURCE_NOT_CONFIGURED')) {
      return first;
    }
    const now = this.#now().getTime();
    if (now - this.#lastRefresh < this.#refreshIntervalMs) return first;
    this.#lastRefresh = now;
    return check((await this.#options.secrets.refresh())[source]);
  }

  /** A request that needs no more approvals: claimed, recorded PENDING and queued. */
  async #enqueue(
    key: DeliveryKey,
    operation: ParsedOperation,
    message: Record<string, unknown>,
    baseUrl: string | undefined,
  ): Promise<IntakeResult> {
    const claimed = await this.#claim(key, operation);
    if ('answer' in claimed) return claimed;
    return this.#send(key, operation, message, baseUrl);
  }

  /**
   * Claims the delivery by its id and its signed content; resolves to the answer when it was seen before (or
   * is being handled right now), to `{}` when it is this call's to handle.
   */
  async #claim(key: DeliveryKey, operation: ParsedOperation): Promise<IntakeResult | { claimed: true }> {
    const { source, deliveryId } = key;
    const { deliveries, logger } = this.#options;
    let claim: Awaited<ReturnType<DeliveryStore['claim']>>;
    try {
      claim = await deliveries.claim(key, operation.id);
    } catch (error) {
      return this.#fail(source, 'DELIVERIES_UNAVAILABLE', error, deliveryId);
    }
    if (claim.outcome === 'duplicate') {
      logger.info('Webhook delivery repeated', { source, deliveryId, operationId: claim.operationId });
      return {
        answer: { statusCode: 200, body: { operationId: claim.operationId, duplicate: true } },
        outcome: { kind: 'duplicate', source },
      };
    }
    if (claim.outcome === 'in-progress') {
      logger.warn('Webhook delivery already being handled', {
        source,
        deliveryId,
        operationId: claim.operationId,
      });
      return {
        answer: {
          statusCode: 503,
          body: { error: 'DELIVERY_IN_PROGRESS' },
          headers: { 'retry-after': IN_PROGRESS_RETRY_AFTER_SECONDS },
        },
        outcome: { kind: 'failed', source, reason: 'DELIVERY_IN_PROGRESS' },
      };
    }
    return { claimed: true };
  }

  /** Lets the sender's retry through: the delivery is the only copy of the request. */
  async #release(key: DeliveryKey): Promise<void> {
    await this.#options.deliveries.release(key).catch((releaseError: unknown) =>
      this.#options.logger.error('Could not release a webhook delivery claim', {
        source: key.source,
        deliveryId: key.deliveryId,
        error: describe(releaseError),
      }),
    );
  }

  /** A claimed delivery's request: recorded PENDING (`request#<id>`), queued, the delivery confirmed, 202. */
  async #send(
    key: DeliveryKey,
    operation: ParsedOperation,
    message: Record<string, unknown>,
    baseUrl: string | undefined,
  ): Promise<IntakeResult> {
    const { source, deliveryId } = key;
    const { deliveries, queue, status, logger } = this.#options;
    const decision = message.decision as ParsedOperation['decision'];
    try {
      await status.recordPending(statusRecordId(operation.id, operation.dryRun), {
        type: operation.type,
        dryRun: operation.dryRun,
        payloadHash: payloadFingerprint(operation),
        ...(operation.requestedBy ? { requestedBy: operation.requestedBy } : {}),
        ...(typeof message.approvedBy === 'string' ? { approvedBy: message.approvedBy } : {}),
        ...(decision ? { decision } : {}),
      });
      // The message as the ticket wrote it (params unparsed, as `atlas-ops enqueue` sends), with its id.
      await queue.send([{ ...message, id: operation.id }]);
    } catch (error) {
      await this.#release(key);
      return this.#fail(source, 'QUEUE_UNAVAILABLE', error, deliveryId);
    }
    try {
      await deliveries.confirm(key);
    } catch (error) {
      // Enqueued all the same: a later retry takes the stale claim over, and the provisioner's idempotency
      // (the same operation id) keeps the operation from running twice.
      logger.warn('Could not confirm a webhook delivery', { source, deliveryId, error: describe(error) });
    }
    logger.info('Webhook delivery accepted', {
      source,
      deliveryId,
      ref: operation.requestedBy?.ref,
      operationId: operation.id,
      type: operation.type,
      dryRun: operation.dryRun,
      requestedBy: operation.requestedBy?.actor,
      approvedBy: message.approvedBy,
    });
    return {
      answer: {
        statusCode: 202,
        body: { operationId: operation.id, statusUrl: statusUrl(operation, baseUrl) },
      },
      outcome: { kind: 'accepted', source },
    };
  }

  /**
   * A request whose approval does not count: nothing is queued; the refusal is recorded under the
   * operation's id (FAILED, `APPROVAL_REFUSED`, when no record has it yet) and told to the ticket through the
   * outcomes queue. A repeat of the delivery records and tells nothing new (the notifier tells an event once).
   */
  async #refuseApproval(
    key: DeliveryKey,
    operation: ParsedOperation,
    refusal: ApproverRefusal | { code: typeof POLICY_REFUSED; detail: string },
    baseUrl: string | undefined,
    errorCode: typeof APPROVAL_REFUSED | typeof POLICY_REFUSED = APPROVAL_REFUSED,
  ): Promise<IntakeResult> {
    const { source, deliveryId } = key;
    const { status, outcomes, logger } = this.#options;
    const { approvedBy: refusedApprover, ...refused } = operation;
    const recordKey = statusRecordId(operation.id, operation.dryRun);
    const error = { errorCode, reason: refusal.code, detail: refusal.detail };
    try {
      await status.recordRefused(
        recordKey,
        {
          type: operation.type,
          dryRun: operation.dryRun,
          payloadHash: payloadFingerprint(operation),
          ...(operation.requestedBy ? { requestedBy: operation.requestedBy } : {}),
        },
        error,
      );
      await outcomes?.publish(
        outcomeEventOf(refused, {
          eventId: `${recordKey}:REFUSED:${key.signedDigest}`,
          status: 'FAILED',
          error,
          finishedAt: this.#now().toISOString(),
        }),
      );
    } catch (failure) {
      // The sender's retry is refused the same way, and tells the ticket then.
      return this.#fail(source, 'REFUSAL_NOT_RECORDED', failure, deliveryId);
    }
    logger.warn('Webhook delivery refused', {
      source,
      reason: refusal.code,
      status: 200,
      deliveryId,
      operationId: operation.id,
      type: operation.type,
      requestedBy: operation.requestedBy?.actor,
      approvedBy: refusedApprover,
    });
    return {
      answer: {
        statusCode: 200,
        body: {
          refused: refusal.detail,
          operationId: operation.id,
          statusUrl: statusUrl(operation, baseUrl),
        },
      },
      outcome: { kind: 'refused', source, reason: refusal.code },
    };
  }

  /** Not a request this intake takes: 200, so the sender does not retry, with the reason. */
  #ignore(source: WebhookSource, deliveryId: string, why: string, reason?: string): IntakeResult {
    // Who asks from outside the scope is worth a warning; another kind of event is routine.
    const log = reason ? this.#options.logger.warn : this.#options.logger.info;
    log.call(this.#options.logger, 'Webhook delivery ignored', {
      source,
      deliveryId,
      why,
      ...(reason ? { reason } : {}),
    });
    return {
      answer: { statusCode: 200, body: { ignored: why } },
      outcome: { kind: 'ignored', source, ...(reason ? { reason } : {}) },
    };
  }

  #invalid(source: WebhookSource, deliveryId: string, problems: FieldProblem[]): IntakeResult {
    return this.#refuse(
      source,
      'INVALID_OPERATION',
      400,
      { error: 'INVALID_OPERATION', problems },
      // Field names only: a description may quote what the ticket holds.
      { deliveryId, fields: problems.map((problem) => problem.field) },
    );
  }

  #refuse(
    source: WebhookSource | undefined,
    reason: string,
    statusCode: number,
    body: Record<string, unknown>,
    attributes: Record<string, unknown> = {},
    headers?: Record<string, string>,
  ): IntakeResult {
    this.#options.logger.warn('Webhook delivery refused', {
      source,
      reason,
      status: statusCode,
      ...attributes,
    });
    return {
      answer: { statusCode, body, ...(headers ? { headers } : {}) },
      outcome: { kind: 'refused', source, reason },
    };
  }

  #fail(source: WebhookSource, reason: string, error: unknown, deliveryId: string | undefined): IntakeResult {
    this.#options.logger.error('Webhook delivery not handled; the sender should retry', {
      source,
      reason,
      deliveryId,
      error: describe(error),
    });
    return {
      answer: { statusCode: 503, body: { error: 'UNAVAILABLE' }, headers: { 'retry-after': '30' } },
      outcome: { kind: 'failed', source, reason },
    };
  }
}

/** Where an operation's status record is read: `{api}/operations/{id}`, `?dryRun=true` for a dry run's. */
function statusUrl(operation: Pick<ParsedOperation, 'id' | 'dryRun'>, baseUrl: string | undefined): string {
  const path = `/operations/${encodeURIComponent(operation.id)}${operation.dryRun ? '?dryRun=true' : ''}`;
  return `${baseUrl ?? ''}${path}`;
}

/** An error's name and message: our adapters' messages name ids and tables, never a secret. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function clip(text: string, max: number): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length <= max ? printable : `${printable.slice(0, max - 1)}…`;
}
