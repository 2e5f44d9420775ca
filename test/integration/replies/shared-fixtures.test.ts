import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emailsTo, eventually, sendSmtp, sentEmails, withOwnAddresses, withoutLinks } from '../harness.js';
import { ALICE, PRIYA, emailOf, fillReply, fireStep, referralAlicePriya } from './reply-helpers.js';

const dir = join(import.meta.dirname, '../../fixtures/replies');
const cases = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')).cases as Record<string, any>;
/** The fixtures' addresses, which stand for this file's own Alice and Priya. */
const ALICE_FIXTURE = 'alice@morganlaw.example';
const PRIYA_FIXTURE = 'priya@ledgerlane.example';
const KIND: Record<string, string> = { 'new-referral notice': 'provider_notice', 'a progress request': 'progress_request' };

describe('shared fixtures: replies over real SMTP', () => {
  for (const [file, want] of Object.entries(cases)) {
    it(file, async () => {
      const s = await referralAlicePriya();
      const kind = KIND[want.answers]!;
      const from = withOwnAddresses(want.from as string, [ALICE_FIXTURE, PRIYA_FIXTURE]);
      if (kind === 'progress_request') await fireStep(s.id, 'progress_request');
      const answered = await emailOf(s.id, kind, PRIYA);
      const aliceBefore = (await emailsTo(ALICE)).length;
      const priyaBefore = (await emailsTo(PRIYA)).length;
      const raw = fillReply(readFileSync(join(dir, file), 'utf8'), answered, from);
      await sendSmtp(raw, { from, to: [answered.replyTo[0]!] });

      if (want.then.status === 'unchanged') {
        const help = await eventually(async () => (await emailsTo(PRIYA)).slice(priyaBefore).find((m) => /help|understand|reply with/i.test(`${m.subject} ${m.body.text}`)), 'the help answer');
        expect(help.body.text).toMatch(/contacted/);
        const r = (await s.d.store.getReferral(s.id))!;
        expect(r.status).toBe('logged');
        expect(r.timeline.some((e) => e.privateText?.includes(want.then.timelineNoteIncludes))).toBe(true);
        // once: the same kind of reply again the same day gets no second answer
        await sendSmtp(raw.replace(/Message-ID: <[^>]+>/, 'Message-ID: <again-1@ledgerlane.example>'), { from, to: [answered.replyTo[0]!] });
        const helps = (await emailsTo(PRIYA)).slice(priyaBefore).filter((m) => m.messageId !== answered.messageId);
        expect(helps).toHaveLength(1);
        return;
      }
      const r = await eventually(async () => {
        const cur = (await s.d.store.getReferral(s.id))!;
        return cur.status === want.then.status && cur;
      }, `status ${want.then.status}`);
      if (want.then.closedValue) expect(r.closedValue?.amount).toBe(want.then.closedValue);
      if (want.then.reasonIncludes) expect(r.lostReason).toContain(want.then.reasonIncludes);
      const milestone = await eventually(async () => (await emailsTo(ALICE)).slice(aliceBefore).find((m) => m.subject.includes('Bob Stone')), 'the milestone to the referrer');
      const body = `${milestone.subject}\n${milestone.body.text}\n${milestone.body.html}`;
      if (want.then.status === 'won') {
        expect(body.toLowerCase()).toContain('won');
        expect(withoutLinks(body)).not.toMatch(/\b4,?500\b/);
      }
      if (want.then.reasonIncludes) expect(body).toContain(want.then.reasonIncludes);
      if (want.then.status === 'contacted') expect(body.toLowerCase()).toMatch(/made contact|in touch/);
      void sentEmails;
    });
  }
});
