/**
 * Cold start: bundles every function's handler as WorkerFunction does for CDK (build/lambda-bundle.ts) and a
 * reference handler (middy + Powertools Logger + the SQS client), then imports each bundle in fresh `node`
 * processes and takes the median import time. One line per function; the runner adds nothing else.
 * Module-scope code runs with dummy environment values, so it must not call the network.
 *
 * Two references: `reference…`, bundled with every function's settings (stand-ins and plugin included), and
 * `standardReference…`, with esbuild's settings alone. The targets are judged against the standard one: each
 * line says whether the function's import time and bundle size meet theirs (TARGETS). The ratios are the
 * median of each round's (ratioOfRounds).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleLambda, STANDARD_ESBUILD_OPTIONS } from '../build/lambda-bundle.ts';
import { WORKERS } from '../functions/workers.ts';
import { demoPolicyText } from '../local/policy-demo.ts';
import { LOCAL_WEBHOOK_SENDERS } from '../local/webhooks.ts';
import * as z from '../shared/config/zod.ts';
import type { WorkerEnvSchema } from '../shared/lambda/worker-manifest.ts';
import { median } from './stats.ts';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = 15;

/**
 * What every function must meet: its `importMs` at most `ratioToStandard` × the standard reference's (the
 * webhook intake, which answers an HTTP request while its caller waits, a tighter one), and its bundle at most
 * `bytes`.
 */
export const TARGETS = {
  ratioToStandard: { default: 1.5, 'webhook-intake': 1.25 } as Readonly<Record<string, number>>,
  bytes: 900_000,
};

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
 * What a deployed function has beyond what its schema requires, where it changes what loads at a cold start:
 * the provisioner publishes outcomes, the intake tells refusals and has a sender policy for every source and
 * an operation policy (the local stack's demo ones), so none is closed.
 */
const AS_DEPLOYED: Readonly<Record<string, Record<string, string>>> = {
  provisioner: { OUTCOMES_QUEUE_URL: `${QUEUE}-outcomes` },
  'webhook-intake': {
    OUTCOMES_QUEUE_URL: `${QUEUE}-outcomes`,
    WEBHOOK_SENDERS: JSON.stringify(LOCAL_WEBHOOK_SENDERS),
    OPERATION_POLICY: demoPolicyText(),
  },
};

/** Stand-in values for a variable, by what its name says it is, tried in turn: the first its schema accepts. */
const sampleValuesFor = (name: string) =>
  name.endsWith('_URL') ? [QUEUE] : name.endsWith('SECRET_ID') ? [SECRET] : ['bench', '1'];

/** A value for every variable `schema` requires (one without a default), none calling the network. */
export function sampleEnvironment(schema: WorkerEnvSchema): Record<string, string> {
  const fields: Readonly<Record<string, z.core.$ZodType>> = schema._zod.def.shape;
  const env: Record<string, string> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (z.safeParse(field, undefined).success) continue;
    const value = sampleValuesFor(name).find((candidate) => z.safeParse(field, candidate).success);
    if (value === undefined) throw new Error(`bench: no stand-in value satisfies ${name}`);
    env[name] = value;
  }
  return env;
}

/**
 * Every worker of the list (functions/workers.ts), with stand-ins for the variables its schema requires and
 * its own NODE_OPTIONS (its manifest's, as WorkerFunction sets them).
 */
export const FUNCTIONS: { name: string; entry: string; env: Record<string, string>; nodeOptions: string }[] =
  WORKERS.map((worker) => ({
    name: worker.name,
    entry: worker.entry,
    env: { ...sampleEnvironment(worker.environment), ...AS_DEPLOYED[worker.name] },
    nodeOptions: worker.nodeOptions ?? '',
  }));

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
 * Each case's import times over `RUNS` rounds that import every case once each, in turn: the cases of a round
 * see the same machine load.
 */
export function importRounds(
  cases: Record<string, { file: string; env: Record<string, string> }>,
): Record<string, number[]> {
  const times = Object.fromEntries(Object.keys(cases).map((name) => [name, [] as number[]]));
  for (let run = 0; run < RUNS; run += 1) {
    for (const [name, { file, env }] of Object.entries(cases)) times[name]?.push(importOnce(file, env));
  }
  return times;
}

/** The median of each case's rounds, in whole ms. */
export function medians(rounds: Record<string, number[]>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(rounds).map(([name, values]) => [name, Math.round(median(values))]),
  );
}

/**
 * How many times as long `part` took as `whole`: the median of the rounds' ratios, to two decimals. Each ratio
 * is of two imports made in the same round, under the same machine load, so the load's drift between rounds,
 * which moves both medians, cancels out.
 */
export function ratioOfRounds(part: readonly number[] = [], whole: readonly number[] = []): number {
  return Math.round(median(part.map((value, round) => value / (whole[round] ?? Number.NaN))) * 100) / 100;
}

export async function* benchColdStart(): AsyncGenerator<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-coldstart-'));
  try {
    const reference = await bundleLambda({ contents: REFERENCE_HANDLER }, join(dir, 'reference'));
    // The reference with esbuild's settings alone: without the project's stand-ins for the SDK's credential
    // chain and `node:http` and without its AWS SDK plugin (build/lambda-bundle.ts), which make it leaner and
    // quicker.
    const standardReference = await bundleLambda(
      { contents: REFERENCE_HANDLER },
      join(dir, 'standard'),
      STANDARD_ESBUILD_OPTIONS,
    );
    for (const fn of FUNCTIONS) {
      const built = await bundleLambda(join(REPO_ROOT, fn.entry), join(dir, fn.name));
      const env = { ...COMMON_ENV, ...fn.env };
      const rounds = importRounds({
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
      const times = medians(rounds);
      const importMs = times.importMs ?? Number.NaN;
      const ratioToStandard = ratioOfRounds(rounds.importMs, rounds.standardReferenceImportMs);
      const ratioTarget = TARGETS.ratioToStandard[fn.name] ?? TARGETS.ratioToStandard.default ?? 0;
      const meetsRatioTarget = ratioToStandard <= ratioTarget;
      const meetsBytesTarget = built.bytes <= TARGETS.bytes;
      yield {
        function: fn.name,
        bytes: built.bytes,
        importMs,
        referenceBytes: reference.bytes,
        referenceImportMs: times.referenceImportMs,
        standardReferenceBytes: standardReference.bytes,
        standardReferenceImportMs: times.standardReferenceImportMs,
        ratioToReference: ratioOfRounds(rounds.importMs, rounds.referenceImportMs),
        ratioToStandard,
        ratioTarget,
        meetsRatioTarget,
        bytesTarget: TARGETS.bytes,
        meetsBytesTarget,
        meetsTarget: meetsRatioTarget && meetsBytesTarget,
        importMsWithNodeOptions: times.importMsWithNodeOptions,
        importMsWithoutTracing: times.importMsWithoutTracing,
        importMsWithSourceMaps: times.importMsWithSourceMaps,
      };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
