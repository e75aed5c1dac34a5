import { describe, expect, it } from 'vitest';
import { deriveOperationId } from '../../../../shared/operations/message.ts';
import { buildRules, DEFAULT_RULES } from '../../../../shared/webhooks/rules.ts';
import { WEBHOOK_SOURCES, type WebhookSource } from '../../../../shared/webhooks/sources.ts';
import { allSecrets, intakeWith, NOW, OPERATION, SECRETS, signed, signedBytes } from './fakes.ts';

const REF: Record<WebhookSource, string> = {
  jira: 'OPS-123',
  github: 'acme/platform-requests#42',
  zendesk: '35436',
  servicenow: 'RITM0010001',
  standard: 'REQ-2026-0042',
};
/** The sources whose scheme binds the body (ServiceNow's bearer token does not: README, "Webhook intake"). */
const SIGNING_SOURCES = WEBHOOK_SOURCES.filter((source) => source !== 'servicenow');
const signatureHeaderOf = (headers: Record<string, string>) =>
  Object.keys(headers).find((name) => /signature|authorization/.test(name)) ?? '';
/** A secret of the right shape that is not the source's. */
const wrongSecret = (source: WebhookSource) =>
  source === 'standard' ? `whsec_${Buffer.alloc(32, 7).toString('base64')}` : `${SECRETS[source]}-wrong`;
const operationIdOf = (source: WebhookSource) =>
  deriveOperationId({ ...OPERATION, requestedBy: { source, ref: REF[source] } });

describe('WebhookIntake accepts', () => {
  it.each(WEBHOOK_SOURCES)(
    'a signed, approved %s delivery: 202, a PENDING record, one message',
    async (source) => {
      // Prepare
      const { intake, queue, status } = intakeWith();
      const operationId = operationIdOf(source);

      // Act
      const { answer, outcome } = await intake.receive(signed(source));

      // Assess
      expect(answer).toEqual({
        statusCode: 202,
        body: { operationId, statusUrl: `https://api.example.com/operations/${operationId}` },
      });
      expect(outcome).toEqual({ kind: 'accepted', source });
      expect(queue.send).toHaveBeenCalledTimes(1);
      expect(queue.send.mock.calls[0]?.[0]).toEqual([
        { ...OPERATION, id: operationId, requestedBy: expect.objectContaining({ source, ref: REF[source] }) },
      ]);
      expect(status.records.get(operationId)).toMatchObject({ status: 'PENDING', type: OPERATION.type });
    },
  );

  it('a dry run, with a status URL that asks for the dry run record', async () => {
    // Prepare
    const { intake, status } = intakeWith();
    const body = { ...OPERATION, dryRun: true, requestedBy: { source: 'portal', ref: 'R-1' } };
    const operationId = deriveOperationId({ ...OPERATION, requestedBy: { source: 'standard', ref: 'R-1' } });

    // Act
    const { answer } = await intake.receive(signed('standard', { body }));

    // Assess
    expect(answer.body).toEqual({
      operationId,
      statusUrl: `https://api.example.com/operations/${operationId}?dryRun=true`,
    });
    expect(status.records.has(`dry-run#${operationId}`)).toBe(true);
  });

  it('a delivery signed with the previous secret during a rotation', async () => {
    // Prepare
    const { intake } = intakeWith({}, { ...allSecrets(), jira: ['the-new-secret', SECRETS.jira] });

    // Act
    const { answer } = await intake.receive(signed('jira'));

    // Assess
    expect(answer.statusCode).toBe(202);
  });

  it('a delivery signed with a secret rotated since the cache was filled: the secrets are read again', async () => {
    // Prepare
    const { intake, secrets } = intakeWith({}, { ...allSecrets(), github: ['stale'] });
    secrets.refresh.mockResolvedValue(allSecrets());

    // Act
    const { answer } = await intake.receive(signed('github'));

    // Assess
    expect(answer.statusCode).toBe(202);
    expect(secrets.refresh).toHaveBeenCalledTimes(1);
  });

  it('reads the secrets again at most once a minute, however many forged deliveries come', async () => {
    // Prepare
    const { intake, secrets } = intakeWith();

    // Act
    for (let i = 0; i < 5; i++) await intake.receive(signed('jira', { secret: 'forged' }));

    // Assess
    expect(secrets.refresh).toHaveBeenCalledTimes(1);
  });

  it('a delivery whose enqueue failed, when the sender retries it', async () => {
    // Prepare
    const { intake, queue } = intakeWith();
    queue.send.mockRejectedValueOnce(new Error('SQS is down'));
    const first = await intake.receive(signed('zendesk'));

    // Act
    const retry = await intake.receive(signed('zendesk'));

    // Assess
    expect(first.answer).toMatchObject({ statusCode: 503, body: { error: 'UNAVAILABLE' } });
    expect(retry.answer.statusCode).toBe(202);
  });
});

describe('WebhookIntake answers without enqueueing', () => {
  it.each(WEBHOOK_SOURCES)(
    '200 duplicate, with the same operation id, to a repeated %s delivery',
    async (source) => {
      // Prepare
      const { intake, queue } = intakeWith();
      await intake.receive(signed(source));

      // Act
      const { answer, outcome } = await intake.receive(signed(source));

      // Assess
      expect(answer).toEqual({
        statusCode: 200,
        body: { operationId: operationIdOf(source), duplicate: true },
      });
      expect(outcome.kind).toBe('duplicate');
      expect(queue.send).toHaveBeenCalledTimes(1);
    },
  );

  it.each(WEBHOOK_SOURCES)('200 ignored to a %s ticket that is not approved', async (source) => {
    // Prepare
    const { intake, queue } = intakeWith();

    // Act
    const { answer, outcome } = await intake.receive(signed(source, { approved: false }));

    // Assess
    expect(answer).toEqual({ statusCode: 200, body: { ignored: DEFAULT_RULES[source].ignored } });
    expect(outcome.kind).toBe('ignored');
    expect(queue.send).not.toHaveBeenCalled();
  });

  it('200 ignored when a rule fails on the delivery, and logs the rule at ERROR', async () => {
    // Prepare
    const rules = buildRules({ jira: { actor: "join('#', [body.a, body.b])" } });
    const { intake, queue, logger } = intakeWith({ rules });

    // Act
    const { answer, outcome } = await intake.receive(signed('jira'));

    // Assess
    expect(answer).toEqual({ statusCode: 200, body: { ignored: 'the jira rule could not be evaluated' } });
    expect(outcome).toEqual({ kind: 'ignored', source: 'jira', reason: 'RULE_FAILED' });
    expect(logger.lines.some((line) => line.includes('"ERROR"') && line.includes('jira.actor'))).toBe(true);
    expect(queue.send).not.toHaveBeenCalled();
  });

  it('400 INVALID_OPERATION naming each bad field', async () => {
    // Prepare
    const { intake, queue } = intakeWith();
    const body = { type: 'projectAccessList.add', params: { groupId: 'not-an-id', entries: [] } };

    // Act
    const { answer, outcome } = await intake.receive(signed('servicenow', { body }));

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toEqual({
      error: 'INVALID_OPERATION',
      problems: expect.arrayContaining([expect.objectContaining({ field: 'params.groupId' })]),
    });
    expect(outcome).toEqual({ kind: 'refused', source: 'servicenow', reason: 'INVALID_OPERATION' });
    expect(queue.send).not.toHaveBeenCalled();
  });

  it('400 INVALID_OPERATION for an unknown operation type', async () => {
    // Prepare
    const { intake } = intakeWith();

    // Act
    const { answer } = await intake.receive(
      signed('standard', { body: { type: 'cluster.drop', params: {} } }),
    );

    // Assess
    expect(answer.body).toMatchObject({ error: 'INVALID_OPERATION', problems: [{ field: 'type' }] });
  });

  it('400 MISSING_DELIVERY_ID, naming the header, for a ServiceNow request without Idempotency-Key', async () => {
    // Prepare
    const { intake } = intakeWith();
    const delivery = signed('servicenow');
    const { 'idempotency-key': _dropped, ...headers } = delivery.headers;

    // Act
    const { answer } = await intake.receive({ ...delivery, headers });

    // Assess
    expect(answer).toEqual({
      statusCode: 400,
      body: { error: 'MISSING_DELIVERY_ID', header: 'idempotency-key' },
    });
  });

  it.each(WEBHOOK_SOURCES)(
    '401 with nothing more to a %s delivery with a wrong signature, a missing one or a wrong secret',
    async (source) => {
      // Prepare
      const { intake, queue, status } = intakeWith();
      const good = signed(source);
      const header = signatureHeaderOf(good.headers);
      const cases = [
        { ...good, headers: { ...good.headers, [header]: `${good.headers[header]}x` } },
        { ...good, headers: Object.fromEntries(Object.entries(good.headers).filter(([n]) => n !== header)) },
        signed(source, { secret: wrongSecret(source) }),
      ];

      // Act
      const answers = await Promise.all(cases.map((delivery) => intake.receive(delivery)));

      // Assess
      for (const { answer, outcome } of answers) {
        expect(answer).toEqual({ statusCode: 401, body: { error: 'UNAUTHORIZED' } });
        expect(outcome).toMatchObject({ kind: 'refused', source });
      }
      expect(queue.send).not.toHaveBeenCalled();
      expect(status.recordPending).not.toHaveBeenCalled();
    },
  );

  it.each(SIGNING_SOURCES)('401 to a %s delivery whose body changed after signing', async (source) => {
    // Prepare
    const { intake, queue } = intakeWith();
    const good = signed(source);

    // Act
    const { answer } = await intake.receive({
      ...good,
      body: Buffer.from(good.body.toString().replace('10.8.0.0', '10.9.0.0')),
    });

    // Assess
    expect(answer).toEqual({ statusCode: 401, body: { error: 'UNAUTHORIZED' } });
    expect(queue.send).not.toHaveBeenCalled();
  });

  it.each(['zendesk', 'standard'] as const)(
    '401 to a %s delivery signed more than 5 minutes ago (a replay)',
    async (source) => {
      // Prepare
      const { intake, queue } = intakeWith();

      // Act
      const { answer, outcome } = await intake.receive(
        signed(source, { now: new Date(NOW.getTime() - 301_000) }),
      );

      // Assess
      expect(answer).toEqual({ statusCode: 401, body: { error: 'UNAUTHORIZED' } });
      expect(outcome.reason).toBe('TIMESTAMP_OUT_OF_RANGE');
      expect(queue.send).not.toHaveBeenCalled();
    },
  );

  it('401 to a source that has no secret configured (never fail open)', async () => {
    // Prepare
    const { intake } = intakeWith({}, { jira: [SECRETS.jira] });

    // Act
    const { answer, outcome } = await intake.receive(signed('github'));

    // Assess
    expect(answer).toEqual({ statusCode: 401, body: { error: 'UNAUTHORIZED' } });
    expect(outcome.reason).toBe('SOURCE_NOT_CONFIGURED');
  });

  it('404 to an unknown source', async () => {
    // Prepare
    const { intake } = intakeWith();

    // Act
    const { answer } = await intake.receive({ ...signed('jira'), source: 'gitlab' });

    // Assess
    expect(answer).toEqual({ statusCode: 404, body: { error: 'UNKNOWN_SOURCE' } });
  });

  it('405 with Allow: POST to another method', async () => {
    // Prepare
    const { intake } = intakeWith();

    // Act
    const { answer } = await intake.receive({ ...signed('jira'), method: 'GET' });

    // Assess
    expect(answer).toEqual({
      statusCode: 405,
      body: { error: 'METHOD_NOT_ALLOWED' },
      headers: { allow: 'POST' },
    });
  });

  it('413 to a body over 256 KiB, before checking anything else', async () => {
    // Prepare
    const { intake, secrets } = intakeWith();

    // Act
    const { answer } = await intake.receive({ ...signed('jira'), body: Buffer.alloc(256 * 1024 + 1, 32) });

    // Assess
    expect(answer).toEqual({ statusCode: 413, body: { error: 'PAYLOAD_TOO_LARGE', maxBytes: 262_144 } });
    expect(secrets.get).not.toHaveBeenCalled();
  });

  it('415 to a body sent as something other than JSON', async () => {
    // Prepare
    const { intake } = intakeWith();
    const delivery = signed('jira');

    // Act
    const form = await intake.receive({
      ...delivery,
      headers: { ...delivery.headers, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const missing = await intake.receive({
      ...delivery,
      headers: { ...delivery.headers, 'content-type': '' },
    });
    const withCharset = await intake.receive({
      ...delivery,
      headers: { ...delivery.headers, 'content-type': 'application/json; charset=utf-8' },
    });

    // Assess
    expect(form.answer).toEqual({ statusCode: 415, body: { error: 'UNSUPPORTED_MEDIA_TYPE' } });
    expect(missing.answer.statusCode).toBe(415);
    expect(withCharset.answer.statusCode).toBe(202);
  });

  it('415 to a signed body that is not JSON', async () => {
    // Prepare
    const { intake } = intakeWith();

    // Act
    const { answer } = await intake.receive(signedBytes('standard', Buffer.from('not json at all')));

    // Assess
    expect(answer).toEqual({ statusCode: 415, body: { error: 'NOT_JSON' } });
  });

  it('503 when the queue cannot be reached, so the sender retries', async () => {
    // Prepare
    const { intake, queue, deliveries } = intakeWith();
    queue.send.mockRejectedValue(new Error('ECONNREFUSED'));

    // Act
    const { answer, outcome } = await intake.receive(signed('github'));

    // Assess
    expect(answer).toEqual({
      statusCode: 503,
      body: { error: 'UNAVAILABLE' },
      headers: { 'retry-after': '30' },
    });
    expect(outcome).toEqual({ kind: 'failed', source: 'github', reason: 'QUEUE_UNAVAILABLE' });
    expect(deliveries.items.size).toBe(0);
  });

  it('503 when the secrets cannot be read', async () => {
    // Prepare
    const { intake, secrets } = intakeWith();
    secrets.get.mockRejectedValue(new Error('ThrottlingException'));

    // Act
    const { answer, outcome } = await intake.receive(signed('jira'));

    // Assess
    expect(answer.statusCode).toBe(503);
    expect(outcome.reason).toBe('SECRETS_UNAVAILABLE');
  });

  it('503 with Retry-After to the same delivery arriving while the first copy is being handled', async () => {
    // Prepare
    const { intake, deliveries } = intakeWith();
    await deliveries.claim({ source: 'jira', deliveryId: 'delivery-jira-1' }, 'op-x');

    // Act
    const { answer } = await intake.receive(signed('jira'));

    // Assess
    expect(answer).toEqual({
      statusCode: 503,
      body: { error: 'DELIVERY_IN_PROGRESS' },
      headers: { 'retry-after': '5' },
    });
  });
});

describe('WebhookIntake logs', () => {
  it('each refusal with the source, the reason and the delivery id, never the body, signature or secret', async () => {
    // Prepare
    const { intake, logger } = intakeWith();
    const deliveries = WEBHOOK_SOURCES.map((source) => signed(source, { secret: wrongSecret(source) }));

    // Act
    for (const delivery of deliveries) await intake.receive(delivery);

    // Assess
    expect(logger.lines).toHaveLength(WEBHOOK_SOURCES.length);
    for (const [index, line] of logger.lines.entries()) {
      const delivery = deliveries[index];
      expect(JSON.parse(line)).toMatchObject({
        level: 'WARN',
        message: 'Webhook delivery refused',
        source: WEBHOOK_SOURCES[index],
        reason: 'SIGNATURE_MISMATCH',
        deliveryId: `delivery-${WEBHOOK_SOURCES[index]}-1`,
      });
      const signature = delivery?.headers[signatureHeaderOf(delivery.headers)] ?? '';
      expect(signature).not.toBe('');
      expect(line).not.toContain(signature);
      expect(line).not.toContain(signature.replace(/^(sha256=|v1,|Bearer )/, ''));
      for (const secret of [...Object.values(SECRETS), wrongSecret(WEBHOOK_SOURCES[index] ?? 'jira')]) {
        expect(line).not.toContain(secret);
      }
      expect(line).not.toContain('10.8.0.0');
    }
  });
});

describe('WebhookIntake status', () => {
  it('answers the status record without its internal fingerprint', async () => {
    // Prepare
    const { intake } = intakeWith();
    const { answer: accepted } = await intake.receive(signed('jira'));
    const id = String(accepted.body.operationId);

    // Act
    const { answer } = await intake.status(id, false);

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toMatchObject({ id, status: 'PENDING', type: OPERATION.type });
    expect(answer.body).not.toHaveProperty('payloadHash');
  });

  it('answers 404 for an unknown id, 400 for one that cannot be an id, 503 when the table fails', async () => {
    // Prepare
    const { intake, status } = intakeWith();

    // Act
    const unknown = await intake.status('op-unknown', false);
    const invalid = await intake.status('a#b', false);
    status.get.mockRejectedValueOnce(new Error('DynamoDB down'));
    const failed = await intake.status('op-unknown', false);

    // Assess
    expect(unknown.answer).toEqual({ statusCode: 404, body: { error: 'NOT_FOUND' } });
    expect(invalid.answer).toEqual({ statusCode: 400, body: { error: 'INVALID_OPERATION_ID' } });
    expect(failed.answer).toEqual({ statusCode: 503, body: { error: 'UNAVAILABLE' } });
  });
});
