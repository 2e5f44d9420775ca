/**
 * The README's "Try it by hand" walk-through, run as a reader runs it: a fresh `npm start` (own
 * DATA_DIR, table and ports, as in start-stop.test.ts), then every fenced block of that section in
 * order, each with `bash -euo pipefail` exactly as written except for the ports (3000 / 2525 / 8005
 * become this stack's) and `<REPLY-TO>`, which a reader copies from the SES viewer and the test takes
 * from its JSON (`/store`). After each block, the effect the README promises is checked.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../src/config/env.js';
import type { Referral, TimelineEvent } from '../../../src/domain/types.js';
import { silentLogger } from '../../../src/referrals/deps.js';
import { buildLocalDeps } from '../../../src/runtime/local/local-deps.js';
import { freePorts } from '../../support/free-ports.js';

const root = join(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'relay-readme-'));
let stack: ChildProcess | undefined;

/** The fenced blocks of the README's "## Try it by hand" section, in order. */
function walkThroughBlocks(readme: string): string[] {
  const start = readme.indexOf('\n## Try it by hand\n');
  if (start < 0) throw new Error('README.md has no "## Try it by hand" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** The JSON values printed one after another (curl -s prints each body without a newline). */
function jsonValues(text: string): any[] {
  const values: unknown[] = [];
  let depth = 0;
  let inString = false;
  let from = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) from = i;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) values.push(JSON.parse(text.slice(from, i + 1)));
    }
  }
  return values;
}

interface Mail {
  to: string[];
  replyTo: string[];
  subject: string;
  text: string;
}

async function startStack(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn('npm', ['start', '--silent'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  stack = child;
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes('Referral Relay is running locally')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return child;
}

const canListen = (port: string) =>
  new Promise<boolean>((ok) => {
    const s = createServer();
    s.once('error', () => ok(false));
    s.listen(Number(port), '127.0.0.1', () => s.close(() => ok(true)));
  });

let dynamoPort: string | undefined;
afterAll(async () => {
  const child = stack;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 15_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  // DynamoDB Local stops a moment after npm has gone; its files go once it has.
  const deadline = Date.now() + 15_000;
  while (dynamoPort && !(await canListen(dynamoPort)) && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 100));
  rmSync(dataDir, { recursive: true, force: true });
}, 40_000);

/** Polls until `fn` gives a value (mail and replies are handled after SMTP has answered). */
async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

describe('README: "Try it by hand"', () => {
  it('runs every block in order, as written, with the effects the README describes', { timeout: 240_000 }, async () => {
    const blocks = walkThroughBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(blocks).toHaveLength(5);

    const [PORT, SMTP_PORT, SES_PORT, DYNAMODB_PORT] = (await freePorts(4)) as [string, string, string, string];
    dynamoPort = DYNAMODB_PORT;
    // Its own DynamoDB Local and SES stand-in: no endpoints of a shared run passed down. The blocks'
    // shell gets the same settings, so `npx relay` finds this stack's DynamoDB Local and table.
    const { DYNAMODB_ENDPOINT: _d, SES_ENDPOINT: _s, ...inherited } = process.env;
    const settings = { PORT, SMTP_PORT, SES_PORT, DYNAMODB_PORT, DATA_DIR: dataDir, TABLE_NAME: 'readme-walkthrough', SEED_DEMO: 'true', REPLY_TOKEN_SECRET: 'readme-walkthrough-secret-0123456789' };
    const env = { ...inherited, ...settings };
    await startStack(env);

    const web = `http://127.0.0.1:${PORT}`;
    const store = buildLocalDeps(readLocalConfig(settings), silentLogger).store;
    const group = (await store.getGroupBySlug('demo'))!;
    expect(group, 'the demo group is seeded').toBeTruthy();

    const addresses = (list: string[] = []) => list.flatMap((a) => a.split(',')).map((a) => (/<([^>]+)>/.exec(a)?.[1] ?? a).trim().toLowerCase()).filter(Boolean);
    const mail = async (): Promise<Mail[]> => {
      await fetch(`${web}/dev/outbox/drain`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const json = (await (await fetch(`http://127.0.0.1:${SES_PORT}/store`)).json()) as { emails: { destination: { to: string[]; cc: string[] }; replyTo: string[]; subject: string; body: { text?: string } }[] };
      return json.emails.map((e) => ({ to: addresses([...e.destination.to, ...e.destination.cc]), replyTo: addresses(e.replyTo), subject: e.subject, text: e.body.text ?? '' }));
    };
    const mailTo = async (address: string) => (await mail()).filter((m) => m.to.includes(address));
    const clockNow = async () => ((await (await fetch(`${web}/dev/clock`)).json()) as { now: string }).now;
    const referralOf = async (prospectEmail: string): Promise<Referral | undefined> =>
      (await store.listReferrals({ groupId: group.id })).find((r) => r.prospect.email === prospectEmail);
    const timeline = async (prospectEmail: string): Promise<TimelineEvent[]> => (await store.getTimeline((await referralOf(prospectEmail))!.id, { limit: 500 })).events;
    /** The emails of a referral's timeline, by kind, that went out (were not skipped) between two clock readings. */
    const sentBetween = (events: TimelineEvent[], after: string, until: string) =>
      events.filter((e) => e.type === 'email' && !e.delivery && e.at > after && e.at <= until).map((e) => e.kind);

    let replyTo: string | undefined;
    const run = async (block: string) => {
      const script = block
        .replace(/localhost:3000\b/g, `localhost:${PORT}`)
        .replace(/localhost:2525\b/g, `localhost:${SMTP_PORT}`)
        .replace(/localhost:8005\b/g, `localhost:${SES_PORT}`)
        .replace(/<REPLY-TO>/g, () => {
          if (!replyTo) throw new Error('a block needs <REPLY-TO> before there is one to copy');
          return replyTo;
        });
      return await new Promise<string>((ok, fail) => {
        execFile('bash', ['-euo', 'pipefail', '-c', script], { cwd: root, env, timeout: 60_000 }, (err, stdout, stderr) => {
          if (err) fail(new Error(`README block failed (${err.message}):\n${block}\nstdout: ${stdout}\nstderr: ${stderr}`));
          else ok(stdout);
        });
      });
    };

    const seen = new Set<string>();
    for (const block of blocks) {
      const clockBefore = await clockNow();

      if (/\\?"to\\?":/.test(block)) {
        // The clock moves to the next Monday, 09:00 UTC; the weekly digests (Monday 8:00) go out on the way.
        seen.add('to');
        const [before, after] = jsonValues(await run(block)) as [{ now: string }, { now: string }];
        const at = new Date(after.now);
        expect(at.getUTCDay()).toBe(1);
        // The clock runs on from the moment it was set to.
        const sinceNine = at.getTime() - Date.parse(`${after.now.slice(0, 10)}T09:00:00Z`);
        expect(sinceNine).toBeGreaterThanOrEqual(0);
        expect(sinceNine).toBeLessThan(60_000);
        expect(at.getTime()).toBeGreaterThan(Date.parse(before.now));
        expect(at.getTime() - Date.parse(before.now)).toBeLessThanOrEqual(8 * 86_400_000);
        expect((await mailTo('alice@morganlaw.example')).some((m) => m.subject.startsWith('Your week in'))).toBe(true);
      } else if (block.includes('/api/referrals')) {
        // A new member's key lists the members and refers Carla Reyes to Priya: the body is the new referral (201).
        seen.add('api');
        const [members, referral] = jsonValues(await run(block)) as [{ items: { email: string }[] }, Referral & { error?: unknown }];
        expect(members.items.map((m) => m.email)).toEqual(expect.arrayContaining(['alice@morganlaw.example', 'priya@ledgerlane.example', 'jo@example.com']));
        expect(referral.error).toBeUndefined();
        expect(referral).toMatchObject({ status: 'logged', source: 'api', prospect: { name: 'Carla Reyes' }, provider: { email: 'priya@ledgerlane.example' }, referrer: { email: 'jo@example.com' } });
        expect((await referralOf('carla@reyesflorist.example'))?.id).toBe(referral.id);
        await eventually(async () => (await mailTo('priya@ledgerlane.example')).some((m) => m.subject.includes('Carla Reyes')), 'the provider notice about Carla Reyes');
      } else if (block.includes('smtp://') && block.includes('--mail-rcpt demo@')) {
        // Alice forwards Bob Stone's mail: a receipt to her, a notice to Priya; not refused as a duplicate.
        seen.add('forward');
        expect(await run(block)).toBe('');
        const notice = await eventually(async () => (await mailTo('priya@ledgerlane.example')).find((m) => m.subject.startsWith('New referral from Alice Morgan') && m.subject.includes('Bob Stone')), 'the provider notice about Bob Stone');
        const toAlice = await eventually(async () => {
          const list = await mailTo('alice@morganlaw.example');
          return list.some((m) => m.subject.startsWith('Referral logged') && m.subject.includes('Bob Stone')) && list;
        }, "Alice's receipt for Bob Stone");
        expect(toAlice.filter((m) => /already referred|could not log/i.test(`${m.subject}\n${m.text}`))).toEqual([]);
        const idOf = async (email: string) => (await store.listMembers(group.id)).find((m) => m.email === email)?.id;
        expect(await referralOf('bob@stonebakery.example')).toMatchObject({ status: 'logged', source: 'email', referrerId: await idOf('alice@morganlaw.example'), providerId: await idOf('priya@ledgerlane.example') });
        // What a reader copies from the viewer: the Reply-To of Priya's notice about Bob Stone.
        replyTo = notice.replyTo[0];
        expect(replyTo).toMatch(/^1\w+@relay\.localhost$/);
      } else if (block.includes('<REPLY-TO>')) {
        // Priya answers "Called him this morning": the referral is contacted and Alice is told.
        seen.add('reply');
        expect(await run(block)).toBe('');
        await eventually(async () => (await referralOf('bob@stonebakery.example'))?.status === 'contacted', 'Bob Stone → contacted');
        await eventually(async () => (await mailTo('alice@morganlaw.example')).some((m) => m.subject.startsWith('In touch') && m.subject.includes('Bob Stone')), 'the "In touch" note to Alice');
      } else if (block.includes('"advance"')) {
        // PT2H: thank-you prompts and Carla's introduction; P3D: Carla's reminder, escalation and
        // connection check. Bob Stone: his thank-you prompt, no introduction, no chasers.
        seen.add('advance');
        const [twoHours, threeDays] = (jsonValues(await run(block)) as { now: string }[]).map((v) => v.now) as [string, string];
        expect(Date.parse(twoHours) - Date.parse(clockBefore)).toBeGreaterThanOrEqual(2 * 3_600_000);
        const carla = await timeline('carla@reyesflorist.example');
        expect(sentBetween(carla, clockBefore, twoHours).sort()).toEqual(['intro', 'thank_you_prompt']);
        expect(sentBetween(carla, twoHours, threeDays).sort()).toEqual(['connection_check', 'contact_reminder', 'escalation', 'escalation_notice']);
        const bob = await timeline('bob@stonebakery.example');
        expect(sentBetween(bob, clockBefore, threeDays)).toEqual(['thank_you_prompt']);
        expect(bob.filter((e) => e.type === 'skipped').map((e) => e.kind)).toEqual(['intro']);
        const toCarla = await mailTo('carla@reyesflorist.example');
        expect(toCarla.some((m) => m.subject.startsWith('Introduction') && m.to.includes('priya@ledgerlane.example'))).toBe(true);
        expect(await mailTo('bob@stonebakery.example')).toEqual([]);
      } else {
        throw new Error(`a README block this test does not know; say what it should do:\n${block}`);
      }
    }
    expect([...seen]).toEqual(['to', 'api', 'forward', 'reply', 'advance']);
  });
});
