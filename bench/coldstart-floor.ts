/**
 * The cold-start floor: what the provisioner's libraries alone cost to import, with none of atlas-ops' own
 * code. Starts from the cold-start reference handler (middy + Powertools Logger + the SQS client) and adds the
 * provisioner's libraries one at a time, each built as the worker builds it (shared/lambda, the provisioner's
 * create-handler.ts); each step is bundled with the functions' settings (build/lambda-bundle.ts) and imported
 * in the same rounds as the reference and the standard reference (esbuild's settings alone). One line per
 * step, its ratios to both: how far the `importMs` target of `npm run bench -- coldstart` (≤ 1.5 × the
 * standard reference) can be reached by the libraries alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleLambda, STANDARD_ESBUILD_OPTIONS } from '../build/lambda-bundle.ts';
import { COMMON_ENV, importRounds, medians, REFERENCE_HANDLER, ratioOfRounds } from './coldstart.ts';

/**
 * Each step's source, added to the reference handler and to the steps before it (module top level: imports
 * are hoisted). What a step builds is exported or attached to `handler`, so the bundle keeps it. Paths of the
 * project's own modules are from the repository root, where the reference is bundled.
 */
const STEPS: { step: string; source: string }[] = [
  { step: 'reference', source: '' },
  {
    step: '+ Powertools Metrics',
    source: `
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
handler.use(logMetrics(new Metrics()));`,
  },
  {
    step: '+ Secrets Manager client',
    source: `
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
const secrets = new SecretsManagerClient({});
export const getSecret = (id) => secrets.send(new GetSecretValueCommand({ SecretId: id }));`,
  },
  {
    step: '+ DynamoDB and its document client',
    source: `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
const dynamo = new DynamoDBClient({});
const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
export const statusCalls = [GetCommand, PutCommand, UpdateCommand].map((C) => (input) => documents.send(new C(input)));`,
  },
  {
    step: '+ Powertools idempotency',
    source: `
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
export const execute = makeIdempotent(async (message) => message, {
  persistenceStore: new DynamoDBPersistenceLayer({ tableName: 'operations', awsSdkV3Client: dynamo }),
  config: new IdempotencyConfig({ eventKeyJmesPath: 'id' }),
});`,
  },
  {
    step: '+ Powertools batch',
    source: `
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
const processor = new BatchProcessor(EventType.SQS);
export const batch = (event, context) => processPartialResponse(event, execute, processor, { context });`,
  },
  {
    step: '+ undici',
    // As the Atlas client has it: its Agent is made on first use (transport.ts), not at load.
    source: `
export { sharedDispatcher } from './shared/atlas/transport.ts';
export { errors } from './shared/atlas/undici.ts';`,
  },
  {
    step: '+ zod/mini',
    source: `
import * as z from './shared/config/zod.ts';
export const message = z.object({ id: z.string(), type: z.string(), params: z.record(z.string(), z.unknown()) });`,
  },
  {
    step: '+ Powertools Tracer (X-Ray)',
    source: `
import { createXRayTracing } from './shared/lambda/xray-tracing.ts';
const tracing = createXRayTracing();
tracing.capture(sqs);
tracing.capture(secrets);
tracing.capture(dynamo);
handler.use(tracing.middleware);`,
  },
];

/** The standard reference's case among the steps' (a name no step has). */
const STANDARD = 'standard reference';

export async function* benchColdStartFloor(): AsyncGenerator<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-coldstart-floor-'));
  try {
    const bundles = [];
    let source = REFERENCE_HANDLER;
    for (const [index, { step, source: added }] of STEPS.entries()) {
      source += added;
      bundles.push({ step, ...(await bundleLambda({ contents: source }, join(dir, String(index)))) });
    }
    const standard = await bundleLambda(
      { contents: REFERENCE_HANDLER },
      join(dir, 'standard'),
      STANDARD_ESBUILD_OPTIONS,
    );
    const rounds = importRounds({
      ...Object.fromEntries(bundles.map(({ step, file }) => [step, { file, env: COMMON_ENV }])),
      [STANDARD]: { file: standard.file, env: COMMON_ENV },
    });
    const times = medians(rounds);
    for (const { step, bytes } of bundles) {
      yield {
        step,
        bytes,
        importMs: times[step],
        referenceImportMs: times.reference,
        standardReferenceImportMs: times[STANDARD],
        ratio: ratioOfRounds(rounds[step], rounds.reference),
        ratioToStandard: ratioOfRounds(rounds[step], rounds[STANDARD]),
      };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
