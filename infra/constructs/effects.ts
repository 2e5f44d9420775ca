import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface EffectsStreamProps {
  table: dynamodb.ITable;
  /** The effects Lambda (functions/effects.ts). */
  consumer: lambda.IFunction;
}

/**
 * DynamoDB Streams → the effects Lambda: batches of records, a failed record's batch split in two
 * until the failing record is alone (bisect), partial batch responses (Powertools), ten retries,
 * then the batch's description goes to an SQS queue (an alarm watches it) instead of blocking the
 * shard. Nothing is dropped silently: every email effect is also in the table until it is sent.
 */
export class EffectsStream extends Construct {
  /** Stream batches that failed every retry (their shard positions; the records are redriven from the table). */
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: EffectsStreamProps) {
    super(scope, id);
    this.failures = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    props.consumer.addEventSource(
      new sources.DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 50,
        maxBatchingWindow: Duration.seconds(0),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(24),
        // Records of one item stay in order; different referrals are handled side by side.
        parallelizationFactor: 4,
        onFailure: new sources.SqsDlq(this.failures),
      }),
    );
    NagSuppressions.addResourceSuppressions(this.failures, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the on-failure destination of the stream event source mapping (cdk-nag recognises only SQS redrive policies and Lambda DLQ settings).' },
    ]);
    const role = (props.consumer as lambda.Function).role;
    if (role) {
      NagSuppressions.addResourceSuppressions(
        role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason: 'dynamodb:ListStreams has no resource-level permissions (AWS requires "*"), granted by the event source mapping; the stream reads themselves are on this table\'s stream only.',
            appliesTo: ['Resource::*'],
          },
        ],
        true,
      );
    }
  }
}
