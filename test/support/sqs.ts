/** Integration-test support: the fauxqs SQS stand-in on 127.0.0.1 for one test file. */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll } from 'vitest';
import type { LocalStackFile } from '../../cli/local-stack-file.ts';
import { createLocalSqsClient, createQueueWithDeadLetter } from '../../local/aws/clients.ts';
import { type SqsStandIn, startSqsStandIn } from '../../local/aws/sqs.ts';

/**
 * Starts the stand-in before the file's tests and stops it after them; `onStart` gets it and a client for it.
 * @example
 * let sqs: SQSClient;
 * useSqsStandIn((started) => ({ sqs } = started));
 */
export function useSqsStandIn(onStart: (started: { standIn: SqsStandIn; sqs: SQSClient }) => void): void {
  let started: { standIn: SqsStandIn; sqs: SQSClient } | undefined;
  beforeAll(async () => {
    const standIn = await startSqsStandIn();
    started = { standIn, sqs: createLocalSqsClient(standIn.endpoint) };
    onStart(started);
  });
  afterAll(async () => {
    started?.sqs.destroy();
    await started?.standIn.close();
  });
}

/**
 * A folder whose local stack file (as `npm start` writes it) points at a new, empty queue of the stand-in, so
 * `atlas-ops enqueue` run there sends to it; `queued()` receives what was sent (this process stands in for
 * `npm start`).
 */
export async function folderWithQueue(started: { standIn: SqsStandIn; sqs: SQSClient }, name: string) {
  const { standIn, sqs } = started;
  const { queueUrl, deadLetterQueueUrl } = await createQueueWithDeadLetter(
    sqs,
    `${name}-${randomUUID().slice(0, 8)}`,
    { maxReceiveCount: 1, visibilityTimeoutSeconds: 30 },
  );
  const cwd = await mkdtemp(join(tmpdir(), `atlas-ops-${name}-`));
  await mkdir(join(cwd, '.atlas-ops'));
  const file: LocalStackFile = {
    sqsEndpoint: standIn.endpoint,
    queueUrl,
    deadLetterQueueUrl,
    dynamoEndpoint: 'http://127.0.0.1:9',
    table: 'unused',
    atlasUrl: 'http://127.0.0.1:9',
    pid: process.pid,
  };
  await writeFile(join(cwd, '.atlas-ops', 'local-stack.json'), JSON.stringify(file));
  const queued = async () => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    return Messages.map((m) => JSON.parse(m.Body ?? '{}') as Record<string, unknown>);
  };
  return { cwd, queued };
}
