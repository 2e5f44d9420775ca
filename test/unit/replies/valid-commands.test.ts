import { describe, expect, it } from 'vitest';
import { EMAIL_KINDS } from '../../../src/domain/types.js';
import { parseCommand, validCommands, type Role } from '../../../src/replies/parse-command.js';
import { FOOTER_ROWS, OPTIONAL_EMAILS, replyWordsFor } from '../../../src/replies/valid-commands.js';
import { referral } from '../referrals/fixtures.js';

const words = (role: Role, kind?: string, ...rest: Parameters<typeof validCommands> extends [Role, string?, ...infer R] ? R : never) =>
  validCommands(role, kind, ...rest).map((c) => c.word);

describe('validCommands: the footer of each email', () => {
  it('lists the most likely words first, at most five rows, then points at help for the rest', () => {
    expect(words('provider', 'progress_request', referral({ status: 'contacted' }))).toEqual([
      'met', 'proposal', 'won 4500', 'lost <why>', 'snooze 2 weeks', 'help',
    ]);
    const more = validCommands('provider', 'progress_request', referral({ status: 'contacted' })).at(-1)!;
    expect(more.meaning).toBe('More: pass, share, note, ask — reply help for all of them');
    expect(words('provider', 'thank_you_prompt')).toEqual(['thanks <your words>', 'thanked']);
    expect(words('prospect', 'connection_check')).toEqual(['yes', 'no', 'stop']);
    expect(words('prospect', 'experience_check')).toEqual(['1–5 <comment>', 'stop']);
  });

  it('a table over every email kind and role: never more than five rows plus help, stop only on optional emails', () => {
    for (const kind of EMAIL_KINDS) {
      for (const role of ['provider', 'referrer'] as const) {
        const list = words(role, kind, referral());
        expect(list.length, `${role} ${kind}`).toBeLessThanOrEqual(FOOTER_ROWS + 1);
        if (list.length === FOOTER_ROWS + 1) expect(list.at(-1)).toBe('help');
        // The anniversary ask is optional too: its stop ends anniversary asks only.
        expect(list.includes('stop'), `${role} ${kind}`).toBe(OPTIONAL_EMAILS.includes(kind) || (kind === 'anniversary' && role === 'provider'));
      }
      const prospect = words('prospect', kind, referral());
      expect(prospect.length === 0 || ['connection_check', 'experience_check'].includes(kind), kind).toBe(true);
    }
  });

  it('notices, help answers and the intro invite no reply ("No need to reply")', () => {
    for (const role of ['provider', 'referrer', 'prospect'] as const) {
      for (const kind of ['notice', 'help', 'intro', 'refusal', 'welcome', 'magic_link']) expect(words(role, kind, referral()), `${role} ${kind}`).toEqual([]);
    }
  });

  it('every word the text of an email asks for is in its list', () => {
    expect(words('provider', 'alert', referral(), { alert: 'not_contacted' })).toContain('contacted');
    expect(words('provider', 'provider_notice', referral())).toEqual(expect.arrayContaining(['contacted', 'pass <who is better>']));
    expect(words('provider', 'quality_question', referral({ status: 'won' }))).toEqual(['good', 'poor <why>']);
    expect(words('referrer', 'escalation_notice', referral())).toEqual(['ask <question>', 'cancel']);
    expect(words('referrer', 'relay', referral({ passSuggestionId: 'tom' }), { relay: 'pass_suggestion' })).toEqual(['ok', 'cancel']);
    expect(words('referrer', 'relay', referral(), { relay: 'question' })).toEqual(['ask <question>']);
  });

  it('no word that cannot apply', () => {
    // A low rating does not ask for `contacted`.
    expect(words('provider', 'alert', referral({ status: 'won' }), { alert: 'low_rating' })).not.toContain('contacted');
    // No provider yet: cancelling tells nobody.
    const draft = validCommands('referrer', 'needs_info', referral({ status: 'needs_info', providerId: undefined }));
    expect(draft.find((w) => w.word === 'cancel')?.meaning).toBe('withdraw the referral');
    expect(validCommands('referrer', 'receipt', referral()).find((w) => w.word === 'cancel')?.meaning).toMatch(/provider is told/);
    // Bcc mode or no consent: there is no introduction to stop.
    expect(words('referrer', 'receipt', referral())).toContain('no intro');
    expect(words('referrer', 'receipt', referral({ introducedByReferrer: true, introAt: '2026-03-02T10:00:00.000Z' }))).not.toContain('no intro');
    expect(words('referrer', 'receipt', referral({ introducedByReferrer: true }))).not.toContain('no intro');
    expect(words('referrer', 'receipt', referral({ consent: false }))).not.toContain('no intro');
    // The line for the prospect: only while there is an introduction to come.
    expect(words('referrer', 'receipt', referral())).toContain('intro: <one line for the prospect>');
    expect(words('referrer', 'receipt', referral({ consent: false }))).not.toContain('intro: <one line for the prospect>');
    expect(words('referrer', 'receipt', referral({ introducedByReferrer: true }))).not.toContain('intro: <one line for the prospect>');
    // A relayed question: no `ok` (nothing suggested), no `cancel`.
    expect(words('referrer', 'relay', referral(), { relay: 'question' })).not.toContain('ok');
    expect(words('referrer', 'relay', referral(), { relay: 'question' })).not.toContain('cancel');
    // A closed referral: no milestones.
    expect(words('provider', 'progress_request', referral({ status: 'won' }))).not.toContain('won 4500');
  });
});

describe('replyWordsFor: the whole list (the answer to help)', () => {
  it('lists every word of the email, uncapped', () => {
    expect(replyWordsFor('provider', 'progress_request', referral({ status: 'contacted' })).map((w) => w.word)).toEqual([
      'met', 'proposal', 'won 4500', 'lost <why>', 'snooze 2 weeks', 'pass <who is better>', 'share', 'note <text>', 'ask <question>',
    ]);
  });

  it("lists all of the role's commands when no email is given, with stop", () => {
    expect(replyWordsFor('provider').map((w) => w.word)).toHaveLength(16);
    expect(replyWordsFor('referrer').map((w) => w.word)).toEqual(['cancel', 'no intro', 'intro: <one line for the prospect>', 'provider: <name or email>', 'prospect: <name> <email>', 'ok', 'ask <question>', 'stop']);
  });

  it('explains stop differently to a prospect and to a member', () => {
    expect(replyWordsFor('prospect').at(-1)?.meaning).toMatch(/no more email from this group/);
    expect(replyWordsFor('provider').at(-1)?.meaning).toMatch(/optional emails/);
  });

  it('lists only words that parseCommand reads back as that command', () => {
    for (const role of ['provider', 'referrer', 'prospect'] as const) {
      for (const { word } of replyWordsFor(role)) {
        // The example as typed, with placeholders filled the way a person would.
        const typed = word.replace('<why>', 'too expensive').replace('<who is better>', 'Tom Baker').replace('<your words>', 'cheers Alice')
          .replace('<text>', 'call after 5').replace('<question>', 'any budget?').replace('<name or email>', 'Tom Baker')
          .replace('<name> <email>', 'Bob Stone bob@stone.example').replace('Name <email> <need>', 'Tom Baker <tom@baker.example> a website')
          .replace('1–5 <comment>', '5 great').replace('<comment>', '');
        expect(parseCommand(typed, { role, currency: 'GBP' }).verb, `${role}: ${typed}`).not.toMatch(/unknown|ambiguous/);
      }
    }
  });
});
