/**
 * `atlas-ops enqueue` refusing what it cannot send, as a user meets it: a real process, a file with mistakes,
 * and the fauxqs SQS stand-in found through a local stack file (as `npm start` writes it), whose queue shows
 * whether anything was sent.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { LocalStackFile } from '../../../cli/local-stack-file.ts';
import { createQueueWithDeadLetter } from '../../../local/aws/clients.ts';
import type { SqsStandIn } from '../../../local/aws/sqs.ts';
import { atlasOps } from '../../support/cli.ts';
import { useSqsStandIn } from '../../support/sqs.ts';

let standIn: SqsStandIn;
let sqs: SQSClient;
useSqsStandIn((started) => ({ standIn, sqs } = started));

const GROUP_ID = '65f0a0c0ffee000000000001';

/** A folder whose local stack file points at a new, empty queue (this process stands in for `npm start`). */
async function folderWithQueue() {
  const { queueUrl, deadLetterQueueUrl } = await createQueueWithDeadLetter(
    sqs,
    `enqueue-${randomUUID().slice(0, 8)}`,
    { maxReceiveCount: 1, visibilityTimeoutSeconds: 30 },
  );
  const cwd = await mkdtemp(join(tmpdir(), 'atlas-ops-enqueue-'));
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
    return Messages.map((m) => JSON.parse(m.Body ?? '{}') as { id?: string });
  };
  return { cwd, queued };
}

describe('atlas-ops enqueue, refusing a file', () => {
  it('names each problem once as FILE: field: description, the near type, the known types once; sends nothing', async () => {
    // Prepare
    const { cwd, queued } = await folderWithQueue();
    const file = join(cwd, 'ops.json');
    const entries = [{ ipAddress: '192.0.2.1' }];
    await writeFile(
      file,
      JSON.stringify([
        { type: 'projectAccessList.ad', params: { groupId: GROUP_ID, entries } },
        { type: 'cluster.drop', params: {} },
        { type: 'cluster.explode', params: {} },
        { type: 'projectAccessList.add', params: { groupId: 'prod', entris: entries, entries } },
        { type: 'projectAccessList.add', params: { groupId: GROUP_ID, entries } },
      ]),
    );

    // Act
    const run = await atlasOps(['enqueue', file], { cwd });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toContain(
      `${file}: [0].type: is not a known operation type; did you mean projectAccessList.add?`,
    );
    expect(lines).toContain(`${file}: [3].params.groupId: must be a 24-character lowercase hexadecimal id`);
    expect(lines).toContain(`${file}: [3].params.entris: is not a known field`);
    expect(
      lines.filter((line) => line.startsWith(`${file}: [1].type, [2].type: is not a known operation type`)),
    ).toHaveLength(1);
    expect(run.stderr.split('networkPeering.create')).toHaveLength(2); // the known types, listed once
    expect(lines).toHaveLength(5);
    expect(lines.at(-1)).toBe('atlas-ops enqueue: nothing sent');
    expect(await queued()).toEqual([]);
  });

  it('points at the line and column where the file stops being JSON; sends nothing', async () => {
    // Prepare
    const { cwd, queued } = await folderWithQueue();
    const file = join(cwd, 'trailing-comma.json');
    await writeFile(
      file,
      `[\n  {"type": "projectAccessList.add", "params": {"groupId": "${GROUP_ID}", "entries": []}},\n]\n`,
    );

    // Act
    const run = await atlasOps(['enqueue', file], { cwd });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${file}:3:1: not JSON: unexpected "]" after ","; JSON allows no trailing comma\n` +
        'atlas-ops enqueue: nothing sent\n',
    );
    expect(await queued()).toEqual([]);
  });

  it('sends the same file once it is fixed, printing the ids', async () => {
    // Prepare
    const { cwd, queued } = await folderWithQueue();
    const file = join(cwd, 'fixed.json');
    await writeFile(
      file,
      JSON.stringify({
        id: 'fixed-1',
        type: 'projectAccessList.add',
        params: { groupId: GROUP_ID, entries: [{ ipAddress: '192.0.2.1' }] },
      }),
    );

    // Act
    const run = await atlasOps(['enqueue', file], { cwd });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('fixed-1\n');
    expect(await queued()).toMatchObject([{ id: 'fixed-1' }]);
  });
});
