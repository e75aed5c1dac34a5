import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Where alarm notifications go; the address must confirm the subscription once. */
  readonly email: string;
}

/**
 * The SNS topic every worker's CloudWatch alarms notify, with an email subscription.
 *
 * Encrypted with a customer managed key, not the AWS managed `alias/aws/sns`: CloudWatch alarms call KMS
 * themselves when they publish, the AWS managed key's policy does not let `cloudwatch.amazonaws.com` use
 * it and cannot be edited, so with `alias/aws/sns` every alarm notification is dropped (only a line in the
 * alarm history says so — AWS knowledge-center article "cloudwatch-configure-alarm-sns").
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { account, partition, region } = Stack.of(this);

    this.key = new Key(this, 'Key', {
      description: 'atlas-ops: encrypts the alarm notification topic',
      enableKeyRotation: true,
      // Notifications are transient; nothing encrypted with this key outlives the topic.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToTheTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, "*" is this key
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      displayName: 'atlas-ops alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // enforceSSL gives the topic an explicit policy, which replaces the default one; say who may publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowThisAccountsCloudWatchAlarms',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    this.topic.addSubscription(new EmailSubscription(props.email));
  }
}
