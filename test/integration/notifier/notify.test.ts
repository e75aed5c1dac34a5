/**
 * Ticket notifications end to end on the local stack (issue 12, "Done when"): a signed delivery to the local
 * intake runs at the simulator, the provisioner emits its outcome, and the notifier tells the ticketing
 * stand-in — one Jira, GitHub or Zendesk comment saying it succeeded (or failed with Atlas's error code), one
 * signed Standard Webhooks callback; the same delivery twice still gives one comment; a 429 then 200 gives one
 * comment after the wait.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../local/stack.ts';
import { LOCAL_TICKET_CREDENTIALS, type ReceivedRequest } from '../../../local/tickets.ts';
import { type ExampleOperation, examplePeople } from '../../../local/webhook-examples.ts';
import type { LocalWebhooks } from '../../../local/webhooks.ts';
import { standardWebhooks } from '../../../shared/webhooks/verifiers/standard-webhooks.ts';
import { eventually } from '../../support/provisioning.ts';
import { post, signedDelivery, useWebhookStack } from '../../support/webhooks.ts';

const started = useWebhookStack({ notifierEnv: { RETRY_BASE_MS: '5', POWERTOOLS_LOG_LEVEL: 'ERROR' } });
let stack: LocalStack;
let webhooks: LocalWebhooks;
let groupId: string;
let tickets: string;

beforeAll(() => {
  ({ stack, webhooks } = started());
  groupId = stack.simulator.state.projects[0]?.id ?? '';
  tickets = stack.notifications?.tickets.url ?? '';
});

const addEntry = (n: number): ExampleOperation => ({
  type: 'projectAccessList.add',
  params: { groupId, entries: [{ cidrBlock: `10.200.${n % 256}.0/24`, comment: 'from a ticket' }] },
});

/** A peering to a container that does not exist: Atlas answers 404 CLOUD_PROVIDER_CONTAINER_NOT_FOUND. */
const refusedPeering = (n: number): ExampleOperation => ({
  type: 'networkPeering.create',
  params: {
    groupId,
    peering: {
      providerName: 'AWS',
      containerId: `0123456789abcdef012345${String(n).padStart(2, '0')}`,
      accepterRegionName: 'us-east-1',
      awsAccountId: '123456789012',
      routeTableCidrBlock: '10.0.0.0/16',
      vpcId: 'vpc-0123456789abcdef0',
    },
  },
});

async function received(): Promise<ReceivedRequest[]> {
  const response = await fetch(`${tickets}/__received`);
  return (await response.json()) as ReceivedRequest[];
}

/** The 2xx-answered requests of `kind` for `ref`, once there are `count` (then a moment more for strays). */
async function commentsOn(kind: string, ref: string, count = 1): Promise<ReceivedRequest[]> {
  const pick = (all: ReceivedRequest[]) =>
    all.filter((r) => r.kind === kind && r.ref === ref && r.status >= 200 && r.status < 300);
  await eventually(received, (all) => pick(all).length >= count, 20_000);
  await stack.provisioning?.idle();
  await stack.notifications?.idle();
  return pick(await received());
}

/** The words of a Jira ADF comment. */
function adfText(body: unknown): string {
  const doc = (body as { body: { content: { content: { text: string }[] }[] } }).body;
  return doc.content.map((p) => p.content.map((t) => t.text).join('')).join('\n');
}

const SOURCES = [
  { source: 'jira', kind: 'jira', ref: (n: number) => `OPS-${n}`, expected: (n: number) => `OPS-${n}` },
  {
    source: 'github',
    kind: 'github',
    ref: (n: number) => n,
    expected: (n: number) => `acme/platform-requests#${n}`,
  },
  { source: 'zendesk', kind: 'zendesk', ref: (n: number) => n, expected: (n: number) => String(n) },
] as const;

function commentText(kind: string, request: ReceivedRequest): string {
  if (kind === 'jira') return adfText(request.body);
  if (kind === 'github') return (request.body as { body: string }).body;
  const ticket = (request.body as { ticket: { comment: { body: string; public: boolean } } }).ticket;
  expect(ticket.comment.public).toBe(false);
  return ticket.comment.body;
}

describe.each(SOURCES)(
  'a $source ticket hears how its operation ended',
  ({ source, kind, ref, expected }) => {
    const base = { jira: 2100, github: 2200, zendesk: 2300 }[source];

    it('succeeded: one comment naming what changed, who asked and who approved, with the operation id and the status link, even when delivered twice', async () => {
      // Prepare
      const delivery = signedDelivery(webhooks, source, addEntry(base + 1), { ref: ref(base + 1) });

      // Act
      const accepted = await post(webhooks, delivery);
      await post(webhooks, delivery);
      const comments = await commentsOn(kind, expected(base + 1));

      // Assess
      expect(accepted.status).toBe(202);
      const operationId = String(accepted.body.operationId);
      expect(comments).toHaveLength(1);
      const text = commentText(kind, comments[0] as ReceivedRequest);
      expect(text).toContain('done — ');
      expect(text).toContain('projectAccessList.add');
      expect(text).toContain(`project ${groupId}: 10.200.${(base + 1) % 256}.0/24`);
      const { requester, approver } = examplePeople(source);
      expect(text).toContain(`Requested by ${requester}, approved by ${approver}.`);
      expect(text).toContain(operationId);
      expect(text).toContain(`${webhooks.url}/operations/${operationId}`);
    });

    it("refused by Atlas: one comment saying it failed, with Atlas's error code", async () => {
      // Prepare
      const delivery = signedDelivery(webhooks, source, refusedPeering(base % 100), { ref: ref(base + 2) });

      // Act
      const accepted = await post(webhooks, delivery);
      const comments = await commentsOn(kind, expected(base + 2));

      // Assess
      expect(accepted.status).toBe(202);
      expect(comments).toHaveLength(1);
      const text = commentText(kind, comments[0] as ReceivedRequest);
      expect(text).toContain('failed — ');
      expect(text).toContain(
        'Atlas said `CLOUD_PROVIDER_CONTAINER_NOT_FOUND`'.replaceAll('`', kind === 'jira' ? '' : '`'),
      );
      expect(text).toContain(String(accepted.body.operationId));
    });
  },
);

describe.each([
  ['standard', 'REQ-2401', 2401],
  ['servicenow', 'RITM2402', 2402],
] as const)('a %s delivery', (source, ref, n) => {
  it('gets one signed callback POST whose signature verifies, naming who asked, who approved and what changed', async () => {
    // Prepare
    const delivery = signedDelivery(webhooks, source, addEntry(n), { ref });

    // Act
    const accepted = await post(webhooks, delivery);
    const callbacks = await eventually(
      received,
      (all) =>
        all.some(
          (r) => r.kind === source && JSON.stringify(r.body).includes(String(accepted.body.operationId)),
        ),
      20_000,
    );
    const mine = callbacks.filter(
      (r) => r.kind === source && JSON.stringify(r.body).includes(String(accepted.body.operationId)),
    );

    // Assess
    expect(mine).toHaveLength(1);
    const callback = mine[0] as ReceivedRequest;
    const verification = standardWebhooks.verify(
      { headers: callback.headers, body: Buffer.from(callback.raw) },
      { secrets: [LOCAL_TICKET_CREDENTIALS[source].signingSecret], now: new Date(), toleranceSeconds: 300 },
    );
    expect(verification).toEqual({ ok: true });
    const { requester, approver } = examplePeople(source);
    expect(callback.body).toMatchObject({
      type: 'atlas-ops.operation.succeeded',
      data: {
        operationId: accepted.body.operationId,
        status: 'SUCCEEDED',
        requestedBy: { source, ref, actor: requester },
        approvedBy: approver,
        target: `project ${groupId}: 10.200.${n % 256}.0/24`,
      },
    });
  });
});

describe('a ticketing system that throttles', () => {
  it('answered 429 (Retry-After 1) then 200: one comment, after the wait', async () => {
    // Prepare
    await fetch(`${tickets}/__script`, {
      method: 'POST',
      body: JSON.stringify({ status: 429, retryAfter: '1', times: 1 }),
    });
    const delivery = signedDelivery(webhooks, 'jira', addEntry(2501), { ref: 'OPS-2501' });

    // Act
    await post(webhooks, delivery);
    const comments = await commentsOn('jira', 'OPS-2501');
    const all = (await received()).filter((r) => r.kind === 'jira' && r.ref === 'OPS-2501');

    // Assess
    expect(comments).toHaveLength(1);
    expect(all.map((r) => r.status)).toEqual([429, 201]);
    const waited = Date.parse(all[1]?.at ?? '') - Date.parse(all[0]?.at ?? '');
    expect(waited).toBeGreaterThanOrEqual(1000);
  });
});

describe('an outcome event delivered twice', () => {
  it('gives one comment: the ledger in the operations table remembers it was told', async () => {
    // Prepare
    const event = {
      eventId: 'op-twice:SUCCEEDED:1',
      operationId: 'op-twice',
      type: 'projectAccessList.add',
      status: 'SUCCEEDED',
      dryRun: false,
      requestedBy: { source: 'jira', ref: 'OPS-2601' },
      finishedAt: new Date().toISOString(),
    };
    const sqs = stack.provisioning?.sqs;
    const queueUrl = stack.notifications?.queueUrl ?? '';

    // Act
    for (let i = 0; i < 2; i += 1) {
      await sqs?.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
      await stack.notifications?.idle();
    }
    const comments = await commentsOn('jira', 'OPS-2601');

    // Assess
    expect(comments).toHaveLength(1);
  });
});
