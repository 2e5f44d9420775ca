import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Props of {@link MailSending}. */
export interface MailSendingProps {
  /** The app's mail domain: replies and forwarded intros arrive here, and mail is signed for it. */
  readonly domain: string;
  /** The From address of every message the app sends. */
  readonly mailFrom: string;
}

/**
 * Outbound mail: the SES domain identity (Easy DKIM, 2048-bit), a configuration set with reputation
 * metrics whose bounce and complaint events go to an SNS topic (subscribed by the feedback
 * function), and the send permission, limited to this identity and configuration set.
 */
export class MailSending extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  /** Bounce and complaint events, one SNS message each. */
  readonly feedbackTopic: sns.Topic;
  /** The SES identity ARNs the functions may send as. */
  readonly identityArns: string[];
  readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, private readonly props: MailSendingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      // Account-level suppression of addresses that bounced or complained: never mail them again.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // Not KMS-encrypted: SES can publish to an encrypted topic only through a customer-managed key
    // whose policy admits ses.amazonaws.com (a planned hardening, $1/month); enforceSSL still applies.
    this.feedbackTopic = new sns.Topic(this, 'FeedbackTopic', {
      displayName: 'Referral Relay bounces and complaints',
      enforceSSL: true,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(this.feedbackTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });

    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.domain(props.domain),
      dkimSigning: true,
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
      // Mail sent without naming a configuration set still produces bounce/complaint events.
      configurationSet: this.configurationSet,
    });

    const identityArn = (name: string) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    const fromDomain = props.mailFrom.slice(props.mailFrom.lastIndexOf('@') + 1).toLowerCase();
    // A From address outside the mail domain needs its own verified identity (made by hand).
    this.identityArns = [...new Set([props.domain, fromDomain])].map(identityArn);
    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }

  /**
   * Sets `MAIL_FROM`, `INBOUND_DOMAIN` and `SES_CONFIGURATION_SET`, and grants `ses:SendRawEmail` /
   * `ses:SendEmail` on this identity and configuration set only.
   */
  bindMailSending(fn: lambda.Function): void {
    fn.addEnvironment('MAIL_FROM', this.props.mailFrom);
    fn.addEnvironment('INBOUND_DOMAIN', this.props.domain);
    fn.addEnvironment('SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendRawEmail', 'ses:SendEmail'],
        resources: [...this.identityArns, this.configurationSetArn],
      }),
    );
  }
}
