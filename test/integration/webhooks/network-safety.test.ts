/**
 * Network safety by ticket: an approved ticket that would open an access list to the whole internet (or most
 * of it), or remove the stack's own egress address, is refused, and nothing reaches Atlas; a policy rule that
 * allows wide networks lets the same request run. Deliveries signed as each vendor signs them, posted to the
 * real intake of the local stack, judged by the simulator's access lists and requests.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SIM_CLIENT_ID } from '../../../local/atlas-simulator/seeds/credentials.ts';
import { DEMO_ORG_ID, DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import { demoPolicyText } from '../../../local/policy-demo.ts';
import { LOCAL_EGRESS_ADDRESSES, type LocalStack } from '../../../local/stack.ts';
import type { DemoApprover, ExampleOperation } from '../../../local/webhook-examples.ts';
import type { LocalWebhooks } from '../../../local/webhooks.ts';
import type { WebhookSource } from '../../../shared/webhooks/sources.ts';
import { eventually } from '../../support/provisioning.ts';
import { requestLog } from '../../support/simulator.ts';
import { get, post, signedDelivery, useWebhookStack } from '../../support/webhooks.ts';

/** The demo policy, with one rule first: the sandbox project may be opened wide (allowWideNetworks). */
const demo = JSON.parse(demoPolicyText()) as { rules: object[] };
const POLICY = JSON.stringify({
  rules: [
    {
      name: 'an open sandbox',
      sources: '*',
      risks: ['additive'],
      projects: [DEMO_PROJECT_IDS.sandbox],
      allowWideNetworks: true,
    },
    ...demo.rules,
  ],
});

const started = useWebhookStack({ policyText: POLICY });
let stack: LocalStack;
let webhooks: LocalWebhooks;

beforeAll(() => {
  ({ stack, webhooks } = started());
});

afterEach(async () => {
  await stack.provisioning?.idle();
  await stack.notifications?.idle();
});

async function approve(source: WebhookSource, operation: ExampleOperation, ref: string, by: DemoApprover[]) {
  return post(webhooks, signedDelivery(webhooks, source, operation, { ref, by }));
}

/** The operation's status once it has ended (SUCCEEDED or FAILED). */
async function ended(operationId: string) {
  const url = `${webhooks.url}/operations/${encodeURIComponent(operationId)}`;
  const answer = await eventually(
    () => get(url),
    (status) => status.body.status === 'SUCCEEDED' || status.body.status === 'FAILED',
    20_000,
  );
  return answer.body;
}

const wideAdd = (groupId: string, ...cidrBlocks: string[]): ExampleOperation => ({
  type: 'projectAccessList.add',
  params: { groupId, entries: cidrBlocks.map((cidrBlock) => ({ cidrBlock, comment: 'from a ticket' })) },
});

const entriesOf = (groupId: string) =>
  stack.simulator.state.projectAccessList.filter((entry) => entry.groupId === groupId);

const writesSince = async (count: number) =>
  (await requestLog(stack.simulator)).slice(count).filter((request) => request.method !== 'GET');

describe('network safety, through the webhook intake', () => {
  it.each([
    ['0.0.0.0/0', ['0.0.0.0/0'], 'OPS-6101', 'jira'],
    ['the two /1 halves', ['0.0.0.0/1', '128.0.0.0/1'], 'REQ-6102', 'standard'],
  ] as const)(
    'refuses %s on a project the policy does not open wide: FAILED, nothing sent to Atlas',
    async (_, blocks, ref, source) => {
      // Prepare
      const groupId = DEMO_PROJECT_IDS.paymentsProd;
      const before = entriesOf(groupId).length;
      const logged = (await requestLog(stack.simulator)).length;

      // Act
      const answer = await approve(source, wideAdd(groupId, ...blocks), ref, ['approver']);
      const status = await ended(String(answer.body.operationId));

      // Assess
      expect(answer.status).toBe(202);
      expect(status).toMatchObject({ status: 'FAILED', error: { errorCode: 'WIDE_NETWORK_REFUSED' } });
      expect(JSON.stringify(status.error)).toContain(blocks[0]);
      expect(entriesOf(groupId)).toHaveLength(before);
      expect(await writesSince(logged)).toEqual([]);
    },
  );

  it('adds the same entry where a policy rule allows wide networks', async () => {
    // Prepare
    const groupId = DEMO_PROJECT_IDS.sandbox;

    // Act
    const answer = await approve('jira', wideAdd(groupId, '0.0.0.0/0'), 'OPS-6103', ['approver']);
    const status = await ended(String(answer.body.operationId));

    // Assess
    expect(status).toMatchObject({ status: 'SUCCEEDED', decision: { rule: 'an open sandbox' } });
    expect(entriesOf(groupId).map((entry) => entry.cidrBlock)).toContain('0.0.0.0/0');
  });

  it('refuses to remove the stack’s egress address, even approved twice: the entry stays', async () => {
    // Prepare: the service account's access list admits where the local workers call from
    const egress = LOCAL_EGRESS_ADDRESSES[0] ?? '';
    const account = () => stack.simulator.state.serviceAccounts.find((sa) => sa.clientId === SIM_CLIENT_ID);
    expect(account()?.accessList.some((entry) => entry.ipAddress === egress)).toBe(true);
    const logged = (await requestLog(stack.simulator)).length;

    // Act: two approvers, as the demo policy wants for an organization change
    const answer = await approve(
      'standard',
      {
        type: 'serviceAccountAccessList.delete',
        params: { orgId: DEMO_ORG_ID, clientId: SIM_CLIENT_ID, ipAddress: egress },
      },
      'REQ-6104',
      ['approver', 'secondApprover'],
    );
    const status = await ended(String(answer.body.operationId));

    // Assess
    expect(status).toMatchObject({ status: 'FAILED', error: { errorCode: 'PROTECTED_ADDRESS' } });
    expect(account()?.accessList.some((entry) => entry.ipAddress === egress)).toBe(true);
    expect(await writesSince(logged)).toEqual([]);
  });
});
