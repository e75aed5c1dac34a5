/**
 * What the function bundles do to the AWS SDK (build/aws-sdk-bundling.ts): its schemas rewritten
 * with literal keys so that esbuild keeps only those of the commands sent, its package.json files cut to the
 * version, its event streams left out. What that must not cost is checked against the local stack: each of
 * the five functions, bundled as it deploys and each invocation run in a `node` process of its own with the
 * environment the stack gives its handler, does what the unbundled handler does over S3, Secrets Manager,
 * DynamoDB, SQS and HTTP.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FUNCTIONS } from '../../../bench/coldstart.ts';
import { withLiteralPropertyKeys } from '../../../build/aws-sdk-bundling.ts';
import {
  bundleLambda,
  LAMBDA_ESBUILD_OPTIONS,
  STANDARD_ESBUILD_OPTIONS,
} from '../../../build/lambda-bundle.ts';
import type { AccessListSyncSummary } from '../../../functions/access-list-sync/create-handler.ts';
import type { InventoryRunSummary } from '../../../functions/inventory/create-handler.ts';
import { createLocalS3Client, createQueueWithDeadLetter } from '../../../local/aws/clients.ts';
import { startLocalHttpApi } from '../../../local/http-api.ts';
import { scheduledEvent } from '../../../local/lambda-context.ts';
import { sqsEvent } from '../../../local/sqs-event-source.ts';
import { LOCAL_BUCKET, type LocalStack, startLocalStack } from '../../../local/stack.ts';
import type { ReceivedRequest } from '../../../local/tickets.ts';
import { STATUS_ROUTE_PATH, WEBHOOK_ROUTE_PATH } from '../../../shared/webhooks/http-api.ts';
import { accessListAdd, eventually } from '../../support/provisioning.ts';
import { requestLog } from '../../support/simulator.ts';
import { get, post, signedDelivery } from '../../support/webhooks.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** An S3 client that sends one command, and what the SDK builds from its package.json and for event streams. */
const S3_ENTRY = `
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
const s3 = new S3Client({ region: 'eu-west-1' });
export const send = (Body) => s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body }));
export const userAgent = () => s3.config.defaultUserAgentProvider();
export const loadEventStreams = () => s3.config.protocol.loadEventStreamCapability();
`;

interface S3Entry {
  userAgent(): Promise<string[][]>;
  loadEventStreams(): Promise<unknown>;
}

/** Every module of an installed @aws-sdk package that imports its package.json, with the fields it reads. */
function packageJsonReads(): { module: string; fields: string[] }[] {
  const scope = join(REPO_ROOT, 'node_modules/@aws-sdk');
  return readdirSync(scope).flatMap((pkg) =>
    readdirSync(join(scope, pkg, 'dist-es'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) => {
        const text = readFileSync(join(scope, pkg, 'dist-es', file), 'utf8');
        const imported = /import (\w+) from "(?:\.\.\/)+package\.json"/.exec(text)?.[1];
        if (!imported) return [];
        const fields = [...text.matchAll(new RegExp(`\\b${imported}\\b(\\??\\.\\w+)?`, 'g'))]
          .slice(1)
          .map((read) => read[1] ?? '(the whole object)');
        return [{ module: `${pkg}/dist-es/${file}`, fields: [...new Set(fields)] }];
      }),
  );
}

/**
 * Runs the bundled function at `bundle` in a `node` process of its own, as Lambda would: `handler(event,
 * context)` with `env` (and dummy credentials) as its whole environment. Resolves to what the handler returned.
 */
async function invokeBundled<Result>(
  bundle: string,
  env: Record<string, string>,
  event: unknown,
): Promise<Result> {
  const script = `
    import { lambdaContext } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'local/lambda-context.ts')).href)};
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    const result = await handler(JSON.parse(process.argv[1]), lambdaContext('bundled', 60_000));
    // Then ends, as Lambda freezes a function once it has answered, whatever sockets it keeps open.
    process.stdout.write('\\n' + JSON.stringify(result ?? null), () => process.exit(0));
  `;
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', script, JSON.stringify(event)],
    {
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        POWERTOOLS_TRACE_ENABLED: 'false',
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        ...env,
      },
    },
  );
  return JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? 'null') as Result;
}

describe('withLiteralPropertyKeys', () => {
  it('writes a computed key naming a top-level string constant as that string, and no other key', () => {
    // Prepare
    const code = [
      'const _e = "error";',
      'const _n = 400;',
      'let _l = "httpLabel";',
      'const _g = "get";',
      'const _s = "shadowed";',
      'export var A$ = [-3, "ns", { [_e]: "client", [ _n ]: 1, [_l]: 2, [`x`]: 3, plain: 4, get [_g]() {} }];',
      'export const f = (_s) => ({ [_s]: 5 });',
    ].join('\n');

    // Act
    const rewritten = withLiteralPropertyKeys(code);

    // Assert: only `[_e]` is a key the module's constants settle; lines stay where they were.
    expect(rewritten.split('\n')).toEqual([
      'const _e = "error";',
      'const _n = 400;',
      'let _l = "httpLabel";',
      'const _g = "get";',
      'const _s = "shadowed";',
      'export var A$ = [-3, "ns", { "error": "client", [ _n ]: 1, [_l]: 2, [`x`]: 3, plain: 4, get [_g]() {} }];',
      'export const f = (_s) => ({ [_s]: 5 });',
    ]);
  });
});

describe("a bundle's AWS SDK", () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-sdk-bundle-'));
  const built: Record<'lambda' | 'standard', { code: string; entry: S3Entry }> = {} as never;

  beforeAll(async () => {
    for (const [name, options] of [
      ['lambda', LAMBDA_ESBUILD_OPTIONS],
      ['standard', STANDARD_ESBUILD_OPTIONS],
    ] as const) {
      const { file } = await bundleLambda({ contents: S3_ENTRY }, join(dir, name), options);
      built[name] = {
        code: readFileSync(file, 'utf8'),
        entry: (await import(pathToFileURL(file).href)) as S3Entry,
      };
    }
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries the schemas of the commands it sends, not those of the rest of the service', () => {
    // Act
    const { lambda, standard } = built;

    // Assert: esbuild alone keeps all of S3's schemas (aws/aws-sdk-js-v3#7607).
    const schemas = (code: string) => ({
      putObject: code.includes('"PutObjectRequest"'),
      selectObjectContent: code.includes('"SelectObjectContentRequest"'),
    });
    expect(schemas(lambda.code)).toEqual({ putObject: true, selectObjectContent: false });
    expect(schemas(standard.code)).toEqual({ putObject: true, selectObjectContent: true });
  });

  it("still names the client's version in its user agent, the one field of its package.json the SDK reads", async () => {
    // Prepare
    const { version } = JSON.parse(
      readFileSync(join(REPO_ROOT, 'node_modules/@aws-sdk/client-s3/package.json'), 'utf8'),
    ) as { version: string };

    // Act
    const userAgent = await built.lambda.entry.userAgent();
    const reads = packageJsonReads();

    // Assert
    expect(userAgent).toContainEqual(['api/S3', version]);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter(({ fields }) => fields.some((field) => field !== '.version'))).toEqual([]);
  });

  it('fails an operation that streams events with a message naming what left them out', async () => {
    // Act
    const loading = built.lambda.entry.loadEventStreams();

    // Assert
    await expect(loading).rejects.toThrow(
      /leaves out the AWS SDK's event streams \(build\/aws-sdk-bundling\.ts\)/,
    );
    await expect(built.standard.entry.loadEventStreams()).resolves.toBeDefined();
  });
});

describe('functions bundled as they deploy, against the local stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-bundled-workers-'));
  let local: LocalStack;
  /** Each function's bundle, by its name (bench/coldstart.ts FUNCTIONS, which the benchmark bundles too). */
  const bundles = new Map<string, string>();
  const bundle = (name: string) => {
    const file = bundles.get(name);
    if (!file) throw new Error(`${name} was not bundled`);
    return file;
  };

  beforeAll(async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'ERROR');
    // The sync only when asked (pollMs: its first run is the stack's own, at start).
    local = await startLocalStack({ accessListSync: { mode: 'plan', pollMs: 600_000 } });
    for (const { name } of FUNCTIONS) {
      const built = await bundleLambda(join(REPO_ROOT, `functions/${name}/handler.ts`), join(dir, name));
      bundles.set(name, built.file);
    }
  }, 60_000);

  afterAll(async () => {
    await local?.close();
    rmSync(dir, { recursive: true, force: true });
    vi.unstubAllEnvs();
  });

  /** A part of the local stack that a test needs, or a failure naming it. */
  function part<T>(value: T | undefined, name: string): T {
    if (value === undefined) throw new Error(`the local stack has no ${name}`);
    return value;
  }

  it('the inventory writes to S3 the snapshot the unbundled handler writes, and reads the one before it', async () => {
    // Prepare: a first run from the sources.
    const unbundled = await local.invokeInventory();

    // Act
    const bundled = await invokeBundled<InventoryRunSummary>(
      bundle('inventory'),
      local.env,
      scheduledEvent(),
    );

    // Assert
    expect(bundled).toMatchObject({
      partial: false,
      projects: unbundled.projects,
      clusters: unbundled.clusters,
      findings: unbundled.findings,
      changes: { added: 0, removed: 0, changed: 0, firstRun: false },
    });
    const s3 = createLocalS3Client(local.env.AWS_ENDPOINT_URL_S3 ?? '');
    const read = async (key: string) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET, Key: key }));
      const snapshot = JSON.parse((await object.Body?.transformToString()) ?? '{}');
      return { projects: snapshot.projects, clusters: snapshot.clusters, warnings: snapshot.warnings };
    };
    expect(bundled.keys.json).not.toBe(unbundled.keys.json);
    const [fromBundle, fromSources] = [await read(bundled.keys.json), await read(unbundled.keys.json)];
    expect(fromBundle.clusters).toHaveLength(unbundled.clusters);
    expect(fromBundle).toEqual(fromSources);
    s3.destroy();
  });

  it('the access-list sync reads the desired state from S3 and reports the drift the unbundled handler reports', async () => {
    // Prepare
    const sync = part(local.accessListSync, 'access-list sync');
    const unbundled = await sync.invoke();

    // Act
    const bundled = await invokeBundled<AccessListSyncSummary>(
      bundle('access-list-sync'),
      sync.env,
      scheduledEvent(),
    );

    // Assert
    const { generatedAt: _, location: __, keys: ___, ...expected } = unbundled;
    expect(expected).toMatchObject({ status: 'done', mode: 'plan' });
    expect(bundled).toMatchObject(expected);
    // The text reports differ only in their first line, which says when the run was.
    const report = async (summary: AccessListSyncSummary) =>
      ((await sync.reportText(summary)) ?? '').split('\n').slice(1);
    expect((await report(unbundled)).length).toBeGreaterThan(1);
    expect(await report(bundled)).toEqual(await report(unbundled));
  });

  it("a ticket's operation: the provisioner makes the change once and publishes its outcome, the notifier tells the ticket", async () => {
    // Prepare: the outcome goes to a queue of the test's own, for the bundled notifier rather than the stack's.
    const provisioning = part(local.provisioning, 'provisioning');
    const notifications = part(local.notifications, 'notifier');
    const groupId = local.simulator.state.projects[0]?.id ?? '';
    const outcomes = await createQueueWithDeadLetter(provisioning.sqs, 'bundled-outcomes', {
      maxReceiveCount: 6,
      visibilityTimeoutSeconds: 180,
    });
    const message = {
      ...accessListAdd(groupId, '10.61.0.0/16', 'op-bundled'),
      requestedBy: { source: 'github', ref: 'acme/platform-requests#7002' },
    };
    const posts = async () =>
      (await requestLog(local.simulator)).filter(
        (request) =>
          request.method === 'POST' && request.path === `/api/atlas/v2/groups/${groupId}/accessList`,
      );
    const provisionerEnv = { ...provisioning.env, OUTCOMES_QUEUE_URL: outcomes.queueUrl };
    const notifierEnv = {
      ...notifications.env,
      OUTCOMES_QUEUE_URL: outcomes.queueUrl,
      OUTCOMES_DEAD_LETTER_QUEUE_URL: outcomes.deadLetterQueueUrl,
    };

    // Act: the message delivered twice, then its outcome to the notifier.
    const delivery = sqsEvent(
      [{ MessageId: 'message-1', ReceiptHandle: 'receipt-1', Body: JSON.stringify(message) }],
      provisioning.queueUrl,
    );
    const first = await invokeBundled(bundle('provisioner'), provisionerEnv, delivery);
    const second = await invokeBundled(bundle('provisioner'), provisionerEnv, delivery);
    const { Messages = [] } = await provisioning.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: outcomes.queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    const notified = await invokeBundled(
      bundle('notifier'),
      notifierEnv,
      sqsEvent(Messages, outcomes.queueUrl),
    );

    // Assert
    expect([first, second, notified]).toEqual([
      { batchItemFailures: [] },
      { batchItemFailures: [] },
      { batchItemFailures: [] },
    ]);
    expect(await posts()).toHaveLength(1);
    expect(
      local.simulator.state.projectAccessList.filter((entry) => entry.cidrBlock === '10.61.0.0/16'),
    ).toHaveLength(1);
    expect(await provisioning.status.get('op-bundled')).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(Messages.map((outcome) => JSON.parse(outcome.Body ?? '{}'))).toEqual([
      expect.objectContaining({ operationId: 'op-bundled', status: 'SUCCEEDED' }),
    ]);
    expect(Messages[0]?.MessageAttributes?.status?.StringValue).toBe('SUCCEEDED');
    const received = (await (
      await fetch(`${notifications.tickets.url}/__received`)
    ).json()) as ReceivedRequest[];
    const comments = received.filter((request) => request.ref === 'acme/platform-requests#7002');
    expect(comments).toEqual([expect.objectContaining({ kind: 'github', status: 201 })]);
    expect(JSON.stringify(comments[0]?.body)).toContain('op-bundled');
  });

  it('the webhook intake answers a signed delivery 202, enqueues its operation, and serves its status', async () => {
    // Prepare: the bundled intake behind a local HTTP API front of its own, the stack's provisioner behind it.
    const webhooks = part(local.webhooks, 'webhook intake');
    const groupId = local.simulator.state.projects[0]?.id ?? '';
    const api = await startLocalHttpApi({
      routes: [`ANY ${WEBHOOK_ROUTE_PATH}`, `GET ${STATUS_ROUTE_PATH}`],
      handler: (event) =>
        invokeBundled<APIGatewayProxyResultV2>(bundle('webhook-intake'), webhooks.env, event),
      functionName: 'bundled-webhook-intake',
      timeoutMs: 10_000,
    });
    const bundledWebhooks = { ...webhooks, url: api.url };
    const operation = {
      type: 'projectAccessList.add',
      params: { groupId, entries: [{ cidrBlock: '10.62.0.0/16', comment: 'from a ticket' }] },
    };
    const delivery = signedDelivery(bundledWebhooks, 'github', operation, { ref: 7001 });

    try {
      // Act
      const accepted = await post(bundledWebhooks, delivery);
      const done = await eventually(
        () => get(String(accepted.body.statusUrl)),
        (answer) => answer.body.status === 'SUCCEEDED',
      );
      const repeated = await post(bundledWebhooks, delivery);

      // Assert
      expect(accepted.status).toBe(202);
      expect(String(accepted.body.statusUrl)).toBe(`${api.url}/operations/${accepted.body.operationId}`);
      expect(done.body).toMatchObject({ id: accepted.body.operationId, status: 'SUCCEEDED', attempts: 1 });
      expect(repeated).toMatchObject({ status: 200, body: { duplicate: true } });
      expect(
        local.simulator.state.projectAccessList.filter((entry) => entry.cidrBlock === '10.62.0.0/16'),
      ).toHaveLength(1);
    } finally {
      await api.close();
    }
  });
});
