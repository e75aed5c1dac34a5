/**
 * A new worker is its folder and one line in the workers list: two tiny ones (test/support/workers/), a
 * scheduled one and a queue one, each declared by its manifest alone, are deployed by the stack and run by the
 * local stack with nothing else written for them.
 */
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKERS } from '../../../functions/workers.ts';
import { AtlasOpsStack } from '../../../infra/atlas-ops-stack.ts';
import { type LocalStack, startLocalStack } from '../../../local/stack.ts';
import { DeadLetterQueue } from '../../../shared/queue-worker/adapters/dead-letter-queue.ts';
import { testApp } from '../../support/cdk.ts';
import { projectCheckWorker } from '../../support/workers/project-check/worker.ts';
import { projectCountWorker } from '../../support/workers/project-count/worker.ts';

const workers = [...WORKERS, projectCountWorker, projectCheckWorker];

describe('a worker declared by its manifest alone', () => {
  describe('in the stack', () => {
    const stack = new AtlasOpsStack(testApp(), 'Grown', { provisioning: {}, accessListSync: {}, workers });
    const template = Template.fromStack(stack);
    const resources = template.toJSON().Resources as Record<
      string,
      {
        Type: string;
        Properties: Record<string, never> & { Environment?: { Variables?: Record<string, unknown> } };
      }
    >;
    const functionOf = (service: string) =>
      Object.entries(resources).find(
        ([, r]) =>
          r.Type === 'AWS::Lambda::Function' &&
          r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service,
      );

    it('deploys the scheduled one: its function with the Atlas secret, its schedule, its alarms', () => {
      // Act
      const [id, fn] = functionOf(projectCountWorker.serviceName) ?? [];

      // Assess
      expect(fn?.Properties).toMatchObject({
        Timeout: 30,
        MemorySize: 256,
        Description: projectCountWorker.description,
        Environment: {
          Variables: { ATLAS_SECRET_ID: stack.resolve(stack.credentials.secret.secretFullArn) },
        },
      });
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 day)',
        Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [id, 'Arn'] } }),
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: id },
        MaximumRetryAttempts: 2,
      });
      const alarms = stack.workers.find((w) => w.manifest.name === 'project-count')?.alarms ?? [];
      expect(alarms.map((alarm) => alarm.node.id)).toEqual(
        expect.arrayContaining(['FunctionErrorsAlarm', 'DeadLetterAlarm', 'DurationNearTimeoutAlarm']),
      );
    });

    it('deploys the queue one: its queue and dead-letter queue with the manifest’s receive count', () => {
      // Act
      const [id, fn] = functionOf(projectCheckWorker.serviceName) ?? [];
      const worker = stack.workers.find((w) => w.manifest.name === 'project-check');
      const queue = worker?.queues[0]?.queue;

      // Assess
      expect(fn?.Properties.Environment?.Variables).toMatchObject({
        QUEUE_URL: { Ref: stack.getLogicalId(queue?.node.defaultChild as never) },
        MAX_RECEIVE_COUNT: '5',
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: id },
        BatchSize: 5,
        ScalingConfig: { MaximumConcurrency: 2 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 120,
        RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
      });
    });

    it('gives each a dashboard row drawn from its metric catalogue', () => {
      // Act
      const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));

      // Assess
      expect(body).toContain('## Project count');
      expect(body).toContain('Projects counted');
      expect(body).toContain('## Project check');
      expect(body).toContain('ProjectsMissing');
    });
  });

  describe('in the local stack', () => {
    let local: LocalStack;

    beforeAll(async () => {
      local = await startLocalStack({ webhooks: false, notifications: false, workers, pollIntervalMs: 10 });
    });
    afterAll(async () => {
      await local?.close();
    });

    it('runs the scheduled one against the simulator', async () => {
      // Act
      const result = await local.manifestWorkers.get('project-count')?.invoke();

      // Assess
      expect(result).toEqual({ projects: local.simulator.state.projects.length });
      expect(local.simulator.state.projects.length).toBeGreaterThan(0);
    });

    it('runs the queue one: a project Atlas has is checked, one it lacks is dead-lettered', async () => {
      // Prepare
      const worker = local.manifestWorkers.get('project-check');
      const sqs = local.provisioning?.sqs;
      if (!worker?.queueUrl || !worker.deadLetterQueueUrl || !sqs) throw new Error('no project-check queue');
      const known = local.simulator.state.projects[0]?.id;

      // Act
      for (const projectId of [known, 'ffffffffffffffffffffffff']) {
        await sqs.send(
          new SendMessageCommand({ QueueUrl: worker.queueUrl, MessageBody: JSON.stringify({ projectId }) }),
        );
      }
      await worker.idle();

      // Assess
      const parked = await new DeadLetterQueue({
        sqs,
        queueUrl: worker.deadLetterQueueUrl,
        waitTimeSeconds: 0,
      }).list();
      expect(parked.messages).toEqual([
        expect.objectContaining({ reason: 'PROJECT_NOT_FOUND', detail: expect.stringContaining('404') }),
      ]);
      const left = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: worker.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      expect(left.Attributes?.ApproximateNumberOfMessages).toBe('0');
    });
  });
});
