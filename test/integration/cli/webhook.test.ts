/**
 * `atlas-ops webhook sign` as a user runs it against `npm start` (a real `atlas-ops start` process): the
 * printed curl command, run by a shell, posts a delivery the local intake accepts, and `atlas-ops status`
 * then shows the operation SUCCEEDED.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import { exampleDelivery, exampleRef } from '../../../local/webhook-examples.ts';
import { LOCAL_WEBHOOK_SECRETS, LOCAL_WEBHOOK_SENDERS } from '../../../local/webhooks.ts';
import { WEBHOOK_SOURCES } from '../../../shared/webhooks/sources.ts';
import { atlasOps, type RunningLocalStack, startLocalStackProcess } from '../../support/cli.ts';

const run = promisify(execFile);

/**
 * What the printed command would send: a shell runs it with `curl` standing in as a function that prints its
 * arguments, so the quoting is the shell's own and no curl binary is needed.
 */
async function sendAsCurlWould(command: string) {
  const script = `curl() { "${process.execPath}" -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' -- "$@"; }\n${command}`;
  const { stdout } = await run('sh', ['-c', script]);
  const argv = JSON.parse(stdout) as string[];
  const url = argv.find((arg) => arg.startsWith('http://')) ?? '';
  const headers: Record<string, string> = {};
  let body = '';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-H') {
      const [name = '', ...value] = (argv[i + 1] ?? '').split(': ');
      headers[name] = value.join(': ');
    }
    if (argv[i] === '--data-raw') body = argv[i + 1] ?? '';
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, argv };
}

describe('atlas-ops webhook sign against npm start', () => {
  let cwd: string;
  let stack: RunningLocalStack;

  beforeAll(async () => {
    stack = await startLocalStackProcess();
    cwd = stack.cwd;
  }, 60_000);
  afterAll(() => stack.stop());

  it('writes the intake URL, the local secrets, the sender scope and the approvers to .atlas-ops/local-stack.json', async () => {
    // Act
    const info = JSON.parse(await readFile(join(cwd, '.atlas-ops/local-stack.json'), 'utf8'));

    // Assess
    expect(info.webhooks.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.webhooks.secrets).toEqual(LOCAL_WEBHOOK_SECRETS);
    expect(Object.keys(info.webhooks.secrets)).toEqual([...WEBHOOK_SOURCES]);
    expect(info.webhooks.scope.jira).toEqual(LOCAL_WEBHOOK_SENDERS.jira.scope);
    expect(info.webhooks.approvers.github).toEqual(['octo-approver', 'octo-second']);
    expect(Object.keys(info.webhooks.approvers)).toEqual([...WEBHOOK_SOURCES]);
  });

  it.each(WEBHOOK_SOURCES)(
    'prints a curl command whose %s delivery is accepted, and the operation then succeeds',
    async (source) => {
      // Prepare
      const index = WEBHOOK_SOURCES.indexOf(source);
      const operation = {
        type: 'projectAccessList.add',
        params: {
          groupId: DEMO_PROJECT_IDS.paymentsProd,
          entries: [{ cidrBlock: `10.250.${index}.0/24`, comment: "it's signed" }],
        },
      };
      const file = join(cwd, `${source}.json`);
      // Pretty-printed with a trailing newline: the exact bytes are what is signed and sent.
      await writeFile(
        file,
        `${JSON.stringify(exampleDelivery(source, operation, { ref: exampleRef(source, 9000 + index) }), null, 2)}\n`,
      );

      // Act
      const signed = await atlasOps(
        ['webhook', 'sign', '--source', source, file, '--delivery-id', `cli-${source}`],
        { cwd },
      );
      const accepted = await sendAsCurlWould(signed.stdout);
      const repeated = await sendAsCurlWould(signed.stdout);
      let status = { code: 1, stdout: '{}', stderr: '' };
      for (let i = 0; i < 30 && accepted.status === 202; i++) {
        status = await atlasOps(['status', String(accepted.body.operationId)], { cwd });
        if (status.code === 0 && JSON.parse(status.stdout).status === 'SUCCEEDED') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      // Assess
      expect(signed.code, signed.stderr).toBe(0);
      expect(signed.stdout).toMatch(/^curl -sS -X POST 'http:\/\/127\.0\.0\.1:\d+\/webhooks\//);
      expect(accepted.status).toBe(202);
      expect(repeated.body).toEqual({ operationId: accepted.body.operationId, duplicate: true });
      expect(JSON.parse(status.stdout)).toMatchObject({ status: 'SUCCEEDED', requestedBy: { source } });
    },
  );

  it('refuses an unknown source, a body that is not JSON, and --secret-id without --url', async () => {
    // Prepare
    const file = join(cwd, 'not.json');
    await writeFile(file, 'not json');

    // Act
    const unknown = await atlasOps(['webhook', 'sign', '--source', 'gitlab', file], { cwd });
    const notJson = await atlasOps(['webhook', 'sign', '--source', 'jira', file], { cwd });
    const noUrl = await atlasOps(['webhook', 'sign', '--source', 'jira', '--secret-id', 'x', file], { cwd });

    // Assess
    expect([unknown.code, notJson.code, noUrl.code]).toEqual([2, 2, 2]);
    expect(unknown.stderr).toContain('--source must be one of jira, github, zendesk, servicenow, standard');
    expect(notJson.stderr).toContain('is not JSON');
    expect(noUrl.stderr).toContain('--secret-id needs --url');
  });
});

describe('atlas-ops webhook sign without a local stack', () => {
  it('says how to start one', async () => {
    // Prepare
    const cwd = await mkdtemp(join(tmpdir(), 'atlas-ops-webhook-none-'));
    const file = join(cwd, 'body.json');
    await writeFile(file, '{}');

    // Act
    const result = await atlasOps(['webhook', 'sign', '--source', 'jira', file], { cwd });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('npm start');
  });
});
