import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { provisionerEnvSchema } from '../../functions/provisioner/env.ts';
import { AtlasCredentials } from '../../infra/constructs/atlas-credentials.ts';
import { InventoryWorker } from '../../infra/constructs/inventory-worker.ts';
import { type WorkerEnvironment, WorkerFunction } from '../../infra/constructs/worker-function.ts';
import { testApp } from '../support/cdk.ts';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/operations';

/** The props every WorkerFunction needs, beside its schema, environment and credentials. */
const BASE = {
  entry: 'functions/provisioner/handler.ts',
  description: 'test worker',
  roleDescription: 'test worker',
  serviceName: 'atlas-ops-test',
  timeout: Duration.seconds(30),
  memorySize: 256,
  errorsAlarmDescription: 'The test worker failed.',
};

describe('WorkerFunction environment', () => {
  it('adds the secret id, the Powertools variables and NODE_OPTIONS to the worker variables', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Common');
    const credentials = new AtlasCredentials(stack, 'Credentials');

    // Act
    const worker = new WorkerFunction(stack, 'Default', {
      ...BASE,
      credentials,
      environmentSchema: provisionerEnvSchema,
      environment: { OPERATIONS_TABLE: 'operations', QUEUE_URL: QUEUE, DEAD_LETTER_QUEUE_URL: QUEUE },
      nodeOptions: '--max-semi-space-size=4',
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          ATLAS_SECRET_ID: stack.resolve(credentials.secret.secretArn),
          OPERATIONS_TABLE: 'operations',
          QUEUE_URL: QUEUE,
          DEAD_LETTER_QUEUE_URL: QUEUE,
          POWERTOOLS_SERVICE_NAME: 'atlas-ops-test',
          POWERTOOLS_METRICS_NAMESPACE: 'AtlasOps',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          POWERTOOLS_TRACE_ENABLED: 'true',
          NODE_OPTIONS: '--max-semi-space-size=4',
        },
      },
    });
    expect(worker.alarms).toEqual([worker.errorsAlarm]);
  });

  it('is typed by the worker schema, and refuses at synth what the function would refuse at cold start', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Typed');
    const credentials = new AtlasCredentials(stack, 'Credentials');
    const worker = (id: string, environment: WorkerEnvironment<typeof provisionerEnvSchema>) => () =>
      new WorkerFunction(stack, id, {
        ...BASE,
        credentials,
        environmentSchema: provisionerEnvSchema,
        environment,
      });

    // Act + Assess
    // @ts-expect-error QUEUE_URL is required by the schema
    expect(worker('Missing', { OPERATIONS_TABLE: 't', DEAD_LETTER_QUEUE_URL: QUEUE })).toThrow(
      /Typed\/Missing: the function would refuse its environment: QUEUE_URL: must be the URL of the queue the worker reads$/,
    );
    expect(
      worker('Misspelled', {
        OPERATIONS_TABLE: 't',
        QUEUE_URL: QUEUE,
        DEAD_LETTER_QUEUE_URL: QUEUE,
        // @ts-expect-error not a variable of the provisioner schema
        MAX_RECIEVE_COUNT: '6',
      }),
    ).toThrow(/MAX_RECIEVE_COUNT: is not a variable the function reads/);
    expect(
      worker('Invalid', {
        OPERATIONS_TABLE: 't',
        QUEUE_URL: 'not a url',
        DEAD_LETTER_QUEUE_URL: QUEUE,
        STATUS_TTL_DAYS: '0',
      }),
    ).toThrow(/QUEUE_URL: must be the URL of the queue the worker reads; STATUS_TTL_DAYS: /);
  });

  it('needs the Atlas credentials exactly when the worker schema reads ATLAS_SECRET_ID', () => {
    // Prepare
    const stack = new Stack(testApp(), 'Credentials');
    const intakeSchema = z.object({ QUEUE_URL: z.url() });

    // Act
    const withoutAtlas = new WorkerFunction(stack, 'Intake', {
      ...BASE,
      environmentSchema: intakeSchema,
      environment: { QUEUE_URL: QUEUE },
    });
    const forgotten = () =>
      // @ts-expect-error the provisioner schema reads ATLAS_SECRET_ID, so credentials are required
      new WorkerFunction(stack, 'Provisioner', {
        ...BASE,
        environmentSchema: provisionerEnvSchema,
        environment: { OPERATIONS_TABLE: 't', QUEUE_URL: QUEUE, DEAD_LETTER_QUEUE_URL: QUEUE },
      });

    // Assess
    expect(stack.resolve(withoutAtlas.function.functionName)).toEqual({ Ref: expect.any(String) });
    Template.fromStack(stack).resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(forgotten).toThrow(/ATLAS_SECRET_ID: is required/);
  });

  it('refuses an upper-case organization id at synth, where the inventory would refuse it at every cold start', () => {
    // Prepare
    const stack = new Stack(testApp(), 'UpperCase');
    const credentials = new AtlasCredentials(stack, 'Credentials');

    // Act
    const build = () =>
      new InventoryWorker(stack, 'Inventory', { credentials, orgIds: ['5F1A2B3C4D5E6F7A8B9C0D1E'] });

    // Assess
    expect(build).toThrow(/INVENTORY_ORG_IDS\.0: must be a 24-character lowercase hexadecimal id/);
  });
});
