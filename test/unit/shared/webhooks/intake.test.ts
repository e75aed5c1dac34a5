import { describe, expect, it } from 'vitest';
import { exampleDelivery, examplePeople } from '../../../../local/webhook-examples.ts';
import { deriveOperationId } from '../../../../shared/operations/message.ts';
import { buildRules } from '../../../../shared/webhooks/rules.ts';
import { parseSenderPolicies } from '../../../../shared/webhooks/senders.ts';
import { WEBHOOK_SOURCES, type WebhookSource } from '../../../../shared/webhooks/sources.ts';
import {
  allSecrets,
  composed,
  deliveryKeyOf,
  intakeWith,
  NOW,
  OPERATION,
  SECRETS,
  signed,
  signedBytes,
} from './fakes.ts';

const REF: Record<WebhookSource, string> = {
  jira: 'OPS-123',
  github: 'acme/platform-requests#42',
  zendesk: '35436',
  servicenow: 'RITM0010001',
  standard: 'REQ-2026-0042',
};
/** The sources whose scheme binds the body (ServiceNow's bearer token does not: docs/webhooks.md). */
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
      const { requester, approver } = examplePeople(source);
      expect(queue.send.mock.calls[0]?.[0]).toEqual([
        {
          ...OPERATION,
          id: operationId,
          requestedBy: { source, ref: REF[source], actor: requester },
          approvedBy: approver,
          decision: { rule: 'anything', approvedBy: [approver] },
        },
      ]);
      expect(status.records.get(operationId)).toMatchObject({
        status: 'PENDING',
        type: OPERATION.type,
        requestedBy: { source, ref: REF[source], actor: requester },
        approvedBy: approver,
        decision: { rule: 'anything', approvedBy: [approver] },
      });
    },
  );

  it('a dry run, with a status URL that asks for the dry run record', async () => {
    // Prepare
    const { intake, status } = intakeWith();
    const body = composed({ ...OPERATION, dryRun: true }, 'R-1');
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
    expect(answer).toEqual({ statusCode: 200, body: { ignored: expect.stringMatching(/^not /) } });
    expect(outcome.kind).toBe('ignored');
    expect(queue.send).not.toHaveBeenCalled();
  });

  it('200 ignored when a rule fails on the delivery, and logs the rule at ERROR', async () => {
    // Prepare
    const rules = buildRules({ jira: { requester: "join('#', [body.a, body.b])" } });
    const { intake, queue, logger } = intakeWith({ rules });

    // Act
    const { answer, outcome } = await intake.receive(signed('jira'));

    // Assess
    expect(answer).toEqual({ statusCode: 200, body: { ignored: 'the jira rule could not be evaluated' } });
    expect(outcome).toEqual({ kind: 'ignored', source: 'jira', reason: 'RULE_FAILED' });
    expect(logger.lines.some((line) => line.includes('"ERROR"') && line.includes('jira.requester'))).toBe(
      true,
    );
    expect(queue.send).not.toHaveBeenCalled();
  });

  it('400 INVALID_OPERATION naming each bad field', async () => {
    // Prepare
    const { intake, queue } = intakeWith();
    const body = composed({ type: 'projectAccessList.add', params: { groupId: 'not-an-id', entries: [] } });

    // Act
    const { answer, outcome } = await intake.receive(
      signed('servicenow', { body: { ...body, approvedBy: 'sam.lead' } }),
    );

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
      signed('standard', { body: composed({ type: 'cluster.drop', params: {} }) }),
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
    await deliveries.claim(deliveryKeyOf(signed('jira')), 'op-x');

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

describe('WebhookIntake takes only what someone entitled approved', () => {
  it('ignores every delivery of a source with no sender policy, saying so', async () => {
    // Prepare
    const { intake, queue, logger } = intakeWith({ senders: parseSenderPolicies({}) });

    // Act
    const { answer, outcome } = await intake.receive(signed('github'));

    // Assess
    expect(answer.body).toEqual({ ignored: expect.stringContaining('github accepts nothing') });
    expect(outcome).toEqual({ kind: 'ignored', source: 'github', reason: 'NO_SENDER_SCOPE' });
    expect(queue.send).not.toHaveBeenCalled();
    expect(logger.lines.some((line) => line.includes('"WARN"') && line.includes('NO_SENDER_SCOPE'))).toBe(
      true,
    );
  });

  it('ignores a Jira project outside the scope, and counts it by reason', async () => {
    // Prepare
    const { intake, queue } = intakeWith();
    const delivery = signed('jira', { body: exampleDelivery('jira', OPERATION, { ref: 'FIN-9', now: NOW }) });

    // Act
    const { answer, outcome } = await intake.receive(delivery);

    // Assess
    expect(answer).toEqual({ statusCode: 200, body: { ignored: '"FIN" is not in the jira sender scope' } });
    expect(outcome.reason).toBe('OUT_OF_SCOPE');
    expect(queue.send).not.toHaveBeenCalled();
  });

  it('refuses a self-approval: records it FAILED, tells the ticket through the outcomes queue, queues nothing', async () => {
    // Prepare
    const { intake, queue, status, outcomes } = intakeWith();
    const body = exampleDelivery('github', OPERATION, { now: NOW }) as { issue: { user: { login: string } } };
    body.issue.user.login = 'octo-approver';

    // Act
    const { answer, outcome } = await intake.receive(signed('github', { body }));
    const again = await intake.receive(signed('github', { body, deliveryId: 'a-retry' }));

    // Assess
    const operationId = operationIdOf('github');
    expect(answer).toEqual({
      statusCode: 200,
      body: {
        refused: 'octo-approver asked for it and approved it; someone else must approve',
        operationId,
        statusUrl: `https://api.example.com/operations/${operationId}`,
      },
    });
    expect(outcome).toEqual({ kind: 'refused', source: 'github', reason: 'SELF_APPROVAL' });
    expect(queue.send).not.toHaveBeenCalled();
    expect(status.records.get(operationId)).toMatchObject({
      status: 'FAILED',
      error: { errorCode: 'APPROVAL_REFUSED', reason: 'SELF_APPROVAL' },
      requestedBy: { actor: 'octo-approver' },
    });
    expect(outcomes.published).toHaveLength(2);
    expect(outcomes.published[0]).toMatchObject({
      operationId,
      status: 'FAILED',
      error: { errorCode: 'APPROVAL_REFUSED' },
      target: 'project 5f1b2c3d4e5f6a7b8c9d0e1f: 10.8.0.0/16',
    });
    expect(outcomes.published[0]).not.toHaveProperty('approvedBy');
    // The same delivery again tells the same event (the notifier tells it once).
    expect(outcomes.published[1]?.eventId).toBe(outcomes.published[0]?.eventId);
    expect(again.answer.statusCode).toBe(200);
  });

  it('refuses an approver who is not listed, naming them', async () => {
    // Prepare
    const { intake, queue } = intakeWith();
    const body = { ...composed(OPERATION), approvedBy: 'mallory@example.com' };

    // Act
    const { answer, outcome } = await intake.receive(signed('standard', { body }));

    // Assess
    expect(answer.body).toMatchObject({ refused: 'mallory@example.com is not a standard approver' });
    expect(outcome.reason).toBe('APPROVER_NOT_ALLOWED');
    expect(queue.send).not.toHaveBeenCalled();
  });

  it('answers a captured delivery sent again under a fresh delivery id as a duplicate', async () => {
    // Prepare
    const { intake, queue } = intakeWith();
    const first = signed('jira');
    await intake.receive(first);

    // Act
    const { answer } = await intake.receive({
      ...first,
      headers: { ...first.headers, 'x-atlassian-webhook-identifier': 'a-fresh-id' },
    });

    // Assess
    expect(answer).toEqual({
      statusCode: 200,
      body: { operationId: operationIdOf('jira'), duplicate: true },
    });
    expect(queue.send).toHaveBeenCalledTimes(1);
  });

  it.each(['jira', 'github'] as const)(
    'refuses a %s approval signed longer ago than records are kept, and one with no signed time',
    async (source) => {
      // Prepare
      const { intake, queue } = intakeWith({ statusTtlDays: 30 });
      const old = exampleDelivery(source, OPERATION, { now: new Date(NOW.getTime() - 31 * 86_400_000) });
      const untimed = JSON.parse(JSON.stringify(exampleDelivery(source, OPERATION, { now: NOW })));
      if (source === 'jira') delete untimed.timestamp;
      else delete untimed.issue.updated_at;

      // Act
      const stale = await intake.receive(signed(source, { body: old }));
      const missing = await intake.receive(signed(source, { body: untimed, deliveryId: 'other' }));

      // Assess
      expect([stale.answer.statusCode, stale.outcome.reason]).toEqual([401, 'SIGNED_TIME_TOO_OLD']);
      expect([missing.answer.statusCode, missing.outcome.reason]).toEqual([401, 'SIGNED_TIME_MISSING']);
      expect(queue.send).not.toHaveBeenCalled();
    },
  );

  it('answers 400 JSON_TOO_DEEP, naming the limit, to a body nested deeper than 32 levels', async () => {
    // Prepare
    const { intake } = intakeWith();
    const deep = Buffer.from(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);

    // Act
    const { answer } = await intake.receive(signedBytes('standard', deep));

    // Assess
    expect(answer).toEqual({ statusCode: 400, body: { error: 'JSON_TOO_DEEP', maxDepth: 32 } });
  });
});
