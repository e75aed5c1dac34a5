/**
 * `npm start` as a person watches it: the terminal tells one line per event (a signed delivery accepted, its
 * operation succeeded, the ticket told) while every worker's JSON log line goes to the log file it names; an
 * outcome with no ticket to tell is no warning; and a second `npm start` in the same checkout refuses, naming
 * the first one's pid, without touching the first one's local-stack file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKERS } from '../../../functions/workers.ts';
import { DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import { exampleDelivery } from '../../../local/webhook-examples.ts';
import { signDelivery } from '../../../shared/webhooks/schemes.ts';
import { atlasOps, CLI } from '../../support/cli.ts';
import { eventually } from '../../support/provisioning.ts';

let cwd: string;
let start: ChildProcess;
const lines: string[] = [];

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'atlas-ops-console-'));
  start = spawn(process.execPath, [CLI, 'start', '--every', '3600', '--out', join(cwd, 'out')], {
    cwd,
    // As a person runs it: Powertools at its default level for npm start (INFO), metrics off.
    env: { PATH: process.env.PATH ?? '', POWERTOOLS_METRICS_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const reader = createInterface({ input: start.stdout as NodeJS.ReadableStream });
  reader.on('line', (line) => lines.push(line));
  const errors = createInterface({ input: start.stderr as NodeJS.ReadableStream });
  errors.on('line', (line) => lines.push(`stderr: ${line}`));
  await eventually(
    async () => lines,
    (seen) => seen.some((line) => line.startsWith('Next inventory')),
    60_000,
  );
}, 90_000);

afterAll(async () => {
  start.kill('SIGINT');
  await once(start, 'exit');
});

describe('npm start', () => {
  it('names its log file and its examples on the first screen', () => {
    // Assess
    expect(lines).toContainEqual(expect.stringMatching(/^Logs: \.atlas-ops\/local-stack\.log /));
    expect(lines).toContainEqual(expect.stringMatching(/^Examples: .*examples\/README\.md/));
  });

  it('lists every worker it runs, first on the screen and then in the local-stack file with its queues', async () => {
    // Act
    const info = JSON.parse(await readFile(join(cwd, '.atlas-ops/local-stack.json'), 'utf8'));

    // Assess
    const names = WORKERS.map((worker) => worker.name);
    expect(lines).toContainEqual(`Workers: ${names.join(', ')}.`);
    expect(info.workers.map((worker: { name: string }) => worker.name)).toEqual(names);
    expect(info.workers.find((worker: { name: string }) => worker.name === 'provisioner')).toMatchObject({
      trigger: 'queue',
      queueUrl: info.queueUrl,
      deadLetterQueueUrl: info.deadLetterQueueUrl,
    });
  });

  it('tells a delivery, its operation and the ticket in one readable line each, the JSON going to the log file', async () => {
    // Prepare
    const info = JSON.parse(await readFile(join(cwd, '.atlas-ops/local-stack.json'), 'utf8'));
    const operation = {
      type: 'projectAccessList.add',
      params: { groupId: DEMO_PROJECT_IDS.paymentsProd, entries: [{ cidrBlock: '10.240.1.0/24' }] },
    };
    const body = Buffer.from(JSON.stringify(exampleDelivery('github', operation, { ref: 4711 })));
    const headers = signDelivery('github', body, info.webhooks.secrets.github);

    // Act
    const answer = await fetch(`${info.webhooks.url}/webhooks/github`, { method: 'POST', headers, body });
    const { operationId } = (await answer.json()) as { operationId: string };
    await eventually(
      async () => lines,
      (seen) => seen.some((line) => / ticket +github acme\/platform-requests#4711 told: /.test(line)),
      20_000,
    );

    // Assess
    const story = lines.filter((line) => line.includes(operationId) || line.includes('#4711'));
    expect(story).toEqual([
      expect.stringMatching(
        new RegExp(
          `^\\d\\d:\\d\\d:\\d\\d webhook +github acme/platform-requests#4711 accepted → ${operationId} projectAccessList.add \\(asked by octo-requester, approved by octo-approver\\)$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(`^\\d\\d:\\d\\d:\\d\\d operation +${operationId} projectAccessList.add succeeded$`),
      ),
      expect.stringMatching(/ ticket +github acme\/platform-requests#4711 told: .* SUCCEEDED$/),
    ]);
    expect(lines.some((line) => line.startsWith('{'))).toBe(false);
    const logged = (await readFile(join(cwd, '.atlas-ops/local-stack.log'), 'utf8')).trim().split('\n');
    const records = logged.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(
      expect.objectContaining({
        message: 'Webhook delivery accepted',
        service: 'atlas-ops-webhook-intake',
        operationId,
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({
        message: 'Operation succeeded',
        service: 'atlas-ops-provisioner',
        operationId,
      }),
    );
    expect(records.some((record) => record.service === 'service_undefined')).toBe(false);
  });

  it('says nothing alarming about an enqueued operation that names no ticket', async () => {
    // Prepare
    const message = {
      id: 'console-no-ticket',
      type: 'projectAccessList.add',
      params: { groupId: DEMO_PROJECT_IDS.paymentsProd, entries: [{ cidrBlock: '10.240.2.0/24' }] },
    };

    await writeFile(join(cwd, 'no-ticket.json'), JSON.stringify(message));

    // Act
    const enqueued = await atlasOps(['enqueue', 'no-ticket.json'], { cwd });
    await eventually(
      async () => lines,
      (seen) => seen.some((line) => /operation +console-no-ticket .*succeeded/.test(line)),
      20_000,
    );

    // Assess
    expect(enqueued.code).toBe(0);
    expect(lines.filter((line) => /warn|WARN/.test(line))).toEqual([]);
    // The notifier takes the outcome after the provisioner's line: read the log until it has had its say.
    const told = await eventually(
      async () =>
        (await readFile(join(cwd, '.atlas-ops/local-stack.log'), 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line))
          .filter((r) => r.operationId === 'console-no-ticket'),
      (records) => records.some((r) => r.service === 'atlas-ops-notifier'),
      20_000,
    );
    expect(told).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'Notification not sent: nowhere to tell' }),
    );
  });

  it('refuses a second npm start in the same checkout, naming the first one’s pid, and leaves it running', async () => {
    // Act
    const second = await atlasOps(['start', '--every', '3600'], { cwd });
    const info = JSON.parse(await readFile(join(cwd, '.atlas-ops/local-stack.json'), 'utf8'));

    // Assess
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(
      `atlas-ops: a local stack is already running in this checkout (pid ${start.pid}); use it from this shell, or stop it (Ctrl-C in its shell) first\n`,
    );
    expect(info.pid).toBe(start.pid);
  });
});
