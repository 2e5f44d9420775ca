import { describe, expect, it } from 'vitest';
import { digestFor, referBackWhy } from '../../../src/digest/digest-content.js';
import { renderEmail } from '../../../src/mail/render.js';
import { campaignAskData } from '../../../src/reports/campaign.js';
import type { AdminSummaryData } from '../../../src/reports/email-data.js';
import { sampleData as adminSample } from '../../../templates/admin_summary.js';
import { sampleData as campaignSample } from '../../../templates/campaign_ask.js';
import { london, member, ref } from './fixtures.js';

const HOSTILE = `<script>alert(1)</script> "O'Brien" \u202Egnp.exe\r\nBcc: victim@example.com`;

function expectClean(email: { subject: string; html: string; text: string }) {
  expect(email.subject).not.toMatch(/[\r\n]/);
  expect(email.html).not.toContain('<script>');
  expect(email.text).not.toMatch(/^Bcc:/m);
  expect(email.text).not.toContain('\u202E');
  for (const part of [email.subject, email.text, email.html]) expect(part).not.toMatch(/undefined|\bnull\b|\[object Object\]|NaN/);
}

describe('campaign_ask email', () => {
  it('lists the other members with their good-referral profiles and how to reply', () => {
    // Act
    const email = renderEmail('campaign_ask', campaignSample());

    // Assess
    expectClean(email);
    expect(email.subject).toBe('Referral month in Riverside Business Network: who could you refer this week?');
    expect(email.text).toContain('(1 March to 31 March)');
    expect(email.text).toContain('Tom Green – Green Signs (Signage)');
    expect(email.text).toContain('A shop or café opening or rebranding in the next three months.');
    expect(email.text).toContain('"refer Sam Patel <sam@example.com> needs a new website for Tom Green"');
    expect(email.html).toContain('https://relay.example.com/unsubscribe/m8a2.sig');
  });

  it('answers a reply it could not act on with the problem, the reply and the members', () => {
    const group = { ...london, name: 'Harbour', campaign: { startsOn: '2026-03-01', endsOn: '2026-03-31' } };
    const data = campaignAskData({
      group,
      member: member('Ann'),
      picks: [member(HOSTILE, { profile: { goodReferral: HOSTILE } }), member('Bob Baker')],
      webBaseUrl: 'https://relay.example/',
      sessionSecret: 'secret-secret-secret',
      problem: 'Which member is your referral of Sam for?',
      reply: 'refer Sam <sam@x.example> website',
    });

    const email = renderEmail('campaign_ask', data);

    expectClean(email);
    expect(email.subject).toBe('Which member is your referral for? – Harbour');
    expect(email.text).toContain('Which member is your referral of Sam for?');
    expect(email.text).toContain('> refer Sam <sam@x.example> website');
    expect(email.text).toContain('Bob Baker');
    expect(email.html).toContain('&lt;script&gt;');
    expect(data.links?.unsubscribe).toMatch(/^https:\/\/relay\.example\/unsubscribe\/ann0000000000000\./);
  });
});

describe('admin_summary email', () => {
  it('shows what moved, who waits on whom and the slowest first contacts', () => {
    const email = renderEmail('admin_summary', adminSample());
    expectClean(email);
    expect(email.subject).toBe('Admin summary for Riverside Business Network: 1 referral waiting on first contact');
    expect(email.text).toContain('Bob Brown → Jane Smith (from Priya Patel): Won, Tue 4 Mar');
    expect(email.text).toContain('Ana Lima → Tom Green (from Jane Smith): waiting 5 days');
    expect(email.text).toContain('Carl Diaz → Tom Green (from Priya Patel): 52 hours');
    expect(email.text).toContain('Tom Green: Slow to contact three referrals in a row');
  });

  it('reads well for a quiet week and escapes names', () => {
    const data: AdminSummaryData = {
      ...adminSample(),
      adminSummary: { weekLabel: 'week of 1 June', given: 0, won: 0, moved: [], waiting: [], slowest: [], flagged: [{ name: HOSTILE, note: HOSTILE }] },
    };
    const email = renderEmail('admin_summary', data);
    expectClean(email);
    expect(email.subject).toBe('Admin summary for Riverside Business Network');
    expect(email.text).toContain('No referral changed status this week.');
    expect(email.text).toContain('Every open referral has been contacted.');
  });
});

describe('digest: someone to refer back', () => {
  it('says what was received and given, and what a good referral is for them', () => {
    const bob = member('Bob Baker', { profile: { goodReferral: 'A café opening in the next three months. Or a bakery.' } });
    expect(referBackWhy({ received: 3, given: 0 }, bob)).toBe("you have received 3 from Bob and given none back — Bob's good referral is a café opening in the next three months");
    expect(referBackWhy({ received: 3, given: 1 }, member('Cat', { profile: {} }))).toBe('you have received 3 from Cat and given 1 back');
  });

  it('puts the sentence into the weekly digest', () => {
    // Prepare: Bob gave Ann three referrals, Ann gave none back
    const ann = member('Ann');
    const bob = member('Bob Baker', { profile: { goodReferral: 'IT teams moving offices.' } });
    const referrals = [1, 2, 3].map((d) => ref(bob, ann, `2026-06-0${d}T10:00:00.000Z`));

    // Act
    const digest = digestFor(ann, london, referrals, [ann, bob], new Date('2026-06-08T07:00:00Z'), 'https://relay.example');
    const email = renderEmail('digest', { groupName: 'Harbour', recipientName: 'Ann', recipientRole: 'member', replyWords: [], digest });

    // Assess
    expect(digest.referBack?.why).toBe("you have received 3 from Bob and given none back — Bob's good referral is IT teams moving offices");
    expect(email.text).toContain("Bob Baker: you have received 3 from Bob and given none back — Bob's good referral is IT teams moving offices.");
  });
});
