/**
 * The operations' "already done" rules and the client's paging against the simulator answering as real
 * Atlas does (reference/atlas-api.md, Addendum 2): a same-region AWS peering listed with
 * `accepterRegionName: null`, `400 INVALID_INVITATION_ID` for an invitation that is gone, an access-list POST
 * that Atlas accepts but does not list yet, and broken list pages. Real HTTP, nothing mocked.
 */
import { describe, expect, it } from 'vitest';
import {
  DEMO_CONTAINER_IDS,
  DEMO_INVITATION_ID,
  DEMO_ORG_ID,
  DEMO_PENDING_USERNAME,
  DEMO_PROJECT_IDS,
} from '../../../local/atlas-simulator/seeds/demo.ts';
import {
  AtlasClient,
  AtlasResponseError,
  createAtlasDispatcher,
  TokenCache,
} from '../../../shared/atlas/index.ts';
import { PermanentOperationError, TransientOperationError } from '../../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../../shared/operations/message.ts';
import { runOperation } from '../../../shared/operations/run.ts';
import { requestLog, scriptFaults, send, useDemoSimulator } from '../../support/simulator.ts';

const dispatcher = createAtlasDispatcher({ connections: 4 });
const demo = useDemoSimulator({ token: false });

function client() {
  return new AtlasClient({
    credentials: { clientId: demo.sim.clientId, clientSecret: demo.sim.clientSecret },
    baseUrl: demo.sim.url,
    dispatcher,
    tokenCache: new TokenCache(),
    logger: { debug() {}, warn() {} },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
}

function run(type: string, params: unknown) {
  return runOperation(parseOperationMessage(JSON.stringify({ type, params })), { atlas: client() });
}

const groupId = () => DEMO_PROJECT_IDS.paymentsProd;
// The demo AWS container is in US_EAST_1: a VPC in the same region.
const sameRegionPeering = () => ({
  groupId: groupId(),
  peering: {
    providerName: 'AWS',
    containerId: DEMO_CONTAINER_IDS.aws,
    accepterRegionName: 'us-east-1',
    awsAccountId: '123456789012',
    routeTableCidrBlock: '10.20.0.0/16',
    vpcId: 'vpc-0aa1bb2cc3dd4ee5f',
  },
});

describe('networkPeering.create against Atlas as it answers', () => {
  it('finds the same-region peering Atlas lists with accepterRegionName null, and starts no second one', async () => {
    // Prepare: the first delivery created it; its answer was lost
    const first = await run('networkPeering.create', sameRegionPeering());

    // Act
    const again = await run('networkPeering.create', sameRegionPeering());

    // Assess
    expect(first.result).toMatchObject({ created: true, peering: { accepterRegionName: null } });
    expect(again.result).toMatchObject({ created: false, alreadyExists: true });
    const posts = (await requestLog(demo.sim)).filter(
      (r) => r.method === 'POST' && r.path.endsWith('/peers'),
    );
    expect(posts).toHaveLength(1);
  });

  it('fails, naming the state, when the connection to the same VPC has failed', async () => {
    // Prepare
    const first = await run('networkPeering.create', sameRegionPeering());
    const peerId = (first.result as { peering: { id: string } }).peering.id;
    const held = await send(demo.sim, 'POST', `/__sim/peers/${peerId}/status`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'REJECTED' }),
    });
    expect(held.status).toBeLessThan(300);

    // Act
    const failure = await run('networkPeering.create', sameRegionPeering()).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(PermanentOperationError);
    expect(failure).toMatchObject({ errorCode: 'PEER_FAILED' });
    expect((failure as Error).message).toContain('REJECTED');
  });
});

describe('orgInvitation.cancel against Atlas as it answers', () => {
  it('succeeds when repeated: Atlas answers 400 INVALID_INVITATION_ID and the invitee is no member', async () => {
    // Prepare
    const params = { orgId: DEMO_ORG_ID, invitationId: DEMO_INVITATION_ID, username: DEMO_PENDING_USERNAME };
    await run('orgInvitation.cancel', params);

    // Act
    const again = await run('orgInvitation.cancel', params);

    // Assess
    expect(again.result).toMatchObject({ invitation: { cancelled: false, alreadyAbsent: true } });
    const deletes = (await requestLog(demo.sim)).filter(
      (r) => r.method === 'DELETE' && r.path.includes('/invites/'),
    );
    expect(deletes.map((r) => r.status)).toEqual([204, 400]);
  });

  it('fails with INVITATION_ALREADY_ACCEPTED when the invitee has joined', async () => {
    // Prepare
    const accepted = await send(demo.sim, 'POST', `/__sim/invitations/${DEMO_INVITATION_ID}/accept`);
    expect(accepted.status).toBeLessThan(300);

    // Act
    const failure = await run('orgInvitation.cancel', {
      orgId: DEMO_ORG_ID,
      invitationId: DEMO_INVITATION_ID,
      username: DEMO_PENDING_USERNAME,
    }).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(PermanentOperationError);
    expect(failure).toMatchObject({ errorCode: 'INVITATION_ALREADY_ACCEPTED' });
  });
});

describe('projectAccessList.add against Atlas as it answers', () => {
  it('retries an add Atlas accepted but does not list yet, and then finds it', async () => {
    // Prepare: a concurrent writer's POST made ours invisible for one more read
    await scriptFaults(demo.sim, [
      { path: `/api/atlas/v2/groups/${groupId()}/accessList`, method: 'POST', action: 'unlisted', count: 1 },
    ]);
    const params = { groupId: groupId(), entries: [{ cidrBlock: '10.61.0.0/16' }] };

    // Act
    const first = await run('projectAccessList.add', params).catch((e: unknown) => e);
    const second = await run('projectAccessList.add', params);

    // Assess
    expect(first).toBeInstanceOf(TransientOperationError);
    expect(second.result).toMatchObject({
      entries: [expect.objectContaining({ cidrBlock: '10.61.0.0/16' })],
    });
  });

  it('finds an entry written in another spelling than the one Atlas lists', async () => {
    // Act
    const outcome = await run('projectAccessList.add', {
      groupId: groupId(),
      entries: [{ cidrBlock: '2001:0DB8:0000:0000::/48' }, { ipAddress: '198.51.100.23' }],
    });

    // Assess
    expect((outcome.result as { entries: unknown[] }).entries).toHaveLength(2);
  });
});

describe('paging against a server that answers badly', () => {
  const listPath = () => `/api/atlas/v2/groups/${groupId()}/clusters`;

  it.each([
    ['a page without results', 'no-results', 'no results array'],
    ['pages that ignore pageNum', 'ignore-page-num', 'ignores pageNum'],
  ])('fails on %s instead of reading a wrong list', async (_, action, message) => {
    // Prepare
    await scriptFaults(demo.sim, [{ path: listPath(), method: 'GET', action, count: 5 }]);

    // Act
    const failure = await Array.fromAsync(
      client().clusters.list({ groupId: groupId() }, { itemsPerPage: 1 }),
    ).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AtlasResponseError);
    expect((failure as Error).message).toContain(message);
  });

  it('reads past a full page without a next link', async () => {
    // Prepare
    const all = await Array.fromAsync(client().clusters.list({ groupId: groupId() }));
    await scriptFaults(demo.sim, [{ path: listPath(), method: 'GET', action: 'no-next-link', count: 10 }]);

    // Act
    const paged = await Array.fromAsync(client().clusters.list({ groupId: groupId() }, { itemsPerPage: 1 }));

    // Assess
    expect(all.length).toBeGreaterThan(1);
    expect(paged.map((c) => c.name)).toEqual(all.map((c) => c.name));
  });

  it('asks for deleted clusters with retained backups when told to', async () => {
    // Act
    await Array.fromAsync(
      client().clusters.list({ groupId: groupId(), includeDeletedWithRetainedBackups: true }),
    );

    // Assess
    const [call] = (await requestLog(demo.sim)).filter((r) => r.path === listPath());
    expect(call?.status).toBe(200);
    expect(new URLSearchParams(call?.query).get('includeDeletedWithRetainedBackups')).toBe('true');
  });
});
