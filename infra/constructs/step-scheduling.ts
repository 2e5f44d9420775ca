import { ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/** Props of {@link StepScheduling}. */
export interface StepSchedulingProps {
  /** Name of the EventBridge Scheduler schedule group (1–64 of `[0-9a-zA-Z-_.]`). */
  readonly groupName: string;
  /** Fixed name of the dispatch function (its ARN goes into env vars, its own included). */
  readonly dispatchFunctionName: string;
  /** Fixed name of the digest function. */
  readonly digestFunctionName: string;
}

/** The scheduler actions the app uses on its own schedules (StepScheduler adapter). */
export const SCHEDULE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
] as const;

/**
 * Everything EventBridge Scheduler needs to run the app's one-time step schedules and weekly digest
 * schedules, which the app itself creates at run time: a schedule group, the execution role the
 * schedules run as (may invoke only the dispatch and digest functions and write the DLQ), and the
 * dead-letter queue for invocations that still failed after the schedule's retries.
 */
export class StepScheduling extends Construct {
  readonly group: scheduler.CfnScheduleGroup;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;
  /** `arn:…:lambda:…:function:<dispatch name>`, built from the fixed name (no reference cycle). */
  readonly dispatchFunctionArn: string;
  /** `arn:…:lambda:…:function:<digest name>`. */
  readonly digestFunctionArn: string;
  /** `arn:…:scheduler:…:schedule/<group>/*`: every schedule in the group, nothing else. */
  readonly schedulesArn: string;

  constructor(scope: Construct, id: string, props: StepSchedulingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.group = new scheduler.CfnScheduleGroup(this, 'Group', { name: props.groupName });
    const groupName = this.group.ref;
    this.schedulesArn = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${groupName}/*` });
    const functionArn = (name: string) =>
      stack.formatArn({ service: 'lambda', resource: 'function', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.dispatchFunctionArn = functionArn(props.dispatchFunctionName);
    this.digestFunctionArn = functionArn(props.digestFunctionName);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The maximum: time for someone to read the alarm, fix the cause and redrive.
      retentionPeriod: Duration.days(14),
    });

    this.role = new iam.Role(this, 'ExecutionRole', {
      description: 'Role EventBridge Scheduler assumes to run the relay step and digest schedules',
      // Confused-deputy guard: only schedules of this account, in this group, may use the role.
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: groupName }) },
        },
      }),
    });
    // SendMessage only (grantSendMessages would add GetQueueAttributes and GetQueueUrl).
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );

    NagSuppressions.addResourceSuppressions(this.deadLetterQueue, [
      {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself the dead-letter queue of the EventBridge Scheduler targets (cdk-nag recognises only SQS redrive policies and Lambda DLQ settings).',
      },
    ]);
  }

  /**
   * Lets the schedules invoke `fn` (meant for the dispatch and digest functions only). The
   * unqualified ARN alone, unlike `grantInvoke`, which adds every version and alias (`:*`).
   */
  allowInvoke(fn: lambda.IFunction): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
  }

  /**
   * For functions that plan or cancel steps: sets the scheduler env vars and grants create, update,
   * delete and get on this group's schedules plus `iam:PassRole` on the execution role only.
   */
  bindStepPlanner(fn: lambda.Function): void {
    this.bindScheduleSettings(fn);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...SCHEDULE_ACTIONS], resources: [this.schedulesArn] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    NagSuppressions.addResourceSuppressions(
      fn.role!,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Schedule names are made at run time (one per pending step and per group digest); the wildcard is limited ' +
            'to schedules inside this app\'s own schedule group.',
          // Partition and region are literals or pseudo-parameters depending on the environment.
          appliesTo: [{ regex: '/^Resource::arn:.+:scheduler:.+:schedule\\/[^/]+\\/\\*$/g' }],
        },
      ],
      true,
    );
  }

  /**
   * Sets the scheduler env vars without any permission: the app's config validation requires them in
   * every function, but only step planners may act on schedules.
   */
  bindScheduleSettings(fn: lambda.Function): void {
    fn.addEnvironment('SCHEDULE_GROUP_NAME', this.group.ref);
    fn.addEnvironment('SCHEDULER_ROLE_ARN', this.role.roleArn);
    fn.addEnvironment('SCHEDULER_DLQ_ARN', this.deadLetterQueue.queueArn);
    fn.addEnvironment('DISPATCH_FUNCTION_ARN', this.dispatchFunctionArn);
    fn.addEnvironment('DIGEST_FUNCTION_ARN', this.digestFunctionArn);
  }
}
