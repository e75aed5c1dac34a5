/**
 * The webhook intake (design.md, "Webhook intake"; issue 10): a signed delivery from a ticketing system
 * becomes one operation on the provisioning queue, once. In order:
 *
 * 1. the route: a known source (else 404), POST (else 405), at most 256 KiB (else 413), JSON (else 415);
 * 2. the signature, on the raw bytes, against the source's current and previous secret, and the signed
 *    timestamp where the scheme has one (else 401 and nothing more);
 * 3. the delivery id (else 400); the body parsed (else 415);
 * 4. the source's rule: not a request → 200 ignored; the operation validated with the provisioner's own
 *    schemas and its id derived as the provisioner derives it (else 400 INVALID_OPERATION with the problems);
 * 5. the delivery id claimed: seen before → 200 duplicate with the same operation id, nothing enqueued;
 * 6. a PENDING status record, the message enqueued (else 503, so the sender retries), 202.
 *
 * It never calls Atlas. Every refusal is logged with the source, the reason and the delivery id, never the
 * body, a signature or a secret; the handler counts each outcome in metrics (./metrics.ts).
 */
import type { FieldProblem } from '../atlas/index.ts';
import { MAX_MESSAGE_BYTES } from '../config/rules.ts';
import { InvalidOperationError } from '../operations/errors.ts';
import { isOperationId, parseOperationMessage, payloadFingerprint } from '../operations/message.ts';
import type { OperationQueue } from '../operations/queue.ts';
import { type StatusStore, statusRecordId } from '../operations/status.ts';
import type { DeliveryKey, DeliveryStore } from './delivery-store.ts';
import { headerOf, type WebhookRequest } from './request.ts';
import { applyRule, RuleEvaluationError, type RuleOutcome, type RuleSet } from './rules.ts';
import { VERIFIERS } from './schemes.ts';
import type { WebhookSecretSource } from './secrets.ts';
import { isWebhookSource, type WebhookSource } from './sources.ts';
import type { Verification } from './verifiers/verifier.ts';

/** The log lines the intake writes (Powertools' Logger in Lambda). */
export interface IntakeLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface WebhookIntakeOptions {
  secrets: WebhookSecretSource;
  rules: RuleSet;
  deliveries: DeliveryStore;
  queue: Pick<OperationQueue, 'send'>;
  status: Pick<StatusStore, 'get' | 'recordPending'>;
  logger: IntakeLogger;
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
  /** Why it was refused, ignored by a failing rule, or failed: `SIGNATURE_MISMATCH`, `QUEUE_UNAVAILABLE`, … */
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
  readonly #now: () => Date;
  #lastRefresh = Number.NEGATIVE_INFINITY;

  constructor(options: WebhookIntakeOptions) {
    this.#options = options;
    this.#toleranceSeconds = options.toleranceSeconds ?? 300;
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
    const key: DeliveryKey = { source, deliveryId: rawId };

    let body: unknown;
    try {
      body = JSON.parse(delivery.body.toString('utf8'));
    } catch {
      return this.#refuse(source, 'NOT_JSON', 415, { error: 'NOT_JSON' }, { deliveryId: rawId });
    }

    let ruled: RuleOutcome;
    try {
      ruled = applyRule(source, this.#options.rules[source], { headers: delivery.headers, body });
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
    if (ruled.kind === 'ignored') {
      this.#options.logger.info('Webhook delivery ignored', { source, deliveryId: rawId, why: ruled.reason });
      return {
        answer: { statusCode: 200, body: { ignored: ruled.reason } },
        outcome: { kind: 'ignored', source },
      };
    }
    if (ruled.kind === 'invalid') return this.#invalid(source, rawId, ruled.problems);

    let operation: ReturnType<typeof parseOperationMessage>;
    try {
      operation = parseOperationMessage(JSON.stringify(ruled.message));
    } catch (error) {
      if (!(error instanceof InvalidOperationError)) throw error;
      return this.#invalid(source, rawId, error.problems);
    }
    return this.#enqueue(key, operation, ruled.message, delivery.baseUrl);
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

  async #enqueue(
    key: DeliveryKey,
    operation: ReturnType<typeof parseOperationMessage>,
    message: Record<string, unknown>,
    baseUrl: string | undefined,
  ): Promise<IntakeResult> {
    const { source, deliveryId } = key;
    const { deliveries, queue, status, logger } = this.#options;
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

    try {
      await status.recordPending(statusRecordId(operation.id, operation.dryRun), {
        type: operation.type,
        dryRun: operation.dryRun,
        payloadHash: payloadFingerprint(operation),
        ...(operation.requestedBy ? { requestedBy: operation.requestedBy } : {}),
      });
      // The message as the ticket wrote it (params unparsed, as `atlas-ops enqueue` sends), with its id.
      await queue.send([{ ...message, id: operation.id }]);
    } catch (error) {
      // Let the sender's retry through: it is the only copy of the request.
      await deliveries.release(key).catch((releaseError: unknown) =>
        logger.error('Could not release a webhook delivery claim', {
          source,
          deliveryId,
          error: describe(releaseError),
        }),
      );
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
      operationId: operation.id,
      type: operation.type,
      dryRun: operation.dryRun,
    });
    const path = `/operations/${encodeURIComponent(operation.id)}${operation.dryRun ? '?dryRun=true' : ''}`;
    return {
      answer: { statusCode: 202, body: { operationId: operation.id, statusUrl: `${baseUrl ?? ''}${path}` } },
      outcome: { kind: 'accepted', source },
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

/** An error's name and message: our adapters' messages name ids and tables, never a secret. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function clip(text: string, max: number): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length <= max ? printable : `${printable.slice(0, max - 1)}…`;
}
