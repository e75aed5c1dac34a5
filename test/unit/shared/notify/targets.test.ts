/**
 * The notification clients: each sends the request its ticketing API expects (method, path, auth, body), the
 * comment says what happened in plain words, the Standard Webhooks callback is signed as §8 says, and answers
 * are classified (429 with Retry-After and 5xx retryable; 401/403/404 rejected), credentials never in errors.
 */
import { describe, expect, it } from 'vitest';
import { NotificationRejectedError, NotificationRetryableError } from '../../../../shared/notify/errors.ts';
import type { HttpAnswer, HttpCall } from '../../../../shared/notify/http.ts';
import { parseRetryAfter } from '../../../../shared/notify/http.ts';
import type { NotifierSecrets } from '../../../../shared/notify/secrets.ts';
import { parseNotifierSecrets } from '../../../../shared/notify/secrets.ts';
import {
  callbackId,
  callbackTarget,
  githubTarget,
  jiraTarget,
  zendeskTarget,
} from '../../../../shared/notify/targets.ts';
import type { OutcomeEvent } from '../../../../shared/operations/outcome.ts';
import { standardWebhooks } from '../../../../shared/webhooks/verifiers/standard-webhooks.ts';

const SECRETS: NotifierSecrets = {
  jira: { email: 'bot@example.com', apiToken: 'jira-token-xyz' },
  github: { token: 'ghp_secret123' },
  zendesk: { email: 'bot@example.com', apiToken: 'zd-token-xyz' },
  callbacks: { standard: { signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } },
};

const SUCCEEDED: OutcomeEvent = {
  eventId: 'op-1:SUCCEEDED:1',
  operationId: 'op-1',
  type: 'networkPeering.create',
  status: 'SUCCEEDED',
  dryRun: false,
  summary: 'id 6b1, statusName INITIATING',
  requestedBy: { source: 'jira', ref: 'OPS-123', actor: 'jane@example.com' },
  finishedAt: '2026-11-29T10:00:00.000Z',
};

const FAILED: OutcomeEvent = {
  ...SUCCEEDED,
  eventId: 'op-1:FAILED:1',
  status: 'FAILED',
  error: { errorCode: 'OVERLAPPING_ATLAS_CIDR_BLOCK', detail: 'The CIDR overlaps.', status: 409 },
};
delete (FAILED as { summary?: string }).summary;

function recorder(answers: HttpAnswer[] = []) {
  const calls: HttpCall[] = [];
  return {
    calls,
    http: async (call: HttpCall) => {
      calls.push(call);
      return answers.shift() ?? { status: 201, text: '{}' };
    },
  };
}

const STATUS_URL = 'https://api.example.com/operations/op-1';

describe('jira', () => {
  it('posts an ADF comment on the issue with Basic email:apiToken, saying it is done', async () => {
    // Prepare
    const { calls, http } = recorder();

    // Act
    await jiraTarget(http, { baseUrl: 'https://acme.atlassian.net/' }).send({
      event: SUCCEEDED,
      ref: 'OPS-123',
      statusUrl: STATUS_URL,
      secrets: SECRETS,
    });

    // Assess
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.method).toBe('POST');
    expect(call?.url).toBe('https://acme.atlassian.net/rest/api/3/issue/OPS-123/comment');
    expect(call?.headers.authorization).toBe(
      `Basic ${Buffer.from('bot@example.com:jira-token-xyz').toString('base64')}`,
    );
    const body = JSON.parse(call?.body ?? '{}');
    expect(body.body.type).toBe('doc');
    const text = JSON.stringify(body);
    expect(text).toContain('done — ');
    expect(text).toContain('op-1');
    expect(text).toContain(STATUS_URL);
  });

  it('applies the configured transition by name after the comment', async () => {
    // Prepare
    const { calls, http } = recorder([
      { status: 201, text: '{}' },
      { status: 200, text: JSON.stringify({ transitions: [{ id: '31', name: 'Done' }] }) },
      { status: 204, text: '' },
    ]);

    // Act
    await jiraTarget(http, { baseUrl: 'https://acme.atlassian.net', transitionOnSuccess: 'done' }).send({
      event: SUCCEEDED,
      ref: 'OPS-123',
      secrets: SECRETS,
    });

    // Assess
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual([
      'POST /rest/api/3/issue/OPS-123/comment',
      'GET /rest/api/3/issue/OPS-123/transitions',
      'POST /rest/api/3/issue/OPS-123/transitions',
    ]);
    expect(JSON.parse(calls[2]?.body ?? '{}')).toEqual({ transition: { id: '31' } });
  });

  it('says "failed — Atlas said CODE: detail" for a failure', async () => {
    // Prepare
    const { calls, http } = recorder();

    // Act
    await jiraTarget(http, { baseUrl: 'https://acme.atlassian.net' }).send({
      event: FAILED,
      ref: 'OPS-123',
      secrets: SECRETS,
    });

    // Assess
    const paragraphs = JSON.parse(calls[0]?.body ?? '{}').body.content as { content: { text: string }[] }[];
    const headline = paragraphs[0]?.content.map((t) => t.text).join('');
    expect(headline).toBe(
      'atlas-ops: failed — networkPeering.create did not complete. Atlas said OVERLAPPING_ATLAS_CIDR_BLOCK: The CIDR overlaps.',
    );
  });

  it('refuses a reference that is not an issue key, without sending', async () => {
    const { calls, http } = recorder();
    await expect(
      jiraTarget(http, { baseUrl: 'https://acme.atlassian.net' }).send({
        event: SUCCEEDED,
        ref: '../../admin',
        secrets: SECRETS,
      }),
    ).rejects.toBeInstanceOf(NotificationRejectedError);
    expect(calls).toHaveLength(0);
  });
});

describe('github', () => {
  it('posts a Markdown comment on owner/repo#number with the bearer token', async () => {
    // Prepare
    const { calls, http } = recorder();

    // Act
    await githubTarget(http, { apiUrl: 'https://github.example.com/api/v3' }).send({
      event: FAILED,
      ref: 'acme/platform-requests#42',
      statusUrl: STATUS_URL,
      secrets: SECRETS,
    });

    // Assess
    const [call] = calls;
    expect(call?.url).toBe(
      'https://github.example.com/api/v3/repos/acme/platform-requests/issues/42/comments',
    );
    expect(call?.headers.authorization).toBe('Bearer ghp_secret123');
    const body = JSON.parse(call?.body ?? '{}').body as string;
    expect(body).toContain(
      'failed — `networkPeering.create` did not complete. Atlas said `OVERLAPPING_ATLAS_CIDR_BLOCK`: The CIDR overlaps.',
    );
    expect(body).toContain('`op-1`');
  });

  it.each(['../acme#1', 'acme/..#1', './x#1', '../..#1'])(
    'refuses the reference %s, whose path would leave the repository, before any request',
    async (ref) => {
      // Prepare
      const { calls, http } = recorder();

      // Act
      const sending = githubTarget(http, { apiUrl: 'https://api.github.com' }).send({
        event: SUCCEEDED,
        ref,
        secrets: SECRETS,
      });

      // Assess
      await expect(sending).rejects.toMatchObject({ reason: 'BAD_REF' });
      expect(calls).toHaveLength(0);
    },
  );

  it('names the target, the requester and the approver apart, and says a refused request was not run', async () => {
    // Prepare
    const { calls, http } = recorder();
    const refused: OutcomeEvent = {
      ...FAILED,
      type: 'projectAccessList.add',
      target: 'project 5f1b2c3d4e5f6a7b8c9d0e1f: 10.8.0.0/16',
      requestedBy: { source: 'github', ref: 'acme/platform-requests#42', actor: 'octo-approver' },
      error: {
        errorCode: 'APPROVAL_REFUSED',
        reason: 'SELF_APPROVAL',
        detail: 'octo-approver asked for it and approved it',
      },
    };
    const done: OutcomeEvent = {
      ...SUCCEEDED,
      approvedBy: 'octo-approver',
      target: 'project x: peering to AWS vpc-1',
    };

    // Act
    for (const event of [refused, done]) {
      await githubTarget(http, { apiUrl: 'https://api.github.com' }).send({
        event,
        ref: 'acme/r#1',
        secrets: SECRETS,
      });
    }

    // Assess
    const [first, second] = calls.map((call) => JSON.parse(call.body ?? '{}').body as string);
    expect(first).toContain(
      'refused — `projectAccessList.add` was not run: octo-approver asked for it and approved it.',
    );
    expect(first).toContain('Asked for: `project 5f1b2c3d4e5f6a7b8c9d0e1f: 10.8.0.0/16`');
    expect(first).not.toContain('Atlas said');
    expect(second).toContain('Target: `project x: peering to AWS vpc-1`');
    expect(second).toContain('Requested by jane@example.com, approved by octo-approver.');
  });
});

describe('zendesk', () => {
  it('puts a private comment on the ticket with Basic email/token:apiToken', async () => {
    // Prepare
    const { calls, http } = recorder([{ status: 200, text: '{}' }]);

    // Act
    await zendeskTarget(http, { baseUrl: 'https://acme.zendesk.com' }).send({
      event: SUCCEEDED,
      ref: '35436',
      secrets: SECRETS,
    });

    // Assess
    const [call] = calls;
    expect(call?.method).toBe('PUT');
    expect(call?.url).toBe('https://acme.zendesk.com/api/v2/tickets/35436');
    expect(call?.headers.authorization).toBe(
      `Basic ${Buffer.from('bot@example.com/token:zd-token-xyz').toString('base64')}`,
    );
    const { ticket } = JSON.parse(call?.body ?? '{}');
    expect(ticket.comment.public).toBe(false);
    expect(ticket.comment.body).toContain(
      'done — `networkPeering.create` succeeded (id 6b1, statusName INITIATING).',
    );
  });
});

describe('standard callback', () => {
  it('signs the known-answer vector of reference/webhooks.md §8 as the reference library does', () => {
    const headers = standardWebhooks.sign(
      Buffer.from('{"test": 2432232314}'),
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      {
        deliveryId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        now: new Date(1_614_265_330_000),
      },
    );
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('POSTs the outcome to the configured URL, signed so that it verifies, with a stable webhook-id', async () => {
    // Prepare
    const { calls, http } = recorder([{ status: 204, text: '' }]);
    const now = new Date('2026-11-29T10:00:00Z');
    const event = { ...SUCCEEDED, requestedBy: { source: 'standard', ref: 'REQ-1' } };

    // Act
    await callbackTarget(http, {
      source: 'standard',
      url: 'https://portal.example.com/hooks',
      now: () => now,
    }).send({ event, ref: 'REQ-1', secrets: SECRETS });

    // Assess
    const [call] = calls;
    expect(call?.url).toBe('https://portal.example.com/hooks');
    expect(call?.headers['webhook-id']).toBe(callbackId(event.eventId));
    expect(call?.headers['webhook-id']).not.toContain('.');
    const verification = standardWebhooks.verify(
      { headers: call?.headers ?? {}, body: Buffer.from(call?.body ?? '') },
      { secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], now, toleranceSeconds: 300 },
    );
    expect(verification).toEqual({ ok: true });
    expect(JSON.parse(call?.body ?? '{}')).toMatchObject({
      type: 'atlas-ops.operation.succeeded',
      data: { operationId: 'op-1', status: 'SUCCEEDED' },
    });
  });

  it('refuses a source with no configured callback URL (never a URL from the message)', async () => {
    const { calls, http } = recorder();
    await expect(
      callbackTarget(http, { source: 'servicenow', url: undefined }).send({
        event: SUCCEEDED,
        ref: 'x',
        secrets: SECRETS,
      }),
    ).rejects.toMatchObject({ reason: 'NO_TARGET' });
    expect(calls).toHaveLength(0);
  });
});

describe('answers', () => {
  it.each([
    [429, '7', NotificationRetryableError, 7000],
    [503, undefined, NotificationRetryableError, undefined],
    [500, undefined, NotificationRetryableError, undefined],
    [404, undefined, NotificationRejectedError, undefined],
    [401, undefined, NotificationRejectedError, undefined],
    [403, undefined, NotificationRejectedError, undefined],
  ])('HTTP %i is %o', async (status, retryAfter, kind, retryAfterMs) => {
    // Prepare
    const { http } = recorder([{ status, text: 'token jira-token-xyz echoed', retryAfter }]);

    // Act
    const error = await githubTarget(http, { apiUrl: 'https://api.github.com' })
      .send({ event: SUCCEEDED, ref: 'acme/r#1', secrets: SECRETS })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(kind);
    if (retryAfterMs !== undefined) expect(error).toMatchObject({ retryAfterMs });
    expect(String((error as Error).message)).not.toMatch(/ghp_secret123|jira-token|echoed/);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 10:00:05 GMT', Date.parse('2026-11-29T10:00:00Z'))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('the credentials secret', () => {
  it('parses each source, and names a bad field without its value', () => {
    expect(
      parseNotifierSecrets(
        JSON.stringify({ github: { token: 't' }, standard: { signingSecret: 'whsec_YWJj' } }),
        'notifier secret "x"',
      ),
    ).toEqual({ github: { token: 't' }, callbacks: { standard: { signingSecret: 'whsec_YWJj' } } });
    expect(() =>
      parseNotifierSecrets(JSON.stringify({ jira: { email: 'a@b.c', apiToken: '' } }), 'notifier secret "x"'),
    ).toThrow(/jira\.apiToken/);
    expect(() =>
      parseNotifierSecrets(
        JSON.stringify({ standard: { signingSecret: 'not-a-secret-value' } }),
        'notifier secret "x"',
      ),
    ).toThrow(/^(?!.*not-a-secret-value)/);
  });
});
