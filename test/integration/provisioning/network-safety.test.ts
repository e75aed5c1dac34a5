/**
 * Network safety through the provisioning worker as Lambda runs it (local SQS, DynamoDB, the Atlas
 * simulator): a queue message that would open a project list to the internet, or remove one of the stack's
 * protected addresses, ends FAILED with its own errorCode and reaches no Atlas write.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import { deadLetters, useProvisioningStacks } from '../../support/provisioning.ts';
import { requestLog } from '../../support/simulator.ts';

const provisioningStack = useProvisioningStacks();
const GROUP = DEMO_PROJECT_IDS.paymentsProd;

const add = (id: string, cidrBlocks: string[], extra: Record<string, unknown> = {}) => ({
  id,
  type: 'projectAccessList.add',
  params: { groupId: GROUP, entries: cidrBlocks.map((cidrBlock) => ({ cidrBlock })) },
  requestedBy: { source: 'test', ref: id },
  ...extra,
});

describe('provisioning worker: wide networks', () => {
  it.each([
    ['op-whole-internet', ['0.0.0.0/0'], 'params.entries.0.cidrBlock: 0.0.0.0/0 admits every IPv4 address'],
    ['op-two-halves', ['0.0.0.0/1', '128.0.0.0/1'], 'params.entries.1.cidrBlock: 128.0.0.0/1 admits'],
  ])(
    'ends %s FAILED with WIDE_NETWORK_REFUSED, naming the entry; nothing reaches Atlas',
    async (id, blocks, named) => {
      // Prepare
      const { stack: local, provisioning } = await provisioningStack();
      const before = local.simulator.state.projectAccessList.length;

      // Act
      await provisioning.queue.send([add(id, blocks)]);
      await provisioning.idle();

      // Assess
      const status = await provisioning.status.get(id);
      expect(status).toMatchObject({
        status: 'FAILED',
        attempts: 1,
        error: { errorCode: 'WIDE_NETWORK_REFUSED', detail: expect.stringContaining(named) },
      });
      expect(local.simulator.state.projectAccessList).toHaveLength(before);
      expect(local.simulator.state.projectAccessList.map((e) => e.cidrBlock)).not.toContain(blocks[0]);
      const writes = (await requestLog(local.simulator)).filter(
        (r) => r.method !== 'GET' && r.path.startsWith('/api/atlas/'),
      );
      expect(writes).toEqual([]);
      expect(await deadLetters(local)).toEqual([]); // permanent: recorded, never retried
    },
  );

  it('runs the same add when the message says allowWideNetworks: true', async () => {
    // Prepare
    const { stack: local, provisioning } = await provisioningStack();

    // Act
    await provisioning.queue.send([add('op-allowed-wide', ['0.0.0.0/0'], { allowWideNetworks: true })]);
    await provisioning.idle();

    // Assess
    expect(await provisioning.status.get('op-allowed-wide')).toMatchObject({ status: 'SUCCEEDED' });
    expect(
      local.simulator.state.projectAccessList.filter(
        (e) => e.groupId === GROUP && e.cidrBlock === '0.0.0.0/0',
      ),
    ).toHaveLength(1);
  });
});

describe('provisioning worker: protected addresses', () => {
  it.each([
    ['op-delete-protected', '203.0.113.10'],
    ['op-delete-mapped', '::ffff:203.0.113.10'],
  ])('ends %s (%s) FAILED with PROTECTED_ADDRESS; the entry stays in Atlas', async (id, entryValue) => {
    // Prepare: the demo's payments-prod list holds 203.0.113.10, which this stack protects
    const { stack: local, provisioning } = await provisioningStack({ PROTECTED_ADDRESSES: '203.0.113.10' });

    // Act
    await provisioning.queue.send([
      {
        id,
        type: 'projectAccessList.delete',
        params: { groupId: GROUP, entryValue },
        // The message cannot allow it: only wide additions can be allowed.
        allowWideNetworks: true,
      },
    ]);
    await provisioning.idle();

    // Assess
    expect(await provisioning.status.get(id)).toMatchObject({
      status: 'FAILED',
      error: {
        errorCode: 'PROTECTED_ADDRESS',
        detail: expect.stringContaining('a protected address of this stack'),
      },
    });
    expect(
      local.simulator.state.projectAccessList.some(
        (e) => e.groupId === GROUP && e.ipAddress === '203.0.113.10',
      ),
    ).toBe(true);
    expect((await requestLog(local.simulator)).filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  it('still deletes an address that is not protected', async () => {
    // Prepare
    const { stack: local, provisioning } = await provisioningStack({ PROTECTED_ADDRESSES: '203.0.113.10' });

    // Act
    await provisioning.queue.send([
      {
        id: 'op-delete-other',
        type: 'projectAccessList.delete',
        params: { groupId: GROUP, entryValue: '198.51.100.7' },
      },
    ]);
    await provisioning.idle();

    // Assess
    expect(await provisioning.status.get('op-delete-other')).toMatchObject({ status: 'SUCCEEDED' });
    expect(local.simulator.state.projectAccessList.some((e) => e.ipAddress === '198.51.100.7')).toBe(false);
  });
});
