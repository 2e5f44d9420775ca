/**
 * `npm run bench -- crash [--count N]`: the local stack (`npm start`'s own entry, a process of its
 * own) is SIGKILLed while N referrals (default 1,000) are being created through the API and their
 * steps are firing (the clock moves forward all the while), then started again on the same data.
 *
 * DynamoDB Local and the SES stand-in run outside the killed process (bring-your-own services), as
 * DynamoDB and SES outlive a Lambda in AWS. After the restart every due step is run and the outbox
 * drained; then the bench checks:
 *   - every referral the API acknowledged (201) is stored;
 *   - no outbox email is left unsent (pending, sending or failing), so every claimed step's email went out;
 *   - no step is left due and unrun;
 *   - duplicates (messages in SES that no outbox item claims as its send) are no more than the sends
 *     in flight at the kill (outbox items in `sending`, read right after the kill).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { readLocalConfig } from '../src/config/env.js';
import { silentLogger } from '../src/referrals/deps.js';
import { buildLocalDeps } from '../src/runtime/local/local-deps.js';
import { ensureTable } from '../src/store/dynamodb/dynamodb-store.js';
import { startBenchServices } from './local-services.js';
import { freePorts } from '../test/support/free-ports.js';
import { isDigestSubject, postLong } from '../test/support/long-request.js';

/** A POST that must succeed, however long it takes. */
async function postOk(url: string, body: string): Promise<string> {
  const res = await postLong(url, body);
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${res.text}`);
  return res.text;
}

const TABLE = 'bench-crash';

interface StackProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

function startStack(env: Record<string, string>): StackProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((ok) => child.on('exit', () => ok()));
  child.on('exit', (code, signal) => {
    if (code && code !== 0) console.error(`stack exited ${code} ${signal ?? ''}\n${stderr}`);
  });
  return { child, exited };
}

async function healthy(baseUrl: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error('the stack did not come up');
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

/** POST JSON and wait for the answer however long it takes; throws on a non-2xx answer. */

type Item = Record<string, unknown>;
async function scanAll(client: ReturnType<typeof buildLocalDeps>['store']['client'], filter: string, values: Record<string, { S: string }>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await client.send(new ScanCommand({ TableName: TABLE, FilterExpression: filter, ExpressionAttributeValues: values, ExclusiveStartKey: start as never }));
    items.push(...(res.Items ?? []).map((i) => unmarshall(i)));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

export async function runCrashBench(opts: { referrals: number }): Promise<{ meetsTarget: boolean }> {
  const services = await startBenchServices();
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-crash-'));
  const [port, smtpPort, benchPort] = await freePorts(3);
  const env = {
    DYNAMODB_ENDPOINT: services.dynamoDbEndpoint,
    SES_ENDPOINT: services.sesEndpoint,
    PORT: port!,
    SMTP_PORT: smtpPort!,
    DATA_DIR: dataDir,
    TABLE_NAME: TABLE,
    SEED_DEMO: 'false',
    REPLY_TOKEN_SECRET: 'bench-secret-0123456789abcdef',
    RATE_LIMITS: 'off',
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  // The bench's own view of the table (its own clock file: the stack's clock is the stack's).
  const benchDir = mkdtempSync(join(tmpdir(), 'relay-crash-bench-'));
  const deps = buildLocalDeps(readLocalConfig({ ...env, DATA_DIR: benchDir, PORT: benchPort! }), silentLogger);
  let stack: StackProcess | undefined;
  try {
    await ensureTable(deps.store.client, TABLE);
    const { createGroup, addMember } = await import('../src/members/members.js');
    const { group } = await createGroup(deps, { name: 'Crash Chapter', slug: 'crash', timezone: 'Europe/London', admin: { name: 'Ada Admin', email: 'ada@crash.example' } });
    const referrer = await addMember(deps, group.id, { name: 'Rita Referrer', email: 'rita@crash.example' });
    const providers = await Promise.all(Array.from({ length: 8 }, (_, i) => addMember(deps, group.id, { name: `Paul Provider${i}`, email: `paul${i}@crash.example` })));

    stack = startStack(env);
    await healthy(baseUrl);
    console.log(`creating ${opts.referrals} referrals at 32 connections while the clock moves; SIGKILL part-way…`);
    const acknowledged: string[] = [];
    const killAt = Math.floor(opts.referrals * (0.4 + Math.random() * 0.3));
    let next = 0;
    let killed = false;
    const killedAt: { sending: number; pending: number } = { sending: 0, pending: 0 };
    const worker = async () => {
      while (!killed && next < opts.referrals) {
        const i = next++;
        try {
          const res = await fetch(`${baseUrl}/api/referrals`, {
            method: 'POST',
            headers: { authorization: `Bearer ${referrer.apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ provider: providers[i % providers.length]!.member.id, prospect: { name: `Pat Prospect${i}`, email: `pat${i}@prospect.example` }, need: 'books', consent: true }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
          else await res.arrayBuffer();
        } catch {
          /* the stack died under this request: not acknowledged */
        }
      }
    };
    // The clock moves two hours every 300 ms, so intros, checks and reminders fire during the load.
    const ticker = setInterval(() => {
      if (!killed) void fetch(`${baseUrl}/dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advance":"PT2H"}' }).catch(() => undefined);
    }, 300);
    const watcher = (async () => {
      while (!killed && acknowledged.length < killAt && next < opts.referrals) await new Promise((ok) => setTimeout(ok, 5));
      killed = true;
      stack!.child.kill('SIGKILL');
      await stack!.exited;
      const outbox = await scanAll(deps.store.client, 'begins_with(sk, :o)', { ':o': { S: 'OUT#' } });
      killedAt.sending = outbox.filter((o) => o.status === 'sending').length;
      killedAt.pending = outbox.filter((o) => o.status === 'pending').length;
    })();
    await Promise.all([...Array.from({ length: 32 }, worker), watcher]);
    clearInterval(ticker);
    console.log(`killed after ${acknowledged.length} acknowledged creates; at the kill ${killedAt.sending} emails were being sent and ${killedAt.pending} waited in the outbox`);

    // Restart on the same data and let everything catch up: the leases of the sends cut off by the
    // kill run out (2 minutes, real time), then every step due within a year runs.
    stack = startStack(env);
    await healthy(baseUrl);
    const leaseEnds = Date.now() + 125_000;
    if (killedAt.sending > 0) {
      console.log('waiting for the leases of the interrupted sends to run out (2 minutes)…');
      while (Date.now() < leaseEnds) await new Promise((ok) => setTimeout(ok, 1000));
    }
    // A day at a time while the referrals are young (most steps fall due then), then ten; each call
    // answers once its window's steps have run, which with a thousand referrals can take minutes, so
    // the calls go through node:http without fetch's 300 s header timeout.
    for (let day = 0; day < 400; day += day < 60 ? 1 : 10) await postOk(`${baseUrl}/dev/clock`, day < 60 ? '{"advance":"P1D"}' : '{"advance":"P10D"}');
    await postOk(`${baseUrl}/dev/outbox/drain`, '{}');
    const now = Date.parse(((await (await fetch(`${baseUrl}/dev/clock`)).json()) as { now: string }).now);

    // The checks.
    const states = await scanAll(deps.store.client, 'sk = :s', { ':s': { S: 'REF' } });
    const stored = new Set(states.map((s) => s.id as string));
    const lost = acknowledged.filter((id) => !stored.has(id));
    const outbox = await scanAll(deps.store.client, 'begins_with(sk, :o)', { ':o': { S: 'OUT#' } });
    const unsent = outbox.filter((o) => !['sent', 'skipped'].includes(o.status as string));
    const overdue = states.flatMap((s) => ((s.pending as { due: string }[] | undefined) ?? []).filter((p) => Date.parse(p.due) <= now));
    const sentIds = new Set(outbox.filter((o) => o.status === 'sent').map((o) => o.messageId as string));
    const ses = (await (await fetch(`${services.sesEndpoint}/store`)).json()) as { emails: { messageId: string; subject: string }[] };
    // The weekly digests are not referral emails (they have once-a-week markers of their own): set apart.
    const referralMail = ses.emails.filter((m) => !isDigestSubject(m.subject));
    const duplicates = referralMail.filter((m) => !sentIds.has(m.messageId)).length;
    const meetsTarget = lost.length === 0 && unsent.length === 0 && overdue.length === 0 && duplicates <= killedAt.sending;
    console.log('\n| acknowledged | stored | lost | emails sent | unsent | steps overdue | in flight at kill | duplicates | target met |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    console.log(`| ${acknowledged.length} | ${acknowledged.length - lost.length} | ${lost.length} | ${sentIds.size} | ${unsent.length} | ${overdue.length} | ${killedAt.sending} | ${duplicates} | ${meetsTarget ? 'yes' : 'NO'} |`);
    console.log(`(and ${ses.emails.length - referralMail.length} weekly digests, not counted above)`);
    if (unsent.length) console.log('unsent:', unsent.slice(0, 5).map((o) => `${o.effectId as string} ${o.status as string}`).join(', '));
    return { meetsTarget };
  } finally {
    if (stack && stack.child.exitCode === null) {
      stack.child.kill('SIGTERM');
      await stack.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(benchDir, { recursive: true, force: true });
    await services.stop();
  }
}
