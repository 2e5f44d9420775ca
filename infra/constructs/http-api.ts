import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/**
 * HTTP API context variables only (the REST API's standard fields are not all valid here). The path
 * is left out on purpose: magic-link and one-click tokens travel in paths, and access logs are kept
 * a month; the Hono app logs what it needs without them.
 */
const ACCESS_LOG_FORMAT = apigw.AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    method: '$context.httpMethod',
    protocol: '$context.protocol',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/** Props of {@link RelayHttpApi}. */
export interface RelayHttpApiProps {
  /** The Hono app's function; every route (`$default`) goes to it. */
  readonly handler: lambda.IFunction;
  /** Steady-state requests per second across the API. @default 50 */
  readonly rateLimit?: number;
  /** @default 100 */
  readonly burstLimit?: number;
}

/**
 * The HTTP API in front of the Hono function: one `$default` route (Hono does the routing), an
 * auto-deployed `$default` stage with JSON access logs and a throttle, so a runaway client costs
 * throttled requests rather than Lambda invocations.
 */
export class RelayHttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  /** `https://<id>.execute-api.<region>.amazonaws.com`, no trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: RelayHttpApiProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'Referral Relay web app and JSON API',
      defaultIntegration: new HttpLambdaIntegration('Hono', props.handler),
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });
    this.url = this.api.apiEndpoint;

    NagSuppressions.addResourceSuppressions(
      this.api,
      [
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'Authorization is done in the Hono app (API keys, magic-link sessions, signed one-click links) because public ' +
            'pages and signed links must stay reachable without credentials; a gateway authorizer cannot tell them apart.',
        },
      ],
      true,
    );
  }
}
