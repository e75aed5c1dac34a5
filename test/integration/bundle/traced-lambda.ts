/**
 * A traced handler run as on AWS Lambda, for the X-Ray test (./xray-context.test.ts): the handler, bundled as
 * the functions are (build/lambda-bundle.ts); a local UDP "daemon" that keeps what X-Ray sends; an HTTP
 * stand-in for the calls it makes; Lambda's environment (bench/coldstart.ts COMMON_ENV), which puts X-Ray in
 * its Lambda mode.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { COMMON_ENV } from '../../../bench/coldstart.ts';
import { bundleLambda } from '../../../build/lambda-bundle.ts';

/**
 * Traced as the workers are (shared/lambda/xray-tracing.ts): an AWS SDK call and an HTTP call, in two steps run
 * at once.
 */
const TRACED_HANDLER = `
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

/** Invokes the bundle's handler once per trace header given after the bundle's URL, one after the other. */
const INVOKE = `
const [bundle, ...headers] = process.argv.slice(1);
const { handler } = await import(bundle);
for (const [index, header] of headers.entries()) {
  process.env._X_AMZN_TRACE_ID = header;
  await handler({}, { functionName: 'traced', awsRequestId: 'request-' + index, getRemainingTimeInMillis: () => 30000 });
}
`;

/** What X-Ray sends for a subsegment, as far as the test reads it. */
export interface SubsegmentDocument {
  id: string;
  name: string;
  trace_id: string;
  parent_id?: string;
}

export interface TracedLambda {
  /** Everything the daemon has received so far. */
  readonly received: SubsegmentDocument[];
  /** Runs the bundled handler in a fresh process, one invocation per trace header. */
  invoke(headers: string[]): Promise<void>;
  close(): Promise<void>;
}

/** A trace header for one invocation: its root (trace id), the Lambda segment's id (parent) and the header. */
export function newTraceHeader(): { root: string; parent: string; header: string } {
  const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  const parent = randomBytes(8).toString('hex');
  return { root, parent, header: `Root=${root};Parent=${parent};Sampled=1` };
}

/** Bundles the traced handler into `dir` and starts the daemon and the HTTP stand-in. */
export async function startTracedLambda(dir: string): Promise<TracedLambda> {
  const received: SubsegmentDocument[] = [];
  const daemon = createSocket('udp4');
  daemon.on('message', (datagram) => {
    // The daemon's protocol: a JSON header line, then the segment document.
    const [, document = '{}'] = datagram.toString('utf8').split('\n');
    received.push(JSON.parse(document) as SubsegmentDocument);
  });
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
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  const bundle = await bundleLambda({ contents: TRACED_HANDLER }, dir);
  const env = {
    PATH: process.env.PATH ?? '',
    ...COMMON_ENV,
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
    AWS_XRAY_LOG_LEVEL: 'silent',
    STAND_IN_URL: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`,
  };

  return {
    received,
    async invoke(headers) {
      const { stderr } = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', INVOKE, pathToFileURL(bundle.file).href, ...headers],
        { env },
      );
      if (stderr) throw new Error(`the traced handler wrote to stderr: ${stderr}`);
      // Datagrams sent before the process ended are on the daemon's queue; let them all be read.
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
    async close() {
      daemon.close();
      await new Promise((resolve) => standIn.close(resolve));
    },
  };
}
