/**
 * The function bundles carry shared/lambda/cls-hooked-context.cjs in place of cls-hooked, the store the X-Ray SDK
 * keeps the current segment in. What that must not change is what X-Ray receives: here a traced handler runs
 * as on AWS Lambda (the SDK's Lambda mode, a trace header per invocation), bundled once with the Lambda
 * settings and once with the real cls-hooked, and the subsegments both send to a local UDP "daemon" must nest
 * the same way: each AWS SDK and HTTP call under the step that made it, while two steps run at once.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda, LAMBDA_ESBUILD_OPTIONS } from '../../../infra/constructs/lambda-bundle.ts';

/** A handler traced as the workers are (shared/lambda/xray-tracing.ts), with two steps run at once. */
const ENTRY = `
import middy from '@middy/core';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { captureAsyncFunc } from 'aws-xray-sdk-core';
import { Agent } from './shared/atlas/undici.ts';
import { createXRayTracing } from './shared/lambda/xray-tracing.ts';

const endpoint = process.env.STAND_IN_URL;
const tracing = createXRayTracing();
const sqs = tracing.capture(
  new SQSClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } }),
);
const agent = new Agent();
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
const step = (name, work) =>
  captureAsyncFunc(name, async (subsegment) => {
    try {
      await pause();
      await work();
      await pause();
    } finally {
      subsegment.close();
    }
  });

export const handler = middy(async () => {
  await Promise.all([
    step('queue', () => sqs.send(new GetQueueUrlCommand({ QueueName: 'operations' }))),
    step('atlas', async () => {
      const { body } = await agent.request({ origin: endpoint, path: '/api/atlas/v2', method: 'GET' });
      await body.text();
    }),
  ]);
}).use(tracing.middleware);
`;

/** Invokes the bundle's handler once per trace header given on the command line, one after the other. */
const INVOKE = `
const [bundle, ...headers] = process.argv.slice(1);
const { handler } = await import(bundle);
for (const [index, header] of headers.entries()) {
  process.env._X_AMZN_TRACE_ID = header;
  await handler({}, { functionName: 'traced', awsRequestId: 'request-' + index, getRemainingTimeInMillis: () => 30000 });
}
`;

interface Subsegment {
  id: string;
  name: string;
  trace_id: string;
  parent_id?: string;
  type?: string;
}

function traceHeader() {
  const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  const parent = randomBytes(8).toString('hex');
  return { root, parent, header: `Root=${root};Parent=${parent};Sampled=1` };
}

describe('X-Ray tracing in a bundle, on cls-hooked or AsyncLocalStorage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-xray-'));
  const daemon = createSocket('udp4');
  const received: Subsegment[] = [];
  // Answers the SQS call (JSON protocol) and the plain GET; a fresh connection each time, so that no socket
  // carries one invocation's context into the next.
  const standIn = createServer((request, response) => {
    response.setHeader('connection', 'close');
    if (request.headers['x-amz-target']) {
      response.setHeader('content-type', 'application/x-amz-json-1.0');
      response.end(JSON.stringify({ QueueUrl: 'http://127.0.0.1/123456789012/operations' }));
    } else {
      response.end('{}');
    }
  });
  let bundles: Record<'cls-hooked' | 'AsyncLocalStorage', string>;

  beforeAll(async () => {
    daemon.on('message', (datagram) => {
      // The daemon's protocol: a JSON header line, then the segment document.
      const [, document = '{}'] = datagram.toString('utf8').split('\n');
      received.push(JSON.parse(document) as Subsegment);
    });
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    const { 'cls-hooked/context': _standIn, ...otherAliases } = LAMBDA_ESBUILD_OPTIONS.alias;
    const [withStandIn, withClsHooked] = await Promise.all([
      bundleLambda({ contents: ENTRY }, join(dir, 'als')),
      bundleLambda({ contents: ENTRY }, join(dir, 'cls'), { ...LAMBDA_ESBUILD_OPTIONS, alias: otherAliases }),
    ]);
    bundles = { AsyncLocalStorage: withStandIn.file, 'cls-hooked': withClsHooked.file };
  });

  afterAll(async () => {
    daemon.close();
    await new Promise((resolve) => standIn.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the bundle for two invocations; per invocation, each subsegment as `name <- parent's name`. */
  async function traces(bundle: string) {
    const invocations = [traceHeader(), traceHeader()];
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', INVOKE, pathToFileURL(bundle).href, ...invocations.map((i) => i.header)],
      {
        env: {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'eu-west-1',
          AWS_LAMBDA_FUNCTION_NAME: 'traced',
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
          LAMBDA_TASK_ROOT: dir,
          _HANDLER: 'index.handler',
          POWERTOOLS_SERVICE_NAME: 'traced',
          POWERTOOLS_TRACE_ENABLED: 'true',
          AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
          AWS_XRAY_LOG_LEVEL: 'silent',
          STAND_IN_URL: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`,
        },
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const status = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    // Datagrams sent before the process ended are on this socket's queue; let them all be read.
    await new Promise((resolve) => setTimeout(resolve, 50));

    return invocations.map(({ root, parent }) => {
      const latest = new Map(received.filter((s) => s.trace_id === root).map((s) => [s.id, s]));
      const nameOf = (id?: string) =>
        id === parent ? 'Lambda' : (latest.get(id ?? '')?.name ?? `unknown ${id}`);
      return [...latest.values()].map((s) => `${s.name} <- ${nameOf(s.parent_id)}`).sort();
    });
  }

  it('nests every call under the step that made it, with cls-hooked as without', async () => {
    // Act
    const withClsHooked = await traces(bundles['cls-hooked']);
    const withStandIn = await traces(bundles.AsyncLocalStorage);

    // Assert
    const expected = [
      '## index.handler <- Lambda',
      '127.0.0.1 <- atlas',
      'SQS <- queue',
      'atlas <- ## index.handler',
      'queue <- ## index.handler',
    ];
    expect(withClsHooked).toEqual([expected, expected]);
    expect(withStandIn).toEqual([expected, expected]);
  });
});
