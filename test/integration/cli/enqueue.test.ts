import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { SqsStandIn } from '../../../local/aws/sqs.ts';
import { atlasOps } from '../../support/cli.ts';
import { folderWithQueue as folderWithLocalQueue, useSqsStandIn } from '../../support/sqs.ts';

let standIn: SqsStandIn;
let sqs: SQSClient;
useSqsStandIn((started) => ({ standIn, sqs } = started));

const GROUP_ID = '65f0a0c0ffee000000000001';

const folderWithQueue = () => folderWithLocalQueue({ standIn, sqs }, 'enqueue');

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
        { type: 'bucket.drop', params: {} },
        { type: 'bucket.explode', params: {} },
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
