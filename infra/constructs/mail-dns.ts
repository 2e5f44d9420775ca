import { Aws, CfnOutput, Fn } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

/** Props of {@link MailDns}. */
export interface MailDnsProps {
  /** The inbound mail domain (the MX record's name and the SES identity). */
  readonly domain: string;
  /** The SES domain identity whose DKIM CNAME records verify the domain and sign its mail. */
  readonly identity: ses.EmailIdentity;
  /**
   * A Route 53 public hosted zone holding `domain` (the domain itself or a parent). Given: the records
   * are created in it. Absent: they are printed as stack outputs to add by hand.
   */
  readonly hostedZoneId?: string;
}

/** `10 inbound-smtp.<region>.amazonaws.com`: SES's receiving endpoint in the stack's region. */
export const inboundMxValue = (): string => Fn.join('', ['10 inbound-smtp.', Aws.REGION, '.amazonaws.com']);

/**
 * The DNS records that make the domain work: the MX record that routes mail to SES receiving, and
 * the three Easy DKIM CNAME records, which are also what verifies the domain identity in SES.
 * Plain `CfnRecordSet`s with absolute names, so no hosted-zone lookup (synth stays offline) and the
 * zone may be a parent of the domain.
 */
export class MailDns extends Construct {
  constructor(scope: Construct, id: string, props: MailDnsProps) {
    super(scope, id);
    const { identity, hostedZoneId, domain } = props;
    const dkim = [
      { name: identity.dkimDnsTokenName1, value: identity.dkimDnsTokenValue1 },
      { name: identity.dkimDnsTokenName2, value: identity.dkimDnsTokenValue2 },
      { name: identity.dkimDnsTokenName3, value: identity.dkimDnsTokenValue3 },
    ];

    if (hostedZoneId) {
      new route53.CfnRecordSet(this, 'Mx', {
        hostedZoneId,
        name: `${domain}.`,
        type: 'MX',
        ttl: '300',
        resourceRecords: [inboundMxValue()],
      });
      dkim.forEach((record, i) => {
        new route53.CfnRecordSet(this, `Dkim${i + 1}`, {
          hostedZoneId,
          name: record.name,
          type: 'CNAME',
          ttl: '1800',
          resourceRecords: [record.value],
        });
      });
      return;
    }

    new CfnOutput(this, 'AddMxRecord', {
      description: 'No hostedZoneId given: add this MX record to the DNS of the domain by hand',
      value: Fn.join(' ', [domain, 'MX', inboundMxValue()]),
    });
    dkim.forEach((record, i) => {
      new CfnOutput(this, `AddDkimRecord${i + 1}`, {
        description: `No hostedZoneId given: add DKIM record ${i + 1} of 3 (verifies the domain in SES) by hand`,
        value: Fn.join(' ', [record.name, 'CNAME', record.value]),
      });
    });
  }
}
