/** Integration-test support for the provisioning worker on the local stack. */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, vi } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.ts';

/**
 * Registers the file's hooks (quiet Powertools, each test's stack closed after it) and returns `start`: a
 * local stack whose retries come back at once (and whose Atlas calls back off briefly) and whose queues are
 * polled every 10 ms, so a test sees several receives quickly and `idle()` answers as soon as they are done.
 */
export function useProvisioningStacks() {
  let stack: LocalStack | undefined;
  beforeEach(() => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'ERROR');
  });
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  return async function start(
    env: Record<string, string> = {},
    options: Omit<LocalStackOptions, 'provisionerEnv'> = {},
  ) {
    stack = await startLocalStack({
      // Short polls: `idle()` answers once the work is done, not after a second's long poll.
      pollIntervalMs: 10,
      ...options,
      provisionerEnv: { RETRY_BASE_MS: '5', ATLAS_RETRY_BASE_MS: '20', ...env },
    });
    const provisioning = stack.provisioning;
    if (!provisioning) throw new Error('the local stack has no provisioning worker');
    return { stack, provisioning };
  };
}

/** Every message now visible in the dead-letter queue, with its attributes. */
export async function deadLetters(local: LocalStack) {
  const provisioning = local.provisioning;
  if (!provisioning) return [];
  const received = await provisioning.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: provisioning.deadLetterQueueUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      WaitTimeSeconds: 0,
    }),
  );
  return (received.Messages ?? []).map((m) => ({
    body: m.Body ?? '',
    reason: m.MessageAttributes?.reason?.StringValue,
    operationId: m.MessageAttributes?.operationId?.StringValue,
  }));
}

/** A `projectAccessList.add` message for one CIDR block. */
export const accessListAdd = (groupId: string, cidrBlock: string, id?: string) => ({
  ...(id ? { id } : {}),
  type: 'projectAccessList.add',
  params: { groupId, entries: [{ cidrBlock, comment: 'from the queue' }] },
  requestedBy: { source: 'test', ref: cidrBlock },
});

/** Polls `read` every 100 ms until `done` holds (or `timeoutMs` passes); resolves to the last value read. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A `networkPeering.create` message for a container that does not exist: Atlas answers 404
 * `CLOUD_PROVIDER_CONTAINER_NOT_FOUND`, a refusal no retry can fix.
 */
export const peeringToMissingContainer = (groupId: string, id?: string) => ({
  ...(id ? { id } : {}),
  type: 'networkPeering.create',
  params: {
    groupId,
    peering: {
      providerName: 'AWS',
      containerId: '0123456789abcdef01234567',
      accepterRegionName: 'us-east-1',
      awsAccountId: '123456789012',
      routeTableCidrBlock: '10.0.0.0/16',
      vpcId: 'vpc-0123456789abcdef0',
    },
  },
});
