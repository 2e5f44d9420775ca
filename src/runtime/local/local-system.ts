import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import type { SMTPServer } from 'smtp-server';
import type { LocalConfig } from '../../config/env.js';
import { hashSecret } from '../../members/api-keys.js';
import type { Logger } from '../../referrals/deps.js';
import { consoleLogger } from '../../referrals/deps.js';
import { dispatchStep } from '../../referrals/engine.js';
import { runDueSteps } from '../../schedule/local/run-due-steps.js';
import { attemptWebhookDelivery } from '../../webhooks/attempt.js';
import { ensureTable } from '../../store/dynamodb/dynamodb-store.js';
import { createApp } from '../../web/app.js';
import { handleInboundMail } from '../../mailflow/handle-inbound.js';
import { devClockRoutes } from './dev-clock.js';
import { buildLocalDeps, dynamoDbEndpoint, planLocalDigest, sesEndpoint, type LocalDeps } from './local-deps.js';
import { DEMO_SLUG, seedDemoGroup } from './seed.js';
import { keepSesMailIn } from './ses-mail-store.js';
import { assertJava, assertPortFree, connectHost, localStreamsClient, startDynamoDbLocal, startSesLocal, stopChild } from './services.js';
import { startSmtpServer } from './smtp.js';
import { join, resolve } from 'node:path';
import { keepFailed } from './keep-failed.js';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { deliverEmailEffect } from '../../outbox/email-effect.js';
import { handleStreamRecord } from '../../outbox/stream-handler.js';
import type { StoredStep } from '../../store/referral-store.js';
import { StreamPoller } from './stream-poller.js';
import { sendGroupDigests } from '../../digest/send-digests.js';
import { nextDigestTime } from '../../schedule/business-hours.js';
import { jitteredBackoff, sleep } from '../../domain/backoff.js';

/** Passes over a step window before a clock call gives up (each after a store failure the client's own retries did not cure). */
const RUN_ATTEMPTS = 5;

export interface LocalSystem {
  deps: LocalDeps;
  urls: { web: string; smtp: string; ses: string; dynamodb: string };
  /** A fresh sign-in link for the demo admin (when the demo group exists). */
  demoSignInLink?: string;
  /** Runs every step due up to `until` (serialised with the background ticker). */
  runUntil(until: Date): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the whole system locally on real stand-ins: DynamoDB Local (Java child process),
 * aws-ses-v2-local, the Hono app, the SMTP door and the local scheduler.
 */
export async function startLocalSystem(config: LocalConfig, log: Logger = consoleLogger): Promise<LocalSystem> {
  const host = config.HOST;
  // With DYNAMODB_ENDPOINT / SES_ENDPOINT the services are someone else's: start neither, need no Java.
  const ownDynamoDb = !config.DYNAMODB_ENDPOINT;
  const ownSes = !config.SES_ENDPOINT;
  if (ownDynamoDb) {
    assertJava();
    await assertPortFree(config.DYNAMODB_PORT, 'DYNAMODB_PORT', 'DynamoDB Local', host);
  }
  if (ownSes) await assertPortFree(config.SES_PORT, 'SES_PORT', 'local SES', host);
  await assertPortFree(config.PORT, 'PORT', 'web + API', host);
  await assertPortFree(config.SMTP_PORT, 'SMTP_PORT', 'inbound SMTP', host);

  const stoppers: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await Promise.resolve(s()).catch(() => undefined);
  };
  try {
    if (ownDynamoDb) {
      const dynamo: { process: ChildProcess; warning?: string } = await startDynamoDbLocal(config.DYNAMODB_PORT, config.DATA_DIR, host);
      stoppers.push(() => stopChild(dynamo.process));
      if (dynamo.warning) log.warn(dynamo.warning);
    }
    if (ownSes) {
      const ses: Server = await startSesLocal(config.SES_PORT, host);
      stoppers.push(() => new Promise<void>((ok) => ses.close(() => ok())));
      // The viewer's mail survives a restart: kept in DATA_DIR/ses-mail.jsonl.
      stoppers.push(keepSesMailIn(config.DATA_DIR));
    }

    const deps = buildLocalDeps(config, log);
    await ensureTable(deps.store.client, config.TABLE_NAME);
    // The effects consumer: the same handler as the Streams Lambda in AWS, fed from DynamoDB Local's stream.
    const poller = await startStreamPoller(deps, config, log);
    stoppers.push(() => poller.stop());
    if (config.SEED_DEMO === 'true') await seedDemoGroup(deps);

    // One runner at a time: the ticker and POST /dev/clock share this chain. After each step the
    // outbox is drained, so its emails are sent (at the step's due time) and the steps it planned
    // are scheduled before the next one is picked.
    const runStep = async (s: StoredStep) => {
      if (s.kind === 'digest') await runLocalDigest(deps, s.referralId);
      else if (s.kind === 'email_retry') await deliverEmailEffect(deps, s.referralId, s.effectId ?? '');
      // `whk.<deliveryId>.<attempt>`; the row's referralId carries the delivery id.
      else if (s.kind === 'webhook') await attemptWebhookDelivery(deps, s.referralId, Number(s.stepId.split('.')[2]));
      else await dispatchStep(deps, { stepId: s.stepId, referralId: s.referralId, kind: s.kind });
      await drainQuietly();
    };
    // A stream read that fails (DynamoDB throttling) does not fail the step or the clock: the
    // records stay in the stream, and the next drain or the background poll carries them out.
    const drainQuietly = () => poller.drain().catch((err: unknown) => log.warn('stream drain failed; the poller retries', { err: String(err) }));
    let chain: Promise<unknown> = Promise.resolve();
    const runDue = (until: Date) =>
      runDueSteps(
        {
          store: deps.store,
          clock: deps.clock,
          dispatch: runStep,
          onError: (s, err, retryAt) =>
            retryAt
              ? log.warn('step failed; tried again later', { stepId: s.stepId, retryAt: retryAt.toISOString(), err: String(err) })
              : log.error('step failed for good; kept in failed-steps.jsonl', { stepId: s.stepId, err: String((err as Error).stack ?? err) }),
          // The local dead-letter queue for steps, for an operator to replay.
          onGiveUp: (s, err) => keepFailed(join(resolve(config.DATA_DIR), 'failed-steps.jsonl'), err, { step: s }),
        },
        until,
      );
    const runUntil = (until: Date) => {
      const run = chain.then(async () => {
        await drainQuietly();
        // A store call that fails even after the client's retries (listing the due steps, say) fails
        // this pass, not the clock: every step is idempotent, so the pass is simply run again.
        for (let attempt = 1; ; attempt++) {
          try {
            return await runDue(until);
          } catch (err) {
            if (attempt >= RUN_ATTEMPTS) throw err;
            log.warn('step run failed; running the window again', { attempt, err: String(err) });
            await sleep(jitteredBackoff(attempt, { baseMs: 100, capMs: 5000 }));
          }
        }
      });
      chain = run.catch(() => undefined);
      return run;
    };
    await planLocalDigests(deps);
    let ticks = 0;
    const ticker = setInterval(() => {
      // Groups made by the CLI while the server runs get their digest step within a minute.
      if (++ticks % 60 === 0) void planLocalDigests(deps).catch((err) => log.error('digest planning failed', { err: String(err) }));
      void runUntil(deps.clock.now()).catch((err) => log.error('scheduler tick failed', { err: String(err) }));
    }, 1000);
    stoppers.push(() => clearInterval(ticker));

    const sesUrl = ownSes ? `http://${host === '127.0.0.1' ? 'localhost' : connectHost(host)}:${config.SES_PORT}` : sesEndpoint(config);
    const app = createApp(deps, {
      healthChecks: {
        dynamodb: () => deps.store.ping(),
        ses: async () => {
          // aws-ses-v2-local has a health check; an SES of one's own (LocalStack, a proxy) only has to answer.
          const res = await fetch(ownSes ? `http://${connectHost(host)}:${config.SES_PORT}/health-check` : sesEndpoint(config));
          if (ownSes && !res.ok) throw new Error(`SES answered ${res.status}`);
        },
        smtp: () => assertListening(config.SMTP_PORT, connectHost(host).replace(/^\[|\]$/g, '')),
      },
      devRoutes: devClockRoutes(deps.clock, runUntil, () => poller.drain()),
    });
    const http: ServerType = await new Promise((ok) => {
      const s = serve({ fetch: app.fetch, port: config.PORT, hostname: host }, () => ok(s));
    });
    stoppers.push(() => new Promise<void>((ok) => http.close(() => ok())));

    const smtp: SMTPServer = await startSmtpServer({
      port: config.SMTP_PORT,
      host,
      inboundDomain: config.INBOUND_DOMAIN,
      deliver: (d) => handleInboundMail(deps, { raw: d.raw, envelopeFrom: d.envelopeFrom, envelopeTo: d.envelopeTo, authenticated: true }),
      onError: (err) => log.error('inbound mail failed', { err: String((err as Error).stack ?? err) }),
    });
    stoppers.push(() => new Promise<void>((ok) => smtp.close(() => ok())));

    let demoSignInLink: string | undefined;
    const demo = await deps.store.getGroupBySlug(DEMO_SLUG);
    if (demo) {
      const admin = (await deps.store.listMembers(demo.id)).find((m) => m.role === 'admin' && m.status === 'active');
      if (admin) {
        const token = randomBytes(32).toString('base64url');
        await deps.store.putToken(hashSecret(token), { purpose: 'signin', memberId: admin.id }, new Date(deps.clock.now().getTime() + 15 * 60_000));
        demoSignInLink = `${deps.config.webBaseUrl}/signin/${token}`;
      }
    }
    return {
      deps,
      urls: { web: deps.config.webBaseUrl, smtp: `${host === '127.0.0.1' ? 'localhost' : connectHost(host)}:${config.SMTP_PORT}`, ses: sesUrl, dynamodb: config.DYNAMODB_ENDPOINT ?? `http://${host === '127.0.0.1' ? 'localhost' : connectHost(host)}:${config.DYNAMODB_PORT}` },
      demoSignInLink,
      runUntil,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** DynamoDB commands that put records on the table's stream. */
const STREAM_WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);
/**
 * How often the stream is read when nothing nudged it: writes by other processes on the same table
 * (the CLI, a test's own client) show up within this. This process's own writes nudge a read 50 ms later.
 */
const STREAM_POLL_MS = 1000;

/**
 * Reads the table's stream from its checkpoint in DATA_DIR: shortly after writes made through this
 * stack's store client (StreamPoller.nudge), and every STREAM_POLL_MS for writes made elsewhere. (Polling every
 * 100 ms instead cost an idle stack about 5 % of a core in DynamoDB Local and as much again here.)
 */
async function startStreamPoller(deps: LocalDeps, config: LocalConfig, log: Logger): Promise<StreamPoller> {
  const { Table } = await deps.store.client.send(new DescribeTableCommand({ TableName: config.TABLE_NAME }));
  if (!Table?.LatestStreamArn) throw new Error(`Table ${config.TABLE_NAME} has no stream; the effects consumer needs one`);
  const client = localStreamsClient(dynamoDbEndpoint(config));
  const poller = new StreamPoller({
    client,
    streamArn: Table.LatestStreamArn,
    checkpointFile: join(resolve(config.DATA_DIR), 'stream-checkpoint.json'),
    handle: (record) => handleStreamRecord(deps, record),
    log,
  });
  deps.store.client.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (STREAM_WRITES.has(context.commandName ?? '')) poller.nudge();
      return out;
    },
    { step: 'initialize', name: 'nudgeStreamPoller' },
  );
  poller.start(STREAM_POLL_MS);
  return poller;
}

/** Locally the weekly digest is a step like any other: one per group, re-planned after it runs. */
async function planLocalDigests(deps: LocalDeps, after?: Date) {
  for (const group of await deps.store.listGroups()) await planLocalDigest(deps.store, deps.clock, group, after);
}


async function runLocalDigest(deps: LocalDeps, groupId: string) {
  const group = await deps.store.getGroup(groupId);
  if (!group) return;
  // A step planned before the admin moved the digest day is stale: only the current plan sends.
  const expected = nextDigestTime(new Date(deps.clock.now().getTime() - 60 * 60_000), group.timezone, group.settings.digestDay, group.settings.digestHour);
  if (Math.abs(expected.getTime() - deps.clock.now().getTime()) <= 60 * 60_000) await sendGroupDigests(deps, groupId, { group });
  await planLocalDigest(deps.store, deps.clock, group, new Date(deps.clock.now().getTime() + 60_000));
}

async function assertListening(port: number, host: string): Promise<void> {
  const { connect } = await import('node:net');
  await new Promise<void>((ok, fail) => {
    const socket = connect(port, host, () => {
      socket.end();
      ok();
    });
    socket.once('error', fail);
  });
}
