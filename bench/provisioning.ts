/**
 * The provisioning worker under load: 1,000 mixed operations (5% of them delivered twice) through the local
 * queue, five batches at a time as the event source's maximum concurrency would run them, against the
 * simulator with 50 ms latency per Atlas call. Prints throughput, Atlas calls and what idempotency prevented.
 */
import { randomInt } from 'node:crypto';
import { startLocalStack } from '../local/stack.ts';

const OPERATIONS = 1000;
const LATENCY_MS = 50;
const CONCURRENCY = 5;
const DUPLICATE_SHARE = 0.05;

/** A deterministic mix of the operation types the demo seed has targets for. */
function mixedOperations(state: Awaited<ReturnType<typeof startLocalStack>>['simulator']['state']) {
  const projects = state.projects;
  const org = state.orgs[0]?.id ?? '';
  const account = state.serviceAccounts[0]?.clientId ?? '';
  const global = state.clusters.find((c) => c.clusterType === 'GEOSHARDED');
  const zone = (global?.replicationSpecs as { zoneName: string }[] | undefined)?.[0]?.zoneName ?? 'Zone 1';
  const user = state.users.find(
    (u) => u.orgMembershipStatus === 'ACTIVE' && u.roles.groupRoleAssignments?.length,
  );
  const aws = state.containers.find((c) => c.providerName === 'AWS');
  const operations: Record<string, unknown>[] = [];
  for (let i = 0; i < OPERATIONS; i++) {
    const project = projects[i % projects.length]?.id ?? '';
    const octets = `${Math.floor(i / 250)}.${i % 250}`;
    const kind = i % 20;
    const id = `bench-${i}`;
    if (kind < 8) {
      operations.push({
        id,
        type: 'projectAccessList.add',
        params: { groupId: project, entries: [{ cidrBlock: `10.${octets}.0/24`, comment: 'bench' }] },
      });
    } else if (kind < 10) {
      operations.push({
        id,
        type: 'projectAccessList.delete',
        params: { groupId: project, entryValue: `10.${octets}.0/24` },
      });
    } else if (kind < 12) {
      operations.push({
        id,
        type: 'serviceAccountAccessList.add',
        params: { orgId: org, clientId: account, entries: [{ ipAddress: `172.16.${octets}` }] },
      });
    } else if (kind < 15 && user) {
      const assignment = user.roles.groupRoleAssignments?.[0];
      operations.push({
        id,
        type: 'projectUser.get',
        params: { groupId: assignment?.groupId, userId: user.id },
      });
    } else if (kind < 17 && aws) {
      operations.push({
        id,
        type: 'networkPeering.create',
        params: {
          groupId: aws.groupId,
          peering: {
            providerName: 'AWS',
            containerId: aws.id,
            accepterRegionName: 'us-east-1',
            awsAccountId: '123456789012',
            routeTableCidrBlock: `10.${100 + (i % 100)}.0.0/16`,
            vpcId: `vpc-${i.toString(16).padStart(17, '0')}`,
          },
        },
      });
    } else if (kind < 19 && global) {
      operations.push({
        id,
        type: 'globalCluster.addCustomZoneMappings',
        params: { groupId: global.groupId, clusterName: global.name, mappings: [{ location: 'DE', zone }] },
      });
    } else {
      operations.push({
        id,
        type: 'onlineArchive.delete',
        params: {
          groupId: project,
          clusterName: 'no-such-cluster',
          archiveId: i.toString(16).padStart(24, '0'),
        },
      });
    }
  }
  return operations;
}

export async function benchProvisioning(): Promise<Record<string, unknown>> {
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const stack = await startLocalStack({
    simulator: { seed: 'demo', latencyMs: LATENCY_MS, peeringTransitionMs: 60_000 },
    provisioningConcurrency: CONCURRENCY,
  });
  try {
    const provisioning = stack.provisioning;
    if (!provisioning) throw new Error('no provisioning worker');
    const operations = mixedOperations(stack.simulator.state);
    const duplicates = operations.filter(() => randomInt(1000) < DUPLICATE_SHARE * 1000);
    const started = performance.now();
    await provisioning.queue.send([...operations, ...duplicates]);
    await provisioning.idle();
    const wallMs = Math.round(performance.now() - started);
    const statuses = await Promise.all(operations.map((op) => provisioning.status.get(String(op.id))));
    const count = (status: string) => statuses.filter((s) => s?.status === status).length;
    const log = (await (await fetch(`${stack.simulator.url}/__sim/requests`)).json()) as {
      requests: { path: string }[];
    };
    const atlasCalls = log.requests.filter((r) => r.path.startsWith('/api/atlas/v2/')).length;
    const retries = statuses.reduce((sum, s) => sum + Math.max(0, (s?.attempts ?? 1) - 1), 0);
    return {
      ops: operations.length,
      deliveries: operations.length + duplicates.length,
      succeeded: count('SUCCEEDED'),
      failed: count('FAILED'),
      wallMs,
      opsPerSecond: Math.round((operations.length / wallMs) * 1000),
      atlasCalls,
      retries,
      duplicatesPrevented: provisioning.duplicatesPrevented(),
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
    };
  } finally {
    await stack.close();
  }
}
