import * as z from './zod.js';

/**
 * The one module that reads the environment (STYLE.md point 4). Validated at start-up / cold start;
 * a missing or bad variable fails with a message that names it.
 */
const port = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(65535)), fallback);
const text = (min: number, message?: string) => z.string().check(z.minLength(min, message));
const arn = () => z.string().check(z.startsWith('arn:'));
/** An http(s) base URL of a service we talk to instead of starting our own stand-in. */
const endpoint = () => z.optional(z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL, e.g. http://localhost:4566' }));

// Schemas are built when read (one per process), not at import: a Lambda cold start needs only one.
const localSchema = () => z.object({
  APP_ENV: z._default(z.literal('local'), 'local'),
  PORT: port(3000),
  SMTP_PORT: port(2525),
  SES_PORT: port(8005),
  DYNAMODB_PORT: port(8000),
  /** Use this DynamoDB (LocalStack, a shared DynamoDB Local, a fault proxy) instead of starting DynamoDB Local. */
  DYNAMODB_ENDPOINT: endpoint(),
  /** Use this SES endpoint instead of starting aws-ses-v2-local. */
  SES_ENDPOINT: endpoint(),
  DATA_DIR: z._default(text(1), './.data'),
  INBOUND_DOMAIN: z._default(z.string().check(z.regex(/^[a-z0-9.-]+$/i, 'a domain name')), 'relay.localhost'),
  MAIL_FROM: z._default(z.email(), 'relay@relay.localhost'),
  TABLE_NAME: z._default(text(3), 'referral-relay'),
  REPLY_TOKEN_SECRET: z.optional(text(16)),
  WEB_BASE_URL: z.optional(z.url()),
  SEED_DEMO: z._default(z.enum(['true', 'false']), 'true'),
});

const awsSchema = () => z.object({
  APP_ENV: z.literal('aws'),
  TABLE_NAME: text(3),
  INBOUND_DOMAIN: text(3),
  MAIL_FROM: z.email(),
  SES_CONFIGURATION_SET: z.optional(z.string()),
  REPLY_TOKEN_SECRET_ARN: arn(),
  SCHEDULE_GROUP_NAME: text(1),
  SCHEDULER_ROLE_ARN: arn(),
  SCHEDULER_DLQ_ARN: arn(),
  DISPATCH_FUNCTION_ARN: arn(),
  DIGEST_FUNCTION_ARN: z.optional(arn()),
  RAW_MAIL_BUCKET: z.optional(z.string()),
  WEB_BASE_URL: z.optional(z.url()),
});

/** `npx relay` against a deployment: the table, plus (optional) what planning digest schedules needs. */
const cliAwsSchema = () => z.object({
  TABLE_NAME: text(3, 'APP_ENV=aws needs TABLE_NAME (the TableName output of the stack)'),
  INBOUND_DOMAIN: z._default(text(3), 'unknown'),
  WEB_BASE_URL: z.optional(z.url()),
  SCHEDULE_GROUP_NAME: z.optional(text(1)),
  SCHEDULER_ROLE_ARN: z.optional(arn()),
  SCHEDULER_DLQ_ARN: z.optional(arn()),
  DISPATCH_FUNCTION_ARN: z.optional(arn()),
  DIGEST_FUNCTION_ARN: z.optional(arn()),
});
export type CliAwsConfig = z.infer<ReturnType<typeof cliAwsSchema>>;

export function readCliAwsConfig(env: Record<string, string | undefined> = process.env): CliAwsConfig {
  return parse(cliAwsSchema(), { ...env, TABLE_NAME: env.TABLE_NAME ?? '' });
}

export type LocalConfig = z.infer<ReturnType<typeof localSchema>>;
export type AwsConfig = z.infer<ReturnType<typeof awsSchema>>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function parse<S extends z.ZodMiniType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`);
  throw new ConfigError(`Bad configuration: ${problems.join('; ')}`);
}

export function readLocalConfig(env: Record<string, string | undefined> = process.env): LocalConfig {
  return parse(localSchema(), { ...env, APP_ENV: env.APP_ENV === 'aws' ? 'local' : env.APP_ENV });
}

export function readAwsConfig(env: Record<string, string | undefined> = process.env): AwsConfig {
  return parse(awsSchema(), { ...env, APP_ENV: 'aws' });
}

/** Which runtime the CLI should use: AWS when APP_ENV=aws, else the local stack. */
export function isAws(env: Record<string, string | undefined> = process.env): boolean {
  return env.APP_ENV === 'aws';
}
