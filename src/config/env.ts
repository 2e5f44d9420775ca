import { existsSync } from 'node:fs';
import * as z from './zod.js';
import { ALLOWANCE_PATTERN, DEFAULT_RATE_LIMITS, parseAllowance, RATE_LIMIT_ENV, type RateLimitKind, type RateLimitSettings } from '../limits/rate-limits.js';

/**
 * The one module that reads the environment (STYLE.md point 4). Validated at start-up / cold start;
 * a missing or bad variable fails with a message that names it.
 */
const port = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(65535)), fallback);
const text = (min: number, message?: string) => z.string().check(z.minLength(min, message));
const arn = () => z.string().check(z.startsWith('arn:'));
/** An http(s) base URL of a service we talk to instead of starting our own stand-in. */
const endpoint = () => z.optional(z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL, e.g. http://localhost:4566' }));

/** `RATE_LIMITS=off` turns every limit off; `RATE_LIMIT_<KIND>=<count>/<second|minute|hour|day>` moves one. */
const rateLimitShape = () => {
  const allowance = () => z.optional(z.string().check(z.regex(ALLOWANCE_PATTERN, 'a limit like 60/minute (count/second, minute, hour or day)')));
  return {
    RATE_LIMITS: z._default(z.enum(['on', 'off']), 'on'),
    ...(Object.fromEntries(Object.values(RATE_LIMIT_ENV).map((name) => [name, allowance()])) as Record<(typeof RATE_LIMIT_ENV)[RateLimitKind], ReturnType<typeof allowance>>),
  };
};

/** The limits a validated config asks for: 'off', or the defaults with the env's overrides. */
export function rateLimitSettings(config: { RATE_LIMITS: 'on' | 'off' } & Partial<Record<string, unknown>>): RateLimitSettings | 'off' {
  if (config.RATE_LIMITS === 'off') return 'off';
  const settings = { ...DEFAULT_RATE_LIMITS };
  for (const [kind, name] of Object.entries(RATE_LIMIT_ENV) as Array<[RateLimitKind, string]>) {
    const value = config[name];
    if (typeof value === 'string') settings[kind] = parseAllowance(value);
  }
  return settings;
}

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
  REPLY_TOKEN_SECRET_PREVIOUS: z.optional(text(16)),
  WEB_BASE_URL: z.optional(z.url()),
  SEED_DEMO: z._default(z.enum(['true', 'false']), 'true'),
  // Every local component listens here; 0.0.0.0 (or a LAN address) exposes the stack on purpose.
  HOST: z._default(z.string().check(z.regex(/^(?:[a-z0-9.-]+|[0-9a-f:]+)$/i, 'an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0')), '127.0.0.1'),
  /** Local logs: `text` (human-readable lines) or `json` (one object per line, as in Lambda). */
  LOG_FORMAT: z._default(z.enum(['text', 'json']), 'text'),
  /** Lowest level logged locally (in AWS, the stack's `logLevel` setting). */
  LOG_LEVEL: z._default(z.enum(['debug', 'info', 'warn', 'error']), 'info'),
  ...rateLimitShape(),
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
  ...rateLimitShape(),
});

/** `npx relay` against a deployment: the table, plus (optional) what planning digest schedules needs. */
const cliAwsSchema = () => z.object({
  TABLE_NAME: text(3, 'APP_ENV=aws needs TABLE_NAME (the TableName output of the stack)'),
  INBOUND_DOMAIN: z._default(text(3), 'unknown'),
  WEB_BASE_URL: z.optional(z.url()),
  /** Sender of the welcome emails `member import --welcome` sends; without it the CLI sends none. */
  MAIL_FROM: z.optional(z.email()),
  SES_CONFIGURATION_SET: z.optional(z.string()),
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

/** The names of every local setting (`.env.example` lists each one with its default). */
export function localSettingNames(): string[] {
  return Object.keys(localSchema().shape);
}

/**
 * Reads `.env` into `process.env` when the file exists (`npm start`, `npx relay`); variables already
 * set in the environment win. `process.loadEnvFile` is Node's own `--env-file` parser (Node 20.12+),
 * so the two cannot disagree on the format.
 */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Which runtime the CLI should use: AWS when APP_ENV=aws, else the local stack. */
export function isAws(env: Record<string, string | undefined> = process.env): boolean {
  return env.APP_ENV === 'aws';
}
