import * as z from 'zod';

/**
 * The one module that reads the environment (STYLE.md point 4). Validated at start-up / cold start;
 * a missing or bad variable fails with a message that names it.
 */
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const localSchema = z.object({
  APP_ENV: z.literal('local').default('local'),
  PORT: port(3000),
  SMTP_PORT: port(2525),
  SES_PORT: port(8005),
  DYNAMODB_PORT: port(8000),
  DATA_DIR: z.string().min(1).default('./.data'),
  INBOUND_DOMAIN: z.string().regex(/^[a-z0-9.-]+$/i, 'a domain name').default('relay.localhost'),
  MAIL_FROM: z.string().email().default('relay@relay.localhost'),
  TABLE_NAME: z.string().min(3).default('referral-relay'),
  REPLY_TOKEN_SECRET: z.string().min(16).optional(),
  WEB_BASE_URL: z.string().url().optional(),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
});

const awsSchema = z.object({
  APP_ENV: z.literal('aws'),
  TABLE_NAME: z.string().min(3),
  INBOUND_DOMAIN: z.string().min(3),
  MAIL_FROM: z.string().email(),
  SES_CONFIGURATION_SET: z.string().optional(),
  REPLY_TOKEN_SECRET_ARN: z.string().startsWith('arn:'),
  SCHEDULE_GROUP_NAME: z.string().min(1),
  SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
  SCHEDULER_DLQ_ARN: z.string().startsWith('arn:'),
  DISPATCH_FUNCTION_ARN: z.string().startsWith('arn:'),
  DIGEST_FUNCTION_ARN: z.string().startsWith('arn:').optional(),
  RAW_MAIL_BUCKET: z.string().optional(),
  WEB_BASE_URL: z.string().url().optional(),
});

/** `npx relay` against a deployment: the table, plus (optional) what planning digest schedules needs. */
const cliAwsSchema = z.object({
  TABLE_NAME: z.string().min(3, 'APP_ENV=aws needs TABLE_NAME (the TableName output of the stack)'),
  INBOUND_DOMAIN: z.string().min(3).default('unknown'),
  WEB_BASE_URL: z.string().url().optional(),
  SCHEDULE_GROUP_NAME: z.string().min(1).optional(),
  SCHEDULER_ROLE_ARN: z.string().startsWith('arn:').optional(),
  SCHEDULER_DLQ_ARN: z.string().startsWith('arn:').optional(),
  DISPATCH_FUNCTION_ARN: z.string().startsWith('arn:').optional(),
  DIGEST_FUNCTION_ARN: z.string().startsWith('arn:').optional(),
});
export type CliAwsConfig = z.infer<typeof cliAwsSchema>;

export function readCliAwsConfig(env: Record<string, string | undefined> = process.env): CliAwsConfig {
  return parse(cliAwsSchema, { ...env, TABLE_NAME: env.TABLE_NAME ?? '' });
}

export type LocalConfig = z.infer<typeof localSchema>;
export type AwsConfig = z.infer<typeof awsSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function parse<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`);
  throw new ConfigError(`Bad configuration: ${problems.join('; ')}`);
}

export function readLocalConfig(env: Record<string, string | undefined> = process.env): LocalConfig {
  return parse(localSchema, { ...env, APP_ENV: env.APP_ENV === 'aws' ? 'local' : env.APP_ENV });
}

export function readAwsConfig(env: Record<string, string | undefined> = process.env): AwsConfig {
  return parse(awsSchema, { ...env, APP_ENV: 'aws' });
}

/** Which runtime the CLI should use: AWS when APP_ENV=aws, else the local stack. */
export function isAws(env: Record<string, string | undefined> = process.env): boolean {
  return env.APP_ENV === 'aws';
}
