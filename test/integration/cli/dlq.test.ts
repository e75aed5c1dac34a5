/**
 * `atlas-ops dlq` as an operator runs it: real processes against the fauxqs SQS stand-in, found through a
 * local stack file (as `npm start` writes it) or, as in AWS, through `--queue-url` and the SDK's own endpoint
 * variable.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { LocalStackFile } from '../../../cli/local-stack-file.ts';
import { createQueueWithDeadLetter } from '../../../local/aws/clients.ts';
import type { SqsStandIn } from '../../../local/aws/sqs.ts';
import { SqsOperationQueue } from '../../../shared/operations/adapters/operation-queue.ts';
import { atlasOps } from '../../support/cli.ts';
import { useSqsStandIn } from '../../support/sqs.ts';

let standIn: SqsStandIn;
let sqs: SQSClient;
useSqsStandIn((started) => ({ standIn, sqs } = started));

/**
 * A provisioning queue with a dead-letter queue holding two operations the provisioner gave up on
 * (`op-refused`, twice `op-invalid`) and one SQS moved itself (`op-overflow`), and a folder whose local
 * stack file points at them, as a running `npm start` would (this process stands in for its pid).
 */
async function localStackWithDeadLetters() {
  const urls = await createQueueWithDeadLetter(sqs, `cli-${randomUUID().slice(0, 8)}`, {
    maxReceiveCount: 1,
    visibilityTimeoutSeconds: 30,
  });
  const producer = new SqsOperationQueue({
    sqs,
    queueUrl: urls.queueUrl,
    deadLetterQueueUrl: urls.deadLetterQueueUrl,
  });
  await producer.moveToDeadLetter(JSON.stringify(operation('op-refused')), {
    reason: 'ATLAS_REFUSED',
    detail: 'CLOUD_PROVIDER_CONTAINER_NOT_FOUND',
    operationId: 'op-refused',
    receiveCount: '1',
  });
  for (const receiveCount of ['1', '2']) {
    await producer.moveToDeadLetter(JSON.stringify(operation('op-invalid')), {
      reason: 'INVALID_OPERATION',
      operationId: 'op-invalid',
      receiveCount,
    });
  }
  // Received once and let go at once, the second receive goes past maxReceiveCount 1: SQS moves it.
  await producer.send([operation('op-overflow', 'orgInvitation.cancel')]);
  expect(await receiveAndLetGo(urls.queueUrl)).toHaveLength(1);
  expect(await receiveAndLetGo(urls.queueUrl)).toEqual([]);

  const cwd = await mkdtemp(join(tmpdir(), 'atlas-ops-dlq-'));
  await mkdir(join(cwd, '.atlas-ops'));
  const file: LocalStackFile = {
    sqsEndpoint: standIn.endpoint,
    queueUrl: urls.queueUrl,
    deadLetterQueueUrl: urls.deadLetterQueueUrl,
    dynamoEndpoint: 'http://127.0.0.1:9',
    table: 'unused',
    atlasUrl: 'http://127.0.0.1:9',
    pid: process.pid,
  };
  await writeFile(join(cwd, '.atlas-ops', 'local-stack.json'), JSON.stringify(file));
  return { ...urls, cwd };
}

function operation(id: string, type = 'projectAccessList.add') {
  return { id, type, params: { groupId: '65f0a0c0ffee000000000001', entries: [{ ipAddress: '192.0.2.1' }] } };
}

async function receiveAndLetGo(queueUrl: string): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
  );
  return Messages;
}

/** Everything visible on the queue now, hidden for 30 s. */
async function drain(queueUrl: string): Promise<Message[]> {
  const all = new Map<string, Message>();
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) all.set(message.MessageId ?? '', message);
  }
  return [...all.values()];
}

/** The operation ids `atlas-ops dlq list --json` reports, sorted. */
async function listedIds(cwd: string): Promise<string[]> {
  const listed = await atlasOps(['dlq', 'list', '--json'], { cwd });
  expect(listed.code).toBe(0);
  return (JSON.parse(listed.stdout) as { operationId: string }[]).map((m) => m.operationId).sort();
}

describe('atlas-ops dlq against the local stack', () => {
  it('lists one line per message with id, type, reason and receive count, and consumes nothing', async () => {
    // Prepare
    const { cwd } = await localStackWithDeadLetters();

    // Act
    const text = await atlasOps(['dlq', 'list'], { cwd });
    const json = await atlasOps(['dlq', 'list', '--json'], { cwd });

    // Assess
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^OPERATION\s+TYPE\s+REASON\s+RECEIVES\s+FIRST SEEN$/);
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.startsWith('op-refused'))).toMatch(
      /^op-refused\s+projectAccessList\.add\s+ATLAS_REFUSED\s+1\s+\d{4}-\d\d-\d\dT[\d:.]+Z$/,
    );
    expect(lines.find((l) => l.startsWith('op-overflow'))).toMatch(
      /^op-overflow\s+orgInvitation\.cancel\s+MAX_RECEIVES\s+\d+\s+\d{4}-/,
    );
    expect(json.code).toBe(0);
    const messages = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(messages.find((m) => m.operationId === 'op-refused')).toMatchObject({
      type: 'projectAccessList.add',
      reason: 'ATLAS_REFUSED',
      detail: 'CLOUD_PROVIDER_CONTAINER_NOT_FOUND',
      receiveCount: 1,
    });
    expect(json.stdout).not.toContain('192.0.2.1');
    expect(await listedIds(cwd)).toEqual(['op-invalid', 'op-invalid', 'op-overflow', 'op-refused']);
  });

  it('redrive --id moves only that operation back, without the dead-letter attributes', async () => {
    // Prepare
    const { cwd, queueUrl } = await localStackWithDeadLetters();

    // Act
    const run = await atlasOps(['dlq', 'redrive', '--id', 'op-invalid'], { cwd });

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Moved 2 messages back');
    const back = await drain(queueUrl);
    expect(back.map((m) => JSON.parse(m.Body ?? '').id)).toEqual(['op-invalid', 'op-invalid']);
    for (const message of back) {
      expect(message.MessageAttributes).toEqual({
        operationType: { DataType: 'String', StringValue: 'projectAccessList.add' },
      });
    }
    expect(await listedIds(cwd)).toEqual(['op-overflow', 'op-refused']);
  });

  it('redrive without --id moves every message back to the provisioning queue', async () => {
    // Prepare
    const { cwd, queueUrl } = await localStackWithDeadLetters();

    // Act
    const run = await atlasOps(['dlq', 'redrive', '--json'], { cwd });

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ moved: 4, failed: 0 });
    const back = await drain(queueUrl);
    expect(back.map((m) => JSON.parse(m.Body ?? '').id).sort()).toEqual([
      'op-invalid',
      'op-invalid',
      'op-overflow',
      'op-refused',
    ]);
    expect(await listedIds(cwd)).toEqual([]);
  });

  it('purge --id deletes that operation’s messages only', async () => {
    // Prepare
    const { cwd, queueUrl } = await localStackWithDeadLetters();

    // Act
    const run = await atlasOps(['dlq', 'purge', '--id', 'op-refused'], { cwd });
    const again = await atlasOps(['dlq', 'purge', '--id', 'op-refused'], { cwd });

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Deleted 1 message of op-refused');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no dead-lettered message for operation op-refused');
    expect(await listedIds(cwd)).toEqual(['op-invalid', 'op-invalid', 'op-overflow']);
    expect(await drain(queueUrl)).toEqual([]);
  });

  it('exits 2 on wrong usage, changing nothing, and prints its usage on --help', async () => {
    // Prepare
    const { cwd } = await localStackWithDeadLetters();

    // Act
    const runs = await Promise.all(
      [
        ['dlq'],
        ['dlq', 'purge'],
        ['dlq', 'drop'],
        ['dlq', 'list', '--all'],
        ['dlq', 'list', 'extra'],
        ['dlq', 'redrive', '--source-queue-url', 'http://127.0.0.1:9/q'],
      ].map((args) => atlasOps(args, { cwd })),
    );
    const help = await atlasOps(['dlq', '--help'], { cwd });

    // Assess
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Usage: atlas-ops dlq');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(runs[1]?.stderr).toContain('--id');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('atlas-ops dlq purge --id ID');
    expect(await listedIds(cwd)).toHaveLength(4);
  });

  it('tells how to start a local stack when none is running', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'atlas-ops-nostack-'));
    const run = await atlasOps(['dlq', 'list'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('npm start');
    expect(run.stderr).toContain('--queue-url');
  });
});

describe('atlas-ops dlq with --queue-url (AWS)', () => {
  /** The SDK's own variables aim the default client at the stand-in, as AWS_ENDPOINT_URL_SQS would in CI. */
  function awsEnv(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_SQS: standIn.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    };
  }

  /**
   * fauxqs's own URLs name `sqs.us-east-1.localhost`, which the default client would call (it prefers the
   * QueueUrl's host); fauxqs finds a queue by the last path segment, so the same queue on the endpoint.
   */
  function onEndpoint(queueUrl: string): string {
    return `${standIn.endpoint}/000000000000/${queueUrl.split('/').pop()}`;
  }

  it('redrives one operation to --source-queue-url, and fails cleanly where SQS-only APIs are needed', async () => {
    // Prepare: fauxqs has neither StartMessageMoveTask nor ListDeadLetterSourceQueues
    const { deadLetterQueueUrl, queueUrl } = await localStackWithDeadLetters();
    const env = awsEnv();
    const aws = ['--queue-url', onEndpoint(deadLetterQueueUrl)];

    // Act
    const byId = await atlasOps(
      ['dlq', 'redrive', '--id', 'op-refused', ...aws, '--source-queue-url', onEndpoint(queueUrl)],
      {
        env,
      },
    );
    const noSource = await atlasOps(['dlq', 'redrive', '--id', 'op-invalid', ...aws], { env });
    const moveTask = await atlasOps(['dlq', 'redrive', ...aws], { env });

    // Assess
    expect(byId.code).toBe(0);
    expect((await drain(queueUrl)).map((m) => JSON.parse(m.Body ?? '').id)).toEqual(['op-refused']);
    expect(noSource.code).toBe(1);
    expect(noSource.stderr).toContain('--source-queue-url');
    expect(moveTask.code).toBe(1);
    expect(moveTask.stderr).toContain('Could not start a message move task');
    for (const run of [noSource, moveTask]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
