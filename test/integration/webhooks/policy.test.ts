/**
 * Who may ask for what, and how many yeses it takes: the demo operation policy (examples/policy.json) on the
 * local stack, tried as users would — deliveries signed as each vendor signs them, posted to the real intake,
 * judged by what reached the Atlas simulator and what the ticket was told. A removal takes two distinct
 * approvers; a project no rule names is refused.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookIntakeHandler } from '../../../functions/webhook-intake/create-handler.ts';
import type { LocalStack } from '../../../local/stack.ts';
import type { ReceivedRequest } from '../../../local/tickets.ts';
import type { DemoApprover, ExampleOperation } from '../../../local/webhook-examples.ts';
import type { LocalWebhooks } from '../../../local/webhooks.ts';
import { ConfigError } from '../../../shared/config/env.ts';
import type { WebhookSource } from '../../../shared/webhooks/sources.ts';
import { eventually } from '../../support/provisioning.ts';
import { requestLog } from '../../support/simulator.ts';
import { get, post, signedDelivery, useWebhookStack } from '../../support/webhooks.ts';

const started = useWebhookStack({ notifierEnv: { RETRY_BASE_MS: '5', POWERTOOLS_LOG_LEVEL: 'ERROR' } });
let stack: LocalStack;
let webhooks: LocalWebhooks;
let groupId: string;

beforeAll(() => {
  ({ stack, webhooks } = started());
  groupId = stack.simulator.state.projects[0]?.id ?? '';
});

afterEach(async () => {
  await stack.provisioning?.idle();
  await stack.notifications?.idle();
});

/** A project no rule of the demo policy names. */
const OTHER_PROJECT = 'ffffffffffffffffffffffff';

/** An entry of the project's access list, put there directly (as someone did in the Atlas UI). */
function seedEntry(cidrBlock: string) {
  stack.simulator.state.projectAccessList.push({
    groupId,
    cidrBlock,
    comment: 'seeded',
  } as (typeof stack.simulator.state.projectAccessList)[number]);
}

const hasEntry = (cidrBlock: string) =>
  stack.simulator.state.projectAccessList.some(
    (entry) => entry.groupId === groupId && entry.cidrBlock === cidrBlock,
  );

const removal = (cidrBlock: string): ExampleOperation => ({
  type: 'projectAccessList.delete',
  params: { groupId, entryValue: cidrBlock },
});

/** Posts `operation`'s approval from `source` by `by` for ticket `ref`. */
/** Posts `operation`'s approval from `source` by `by` for ticket `ref`, raised `secondsAgo` seconds ago. */
async function approve(
  source: WebhookSource,
  operation: ExampleOperation,
  ref: string | number,
  by: DemoApprover[],
  secondsAgo = 0,
) {
  const now = new Date(Date.now() - secondsAgo * 1000);
  return post(webhooks, signedDelivery(webhooks, source, operation, { ref, by, now }));
}

async function received(ref: string): Promise<ReceivedRequest[]> {
  const response = await fetch(`${stack.notifications?.tickets.url}/__received`);
  return ((await response.json()) as ReceivedRequest[]).filter((r) => r.ref === ref && r.method === 'POST');
}

const commentText = (request: ReceivedRequest) => JSON.stringify(request.body);

/** `GET /operations/{id}` on the local intake. */
const statusOf = (operationId: string) =>
  get(`${webhooks.url}/operations/${encodeURIComponent(operationId)}`);

describe('the operation policy, through the webhook intake', () => {
  it('holds a removal approved once AWAITING_APPROVAL, and runs it after a second, distinct approver', async () => {
    // Prepare: an entry to remove
    const cidr = '10.240.51.0/24';
    seedEntry(cidr);
    const operation = removal(cidr);

    // Act: Sam approves; Sam approves again (another transition); then Alex approves
    const first = await approve('jira', operation, 'OPS-5101', ['approver'], 120);
    await stack.notifications?.idle();
    const again = await approve('jira', operation, 'OPS-5101', ['approver'], 60);
    await stack.provisioning?.idle();
    const stillThere = hasEntry(cidr);
    const waiting = await statusOf(String(first.body.operationId));
    const second = await approve('jira', operation, 'OPS-5101', ['secondApprover']);
    await eventually(
      () => statusOf(String(first.body.operationId)),
      (answer) => answer.body.status === 'SUCCEEDED',
      20_000,
    );
    const done = await statusOf(String(first.body.operationId));

    // Assess
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      status: 'AWAITING_APPROVAL',
      approvedBy: ['sam.lead@example.com'],
      approvalsNeeded: 2,
    });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({
      status: 'AWAITING_APPROVAL',
      note: 'sam.lead@example.com has approved already',
    });
    expect(stillThere).toBe(true);
    expect(waiting.body).toMatchObject({
      status: 'AWAITING_APPROVAL',
      approvalsNeeded: 2,
      decision: { rule: 'removals in the demo projects', approvedBy: ['sam.lead@example.com'] },
      mayApprove: expect.arrayContaining(['alex.second@example.com']),
    });
    expect(second.status).toBe(202);
    expect(hasEntry(cidr)).toBe(false);
    expect(done.body).toMatchObject({
      status: 'SUCCEEDED',
      decision: {
        rule: 'removals in the demo projects',
        approvedBy: ['sam.lead@example.com', 'alex.second@example.com'],
      },
    });
    // The ticket was told it waits, once (not again for the same approver), then how it ended.
    await eventually(
      () => received('OPS-5101'),
      (all) => all.length >= 2,
      20_000,
    );
    const comments = (await received('OPS-5101')).map(commentText);
    expect(comments.filter((text) => text.includes('waiting for approval'))).toHaveLength(1);
    expect(comments[0]).toContain('Approved so far by sam.lead@example.com (1 of 2');
    expect(comments[0]).toContain('alex.second@example.com');
    expect(comments.at(-1)).toContain('done');
  });

  it('does not count the same approver twice, however the deliveries differ: nothing runs', async () => {
    // Prepare
    const cidr = '10.240.52.0/24';
    seedEntry(cidr);
    const operation = removal(cidr);

    // Act: octo-approver labels the issue twice, a minute apart (two deliveries, two signed contents)
    const first = await approve('github', operation, 5102, ['approver'], 60);
    const twice = await approve('github', operation, 5102, ['approver']);
    await stack.provisioning?.idle();

    // Assess
    expect(first.body).toMatchObject({ status: 'AWAITING_APPROVAL', approvedBy: ['octo-approver'] });
    // The repeat is told apart as a replay of the same approval (a duplicate) or as an approval already counted.
    expect(twice.body.duplicate === true || twice.body.note === 'octo-approver has approved already').toBe(
      true,
    );
    expect((await statusOf(String(first.body.operationId))).body).toMatchObject({
      status: 'AWAITING_APPROVAL',
      decision: { approvedBy: ['octo-approver'] },
    });
    expect(hasEntry(cidr)).toBe(true);
    const deletes = (await requestLog(stack.simulator)).filter(
      (request) => request.method === 'DELETE' && request.path.includes(encodeURIComponent(cidr)),
    );
    expect(deletes).toEqual([]);
  });

  it('runs a removal a composed body says two approvers approved, in one delivery', async () => {
    // Prepare
    const cidr = '10.240.53.0/24';
    seedEntry(cidr);

    // Act
    const answer = await approve('standard', removal(cidr), 'REQ-5103', ['approver', 'secondApprover']);
    await eventually(
      () => statusOf(String(answer.body.operationId)),
      (status) => status.body.status === 'SUCCEEDED',
      20_000,
    );

    // Assess
    expect(answer.status).toBe(202);
    expect(hasEntry(cidr)).toBe(false);
  });

  it('refuses a project no rule names, tells the ticket, and sends nothing to Atlas', async () => {
    // Prepare
    const before = (await requestLog(stack.simulator)).length;
    const operation: ExampleOperation = {
      type: 'projectAccessList.add',
      params: { groupId: OTHER_PROJECT, entries: [{ cidrBlock: '10.240.54.0/24' }] },
    };

    // Act
    const answer = await approve('jira', operation, 'OPS-5104', ['approver']);
    await stack.notifications?.idle();
    const record = await statusOf(String(answer.body.operationId));

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.refused).toContain(
      `no rule of the operation policy allows projectAccessList.add (additive) on project ${OTHER_PROJECT}`,
    );
    expect(record.body).toMatchObject({ status: 'FAILED', error: { errorCode: 'POLICY_REFUSED' } });
    await stack.provisioning?.idle();
    expect((await requestLog(stack.simulator)).slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    await eventually(
      () => received('OPS-5104'),
      (all) => all.length >= 1,
      20_000,
    );
    expect(commentText((await received('OPS-5104'))[0] as ReceivedRequest)).toContain('refused');
  });

  it('refuses a type no rule allows from a source, by its risk: an organization change from one approval is held', async () => {
    // Act: cancelling an invitation is an organization change, which the demo gives to two approvers
    const answer = await approve(
      'zendesk',
      {
        type: 'orgInvitation.cancel',
        params: { orgId: stack.simulator.orgId, invitationId: 'aaaaaaaaaaaaaaaaaaaaaaaa' },
      },
      5105,
      ['approver'],
    );

    // Assess
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ status: 'AWAITING_APPROVAL', approvalsNeeded: 2 });
  });
});

describe('the intake’s cold start', () => {
  const env = (policy: object) => ({
    WEBHOOK_SECRET_ID: 'atlas-ops/webhooks',
    QUEUE_URL: 'http://127.0.0.1:1/000000000000/atlas-ops-operations',
    OPERATIONS_TABLE: 'atlas-ops-operations',
    OPERATION_POLICY: JSON.stringify(policy),
  });

  it.each([
    [
      'an unknown type',
      { rules: [{ sources: '*', types: ['projectAccessList.ad'], projects: '*' }] },
      /rules\.0\.types\.0 "projectAccessList\.ad" is not an operation type; did you mean projectAccessList\.add\?/,
    ],
    [
      'a bad id',
      { rules: [{ sources: '*', risks: ['read'], projects: ['8f7be0277c2a1f1a7767b3e'] }] },
      /rules\.0\.projects\.0 must be a 24-hex-digit Atlas id/,
    ],
    [
      'an unknown field',
      { rules: [{ sources: '*', risks: ['read'], projects: '*', approve: 2 }] },
      /rules\.0\.approve is not a field of the policy/,
    ],
  ])('refuses a policy with %s, naming it and the variable', (_, policy, named) => {
    const start = () => createWebhookIntakeHandler(env(policy));
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/OPERATION_POLICY/);
    expect(start).toThrow(named);
  });
});
