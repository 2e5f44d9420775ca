/**
 * The own corpus of realistic replies (test/fixtures/reply-corpus, 60 files as real mail clients
 * write them), end to end: each file answers a real email of the running stack on a fresh referral
 * (Alice Morgan → Priya Shah for Bob Stone), is sent over real SMTP to that email's signed Reply-To,
 * and its effect is checked in DynamoDB Local and the local SES store. The parser-level expectations
 * (expected.json) say which verb each reply means; PRODUCT.md says what that verb must do.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/domain/ids.js';
import type { Referral, Status, TimelineEvent } from '../../../src/domain/types.js';
import { addMember, createGroup } from '../../../src/members/members.js';
import { api, clockNow, deps, eventually, sendSmtp, sentEmails, type StoredEmail } from '../harness.js';
import { emailOf, fireStep } from './reply-helpers.js';

/** The corpus files are real mail from these two (their From lines): this file's Alice and Priya keep them. */
const ALICE = 'alice@morganlaw.example';
const PRIYA = 'priya@ledgerlane.example';

const dir = join(import.meta.dirname, '../../fixtures/reply-corpus');
const corpus = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { cases: Record<string, Case> };

/** The prospect of every corpus file (the From of the prospect replies). */
const BOB = 'bob@stonebuilders.example';
const DAY = 86_400_000;

type Role = 'provider' | 'referrer' | 'prospect';
interface Case {
  role: Role;
  emailKind: string;
  currency: string;
  verb: string;
  amount?: { amount: number; currency: string };
  days?: number;
  rating?: number;
  options?: string[];
  refer?: { name: string; email: string; need: string };
  textIncludes?: string;
}

// ---- setup: a fresh group and referral per case ----

/** A fresh group (in the case's currency) with Alice (admin), Priya and Tom Baker, and a referral Alice → Priya for Bob. */
async function freshReferral(currency: string) {
  const d = deps();
  const tag = newId(6);
  const { group, admin, apiKey: aliceKey } = await createGroup(d, { name: 'Harbour Chapter', slug: `rc-${tag}`, timezone: 'Europe/London', currency, admin: { name: 'Alice Morgan', email: ALICE } });
  const priya = await addMember(d, group.id, { name: 'Priya Shah', email: PRIYA, business: 'Ledger Lane Bookkeeping' });
  const tom = await addMember(d, group.id, { name: 'Tom Baker', email: `tom.baker-${tag}@bakerpayroll.example`, business: 'Baker Payroll' });
  const res = await api('POST', '/api/referrals', {
    key: aliceKey,
    body: { provider: priya.member.id, prospect: { name: 'Bob Stone', email: BOB, company: 'Stone Builders' }, need: 'bookkeeping for a small building firm', consent: true },
  });
  if (res.status !== 201) throw new Error(`referral: ${res.status} ${JSON.stringify(res.body)}`);
  return { d, group, alice: { id: admin.id, key: aliceKey }, priya: { id: priya.member.id, key: priya.apiKey }, tom: { id: tom.member.id }, id: res.body.id as string };
}
type Setup = Awaited<ReturnType<typeof freshReferral>>;

const ADDRESS_OF: Record<Role, string> = { provider: PRIYA, referrer: ALICE, prospect: BOB };

async function providerAction(s: Setup, body: Record<string, unknown>) {
  const res = await api('POST', `/api/referrals/${s.id}/actions`, { key: s.priya.key, body });
  if (res.status !== 200) throw new Error(`${String(body.action)}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Brings the referral to the point where the email this case answers exists, and returns that email. */
async function emailToAnswer(s: Setup, c: Case): Promise<StoredEmail> {
  const to = ADDRESS_OF[c.role];
  switch (c.emailKind) {
    case 'thank_you_prompt':
    case 'progress_request':
      await fireStep(s.id, c.emailKind);
      break;
    case 'quality_question':
    case 'give_back':
      await providerAction(s, { action: 'won' });
      break;
    case 'connection_check':
      await fireStep(s.id, 'intro');
      await fireStep(s.id, 'connection_check');
      break;
    case 'experience_check':
      await providerAction(s, { action: 'won' });
      await fireStep(s.id, 'experience_check');
      break;
    case 'milestone':
      await providerAction(s, { action: 'contacted' });
      break;
    case 'relay':
      await providerAction(s, { action: 'pass', text: 'Tom Baker is better' });
      break;
    case 'digest':
      // The digest is about no referral and has no signed Reply-To: answer the provider's notice instead.
      return emailOf(s.id, 'provider_notice', to);
  }
  return emailOf(s.id, c.emailKind, to);
}

// ---- the .eml rewrite: the corpus's placeholder reply addresses → the real Reply-To ----

const CORPUS_DOMAIN = 'reply.relay.example';
/** A quoted-printable soft line break may split an address anywhere. */
const SOFT = '(?:=\\r?\\n)?';
const CORPUS_ADDRESS = new RegExp(`(?:[a-z0-9]${SOFT})+@${SOFT}${[...CORPUS_DOMAIN].map((ch) => ch.replace('.', '\\.')).join(SOFT)}`, 'g');

/** Replaces every corpus reply address (headers, quoted history, mailto:, inside base64 parts) and keeps every other byte. */
function rewrite(raw: Buffer, replyTo: string): Buffer {
  const text = raw
    .toString('latin1')
    .replace(/(Content-Transfer-Encoding:[ \t]*base64[^\n]*\n(?:[^\r\n]+\r?\n)*?\r?\n)((?:[A-Za-z0-9+/=]+\r?\n?)+)/gi, (all, head: string, body: string) => {
      const decoded = Buffer.from(body, 'base64').toString('latin1');
      const replaced = decoded.replace(CORPUS_ADDRESS, replyTo);
      if (replaced === decoded) return all;
      const eol = body.includes('\r\n') ? '\r\n' : '\n';
      const width = body.split(/\r?\n/)[0]!.length;
      const encoded = Buffer.from(replaced, 'latin1').toString('base64').match(new RegExp(`.{1,${width}}`, 'g'))!.join(eol);
      return head + encoded + (/\r?\n$/.test(body) ? eol : '');
    })
    .replace(CORPUS_ADDRESS, replyTo);
  return Buffer.from(text, 'latin1');
}

/** What a mail reader sees of a message: headers and decoded parts. */
async function readable(raw: Buffer): Promise<string> {
  const mail = await simpleParser(raw);
  return [...mail.headerLines.map((h) => h.line), mail.text ?? '', typeof mail.html === 'string' ? mail.html : ''].join('\n');
}

// ---- the effects, per verb ----

interface Ctx {
  s: Setup;
  c: Case;
  /** The referral just before the reply was sent. */
  before: Referral;
  /** The local clock just before the reply was sent. */
  sentAt: Date;
  /** Who replied. */
  from: string;
}
type Check = (x: Ctx) => Promise<void>;

/** Events added to the timeline since the reply was sent (the timeline only grows). */
const added = (x: Ctx, r: Referral) => r.timeline.slice(x.before.timeline.length);

async function referralWhen(x: Ctx, ok: (r: Referral) => boolean, what: string): Promise<Referral> {
  return eventually(async () => {
    const r = (await x.s.d.store.getReferral(x.s.id))!;
    return ok(r) && r;
  }, what);
}

async function addedEvent(x: Ctx, ok: (e: TimelineEvent) => boolean, what: string): Promise<TimelineEvent> {
  return eventually(async () => added(x, (await x.s.d.store.getReferral(x.s.id))!).find(ok), what);
}

/** A new email of `kind` to `to` about this referral, as stored by the local SES. */
async function newEmail(x: Ctx, kind: string, to: string): Promise<StoredEmail> {
  const event = await addedEvent(x, (e) => e.type === 'email' && e.kind === kind && e.to === to, `a ${kind} email to ${to}`);
  return eventually(async () => (await sentEmails()).find((m) => m.messageId === event.messageId), `the ${kind} email in the SES store`);
}

const status =
  (want: Status): Check =>
  async (x) => {
    await referralWhen(x, (r) => r.status === want, `status ${want}`);
  };

/** unknown / ambiguous: nothing changes, the words are kept privately, and one help email answers. */
const notUnderstood: Check = async (x) => {
  const help = await newEmail(x, 'help', x.from);
  if (x.c.verb === 'ambiguous') for (const option of x.c.options!) expect(help.body.text).toContain(`"${option}"`);
  const r = (await x.s.d.store.getReferral(x.s.id))!;
  expect(r.status).toBe(x.before.status);
  const note = added(x, r).find((e) => e.type === 'note' && e.privateText);
  expect(note, 'a private note with the reply').toBeDefined();
  if (x.c.textIncludes) expect(note!.privateText).toContain(x.c.textIncludes);
  expect(added(x, r).filter((e) => e.type === 'email' && e.kind === 'help')).toHaveLength(1);
};

const CHECKS: Record<string, Check> = {
  contacted: status('contacted'),
  met: status('met'),
  proposal: status('proposal'),
  won: async (x) => {
    const r = await referralWhen(x, (r) => r.status === 'won', 'status won');
    if (x.c.amount) expect(r.closedValue).toEqual(x.c.amount);
  },
  lost: async (x) => {
    const r = await referralWhen(x, (r) => r.status === 'lost', 'status lost');
    if (x.c.textIncludes) expect(r.lostReason).toContain(x.c.textIncludes);
  },
  pass: async (x) => {
    const r = await referralWhen(x, (r) => r.status === 'passed', 'status passed');
    expect(r.passSuggestionId).toBe(x.s.tom.id);
  },
  thanks: async (x) => {
    const relayed = await newEmail(x, 'thanks_relay', ALICE);
    if (x.c.textIncludes) expect(relayed.body.text).toContain(x.c.textIncludes);
  },
  thanked: async (x) => {
    await referralWhen(x, (r) => !!r.thankedAt, 'thankedAt');
  },
  share: async (x) => {
    await referralWhen(x, (r) => r.shareClosedValue === true, 'shareClosedValue');
  },
  snooze: async (x) => {
    const r = await referralWhen(x, (r) => added(x, r).some((e) => e.kind === 'snooze'), 'the snooze event');
    const next = r.pending.filter((p) => p.kind === 'progress_request');
    expect(next).toHaveLength(1);
    // N days from now, then into business hours (a weekend and a slot clash at most add a few days)
    const due = Date.parse(next[0]!.due);
    expect(due).toBeGreaterThanOrEqual(x.sentAt.getTime() + x.c.days! * DAY);
    expect(due).toBeLessThanOrEqual(x.sentAt.getTime() + (x.c.days! + 4) * DAY);
  },
  note: async (x) => {
    const note = await addedEvent(x, (e) => e.type === 'note' && !!e.privateText?.includes(x.c.textIncludes!), 'the private note');
    expect(note.privateTo).toBe('provider');
  },
  good: async (x) => {
    await newEmail(x, 'relay', ALICE);
  },
  poor: async (x) => {
    const relayed = await newEmail(x, 'relay', ALICE);
    if (x.c.textIncludes) expect(relayed.body.text).toContain(x.c.textIncludes);
  },
  ask: async (x) => {
    const relayed = await newEmail(x, 'relay', x.c.role === 'referrer' ? PRIYA : ALICE);
    expect(relayed.body.text).toContain(x.c.textIncludes!);
  },
  refer: async (x) => {
    const back = await eventually(async () => (await x.s.d.store.listReferrals({ givenBy: x.s.priya.id })).find((r) => r.providerId === x.s.alice.id), 'the give-back referral');
    expect(back.prospect).toMatchObject({ name: x.c.refer!.name, email: x.c.refer!.email });
    expect(back.need).toContain(x.c.refer!.need);
  },
  cancel: status('withdrawn'),
  no_intro: async (x) => {
    await referralWhen(x, (r) => r.consent === false, 'consent withdrawn');
  },
  provider: async (x) => {
    await referralWhen(x, (r) => r.providerId === x.s.tom.id, 'the provider corrected to Tom Baker');
  },
  prospect: async (x) => {
    await referralWhen(x, (r) => r.prospect.email === x.c.textIncludes, 'the prospect email corrected');
  },
  ok: async (x) => {
    const again = await eventually(async () => (await x.s.d.store.listReferrals({ receivedBy: x.s.tom.id }))[0], 'the re-referral to Tom Baker');
    expect(again).toMatchObject({ referrerId: x.s.alice.id, providerId: x.s.tom.id });
    expect(again.prospect.email).toBe(BOB);
  },
  yes: status('contacted'),
  no: async (x) => {
    await newEmail(x, 'alert', PRIYA);
    await newEmail(x, 'alert', ALICE);
  },
  rating: async (x) => {
    const event = await addedEvent(x, (e) => e.kind === 'rating', 'the rating event');
    expect(event.text).toContain(`${x.c.rating}/5`);
    if (x.c.textIncludes) expect(event.privateText).toContain(x.c.textIncludes);
  },
  stop: async (x) => {
    if (x.c.role === 'prospect') {
      // for this group only: PRODUCT.md's "no more email to that address from the group"
      await eventually(async () => x.s.d.store.isSuppressed(BOB, x.s.group.id), 'the prospect suppressed in the group');
      expect(await x.s.d.store.isSuppressed(BOB)).toBe(false);
      await referralWhen(x, (r) => r.status === 'withdrawn', 'status withdrawn');
    } else {
      const memberId = x.c.role === 'provider' ? x.s.priya.id : x.s.alice.id;
      await eventually(async () => (await x.s.d.store.getMember(memberId))!.optionalEmailsOff === true, 'optional emails off');
    }
  },
  help: async (x) => {
    await newEmail(x, 'help', x.from);
  },
  unknown: notUnderstood,
  ambiguous: notUnderstood,
};

// ---- the cases ----

/**
 * Plain file order on purpose: the prospect's `stop` (59) suppresses Bob for that group only, so the
 * next case (60, a fresh group) must still reach him.
 */
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.eml'))
  .sort();

describe('own reply corpus over real SMTP, end to end', () => {
  it('covers every file with an expectation and a check', () => {
    expect(files).toHaveLength(60);
    for (const f of files) expect(CHECKS[corpus.cases[f]?.verb ?? ''], f).toBeDefined();
  });

  it.concurrent.each(files)('%s', async (file) => {
    const c = corpus.cases[file]!;
    const s = await freshReferral(c.currency);
    const answered = await emailToAnswer(s, c);
    const replyTo = answered.replyTo[0]!;
    expect(replyTo).toMatch(/@relay\.localhost$/);

    const original = readFileSync(join(dir, file));
    const raw = rewrite(original, replyTo);
    const seen = await readable(raw);
    expect(seen).not.toContain(CORPUS_DOMAIN);
    expect(seen).toContain(replyTo);
    const from = /^From:.*?<([^>]+)>/im.exec(raw.toString('latin1'))![1]!;
    expect(from).toBe(ADDRESS_OF[c.role]);

    const before = (await s.d.store.getReferral(s.id))!;
    const sentAt = await clockNow();
    await sendSmtp(raw, { from, to: [replyTo] });
    await CHECKS[c.verb]!({ s, c, before, sentAt, from });
  });
});
