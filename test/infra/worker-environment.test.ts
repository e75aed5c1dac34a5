import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { accessListSyncEnvSchema, loadAccessListSyncConfig } from '../../functions/access-list-sync/env.ts';
import { inventoryEnvSchema, loadInventoryConfig } from '../../functions/inventory/env.ts';
import { loadNotifierConfig, notifierEnvSchema } from '../../functions/notifier/env.ts';
import { loadProvisionerConfig, provisionerEnvSchema } from '../../functions/provisioner/env.ts';
import { WORKERS } from '../../functions/workers.ts';
import {
  AtlasOpsStack,
  type AtlasOpsStackProps,
  atlasOpsPropsFromContext,
} from '../../infra/atlas-ops-stack.ts';
import * as z from '../../shared/config/zod.ts';
import { testApp } from '../support/cdk.ts';
import { resolveIntrinsics, type TemplateJson } from '../support/cloudformation-values.ts';

/** Variables read by the runtime and Powertools rather than by the worker's schema. */
const RUNTIME_VARIABLES = [
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_TRACE_ENABLED',
  'NODE_OPTIONS',
];

/** Synthesizes the stack and reads a function's environment as Lambda would see it after deployment. */
function deployed(props: AtlasOpsStackProps, app = testApp()) {
  const stack = new AtlasOpsStack(app, 'AtlasOps', props);
  const template = Template.fromStack(stack).toJSON() as TemplateJson & {
    Resources: Record<string, { Properties: { Environment: { Variables: Record<string, unknown> } } }>;
  };
  const concrete = (value: unknown) => resolveIntrinsics(template, stack.resolve(value));
  const environmentOf = (fn: IConstruct) => {
    const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
    const variables = template.Resources[logicalId]?.Properties.Environment.Variables;
    return resolveIntrinsics(template, variables) as Record<string, string>;
  };
  return { stack, concrete, environmentOf };
}

const SCOPED: AtlasOpsStackProps = {
  atlasSecretNameOrArn: 'atlas/prod',
  staticEgressIps: 1,
  alarmEmail: 'ops@example.com',
  inventorySchedule: 'cron(0 6 * * ? *)',
  inventoryOrgIds: ['5f1a2b3c4d5e6f7a8b9c0d1e'],
  inventoryProjectIds: ['0123456789abcdef01234567', '89abcdef0123456789abcdef'],
  provisioning: { maxConcurrency: 20 },
  accessListSync: { mode: 'apply', schedule: 'rate(2 hours)' },
};

const CONFIGURATIONS: [string, AtlasOpsStackProps][] = [
  ['the defaults', { provisioning: {}, accessListSync: {} }],
  ['every option on', SCOPED],
];

describe('the synthesized environment satisfies the worker config schemas', () => {
  it.each(CONFIGURATIONS)('inventory, with %s', (_, props) => {
    // Prepare
    const { stack, concrete, environmentOf } = deployed(props);
    const environment = environmentOf(stack.inventory.function);

    // Act
    const config = loadInventoryConfig(environment);

    // Assess
    expect(config).toMatchObject({
      secretId: concrete(props.atlasSecretNameOrArn ?? stack.credentials.secret.secretArn),
      bucket: concrete(stack.inventory.bucket.bucketName),
      prefix: 'inventory/',
      concurrency: 12,
      orgIds: props.inventoryOrgIds ?? [],
      projectIds: props.inventoryProjectIds ?? [],
    });
    for (const name of Object.keys(environment)) {
      expect([...Object.keys(inventoryEnvSchema.shape), ...RUNTIME_VARIABLES]).toContain(name);
    }
  });

  it.each(CONFIGURATIONS)('provisioner, with %s', (_, props) => {
    // Prepare
    const { stack, concrete, environmentOf } = deployed(props);
    const worker = stack.provisioning;
    if (!worker) throw new Error('the stack has no provisioning worker');
    const environment = environmentOf(worker.function);

    // Act
    const config = loadProvisionerConfig(environment);

    // Assess
    expect(config).toMatchObject({
      secretId: concrete(props.atlasSecretNameOrArn ?? stack.credentials.secret.secretArn),
      table: concrete(worker.table.tableName),
      queueUrl: concrete(worker.queue.queueUrl),
      deadLetterQueueUrl: concrete(worker.deadLetterQueue.queueUrl),
      maxReceiveCount: 6,
      statusTtlDays: 30,
    });
    expect(config.queueUrl).toMatch(
      /^https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/AtlasOps-Provisioning/,
    );
    for (const name of Object.keys(environment)) {
      expect([...Object.keys(provisionerEnvSchema.shape), ...RUNTIME_VARIABLES]).toContain(name);
    }
  });

  it.each(CONFIGURATIONS)('access-list sync, with %s', (_, props) => {
    // Prepare
    const { stack, concrete, environmentOf } = deployed(props);
    const worker = stack.accessListSync;
    if (!worker) throw new Error('the stack has no access-list sync');
    const environment = environmentOf(worker.function);

    // Act
    const config = loadAccessListSyncConfig(environment);

    // Assess
    expect(config).toMatchObject({
      secretId: concrete(props.atlasSecretNameOrArn ?? stack.credentials.secret.secretArn),
      bucket: concrete(stack.inventory.bucket.bucketName),
      desiredStateKey: 'access-list/desired-state.json',
      managedEntriesKey: 'access-list/managed-entries.json',
      reportPrefix: 'access-list/reports/',
      forcePathStyle: false,
      mode: props.accessListSync?.mode ?? 'plan',
      staticEgressIps: (stack.staticEgress?.publicIps ?? []).map(concrete),
    });
    expect(config.staticEgressIps).toHaveLength(props.staticEgressIps ?? 0);
    for (const name of Object.keys(environment)) {
      expect([...Object.keys(accessListSyncEnvSchema.shape), ...RUNTIME_VARIABLES]).toContain(name);
    }
  });

  it('gives the inventory the org and project ids set as context, as its loader reads them back', () => {
    // Prepare
    const app = testApp({
      inventoryOrgIds: '5f1a2b3c4d5e6f7a8b9c0d1e, 0123456789abcdef01234567',
      inventoryProjectIds: '89abcdef0123456789abcdef',
    });
    const { stack, environmentOf } = deployed(atlasOpsPropsFromContext(app.node), app);

    // Act
    const config = loadInventoryConfig(environmentOf(stack.inventory.function));

    // Assess
    expect(config.orgIds).toEqual(['5f1a2b3c4d5e6f7a8b9c0d1e', '0123456789abcdef01234567']);
    expect(config.projectIds).toEqual(['89abcdef0123456789abcdef']);
  });
});

describe('the notifier', () => {
  it.each(CONFIGURATIONS)(
    'its environment satisfies its schema, and the provisioner publishes to its queue, with %s',
    (_, props) => {
      // Prepare
      const { stack, concrete, environmentOf } = deployed({
        ...props,
        notifier: {
          jiraBaseUrl: 'https://acme.atlassian.net',
          zendeskBaseUrl: 'https://acme.zendesk.com',
          callbackUrls: { servicenow: 'https://acme.service-now.com/api/atlas' },
        },
      });
      const notifier = stack.notifier;
      if (!notifier || !stack.provisioning) throw new Error('the stack has no notifier');
      const environment = environmentOf(notifier.function);

      // Act
      const config = loadNotifierConfig(environment);
      const provisioner = loadProvisionerConfig(environmentOf(stack.provisioning.function));

      // Assess
      expect(config).toMatchObject({
        secretId: concrete(notifier.secret.secretArn),
        table: concrete(stack.provisioning.table.tableName),
        queueUrl: concrete(notifier.queue.queueUrl),
        deadLetterQueueUrl: concrete(notifier.deadLetterQueue.queueUrl),
        jira: { baseUrl: 'https://acme.atlassian.net' },
        githubApiUrl: 'https://api.github.com',
        zendeskBaseUrl: 'https://acme.zendesk.com',
        callbackUrls: { servicenow: 'https://acme.service-now.com/api/atlas' },
      });
      expect(config.statusBaseUrl).toMatch(/^https:\/\/.+\.execute-api\./);
      expect(provisioner.outcomesQueueUrl).toBe(config.queueUrl);
      for (const name of Object.keys(environment)) {
        expect([...Object.keys(notifierEnvSchema.shape), ...RUNTIME_VARIABLES]).toContain(name);
      }
    },
  );
});

describe('every worker of the workers list', () => {
  it.each(
    CONFIGURATIONS.flatMap(([name, props]) =>
      WORKERS.map((worker) => [worker.name, name, worker, props] as const),
    ),
  )(
    '%s, with %s: its environment parses with its own schema, and sets nothing the schema does not read',
    (_name, _configuration, manifest, props) => {
      // Prepare
      const { stack, environmentOf } = deployed(props);
      const worker = stack.workers.find((deployedWorker) => deployedWorker.manifest.name === manifest.name);
      if (!worker) throw new Error(`${manifest.name} is not deployed`);

      // Act
      const environment = environmentOf(worker.function);
      const parsed = z.safeParse(manifest.environment, environment);

      // Assess
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(environment.POWERTOOLS_SERVICE_NAME).toBe(manifest.serviceName);
      for (const name of Object.keys(environment)) {
        expect([...Object.keys(manifest.environment._zod.def.shape), ...RUNTIME_VARIABLES]).toContain(name);
      }
    },
  );
});
