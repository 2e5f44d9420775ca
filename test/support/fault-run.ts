/**
 * Many referrals live their whole life while a fault proxy fails a share of the DynamoDB and SES
 * calls; then the faults stop, the system settles, and the run is checked:
 *   - every acknowledged referral (a 201) is stored;
 *   - every email on a timeline was sent once: per referral, SES holds as many emails as the
 *     timeline has email events, and no (kind, time) twice;
 *   - every due step ran: nothing due is left pending.
 * Used by the test suite at small scale (test/integration/outbox/faults.test.ts) and by
 * `npm run bench -- faults` at 500.
 */
import { readLocalConfig } from '../../src/config/env.js';
import { buildLocalDeps } from '../../src/runtime/local/local-deps.js';
import { silentLogger } from '../../src/referrals/deps.js';
import { startFaultProxy } from './fault-proxy.js';
import { isDigestSubject, postLong } from './long-request.js';
import type { LocalSystem } from '../../src/runtime/local/local-system.js';

export interface FaultRunReport {
  referrals: number;
  acknowledged: number;
  stored: number;
  lost: string[];
  emailsOnTimelines: number;
  emailsSent: number;
  /** Referrals with an email on the timeline that SES never got (lost), or recorded nowhere. */
  mismatched: Array<{ id: string; timeline: number; sent: number }>;
  /**
   * Messages SES holds beyond the timeline's: a send whose answer was cut off (a timeout that took
   * effect upstream) is tried again, since SES has no idempotency key and a lost email is worse
   * than a repeated one. At most `ambiguousSends`.
   */
  extraSends: number;
  /** Sends that reached SES but whose answer the proxy cut off. */
  ambiguousSends: number;
  duplicateEvents: number;
  dueLeftPending: number;
  faults: { dynamodb: { passed: number; failed: number }; ses: { passed: number; failed: number } };
  answers: Record<string, number>;
}

interface Services {
  dynamoDbEndpoint: string;
  sesEndpoint: string;
}

export async function runFaultScenario(
  services: Services,
  startStack: (endpoints: Services) => Promise<{ system: LocalSystem; baseUrl: string; env: Record<string, string>; stop?: () => Promise<void> }>,
  opts: { referrals: number; failureRate?: number; concurrency?: number; days?: number; seed?: number },
): Promise<FaultRunReport> {
  const dynamo = await startFaultProxy({ target: services.dynamoDbEndpoint, seed: opts.seed ?? 7 });
  const ses = await startFaultProxy({ target: services.sesEndpoint, seed: (opts.seed ?? 7) + 1 });
  const stack = await startStack({ dynamoDbEndpoint: dynamo.url, sesEndpoint: ses.url });
  const answers: Record<string, number> = {};
  const count = (k: string | number) => (answers[k] = (answers[k] ?? 0) + 1);
  // FAULTS_WATCH=<ms>: print the run's progress that often (to see where a run that stalls stands).
  let watch: NodeJS.Timeout | undefined;
  try {
    const { createGroup, addMember } = await import('../../src/members/members.js');
    const d = stack.system.deps;
    const tag = Math.random().toString(36).slice(2, 8);
    const { group } = await createGroup(d, { name: `Faults ${tag}`, slug: `faults-${tag}`, timezone: 'Europe/London', admin: { name: 'Ada', email: `ada-${tag}@faults.example` } });
    const rita = await addMember(d, group.id, { name: 'Rita Referrer', email: `rita-${tag}@faults.example` });
    const paul = await addMember(d, group.id, { name: 'Paul Provider', email: `paul-${tag}@faults.example` });

    dynamo.setFailureRate(opts.failureRate ?? 0.2);
    ses.setFailureRate(opts.failureRate ?? 0.2);

    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      try {
        const res = await fetch(`${stack.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${rita.apiKey}`, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        count(res.status);
        return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
      } catch (err) {
        count('network');
        return { status: 0, body: String(err) };
      }
    };

    // Create: a client that retries with the same Idempotency-Key until it gets an answer that is not 5xx.
    const acknowledged: string[] = [];
    const indexes = Array.from({ length: opts.referrals }, (_, i) => i);
    const concurrency = opts.concurrency ?? 8;
    const worker = async () => {
      for (let i = indexes.shift(); i !== undefined; i = indexes.shift()) {
        const body = { provider: paul.member.id, prospect: { name: `Prospect ${i} ${tag}`, email: `p${i}-${tag}@prospect.example` }, need: 'A bookkeeper', consent: i % 2 === 0 };
        for (let attempt = 0; attempt < 10; attempt++) {
          const res = await call('POST', '/api/referrals', body, { 'idempotency-key': `faults-${tag}-${i}` });
          if (res.status === 201 || res.status === 200) {
            acknowledged.push(res.body.id as string);
            break;
          }
          if (res.status > 0 && res.status < 500) break;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));

    // Their whole life, a day at a time (each POST /dev/clock runs every step due that day, which
    // may take longer than fetch waits for an answer).
    const advance = async (by: string) => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const res = await postLong(`${stack.baseUrl}/dev/clock`, JSON.stringify({ advance: by })).catch(() => ({ status: 0 }));
        count(res.status || 'network');
        if (res.status === 200) return;
      }
    };
    watch = process.env.FAULTS_WATCH ? setInterval(() => {
      const inFlight = (p: typeof dynamo) => p.calls.filter((c) => c.status === undefined && c.fault !== 'throttle' && c.fault !== 'error500').length;
      console.log(`[watch] clock ${d.clock.now().toISOString()} calls ddb ${dynamo.calls.length} (${inFlight(dynamo)} open) ses ${ses.calls.length} (${inFlight(ses)} open) answers ${JSON.stringify(answers)} resources ${JSON.stringify(process.getActiveResourcesInfo().reduce<Record<string, number>>((a, r) => ((a[r] = (a[r] ?? 0) + 1), a), {}))}`);
    }, Number(process.env.FAULTS_WATCH) || 10_000) : undefined;
    for (let day = 0; day < (opts.days ?? 60); day++) await advance('P1D');
    // Faults off: what is owed now settles (retries, outbox), then a last step window.
    dynamo.setFailureRate(0);
    ses.setFailureRate(0);
    await advance('PT1H');

    const direct = buildLocalDeps(readLocalConfig({ ...stack.env, DYNAMODB_ENDPOINT: services.dynamoDbEndpoint, SES_ENDPOINT: services.sesEndpoint }), silentLogger);
    const now = d.clock.now().getTime();
    const sent = ((await (await fetch(`${services.sesEndpoint}/store`)).json()) as { emails: Array<{ messageId: string; subject: string; body: { text?: string } }> }).emails;
    const referralMail = sent.filter((m) => !isDigestSubject(m.subject));
    const sesIds = new Set(sent.map((m) => m.messageId));
    const report: FaultRunReport = { referrals: opts.referrals, acknowledged: acknowledged.length, stored: 0, lost: [], emailsOnTimelines: 0, emailsSent: 0, mismatched: [], extraSends: 0, ambiguousSends: ses.calls.filter((c) => c.fault === 'timeout' && /Send/.test(c.operation) && c.status !== undefined && c.status < 300).length, duplicateEvents: 0, dueLeftPending: 0, faults: { dynamodb: dynamo.count(), ses: ses.count() }, answers };
    for (const id of acknowledged) {
      const r = await direct.store.getReferral(id);
      if (!r) {
        report.lost.push(id);
        continue;
      }
      report.stored += 1;
      const emails = r.timeline.filter((e) => e.type === 'email');
      const keys = emails.map((e) => `${e.kind}:${e.at}:${e.to}`);
      report.duplicateEvents += keys.length - new Set(keys).size;
      report.emailsOnTimelines += emails.length;
      // Every email on the timeline carries SES's message id: SES must hold each one.
      const ids = new Set(emails.map((e) => e.messageId));
      const held = emails.filter((e) => e.messageId && sesIds.has(e.messageId)).length;
      // Each prospect name is unique to its referral and appears in every email about it; a message
      // about it that no timeline event names is a send that went twice.
      const name = new RegExp(`${r.prospect.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\d)`);
      const mine = referralMail.filter((m) => name.test(m.subject) || name.test(m.body.text ?? ''));
      report.emailsSent += mine.length;
      if (held < emails.length) report.mismatched.push({ id, timeline: emails.length, sent: held });
      report.extraSends += mine.filter((m) => !ids.has(m.messageId)).length;
      report.dueLeftPending += r.pending.filter((p) => Date.parse(p.due) <= now).length;
    }
    direct.store.client.destroy();
    return report;
  } finally {
    clearInterval(watch);
    await (stack.stop ? stack.stop() : stack.system.stop());
    await dynamo.close();
    await ses.close();
  }
}

export function formatFaultReport(r: FaultRunReport): string {
  return [
    `referrals attempted ${r.referrals}, acknowledged ${r.acknowledged}, stored ${r.stored}, lost ${r.lost.length}`,
    `emails on timelines ${r.emailsOnTimelines}, emails in SES ${r.emailsSent}, referrals with an email SES never got ${r.mismatched.length}${r.mismatched.length ? ` (e.g. ${JSON.stringify(r.mismatched.slice(0, 3))})` : ''}`,
    `sent again after a cut-off answer ${r.extraSends} (sends whose answer was cut off: ${r.ambiguousSends})`,
    `same email twice on a timeline ${r.duplicateEvents}; due steps left pending ${r.dueLeftPending}`,
    `calls failed by the proxies: DynamoDB ${r.faults.dynamodb.failed} of ${r.faults.dynamodb.passed + r.faults.dynamodb.failed}, SES ${r.faults.ses.failed} of ${r.faults.ses.passed + r.faults.ses.failed}`,
    `answers to the clients: ${JSON.stringify(r.answers)}`,
  ].join('\n');
}
