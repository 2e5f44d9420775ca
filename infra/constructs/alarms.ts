import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** How far behind a stream consumer is: the largest IteratorAge (ms) of each minute. */
export function streamLag(fn: lambda.IFunction): cloudwatch.Metric {
  return fn.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) });
}

/** Props of {@link RelayAlarms}. */
export interface RelayAlarmsProps {
  /** Subscribed to the alarm topic by email (confirm the subscription mail once). */
  readonly alarmEmail?: string;
}

/** SES's review threshold is 10 % bounces; 5 % leaves time to act first. */
export const BOUNCE_RATE_THRESHOLD = 0.05;
/** SES reviews accounts at 0.1 % complaints. */
export const COMPLAINT_RATE_THRESHOLD = 0.001;
/** How far behind the effects stream may fall (how old its records are when they reach the function) before the alarm. */
export const STREAM_LAG_THRESHOLD = Duration.minutes(5);
/** For how many minutes in a row: a burst the consumer catches up on is no alarm. */
export const STREAM_LAG_MINUTES = 5;

/**
 * The operator's early warnings, all to one SNS topic: anything in a dead-letter queue, any function
 * error, the effects stream falling behind, and SES reputation (bounce and complaint rate) before SES
 * itself acts on it.
 */
export class RelayAlarms extends Construct {
  readonly topic: sns.Topic;
  /** Every alarm added, in order (the dashboard shows their state). */
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: cwActions.SnsAction;

  constructor(scope: Construct, id: string, props: RelayAlarmsProps = {}) {
    super(scope, id);
    // Not KMS-encrypted: CloudWatch can publish to an encrypted topic only through a customer-managed
    // key, and alarm messages carry no personal data (alarm name, metric, threshold).
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Referral Relay alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.action = new cwActions.SnsAction(this.topic);
  }

  /** Alarms as soon as one message is waiting in `queue` (messages there are work not done). */
  alarmOnQueue(id: string, queue: sqs.IQueue, what: string): cloudwatch.Alarm {
    return this.add(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: `${what} has messages: work that failed all retries and waits for a look and a redrive.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Alarms on any error of `fn` within five minutes. */
  alarmOnErrors(id: string, fn: lambda.IFunction): cloudwatch.Alarm {
    return this.add(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: `The ${id.replace(/Errors$/, '')} function reported errors.`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /**
   * Alarms when the records `fn` reads from a stream wait longer than STREAM_LAG_THRESHOLD for
   * STREAM_LAG_MINUTES minutes in a row (Lambda's IteratorAge: how old the last record of a batch is
   * when the batch reaches the function): the emails and schedules they carry go out that late. A record failing its retries
   * holds its shard too, so this also fires while one is stuck, long before it reaches the
   * on-failure queue.
   */
  alarmOnStreamLag(id: string, fn: lambda.IFunction, what: string): cloudwatch.Alarm {
    return this.add(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: `${what} is more than ${STREAM_LAG_THRESHOLD.toMinutes()} minutes behind: emails and schedules go out that late. Check the function's errors, duration and throttles.`,
        metric: streamLag(fn),
        threshold: STREAM_LAG_THRESHOLD.toMilliseconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: STREAM_LAG_MINUTES,
        datapointsToAlarm: STREAM_LAG_MINUTES,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Alarms on the account's SES bounce rate above 5 % and complaint rate above 0.1 %. */
  alarmOnSesReputation(): void {
    const reputation = (metricName: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, period: Duration.hours(1), statistic: cloudwatch.Stats.MAXIMUM });
    this.add(
      new cloudwatch.Alarm(this, 'SesBounceRate', {
        alarmDescription: 'SES bounce rate above 5 % (SES reviews the account at 10 %): check the member address lists.',
        metric: reputation('Reputation.BounceRate'),
        threshold: BOUNCE_RATE_THRESHOLD,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.add(
      new cloudwatch.Alarm(this, 'SesComplaintRate', {
        alarmDescription: 'SES complaint rate above 0.1 % (the level at which SES reviews the account).',
        metric: reputation('Reputation.ComplaintRate'),
        threshold: COMPLAINT_RATE_THRESHOLD,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Alarms as soon as `metric` (a count, summed over five minutes) is above zero. */
  alarmOnCount(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    return this.add(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  private add(alarm: cloudwatch.Alarm): cloudwatch.Alarm {
    this.alarms.push(alarm);
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
