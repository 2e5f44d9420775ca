import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as actions from 'aws-cdk-lib/aws-ses-actions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/** Key prefix of the raw messages SES writes (`raw/<SES message id>`). */
export const RAW_MAIL_PREFIX = 'raw/';

/** Props of {@link InboundMail}. */
export interface InboundMailProps {
  /** Mail to any address at this domain is received. */
  readonly domain: string;
  /** The function SES invokes (asynchronously) after the raw message is stored. */
  readonly inboundFunction: lambda.IFunction;
  /** @default Duration.days(30): long enough to replay a failed message, short enough for privacy. */
  readonly rawMailExpiry?: Duration;
}

/**
 * Inbound mail: a receipt rule set with one rule for the domain, spam/virus scanning on, that first
 * stores the raw message in S3 (`raw/`) and then invokes the inbound function, in that order, so a
 * message whose processing fails is still on disk to be replayed. A custom resource activates the
 * rule set; SES allows one active set per region, so this deactivates any other.
 */
export class InboundMail extends Construct {
  readonly rawMailBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly ruleSet: ses.ReceiptRuleSet;
  readonly rule: ses.ReceiptRule;
  readonly activation: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    // Access-log delivery through a bucket policy, not the legacy LogDeliveryWrite ACL, whatever the
    // app's feature flags say (ACLs stay disabled on both buckets).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });

    this.rawMailBucket = new s3.Bucket(this, 'RawMail', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'raw-mail/',
      lifecycleRules: [{ expiration: props.rawMailExpiry ?? Duration.days(30) }],
    });

    this.ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet');
    this.rule = this.ruleSet.addRule('Domain', {
      recipients: [props.domain],
      scanEnabled: true,
      enabled: true,
      actions: [
        new actions.S3({ bucket: this.rawMailBucket, objectKeyPrefix: RAW_MAIL_PREFIX }),
        new actions.Lambda({ function: props.inboundFunction, invocationType: actions.LambdaInvocationType.EVENT }),
      ],
    });

    const activate: cr.AwsSdkCall = {
      service: 'SES',
      action: 'setActiveReceiptRuleSet',
      parameters: { RuleSetName: this.ruleSet.receiptRuleSetName },
      // Constant on purpose: a changed id would make CloudFormation replace the resource, and deleting
      // the old one (onDelete) would deactivate the new set right after it was activated.
      physicalResourceId: cr.PhysicalResourceId.of('relay-active-receipt-rule-set'),
    };
    const providerLogs = new logs.LogGroup(this, 'ActivationLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.activation = new cr.AwsCustomResource(this, 'ActivateRuleSet', {
      resourceType: 'Custom::SesActiveReceiptRuleSet',
      onCreate: activate,
      onUpdate: activate,
      // No RuleSetName: no set active, which SES requires before the rule set can be deleted.
      onDelete: { service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        // SetActiveReceiptRuleSet supports no resource-level permission: `*` is the only resource.
        new iam.PolicyStatement({ actions: ['ses:SetActiveReceiptRuleSet'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
      logGroup: providerLogs,
      timeout: Duration.minutes(2),
    });
    // Activate only once the rule (and the permissions its actions need) exist.
    this.activation.node.addDependency(this.rule);

    this.suppressActivationProviderFindings();
  }

  /** Sets `RAW_MAIL_BUCKET` and grants reading raw messages (`s3:GetObject` on `raw/*` only). */
  bindRawMailBucket(fn: lambda.Function): void {
    fn.addEnvironment('RAW_MAIL_BUCKET', this.rawMailBucket.bucketName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.rawMailBucket.arnForObjects(`${RAW_MAIL_PREFIX}*`)] }),
    );
    NagSuppressions.addResourceSuppressions(
      fn.role!,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'Raw messages are keyed by their SES message id, unknown in advance; read access is limited to the raw/ prefix.',
          appliesTo: [{ regex: '/^Resource::<.*RawMail.*\\.Arn>\\/raw\\/\\*$/g' }],
        },
      ],
      true,
    );
  }

  /** The AwsCustomResource provider is a stack-level singleton Lambda owned by CDK, not by us. */
  private suppressActivationProviderFindings(): void {
    const stack = Stack.of(this);
    const providerId = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
    const provider = stack.node.tryFindChild(providerId);
    if (!provider) return;
    NagSuppressions.addResourceSuppressions(
      provider,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason: 'CDK\'s AwsCustomResource provider uses AWSLambdaBasicExecutionRole (logs only); it runs once per deployment.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(
      this.activation,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'ses:SetActiveReceiptRuleSet has no resource-level permissions; the action itself is the only one granted.',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
  }
}
