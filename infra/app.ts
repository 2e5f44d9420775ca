/**
 * The CDK app (`cdk.json` runs it with tsx). Settings come from context (see cdk.json); cdk-nag's
 * AwsSolutions checks run on every synth, so an unsuppressed finding fails `cdk synth`.
 */
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RelayStack, readRelaySettings } from './relay-stack.js';

const app = new App();
new RelayStack(app, 'ReferralRelay', {
  description: 'Referral Relay: timed referral follow-ups by email',
  settings: readRelaySettings(app.node),
  // Taken from the CLI's profile when there is one; otherwise the stack is environment-agnostic and
  // synth still works offline (nothing here looks anything up).
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
