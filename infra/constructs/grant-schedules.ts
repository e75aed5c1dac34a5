import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import { Role as IamRole, PolicyStatement, type Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CREDENTIAL_SECRET_PREFIX } from '../../shared/operations/temporary-access.ts';
import { stackOutput } from './stack-output.ts';

export interface GrantSchedulesProps {
  /** The provisioning queue: where a schedule puts the operation that ends a grant. */
  readonly queue: IQueue;
  /** The provisioning worker: it creates and deletes the schedules and the generated passwords' secrets. */
  readonly worker: { readonly function: LambdaFunction; readonly role: Role };
}

/**
 * What the temporary-access operation types need in AWS (shared/operations/temporary-access.ts): a schedule
 * group for the one-time schedules that end grants (each puts an operation on the provisioning queue and
 * deletes itself), the role EventBridge Scheduler assumes to send it, and the provisioner's leave to manage
 * those schedules and the secrets of the passwords it generates — under their own prefix, nothing else.
 */
export class GrantSchedules extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  /** Assumed by EventBridge Scheduler: it may send to the provisioning queue, nothing else. */
  readonly schedulerRole: IamRole;

  constructor(scope: Construct, id: string, props: GrantSchedulesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup');
    this.schedulerRole = new IamRole(this, 'SchedulerRole', {
      description:
        'atlas-ops: lets EventBridge Scheduler put the end of a temporary grant on the provisioning queue',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': this.scheduleArns() },
        },
      }),
    });
    props.queue.grantSendMessages(this.schedulerRole);

    const { role } = props.worker;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ScheduleTheEndsOfGrants',
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [this.scheduleArns()],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'PassTheSchedulerRole',
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    const secrets = stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${CREDENTIAL_SECRET_PREFIX}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'KeepGeneratedPasswords',
        actions: [
          'secretsmanager:CreateSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:TagResource',
          'secretsmanager:PutResourcePolicy',
          'secretsmanager:DeleteSecret',
        ],
        resources: [secrets],
      }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:atlas-ops/database-users/*]',
      reason:
        'One secret per generated database-user password, named by the user at run time: only under ' +
        `${CREDENTIAL_SECRET_PREFIX}, never the stack's other secrets.`,
    });
    Validations.of(role).acknowledge({
      // The group's name is fixed at synth (CDK's unique name), so it is in the finding as written.
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${stack.resolve(this.scheduleGroup.scheduleGroupName)}/*]`,
      reason: 'One one-time schedule per grant, named at run time: only in the grants’ own schedule group.',
    });

    stackOutput(this, 'GrantsScheduleGroupName', {
      value: this.scheduleGroup.scheduleGroupName,
      description: 'The schedules that end temporary grants: atlas-ops access list --schedule-group NAME',
    });
    props.worker.function.addEnvironment('GRANTS_SCHEDULE_GROUP', this.scheduleGroup.scheduleGroupName);
    props.worker.function.addEnvironment('QUEUE_ARN', props.queue.queueArn);
    props.worker.function.addEnvironment('GRANTS_SCHEDULER_ROLE_ARN', this.schedulerRole.roleArn);
  }

  /** Every schedule of the group. */
  private scheduleArns(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroup.scheduleGroupName}/*`,
    });
  }
}
