import { describe, expect, it } from 'vitest';
import { campaignActive, campaignPicks, campaignSchema, campaignWeekIndex } from '../../../src/reports/campaign.js';
import { readCampaignReply } from '../../../src/reports/campaign-reply.js';
import { london, member } from './fixtures.js';

const good = (text: string) => ({ profile: { goodReferral: text } });
const ann = member('Ann', good('A café opening soon.'));
const bob = member('Bob Baker', good('Anyone baking at scale.'));
const cat = member('Cat Cole', good('A shop that needs signs.'));
const dan = member('Dan Dee', good('A first employee.'));
const eve = member('Eve', good('A new website.'));
const gone = member('Gus Gone', { ...good('Should never be asked about.'), status: 'removed' });
const plain = member('Pat Plain');
const roster = [ann, bob, cat, dan, eve, gone, plain];

describe('referral month campaign', () => {
  const group = { ...london, campaign: { startsOn: '2026-03-01', endsOn: '2026-03-31' } };

  it('runs from startsOn to endsOn inclusive, by the group calendar', () => {
    expect(campaignActive(group, new Date('2026-02-28T23:30:00Z'))).toBe(false); // 28 Feb in London (GMT)
    expect(campaignActive(group, new Date('2026-03-01T00:00:00Z'))).toBe(true);
    expect(campaignActive(group, new Date('2026-03-31T22:59:00Z'))).toBe(true); // 31 Mar 23:59 BST
    expect(campaignActive(group, new Date('2026-03-31T23:00:00Z'))).toBe(false); // 1 April BST
    expect(campaignActive(london, new Date('2026-03-10T12:00:00Z'))).toBe(false); // no campaign
    expect(campaignWeekIndex(group, new Date('2026-03-07T12:00:00Z'))).toBe(0);
    expect(campaignWeekIndex(group, new Date('2026-03-08T12:00:00Z'))).toBe(1);
  });

  it('asks each member about three other active members with a profile, rotating week by week', () => {
    const weeks = [0, 1, 2, 3].map((w) => campaignPicks(ann, roster, w).map((m) => m.name));
    for (const picks of weeks) {
      expect(picks).toHaveLength(3);
      expect(picks).not.toContain('Ann');
      expect(picks).not.toContain('Gus Gone');
      expect(picks).not.toContain('Pat Plain'); // no profile while enough others have one
      expect(new Set(picks).size).toBe(3);
    }
    expect(weeks[1]).not.toEqual(weeks[0]);
    // Over the weeks everyone with a profile comes up.
    expect(new Set(weeks.flat())).toEqual(new Set(['Bob Baker', 'Cat Cole', 'Dan Dee', 'Eve']));
  });

  it('falls back to members without a profile in a small group, and asks nobody about nobody', () => {
    expect(campaignPicks(ann, [ann, plain, bob], 0).map((m) => m.name).sort()).toEqual(['Bob Baker', 'Pat Plain']);
    expect(campaignPicks(ann, [ann], 0)).toEqual([]);
  });

  it.each([
    [{ startsOn: '2026-03-01', endsOn: '2026-03-31' }, true],
    [{ startsOn: '2026-03-01', endsOn: '2026-03-01' }, true],
    [{ startsOn: '2026-03-31', endsOn: '2026-03-01' }, false],
    [{ startsOn: '2026-03-01', endsOn: '2026-06-30' }, false], // 122 days
    [{ startsOn: '2026-02-30', endsOn: '2026-03-31' }, false],
    [{ startsOn: '2026-03-01' }, false],
    [{ startsOn: '2026-03-01', endsOn: '2026-03-31', extra: 1 }, false],
  ])('validates %j → %s', (body, ok) => {
    expect(campaignSchema.safeParse(body).success).toBe(ok);
  });
});

describe('reading a campaign reply', () => {
  const others = [bob, cat, dan, eve, member('Cat Cross')];
  const asked = [bob, cat, dan];
  const read = (text: string, ask = asked) => readCampaignReply(text, others, ask, 'GBP');

  it('takes the provider from a trailing "for <member>"', () => {
    expect(read('refer Sam Patel <sam@patel.example> needs a new website for Eve')).toEqual({
      kind: 'refer', prospect: { name: 'Sam Patel', email: 'sam@patel.example' }, need: 'a new website', provider: eve,
    });
    expect(read('Hi!\n\nrefer Sam Patel <sam@patel.example> needs cakes for her café for Bob Baker.')).toMatchObject({ kind: 'refer', need: 'cakes for her café', provider: bob });
  });

  it('takes the provider from a "for:" line', () => {
    expect(read('refer Sam Patel <sam@patel.example> needs a bookkeeper\n\nfor: Dan Dee\n\nThanks, Ann')).toMatchObject({ kind: 'refer', need: 'a bookkeeper', provider: dan });
  });

  it('asks back, listing the members of the ask, when no member is named', () => {
    expect(read('refer Sam Patel <sam@patel.example> needs a website')).toEqual({
      kind: 'needs_provider', prospect: { name: 'Sam Patel', email: 'sam@patel.example' }, need: 'a website', candidates: asked,
    });
  });

  it('asks back with the members a name could mean when it is ambiguous', () => {
    const reading = read('refer Sam Patel <sam@patel.example> needs signs for Cat');
    expect(reading).toMatchObject({ kind: 'needs_provider', written: 'Cat' });
    expect(reading.kind === 'needs_provider' && reading.candidates.map((m) => m.name)).toEqual(['Cat Cole', 'Cat Cross']);
  });

  it('needs no name when the ask listed only one member', () => {
    expect(read('refer Sam Patel <sam@patel.example> needs a website', [eve])).toMatchObject({ kind: 'refer', provider: eve });
  });

  it('understands stop and help, and says when there is no referral to read', () => {
    expect(read('stop')).toEqual({ kind: 'stop' });
    expect(read('help')).toEqual({ kind: 'help' });
    expect(read('Sounds great, will think about it')).toEqual({ kind: 'unreadable' });
    expect(read('refer Sam Patel, no email yet')).toEqual({ kind: 'unreadable' });
  });
});
