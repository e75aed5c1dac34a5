/**
 * Cold start: bundles every function's handler as WorkerFunction does for CDK
 * (infra/constructs/lambda-bundle.ts) and a reference handler (middy + Powertools Logger + the SQS client)
 * with the same settings, then imports each bundle in fresh `node` processes and takes the median import time.
 * One line per function; the runner adds nothing else. Module-scope code runs with dummy environment values,
 * so it must not call the network.
 *
 * Two references: `reference…` with every setting, the stand-in modules and the eager module bodies included
 * (the targets are judged against it), and `standardReference…` with esbuild's settings alone, as the issue
 * first measured it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { INVENTORY_V8_FLAGS } from '../functions/inventory/runtime.ts';
import { bundleLambda, STANDARD_BUNDLE_SETTINGS } from '../infra/constructs/lambda-bundle.ts';
import { LOCAL_WEBHOOK_SENDERS } from '../local/webhooks.ts';
import { median } from './stats.ts';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = 9;

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/queue';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas-AbCdEf';

/**
 * What Lambda and WorkerFunction set for every function (tracing is Active, so Powertools traces).
 * `LAMBDA_TASK_ROOT` puts the X-Ray SDK in its Lambda mode at load, as in AWS (a facade segment, no
 * centralized sampling).
 */
export const COMMON_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  LAMBDA_TASK_ROOT: '/var/task',
  _HANDLER: 'index.handler',
  AWS_LAMBDA_FUNCTION_NAME: 'coldstart-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_SERVICE_NAME: 'atlas-ops-bench',
  POWERTOOLS_METRICS_NAMESPACE: 'AtlasOps',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_TRACE_ENABLED: 'true',
};

/**
 * Each function, with the variables its env schema requires (dummy values) and its own NODE_OPTIONS (as
 * infra/constructs sets them: WorkerFunction's `nodeOptions`).
 */
export const FUNCTIONS: { name: string; env: Record<string, string>; nodeOptions: string }[] = [
  {
    name: 'inventory',
    env: { ATLAS_SECRET_ID: SECRET, SNAPSHOT_BUCKET: 'bucket' },
    nodeOptions: INVENTORY_V8_FLAGS,
  },
  {
    name: 'provisioner',
    env: {
      ATLAS_SECRET_ID: SECRET,
      OPERATIONS_TABLE: 'operations',
      QUEUE_URL: QUEUE,
      DEAD_LETTER_QUEUE_URL: `${QUEUE}-dlq`,
      OUTCOMES_QUEUE_URL: `${QUEUE}-outcomes`,
    },
    nodeOptions: '',
  },
  {
    name: 'webhook-intake',
    env: {
      WEBHOOK_SECRET_ID: SECRET,
      QUEUE_URL: QUEUE,
      OUTCOMES_QUEUE_URL: `${QUEUE}-outcomes`,
      OPERATIONS_TABLE: 'operations',
      // As deployed: every source has a sender policy (the local stack's demo one), so none is closed.
      WEBHOOK_SENDERS: JSON.stringify(LOCAL_WEBHOOK_SENDERS),
    },
    nodeOptions: '',
  },
  {
    name: 'access-list-sync',
    env: { ATLAS_SECRET_ID: SECRET, ACCESS_LIST_BUCKET: 'bucket' },
    nodeOptions: '',
  },
  {
    name: 'notifier',
    env: {
      NOTIFIER_SECRET_ID: SECRET,
      OPERATIONS_TABLE: 'operations',
      OUTCOMES_QUEUE_URL: `${QUEUE}-outcomes`,
      OUTCOMES_DEAD_LETTER_QUEUE_URL: `${QUEUE}-outcomes-dlq`,
    },
    nodeOptions: '',
  },
];

export const REFERENCE_HANDLER = `
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const logger = new Logger();
const sqs = new SQSClient({});
export const handler = middy(async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: event.queueUrl, MessageBody: 'x' }));
}).use(injectLambdaContext(logger));
`;

/** How long one fresh `node` process takes to `import()` the bundle at `file`, in ms. */
function importOnce(file: string, env: Record<string, string>): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr}`);
  return Number(child.stdout);
}

/**
 * The median import time of each case, over `RUNS` rounds that import every case once each, in turn: the
 * cases of a round see the same machine load, which keeps their ratios steady on a busy machine.
 */
export function importTimes(cases: Record<string, { file: string; env: Record<string, string> }>) {
  const times = Object.fromEntries(Object.keys(cases).map((name) => [name, [] as number[]]));
  for (let run = 0; run < RUNS; run += 1) {
    for (const [name, { file, env }] of Object.entries(cases)) times[name]?.push(importOnce(file, env));
  }
  return Object.fromEntries(
    Object.entries(times).map(([name, values]) => [name, Math.round(median(values))]),
  );
}

export async function* benchColdStart(): AsyncGenerator<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-coldstart-'));
  try {
    const reference = await bundleLambda({ contents: REFERENCE_HANDLER }, join(dir, 'reference'));
    // The reference as the issue measured it: esbuild's settings, without the project's stand-ins for the
    // SDK's credential chain and `node:http` and without its modules' bodies in parentheses (lambda-bundle.ts),
    // which make it leaner and quicker still.
    const standardReference = await bundleLambda(
      { contents: REFERENCE_HANDLER },
      join(dir, 'standard'),
      STANDARD_BUNDLE_SETTINGS,
    );
    for (const fn of FUNCTIONS) {
      const built = await bundleLambda(
        join(REPO_ROOT, 'functions', fn.name, 'handler.ts'),
        join(dir, fn.name),
      );
      const env = { ...COMMON_ENV, ...fn.env };
      const times = importTimes({
        importMs: { file: built.file, env },
        referenceImportMs: { file: reference.file, env: COMMON_ENV },
        standardReferenceImportMs: { file: standardReference.file, env: COMMON_ENV },
        importMsWithNodeOptions: { file: built.file, env: { ...env, NODE_OPTIONS: fn.nodeOptions } },
        // Deployed with `-c tracing=false`: the X-Ray SDK is never loaded.
        importMsWithoutTracing: { file: built.file, env: { ...env, POWERTOOLS_TRACE_ENABLED: 'false' } },
        // What the function's NODE_OPTIONS cost before: `--enable-source-maps` in front (docs/cold-start.md).
        importMsWithSourceMaps: {
          file: built.file,
          env: { ...env, NODE_OPTIONS: `--enable-source-maps ${fn.nodeOptions}`.trim() },
        },
      });
      yield {
        function: fn.name,
        bytes: built.bytes,
        importMs: times.importMs,
        referenceBytes: reference.bytes,
        referenceImportMs: times.referenceImportMs,
        standardReferenceBytes: standardReference.bytes,
        standardReferenceImportMs: times.standardReferenceImportMs,
        importMsWithNodeOptions: times.importMsWithNodeOptions,
        importMsWithoutTracing: times.importMsWithoutTracing,
        importMsWithSourceMaps: times.importMsWithSourceMaps,
      };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
