import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { MetricName } from '../../src/referrals/deps.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../src/runtime/aws/metric-names.js';

const PERIOD = Duration.minutes(5);

/** One of the functions' counts (EMF, see src/runtime/aws/observability.ts), all kinds together, summed per five minutes (no label: an alarm on it stays a plain metric alarm). */
export function relayMetric(name: MetricName, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: SERVICE_NAME }, statistic: cloudwatch.Stats.SUM, period: PERIOD, ...(label ? { label } : {}) });
}

/** The same count split by its `kind` dimension (email kind, step kind, kind of email replied to): one line per kind. */
export function relayMetricByKind(name: MetricName): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},kind,service} service="${SERVICE_NAME}" MetricName="${name}"', 'Sum', ${PERIOD.toSeconds()})`,
    label: `${name} by kind`,
    period: PERIOD,
  });
}

/** Props of {@link RelayDashboard}. */
export interface RelayDashboardProps {
  /** Shown with their state at the top. */
  readonly alarms: cloudwatch.IAlarm[];
  /** How far behind the effects stream is (see streamLag in alarms.ts), graphed on the last row. */
  readonly streamLag: cloudwatch.IMetric;
}

/** `ReferralRelay` dashboard: the alarms, then emails, steps, inbound mail and replies, totals and by kind, and how far behind the outbox is. */
export class RelayDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: RelayDashboardProps) {
    super(scope, id);
    const graph = (title: string, names: MetricName[], width = 12) => new cloudwatch.GraphWidget({ title, left: names.map((n) => relayMetric(n)), width, height: 6, stacked: false });
    const byKind = (title: string, name: MetricName) => new cloudwatch.GraphWidget({ title, left: [relayMetricByKind(name)], width: 8, height: 6 });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 4 })],
        [graph('Emails: sent / failed / suppressed', ['EmailSent', 'EmailFailed', 'EmailSuppressed']), graph('Timed steps: run / skipped / late', ['StepRun', 'StepSkipped', 'StepLate'])],
        [byKind('Emails sent by kind', 'EmailSent'), byKind('Emails failed by kind', 'EmailFailed'), byKind('Emails suppressed by kind', 'EmailSuppressed')],
        [byKind('Steps run by kind', 'StepRun'), byKind('Steps skipped by kind', 'StepSkipped'), byKind('Steps late by kind', 'StepLate')],
        [
          graph('Inbound mail: logged / needs info / refused / dead-lettered', ['InboundLogged', 'InboundNeedsInfo', 'InboundRefused', 'InboundDeadLettered']),
          graph('Reply commands: understood / not understood', ['ReplyUnderstood', 'ReplyNotUnderstood']),
        ],
        [
          byKind('Replies not understood, by the email replied to', 'ReplyNotUnderstood'),
          new cloudwatch.GraphWidget({ title: 'Outbox: how far behind the effects stream is (ms)', left: [props.streamLag], width: 16, height: 6 }),
        ],
      ],
    });
  }
}
