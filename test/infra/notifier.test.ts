import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  AtlasOpsStack,
  type AtlasOpsStackProps,
  atlasOpsPropsFromContext,
  InvalidContextError,
} from '../../infra/atlas-ops-stack.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { roleStatements, testApp } from '../support/cdk.ts';

function atlasOps(props: AtlasOpsStackProps, app = testApp()) {
  const stack = new AtlasOpsStack(app, 'AtlasOps', props);
  return { stack, template: Template.fromStack(stack), ref: (value: unknown) => stack.resolve(value) };
}

const { stack, template, ref } = atlasOps({ provisioning: {}, alarmEmail: 'ops@example.com' });
const notifier = stack.notifier;
if (!notifier || !stack.provisioning) throw new Error('the stack has no notifier');

describe('the notifier construct', () => {
  it('drains an encrypted, SSL-only outcomes queue that redrives to its own dead-letter queue after 6 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: ref(notifier.deadLetterQueue.queueArn), maxReceiveCount: 6 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: ref(notifier.queue.queueArn),
      FunctionName: ref(notifier.function.functionName),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('may read its own secret, dead-letter to its DLQ and touch only notified# items of the table', () => {
    // Act
    const statements = roleStatements(template, ref(notifier.role.roleName));

    // Assess
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: ref(notifier.secret.secretArn),
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'LedgerOfNotifications',
        Resource: ref(stack.provisioning?.table.tableArn),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['notified#*'] } },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Resource: ref(notifier.deadLetterQueue.queueArn),
      }),
    );
    const atlasSecret = JSON.stringify(ref(stack.credentials.secret.secretArn));
    expect(JSON.stringify(statements)).not.toContain(atlasSecret);
    expect(JSON.stringify(statements)).not.toContain(JSON.stringify(ref(stack.provisioning?.queue.queueArn)));
  });

  it('lets the provisioner send to the outcomes queue, and tells it the queue URL', () => {
    // Act
    const statements = roleStatements(template, ref(stack.provisioning?.role.roleName));

    // Assess
    const sendsToOutcomes = statements.filter(
      (s) =>
        JSON.stringify(s.Resource) === JSON.stringify(ref(notifier.queue.queueArn)) &&
        JSON.stringify(s.Action).includes('sqs:SendMessage'),
    );
    expect(sendsToOutcomes).toHaveLength(1);
    expect(JSON.stringify(sendsToOutcomes[0]?.Action)).not.toContain('sqs:ReceiveMessage');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ OUTCOMES_QUEUE_URL: ref(notifier.queue.queueUrl) }) },
    });
  });

  it('alarms on any message in its dead-letter queue, notifying the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: ref(notifier.deadLetterQueue.queueName) }],
      AlarmActions: Match.anyValue(),
    });
  });

  it('is left out with notifierEnabled=false, and the provisioner publishes nothing', () => {
    // Prepare
    const app = testApp({ notifierEnabled: 'false' });

    // Act
    const { stack: off, template: offTemplate } = atlasOps(atlasOpsPropsFromContext(app.node), app);

    // Assess
    expect(off.notifier).toBeUndefined();
    expect(JSON.stringify(offTemplate.toJSON())).not.toContain('OUTCOMES_QUEUE_URL');
  });

  it('reads base URLs and callback URLs from context, https only', () => {
    const app = testApp({
      jiraBaseUrl: 'https://acme.atlassian.net',
      callbackUrls: '{"servicenow": "https://acme.service-now.com/api/x"}',
    });
    expect(atlasOpsPropsFromContext(app.node).notifier).toEqual({
      jiraBaseUrl: 'https://acme.atlassian.net',
      callbackUrls: { servicenow: 'https://acme.service-now.com/api/x' },
    });
    const bad = testApp({ zendeskBaseUrl: 'http://acme.zendesk.com' });
    expect(() => atlasOpsPropsFromContext(bad.node)).toThrow(InvalidContextError);
    expect(() => atlasOpsPropsFromContext(bad.node)).toThrow(/zendeskBaseUrl/);
  });

  it('passes cdk-nag AwsSolutions', () => {
    const app = testApp();
    new AtlasOpsStack(app, 'Nagged', {
      provisioning: {},
      alarmEmail: 'ops@example.com',
      notifier: { jiraBaseUrl: 'https://acme.atlassian.net' },
    });
    addNagChecks(app);
    expect(() => app.synth()).not.toThrow();
  });
});
