import { localRawMailArchive } from './local-raw-mail.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { rateLimitSettings, type LocalConfig } from '../../config/env.js';
import { createRateLimiter } from '../../limits/rate-limits.js';
import { SesMailSender } from '../../mail/ses/ses-mail-sender.js';
import { consoleLogger, type Logger, type RelayDeps } from '../../referrals/deps.js';
import { LocalStepScheduler } from '../../schedule/local/local-step-scheduler.js';
import { DynamoDbReferralStore } from '../../store/dynamodb/dynamodb-store.js';
import { LocalClock } from './local-clock.js';
import type { Clock } from '../../domain/clock.js';
import type { Group } from '../../domain/types.js';
import { nextDigestTime } from '../../schedule/business-hours.js';
import type { ReferralStore } from '../../store/referral-store.js';
import { connectHost, LOCAL_CREDENTIALS, localClientOptions, localDynamoClient } from './services.js';

/** DYNAMODB_ENDPOINT when given (bring your own), else the DynamoDB Local this stack starts. */
export const dynamoDbEndpoint = (config: LocalConfig) => config.DYNAMODB_ENDPOINT ?? `http://${connectHost(config.HOST)}:${config.DYNAMODB_PORT}`;
/** SES_ENDPOINT when given (bring your own), else the aws-ses-v2-local this stack starts. */
export const sesEndpoint = (config: LocalConfig) => (config.SES_ENDPOINT ?? `http://${connectHost(config.HOST)}:${config.SES_PORT}`).replace(/\/+$/, '');

/** The local secret: from REPLY_TOKEN_SECRET, else generated once and kept in DATA_DIR. */
function localSecret(config: LocalConfig): string {
  if (config.REPLY_TOKEN_SECRET) return config.REPLY_TOKEN_SECRET;
  const file = join(resolve(config.DATA_DIR), 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(resolve(config.DATA_DIR), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * Locally the weekly digest is a stored step like any other, re-planned after it runs. The id
 * carries the due time, so planning twice for the same week is the same row.
 */
export async function planLocalDigest(store: Pick<ReferralStore, 'putStep'>, clock: Clock, group: Group, after?: Date): Promise<void> {
  const due = nextDigestTime(after ?? clock.now(), group.timezone, group.settings.digestDay, group.settings.digestHour);
  await store.putStep({ stepId: `digest.${group.id}.${due.getTime()}`, referralId: group.id, kind: 'digest', due: due.toISOString() });
}

export interface LocalDeps extends RelayDeps {
  clock: LocalClock;
  store: DynamoDbReferralStore;
}

/** The SDK clients of a local stack: made once and shared by deps built again and again (the tests' checks). */
export interface LocalClients {
  dynamo: DynamoDBClient;
  ses: SESClient;
}

export const localClients = (config: LocalConfig): LocalClients => ({
  dynamo: localDynamoClient(dynamoDbEndpoint(config)),
  ses: new SESClient({ endpoint: sesEndpoint(config), region: 'local', credentials: LOCAL_CREDENTIALS, ...localClientOptions() }),
});

/** The composition root of the local stack: the same domain code on the local stand-ins. */
export function buildLocalDeps(config: LocalConfig, log: Logger = consoleLogger, clients: LocalClients = localClients(config)): LocalDeps {
  const store = new DynamoDbReferralStore(clients.dynamo, config.TABLE_NAME);
  const ses = clients.ses;
  const secret = localSecret(config);
  const previous = config.REPLY_TOKEN_SECRET_PREVIOUS;
  const clock = new LocalClock(join(resolve(config.DATA_DIR), 'clock.json'));
  return {
    store,
    digests: { plan: (group) => planLocalDigest(store, clock, group) },
    mail: new SesMailSender(ses, config.MAIL_FROM),
    scheduler: new LocalStepScheduler(store),
    clock,
    log,
    rawMail: localRawMailArchive(config.DATA_DIR, clock),
    limits: createRateLimiter({ counter: store, clock, settings: rateLimitSettings(config) }),
    config: {
      inboundDomain: config.INBOUND_DOMAIN,
      webBaseUrl: config.WEB_BASE_URL ?? `http://localhost:${config.PORT}`,
      // A rotation locally: the old REPLY_TOKEN_SECRET moves to REPLY_TOKEN_SECRET_PREVIOUS and keeps verifying.
      replyKeys: { current: { id: '1', secret: `${secret}:reply` }, ...(previous ? { previous: { id: '1', secret: `${previous}:reply` } } : {}) },
      sessionSecret: `${secret}:session`,
      ...(previous ? { previousSessionSecret: `${previous}:session` } : {}),
      local: true,
    },
  };
}
